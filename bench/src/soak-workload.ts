/**
 * The soak's mixed workload: what each kind of request sends, and what a
 * right answer to it is. Workers run the scenarios in a loop until told to
 * stop; every request is counted by kind, every wrong answer kept.
 */
import { ask, openSession, post, type StreamedAnswer, send } from "./client.ts";
import {
  cancelled,
  LEGACY_VERSION,
  legacyList,
  legacyRequest,
  legacyToolCall,
  modernList,
  modernToolCall,
  sessionHeaders,
} from "./messages.ts";
import { checkModern, checkSum, type Json, record, resultOf, then } from "./workloads.ts";

/** What the slow tool is asked for: long enough that a cancel or a resume lands mid-way. */
const SLOW = { steps: 8, ms: 40 };
/** A scenario that has not finished after this long is a wrong answer (the server hangs). */
const SCENARIO_TIMEOUT_MS = 15_000;
/**
 * How long an ordinary worker uses one session before it abandons it for a new
 * one. By time, not by requests: the sessions alive at once (and the heap they
 * take) then do not follow the throughput, which varies with what else runs
 * on the machine.
 */
const SESSION_MS = 2000;
/** Sessions opened and abandoned right away, per second, by the churn worker. */
const CHURN_PER_SECOND = 25;
/** Of the lifecycle worker's sessions, one in this many is ended with DELETE; the rest are abandoned. */
const DELETE_EVERY = 4;
/** Wrong answers kept word for word (the rest are counted). */
const EXAMPLES = 10;

/** Request kinds, as counted and reported. */
export const KINDS = {
  initialize: "initialize + initialized (legacy session opened)",
  abandoned: "legacy session abandoned (no DELETE)",
  deleted: "legacy session ended with DELETE",
  subscribed: "legacy resources/subscribe (the session then abandoned or deleted)",
  expired: "request in an abandoned session after its idle timeout: 404",
  legacyCall: "legacy tools/call in a session (JSON)",
  legacyList: "legacy tools/list in a session",
  legacyProgress: "legacy tools/call with progress (SSE, event store)",
  modernCall: "2026-07-28 tools/call",
  modernList: "2026-07-28 tools/list",
  cancelled: "legacy call cancelled mid-flight (notifications/cancelled)",
  cancelRaced: "legacy call answered although cancelled (raced)",
  modernAborted: "2026-07-28 call whose connection closed mid-stream",
  resumed: "legacy SSE stream dropped, resumed with GET + Last-Event-ID",
  standalone: "legacy GET stream dropped, resumed, dropped again",
} as const;
export type Kind = keyof typeof KINDS;

/** Counts of requests by kind, and of failures. */
export class Tally {
  readonly requests: Record<string, number> = {};
  /** Answers with a 5xx status. */
  serverErrors = 0;
  /** Any other wrong answer: a wrong status or body, a cut or hung stream, a failed request. */
  invalid = 0;
  readonly examples: string[] = [];

  count(kind: Kind): void {
    this.requests[kind] = (this.requests[kind] ?? 0) + 1;
  }

  fail(kind: Kind, problem: string): void {
    if (/^HTTP 5\d\d/.test(problem)) this.serverErrors++;
    else this.invalid++;
    if (this.examples.length < EXAMPLES) this.examples.push(`${kind}: ${problem.slice(0, 300)}`);
  }
}

/** A session the workload stopped using (without DELETE) and when. */
interface Abandoned {
  readonly id: string;
  readonly at: number;
}

/** What the workers share. */
export class SoakLoad {
  readonly url: string;
  readonly tally = new Tally();
  readonly #idleTimeoutMs: number;
  #stopped = false;
  #nextId = 1;
  readonly #abandoned: Abandoned[] = [];

  constructor(url: string, idleTimeoutMs: number) {
    this.url = url;
    this.#idleTimeoutMs = idleTimeoutMs;
  }

  /** Starts the workers; the promise settles once `stop()` was called and they finished. */
  run(): Promise<void> {
    return Promise.all([
      this.#ordinary(0),
      this.#ordinary(1),
      this.#ordinary(2),
      this.#lifecycle(),
      this.#lifecycle(),
      this.#modernAborts(),
      this.#churn(),
    ]).then(() => undefined);
  }

  stop(): void {
    this.#stopped = true;
  }

