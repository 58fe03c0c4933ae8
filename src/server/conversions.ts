import type { ComponentRegistry } from "../components/registry.js";
import type { Tool } from "../components/tool.js";
import type { Logger } from "../logger.js";

/**
 * Schema conversions still running (valibot converts asynchronously). The
 * server waits for them before it serves its first request; a tool's failed
 * conversion is a registration error, thrown by `start()` before the server
 * runs and logged after.
 */
export class Conversions {
  /** Conversions in flight; they never reject. */
  readonly #pending = new Set<Promise<void>>();
  /** Failures start() will throw; undefined once started, when they are logged instead. */
  #failures: [order: number, error: unknown][] | undefined = [];
  #tracked = 0;
  readonly #logger: () => Logger;

  constructor(logger: () => Logger) {
    this.#logger = logger;
  }

  /**
   * Shows a staged tool to clients once its schema is converted, so tools/list
   * and list_changed only ever carry its final definition. A failed conversion
   * drops the new version (a previous one stays).
   */
  trackTool(tools: ComponentRegistry<Tool>, tool: Tool, ready: Promise<void>): void {
    const order = this.#tracked++;
    this.#add(
      ready.then(
        () => tools.commit(tool),
        (error: unknown) => {
          // A version removed or replaced meanwhile no longer matters.
          if (!tools.discard(tool)) return;
          if (this.#failures) this.#failures.push([order, error]);
          else this.#logger().error(`Tool "${tool.name}" was not registered or updated`, error);
        },
      ),
    );
  }

  /**
   * Waits for a component's conversion; once done, its registry moves to a
   * new revision, so cached list pages are rebuilt with the schema.
   */
  track(ready: Promise<void> | undefined, registry: { changed(): void }): void {
    if (!ready) return;
    this.#add(
      ready.then(
        () => registry.changed(),
        (error: unknown) => this.#logger().error("Schema conversion failed", error),
      ),
    );
  }

  /** Resolves once every conversion running now has settled. */
  idle(): Promise<unknown> {
    return Promise.all(this.#pending);
  }

  /**
   * Waits for every conversion, those started meanwhile too, then throws the
   * tools that failed (in registration order). From then on failures are logged.
   */
  async settle(): Promise<void> {
    while (this.#pending.size > 0) await Promise.all(this.#pending);
    const failures = [...(this.#failures ?? [])].sort((x, y) => x[0] - y[0]).map(([, e]) => e);
    this.#failures = [];
    if (failures.length === 1) throw failures[0];
    if (failures.length > 1) {
      const messages = failures.map((failure) => (failure as Error).message).join("; ");
      throw new AggregateError(
        failures,
        `${failures.length} tools were not registered: ${messages}`,
      );
    }
    this.#failures = undefined;
  }

  /** After a start that failed: later failures are thrown by the next start() again. */
  reset(): void {
    this.#failures = [];
  }

  #add(conversion: Promise<void>): void {
    const settled: Promise<void> = conversion.finally(() => this.#pending.delete(settled));
    this.#pending.add(settled);
  }
}
