/**
 * A server that could not start, for a reason outside the code that called
 * it: the port is taken, the lifespan failed. The message is one line that
 * names the server, what failed and what to do; `run()` logs it and sets a
 * non-zero exit code instead of ending in a stack trace of the framework's
 * insides. `cause` holds the original error when it says more (the
 * lifespan's own stack).
 */
export class StartError extends Error {
  override readonly name = "StartError";
}

/** What an error says about itself, in one line. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}