  #id(): number {
    return this.#nextId++;
  }

  /**
   * Runs one scenario: `body` returns the problem with the answer, if any, and
   * registers the streams it opens so a hung one is dropped at the timeout.
   */
  async #scenario(
    kind: Kind,
    body: (streams: StreamedAnswer[]) => Promise<string | undefined>,
  ): Promise<boolean> {
    const streams: StreamedAnswer[] = [];
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<string>((resolve) => {
      timer = setTimeout(
        () => resolve(`no complete answer within ${SCENARIO_TIMEOUT_MS / 1000} s`),
        SCENARIO_TIMEOUT_MS,
      );
    });
    let problem: string | undefined;
    try {
      problem = await Promise.race([body(streams), timeout]);
    } catch (error) {
      problem = `request failed: ${(error as Error).message}`;
    } finally {
      clearTimeout(timer);
      for (const stream of streams) stream.drop();
    }
    if (problem === undefined) this.tally.count(kind);
    else this.tally.fail(kind, problem);
    return problem === undefined;
  }

  async #open(): Promise<string | undefined> {
    let session: string | undefined;
    await this.#scenario("initialize", async () => {
      session = await openSession(this.url, this.#id());
      return undefined;
    });
    return session;
  }

  #abandon(session: string): void {
    this.tally.count("abandoned");
    this.#abandoned.push({ id: session, at: Date.now() });
  }

  /** Plain requests in both eras, as fast as they are answered; a new session every 2 s. */
  async #ordinary(worker: number): Promise<void> {
    let session: string | undefined;
    let opened = 0;
    for (let i = worker; !this.#stopped; i++) {
      if (session === undefined || Date.now() - opened > SESSION_MS) {
        if (session !== undefined) this.#abandon(session);
        opened = Date.now();
        session = await this.#open();
        if (session === undefined) continue;
      }
      switch (i % 5) {
        case 0:
          await this.#legacyCall(session);
          break;
        case 1:
          await this.#modernCall();
          break;
        case 2:
          await this.#legacyProgress(session);
          break;
        case 3:
          await this.#modernList();
          break;
        default:
          await this.#legacyList(session);
      }
    }
    if (session !== undefined) this.#abandon(session);
  }

  /**
   * A session's life: a resource subscribed to, its GET stream dropped and
   * resumed, a call whose stream is dropped and resumed, a call cancelled, a
   * plain call; then the session is abandoned (or, one in four, ended with DELETE).
   */
  async #lifecycle(): Promise<void> {
    for (let n = 0; !this.#stopped; n++) {
      const session = await this.#open();
      if (session === undefined) continue;
      await this.#subscribe(session);
      await this.#standalone(session);
      await this.#dropAndResume(session);
      await this.#cancel(session);
      await this.#legacyCall(session);
      if (n % DELETE_EVERY === DELETE_EVERY - 1) await this.#delete(session);
      else this.#abandon(session);
    }
  }

  /** 2026-07-28 slow calls whose connection is closed after the first progress event. */
  async #modernAborts(): Promise<void> {
    while (!this.#stopped) await this.#modernAbort();
  }

  /**
   * Sessions opened and abandoned at once, at a steady rate, and now and then a
   * request in a session abandoned longer than its idle timeout (it must be gone).
   */
  async #churn(): Promise<void> {
    let next = Date.now();
    while (!this.#stopped) {
      const session = await this.#open();
      if (session !== undefined) this.#abandon(session);
      await this.#probeExpired();
      next += 1000 / CHURN_PER_SECOND;
      const wait = next - Date.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      else next = Date.now();
    }
  }

  /** One abandoned session past its idle timeout (and the store's sweep): it must answer 404. */
  async #probeExpired(): Promise<void> {
    // The store sweeps every half timeout; a get of an idle session ends it at once anyway.
    const cutoff = Date.now() - this.#idleTimeoutMs * 1.5 - 1000;
    const oldest = this.#abandoned[0];
    if (oldest === undefined || oldest.at > cutoff) return;
    this.#abandoned.shift();
    // Only some are probed, so the queue is kept short.
    while (this.#abandoned.length > 0 && (this.#abandoned[0] as Abandoned).at <= cutoff)
      this.#abandoned.shift();
    await this.#scenario("expired", async () => {
      const answer = await post(
        this.url,
        legacyToolCall("add", { a: 1, b: 2 }, { id: this.#id() }),
        oldest.id,
      );
      return answer.status === 404
        ? undefined
        : `HTTP ${answer.status} for a session abandoned ${Date.now() - oldest.at} ms ago: ${answer.text.slice(0, 200)}`;
    });
  }

  #legacyCall(session: string): Promise<boolean> {
    const id = this.#id();
    return this.#scenario("legacyCall", async () => {
      const answer = await ask(this.url, legacyToolCall("add", { a: 1, b: 2 }, { id }), session);
      return statusIs(answer, 200) ?? then(resultOf(answer.messages, id), checkSum);
    });
  }

  #legacyList(session: string): Promise<boolean> {
    const id = this.#id();
    return this.#scenario("legacyList", async () => {
      const answer = await ask(this.url, legacyList(LEGACY_VERSION, id), session);
      return statusIs(answer, 200) ?? then(resultOf(answer.messages, id), checkTools);
    });
  }

  #legacyProgress(session: string): Promise<boolean> {
    const id = this.#id();
    const token = `p${id}`;
    return this.#scenario("legacyProgress", async () => {
      const exchange = legacyToolCall("add", { a: 1, b: 2 }, { id, progressToken: token });
      const answer = await ask(this.url, exchange, session);
      const problem = statusIs(answer, 200);
      if (problem) return problem;
      if (!answer.contentType?.includes("text/event-stream"))
        return `answered ${answer.contentType}, not text/event-stream`;
      const steps = progressOf(answer.messages, token);
      if (steps.join() !== "1,2") return `progress ${steps.join()}, expected 1,2`;
      return then(resultOf(answer.messages, id), checkSum);
    });
  }

  #modernCall(): Promise<boolean> {
    const id = this.#id();
    return this.#scenario("modernCall", async () => {
      const answer = await ask(this.url, modernToolCall("add", { a: 1, b: 2 }, { id }));
      return statusIs(answer, 200) ?? then(resultOf(answer.messages, id), checkModern, checkSum);
    });
  }

  #modernList(): Promise<boolean> {
    const id = this.#id();
    return this.#scenario("modernList", async () => {
      const answer = await ask(this.url, modernList(id));
      return statusIs(answer, 200) ?? then(resultOf(answer.messages, id), checkModern, checkTools);
    });
  }

  #subscribe(session: string): Promise<boolean> {
    const id = this.#id();
    return this.#scenario("subscribed", async () => {
      const answer = await ask(
        this.url,
        legacyRequest("resources/subscribe", { uri: "soak://note" }, id),
        session,
      );
      return statusIs(answer, 200) ?? then(resultOf(answer.messages, id), () => undefined);
    });
  }

  #delete(session: string): Promise<boolean> {
    return this.#scenario("deleted", async (streams) => {
      const answer = await send(this.url, "DELETE", sessionHeaders(session));
      streams.push(answer);
      return statusIs({ status: answer.status, text: await answer.text() }, 200);
    });
  }

  /** The session's GET stream: opened, dropped after its priming event, resumed, dropped again. */
  #standalone(session: string): Promise<boolean> {
    return this.#scenario("standalone", async (streams) => {
      const first = await send(this.url, "GET", sessionHeaders(session));
      streams.push(first);
      const problem = await streamIs(first, 200, "text/event-stream");
      if (problem) return problem;
      const priming = await first.next();
      if (priming?.id === undefined) return `no priming event: ${JSON.stringify(priming)}`;
      first.drop();
      const again = await send(
        this.url,
        "GET",
        sessionHeaders(session, LEGACY_VERSION, priming.id),
      );
      streams.push(again);
      return streamIs(again, 200, "text/event-stream");
    });
  }

  /**
   * A slow call whose stream is dropped after the first progress event, then
   * resumed with GET + Last-Event-ID: every step must arrive once, in order,
   * then the result.
   */
  #dropAndResume(session: string): Promise<boolean> {
    const id = this.#id();
    const token = `r${id}`;
    return this.#scenario("resumed", async (streams) => {
      const exchange = legacyToolCall("slow", SLOW, { id, progressToken: token });
      const first = await send(
        this.url,
        "POST",
        { ...exchange.headers, "Mcp-Session-Id": session },
        exchange.body,
      );
      streams.push(first);
      const problem = await streamIs(first, 200, "text/event-stream");
      if (problem) return problem;
      const seen: unknown[] = [];
      let lastEventId: string | undefined;
      while (progressOf(seen, token).length === 0) {
        const event = await first.next();
        if (event === undefined) return "the stream ended before its first progress event";
        lastEventId = event.id ?? lastEventId;
        if (event.data !== "") seen.push(JSON.parse(event.data));
      }
      if (lastEventId === undefined) return "no event id to resume from";
      first.drop();
      const rest = await send(
        this.url,
        "GET",
        sessionHeaders(session, LEGACY_VERSION, lastEventId),
      );
      streams.push(rest);
      const resumeProblem = await streamIs(rest, 200, "text/event-stream");
      if (resumeProblem) return `resume: ${resumeProblem}`;
      for (let event = await rest.next(); event !== undefined; event = await rest.next())
        if (event.data !== "") seen.push(JSON.parse(event.data));
      if (rest.cut) return "the resumed stream was cut before its end";
      const steps = progressOf(seen, token).join();
      const expected = Array.from({ length: SLOW.steps }, (_, i) => i + 1).join();
      if (steps !== expected)
        return `progress ${steps} across the two streams, expected ${expected}`;
      if (record(seen.at(-1))?.id !== id) return "the result is not the last event";
      return then(resultOf(seen, id), checkSteps);
    });
  }

  /**
   * A slow call cancelled with notifications/cancelled after its first progress
   * event: the notification gets 202, the stream ends without a result.
   */
  #cancel(session: string): Promise<boolean> {
    const id = this.#id();
    const token = `c${id}`;
    return this.#scenario("cancelled", async (streams) => {
      const exchange = legacyToolCall("slow", SLOW, { id, progressToken: token });
      const call = await send(
        this.url,
        "POST",
        { ...exchange.headers, "Mcp-Session-Id": session },
        exchange.body,
      );
      streams.push(call);
      const problem = await streamIs(call, 200, "text/event-stream");
      if (problem) return problem;
      const seen: unknown[] = [];
      while (progressOf(seen, token).length === 0) {
        const event = await call.next();
        if (event === undefined) return "the stream ended before its first progress event";
        if (event.data !== "") seen.push(JSON.parse(event.data));
      }
      const note = await post(this.url, cancelled(id), session);
      if (note.status !== 202) return `notifications/cancelled: HTTP ${note.status}: ${note.text}`;
      for (let event = await call.next(); event !== undefined; event = await call.next())
        if (event.data !== "") seen.push(JSON.parse(event.data));
      if (call.cut) return "the cancelled call's stream was cut instead of ended";
      const answered = seen.some((m) => record(m)?.id === id);
      // The handler had SLOW.steps - 1 steps to go: an answer means the cancel came very late.
      if (answered) this.tally.count("cancelRaced");
      return undefined;
    });
  }

  /** A 2026-07-28 slow call whose connection is closed after the first progress event. */
  #modernAbort(): Promise<boolean> {
    const id = this.#id();
    const token = `m${id}`;
    return this.#scenario("modernAborted", async (streams) => {
      const exchange = modernToolCall("slow", SLOW, { id, progressToken: token });
      const call = await send(this.url, "POST", exchange.headers, exchange.body);
      streams.push(call);
      const problem = await streamIs(call, 200, "text/event-stream");
      if (problem) return problem;
      const event = await call.next();
      const message = event?.data ? record(JSON.parse(event.data)) : undefined;
      if (message?.method !== "notifications/progress")
        return `first event is not a progress notification: ${JSON.stringify(event)}`;
      call.drop();
      return undefined;
    });
  }
}

