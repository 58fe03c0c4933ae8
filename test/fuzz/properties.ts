import fc from "fast-check";
/** What must hold for every message, whatever the transport. */
import { expectedAnswer } from "./messages.ts";
import { wireText } from "./wire-text.ts";

/**
 * Checks the answers a message got: exactly one for a request (with its id),
 * one with a null id for an invalid message, none for a notification; each a
 * well-formed JSON-RPC response that serializes; never an internal error,
 * which would mean a client's mistake reached code that did not expect it.
 */
export function answerProblem(message: unknown, answers: readonly unknown[]): string | undefined {
  const expected = expectedAnswer(message);
  if (expected === undefined)
    return answers.length === 0 ? undefined : `expected no answer, got ${answers.length}`;
  if (answers.length !== 1) return `expected one answer, got ${answers.length}`;
  const answer = answers[0] as Record<string, unknown>;
  if (typeof answer !== "object" || answer === null) return "the answer is not an object";
  if (answer.jsonrpc !== "2.0") return 'the answer lacks jsonrpc: "2.0"';
  // MCP leaves the id out where JSON-RPC puts null (a parse error, an unreadable id).
  const id = expected.id === null && !("id" in answer) ? null : answer.id;
  if (id !== expected.id)
    return `the answer's id is ${JSON.stringify(answer.id)}, expected ${JSON.stringify(expected.id)}`;
  const hasResult = "result" in answer;
  const hasError = "error" in answer;
  if (hasResult === hasError) return "the answer must have exactly one of result and error";
  try {
    JSON.stringify(answer);
  } catch (error) {
    return `the answer does not serialize: ${(error as Error).message}`;
  }
  if (hasError) {
    const error = answer.error as { code?: unknown; message?: unknown };
    if (!Number.isInteger(error.code)) return "error.code is not an integer";
    if (typeof error.message !== "string") return "error.message is not a string";
    if (error.code === -32603) return `internal error for a client's message: ${error.message}`;
    if (error.message.length > 20_000) return `error.message is ${error.message.length} characters`;
  }
  return undefined;
}

/** Object.prototype must stay as it was: no key a message could have planted. */
export function prototypeProblem(): string | undefined {
  const keys = Object.getOwnPropertyNames(Object.prototype).filter(
    (key) => !PRISTINE_PROTOTYPE_KEYS.has(key),
  );
  if (keys.length > 0) return `Object.prototype gained ${keys.join(", ")}`;
  if (({} as Record<string, unknown>).polluted !== undefined) return "objects inherit 'polluted'";
  return undefined;
}

const PRISTINE_PROTOTYPE_KEYS = new Set(Object.getOwnPropertyNames(Object.prototype));

/** The seed CI uses, so a run is reproducible; `npm run fuzz -- --seed S` picks another. */
const CI_SEED = 20261206;

/**
 * How many cases a property runs, and from which seed: the test's default
 * with a fixed seed, or `npm run fuzz -- --cases N --seed S` (FUZZ_CASES, FUZZ_SEED).
 */
export function budget(defaultCases: number): { numRuns: number; seed: number } {
  const cases = Number(process.env.FUZZ_CASES);
  const seed = Number(process.env.FUZZ_SEED);
  return {
    numRuns: Number.isInteger(cases) && cases > 0 ? cases : defaultCases,
    seed: Number.isInteger(seed) ? seed : CI_SEED,
  };
}

/** Shows a value in at most `max` characters (counterexamples can be megabytes). */
export function preview(value: unknown, max = 1500): string {
  let text: string;
  try {
    text =
      JSON.stringify(value, (_key, v) =>
        typeof v === "string" && v.length > 200 ? `${v.slice(0, 40)}…(${v.length} chars)` : v,
      ) ?? String(value);
  } catch {
    text = wireText(value); // deeper than JSON.stringify goes
  }
  return text.length > max ? `${text.slice(0, max)}…(${text.length} chars)` : text;
}

/**
 * Runs a property with the budget and fails with a short report: the shrunk
 * counterexample (long strings abridged), what went wrong, and the seed and
 * path that replay it (`npm run fuzz -- --seed S`).
 */
export async function fuzz<T>(property: fc.IAsyncProperty<T>, defaultCases: number): Promise<void> {
  const params = budget(defaultCases);
  const details = await fc.check(property, params);
  if (!details.failed) return;
  const error = details.errorInstance as Error | undefined;
  throw new Error(
    [
      `fuzz: property failed after ${details.numRuns} case(s), shrunk ${details.numShrinks} time(s)`,
      `counterexample: ${preview(details.counterexample)}`,
      `problem: ${String(error?.message ?? details.errorInstance).slice(0, 2000)}`,
      `replay: npm run fuzz -- --seed ${params.seed} (path ${details.counterexamplePath})`,
    ].join("\n"),
  );
}

/**
 * Ends one case: the answer's problem, else a planted prototype key, else an
 * ERROR logged for the client's message; the error log is cleared for the next case.
 */
export function endCase(problem: string | undefined, errors: { lines: string[] }): void {
  const failure =
    problem ??
    prototypeProblem() ??
    (errors.lines.length > 0 ? `logged at ERROR: ${errors.lines.join(" | ")}` : undefined);
  errors.lines.length = 0;
  if (failure) throw new Error(failure);
}
