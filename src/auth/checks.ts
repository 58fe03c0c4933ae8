/**
 * Run-time checks of the verifiers' option values. A verifier is security
 * configuration: a value of the wrong shape silently ignored (an `audience`
 * given as a number, a misspelt `requiredScopes`) would accept tokens it
 * should refuse, so each one is a TypeError at construction instead.
 */
import { describeValue } from "../util/known-keys.js";
import { type AudienceSet, audienceSet } from "./claims.js";

/** A string or a non-empty list of non-empty strings, as a list; undefined when absent. */
export function stringList(owner: string, name: string, value: unknown): string[] | undefined {
  if (value === undefined) return undefined;
  const list = typeof value === "string" ? [value] : value;
  if (
    !Array.isArray(list) ||
    list.length === 0 ||
    !list.every((item) => typeof item === "string" && item !== "")
  )
    throw new TypeError(
      `${owner}: ${name} must be a non-empty string or a non-empty array of them, got ${describeValue(value)}`,
    );
  return [...(list as string[])];
}

/** A list of strings, possibly empty (scopes: none required is a valid choice). */
export function scopeList(owner: string, name: string, value: unknown): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every((item) => typeof item === "string" && item !== ""))
    throw new TypeError(
      `${owner}: ${name} must be an array of non-empty strings, got ${describeValue(value)}`,
    );
  return [...(value as string[])];
}

/**
 * The audiences to accept, or undefined for any. Leaving the audience out is
 * refused unless asked for by name: a verifier that checks no audience
 * accepts every token its issuer signed for any other service, which the
 * MCP specification forbids (token passthrough, confused deputy).
 */
export function audienceOption(
  owner: string,
  audience: unknown,
  acceptAny: unknown,
): AudienceSet | undefined {
  if (acceptAny !== undefined && typeof acceptAny !== "boolean")
    throw new TypeError(
      `${owner}: dangerouslyAcceptAnyAudience must be a boolean, got ${describeValue(acceptAny)}`,
    );
  const list = stringList(owner, "audience", audience);
  if (list !== undefined && acceptAny === true)
    throw new TypeError(`${owner}: give either audience or dangerouslyAcceptAnyAudience, not both`);
  if (list !== undefined) return audienceSet(list);
  if (acceptAny === true) return undefined;
  throw new TypeError(
    `${owner}: audience is required (this server's canonical URI, or the audience its ` +
      "authorization server puts in tokens for it). Without it, tokens the same issuer minted " +
      "for any other service would be accepted here. Set dangerouslyAcceptAnyAudience: true " +
      "only if something else checks the audience.",
  );
}

export function optionalFunction<F>(owner: string, name: string, value: unknown): F | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "function")
    throw new TypeError(`${owner}: ${name} must be a function, got ${describeValue(value)}`);
  return value as F;
}

/** A finite number ≥ 0 (an integer when asked), or the default when absent. */
export function nonNegative(
  owner: string,
  name: string,
  value: unknown,
  fallback: number,
  integer = false,
): number {
  if (value === undefined) return fallback;
  if (
    typeof value !== "number" ||
    !Number.isFinite(value) ||
    value < 0 ||
    (integer && !Number.isInteger(value))
  )
    throw new TypeError(
      `${owner}: ${name} must be a ${integer ? "non-negative integer" : "finite number ≥ 0"}, got ${describeValue(value)}`,
    );
  return value;
}

/** An absolute http(s) URL (an endpoint we fetch from). */
export function endpointUrl(owner: string, name: string, value: unknown): URL {
  const text = value instanceof URL ? value.href : value;
  if (typeof text !== "string" || !URL.canParse(text))
    throw new TypeError(`${owner}: ${name} must be an absolute URL, got ${describeValue(value)}`);
  const url = new URL(text);
  if (url.protocol !== "https:" && url.protocol !== "http:")
    throw new TypeError(`${owner}: ${name} must be an http(s) URL, got ${describeValue(text)}`);
  return url;
}

/** The message of an error we pass on, for a message of our own around it. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