/** The problem with an answer's status, if any. */
function statusIs(answer: { status: number; text: string }, status: number): string | undefined {
  return answer.status === status
    ? undefined
    : `HTTP ${answer.status} (expected ${status}): ${answer.text.slice(0, 200)}`;
}

/** The problem with a streamed answer's status or content type, if any. */
async function streamIs(
  answer: StreamedAnswer,
  status: number,
  contentType: string,
): Promise<string | undefined> {
  if (answer.status !== status)
    return `HTTP ${answer.status} (expected ${status}): ${(await answer.text()).slice(0, 200)}`;
  if (!answer.contentType?.includes(contentType))
    return `answered ${answer.contentType}, not ${contentType}`;
  return undefined;
}

/** The `progress` values of the progress notifications for `token`, in order. */
function progressOf(messages: readonly unknown[], token: string): number[] {
  return messages
    .map(record)
    .filter((m) => m?.method === "notifications/progress")
    .map((m) => record(m?.params))
    .filter((p) => p?.progressToken === token)
    .map((p) => p?.progress as number);
}

/** The soak server lists `add` (with its output schema) and `slow`. */
function checkTools(result: Json): string | undefined {
  const tools = Array.isArray(result.tools) ? (result.tools as unknown[]).map(record) : [];
  const names = tools.map((t) => t?.name).join();
  if (names !== "add,slow") return `tools ${names}, expected add,slow`;
  if (!record(tools[0]?.outputSchema)) return "add has no outputSchema";
  return undefined;
}

function checkSteps(result: Json): string | undefined {
  return record(result.structuredContent)?.steps === SLOW.steps
    ? undefined
    : `structuredContent is ${JSON.stringify(result.structuredContent)}`;
}
