import type { Logger } from "../logger.js";
import type { Engine } from "../protocol/engine.js";
import type { Conversions } from "./conversions.js";
import { describeError, StartError } from "./start-error.js";

type State = "idle" | "starting" | "running" | "closing" | "closed";

export interface LifecycleParts {
  readonly name: string;
  readonly engine: Engine;
  readonly conversions: Conversions;
  readonly logger: () => Logger;
  /** Starts the lifespan (code up to its `yield`); undefined when the server has none. */
  readonly lifespan: (() => AsyncGenerator<unknown, void, unknown>) | undefined;
  /** Receives the lifespan's yielded value (`ctx.lifespan`). */
  readonly onLifespanValue: (value: unknown) => void;
  /** Tasks running in this process: waited for in a graceful shutdown, failed on close. */
  readonly tasks?: {
    drain(timeoutMs: number): Promise<void>;
    stopAll(): Promise<void>;
  };
}

/**
 * A server's life: idle → starting (schema conversions, lifespan) → running →
 * closing → closed. Starts on first use; a failed start leaves it idle, so
 * it can be tried again. Whatever serves the server registers a closer.
 */
export class Lifecycle {
  #state: State = "idle";
  #starting: Promise<void> | undefined;
  #lifespan: AsyncGenerator<unknown, void, unknown> | undefined;
  readonly #closers = new Set<() => Promise<void>>();
  readonly #parts: LifecycleParts;

  constructor(parts: LifecycleParts) {
    this.#parts = parts;
  }

  get running(): boolean {
    return this.#state === "running";
  }

  /** Runs the lifespan and finishes schema conversion. Called for you on first use. */
  start(): Promise<void> {
    if (this.#state === "running") return Promise.resolve();
    if (this.#state === "closing" || this.#state === "closed") {
      return Promise.reject(new Error(`Server "${this.#parts.name}" is closed`));
    }
    this.#starting ??= this.#doStart();
    return this.#starting;
  }

  async #doStart(): Promise<void> {
    this.#state = "starting";
    const { conversions, lifespan } = this.#parts;
    try {
      // Tools registered while we wait are waited for too.
      await conversions.settle();
      if (lifespan) this.#parts.onLifespanValue(await this.#startLifespan(lifespan));
      this.#state = "running";
    } catch (error) {
      this.#state = "idle";
      this.#starting = undefined;
      conversions.reset();
      throw error;
    }
  }

  /** Runs the lifespan up to its first `yield`; its failure is the server's failure to start. */
  async #startLifespan(lifespan: () => AsyncGenerator<unknown, void, unknown>): Promise<unknown> {
    const owner = `FastMCP("${this.#parts.name}")`;
    let first: IteratorResult<unknown, void>;
    try {
      this.#lifespan = lifespan();
      first = await this.#lifespan.next();
    } catch (error) {
      throw new StartError(
        `${owner} could not start: its lifespan failed before yielding (${describeError(error)}); fix what it starts, or catch the error there`,
        { cause: error },
      );
    }
    if (first.done)
      throw new StartError(
        `${owner} could not start: its lifespan returned without yielding a value; yield once, after what it starts`,
      );
    return first.value;
  }

  /** Registers what `close()` must stop (a transport, an HTTP endpoint's streams). */
  onClose(closer: () => Promise<void>): void {
    this.#closers.add(closer);
  }

  /**
   * Part of a graceful shutdown: waits up to `timeoutMs` for the tasks
   * running here to finish; `close()` fails those still running.
   */
  drainTasks(timeoutMs: number): Promise<void> {
    return this.#parts.tasks?.drain(timeoutMs) ?? Promise.resolve();
  }

  /** Stops serving: aborts running requests, fails running tasks, closes transports, ends the lifespan. */
  async close(): Promise<void> {
    if (this.#state === "closed" || this.#state === "closing") return;
    if (this.#state === "starting") await this.#starting?.catch(() => undefined);
    this.#state = "closing";
    const { engine } = this.#parts;
    engine.abortAll(new Error("Server is shutting down"));
    await this.#parts.tasks?.stopAll();
    await Promise.allSettled([...this.#closers].map((close) => close()));
    this.#closers.clear();
    await engine.close().catch((error: unknown) => {
      this.#parts.logger().error("Could not release the engine's bus subscription", error);
    });
    try {
      await this.#lifespan?.return(undefined);
    } finally {
      this.#state = "closed";
    }
  }
}
