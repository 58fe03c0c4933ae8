/**
 * What an error may repeat of a client's input. An error path must survive
 * anything the JSON parser accepted: `String()` of an array nested thousands
 * of levels deep overflows the stack, and so does `JSON.stringify` when the
 * error carries such a value in `data`; `String()` of an object with a
 * `toString` key throws; a megabyte name would come back a megabyte long.
 * So errors repeat strings only, cut short, and say of anything else only
 * what kind of value it is. Only error paths call these: valid input never
 * pays for them.
 */

/** The most characters of one client string an error repeats: enough to recognise it. */
export const ECHO_LIMIT = 120;

/** `text` as an error may repeat it: cut to `limit` characters, saying how long it was. */
export function clip(text: string, limit = ECHO_LIMIT): string {
  if (text.length <= limit) return text;
  return `${text.slice(0, limit)}… (${text.length} characters)`;
}

/**
 * A client's value as an error message shows it: a string clipped and in
 * single quotes, a number, boolean or null as JSON writes it, anything else
 * by its kind, in parentheses.
 */
export function shown(value: unknown): string {
  switch (typeof value) {
    case "string":
      return `'${clip(value)}'`;
    case "number":
    case "boolean":
      return String(value);
    case "undefined":
      return "(none)";
    case "object":
      return value === null ? "null" : Array.isArray(value) ? "(an array)" : "(an object)";
    default:
      return `(a ${typeof value})`;
  }
}
