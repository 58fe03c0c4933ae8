/**
 * RFC 6570 URI templates (levels 1 to 4), parsed once at registration
 * (uri-template-parse.ts) into an expander (uri-template-expand.ts, for
 * listing a template's concrete resources) and a matcher (here, for
 * `resources/read`). Matching is the inverse the RFC leaves open, so it makes
 * choices, all documented in docs/resources.md:
 *
 * - `{var}` matches one or more characters other than `/ ? #` (and `,`
 *   between the variables of one expression); `{+var}` and `{#var}` match
 *   reserved characters too, so `{+path}` spans segments.
 * - Values are percent-decoded; a malformed escape makes the URI not match.
 * - Trailing query expressions (`{?q,r}`, `{&s}`) match in any order, may be
 *   left out, and ignore query parameters they do not name.
 * - `{var*}` gives a list: split on the operator's separator.
 */

import { expandExpression, type UriTemplateVariables } from "./uri-template-expand.js";
import {
  type Expression,
  type Operator,
  type Part,
  parse,
  RULES,
  UriTemplateError,
  type VarSpec,
} from "./uri-template-parse.js";

export type MatchedParams = Record<string, string | string[]>;

/** True when `uri` contains at least one `{...}` expression. */
export function isUriTemplate(uri: string): boolean {
  return /\{[^}]*\}/.test(uri);
}

export class UriTemplate {
  readonly template: string;
  /** Variable names in template order. */
  readonly variables: readonly string[];
  /** Literal characters outside query expressions: more means more specific. */
  readonly literalLength: number;
  /** How many expressions may span `/` (`{+var}`, `{#var}`): fewer means more specific. */
  readonly reservedExpansions: number;
  readonly #parts: readonly Part[];
  readonly #matcher: RegExp;
  /** Expressions matched by name in the query string, not by position. */
  readonly #query: readonly Expression[];
  /** One entry per capture group of `#matcher`. */
  readonly #captures: readonly { spec: VarSpec; operator: Operator }[];

  constructor(template: string) {
    if (typeof template !== "string" || template.length === 0)
      throw new UriTemplateError("A URI template must be a non-empty string");
    this.template = template;
    this.#parts = parse(template);
    const expressions = this.#parts.filter((part): part is Expression => typeof part !== "string");
    this.variables = expressions.flatMap((expression) => expression.vars.map((v) => v.name));
    const seen = new Set<string>();
    for (const name of this.variables) {
      if (seen.has(name))
        throw new UriTemplateError(
          `URI template "${template}": variable "${name}" appears twice, so a URI could not say which value it means`,
        );
      seen.add(name);
    }
    const queryStart = trailingQueryStart(this.#parts);
    const positional = this.#parts.slice(0, queryStart);
    this.#query = this.#parts.slice(queryStart) as Expression[];
    this.literalLength = positional.reduce<number>(
      (sum, part) => sum + (typeof part === "string" ? part.length : 0),
      0,
    );
    this.reservedExpansions = expressions.filter(
      (expression) => expression.operator === "+" || expression.operator === "#",
    ).length;
    const captures: { spec: VarSpec; operator: Operator }[] = [];
    const stopAtQuery = this.#query.length > 0;
    let source = "^";
    for (const part of positional) {
      if (typeof part === "string") source += escapeRegExp(part);
      else source += expressionPattern(part, stopAtQuery, captures);
    }
    if (stopAtQuery) source += `(${escapeRegExp(this.#query[0]?.operator ?? "?")}.*)?`;
    this.#matcher = new RegExp(`${source}$`, "s");
    this.#captures = captures;
  }

  /** The parameters `uri` gives this template's variables, or `undefined` when it does not match. */
  match(uri: string): MatchedParams | undefined {
    const found = this.#matcher.exec(uri);
    if (!found) return undefined;
    const params: MatchedParams = {};
    for (let i = 0; i < this.#captures.length; i++) {
      const raw = found[i + 1];
      if (raw === undefined) continue;
      const { spec, operator } = this.#captures[i] as { spec: VarSpec; operator: Operator };
      const value = readCapture(raw, spec, operator);
      if (value === undefined) return undefined;
      params[spec.name] = value;
    }
    if (this.#query.length > 0) {
      const query = found[this.#captures.length + 1];
      if (query !== undefined && !readQuery(query.slice(1), this.#query, params)) return undefined;
    }
    return params;
  }

  /** Builds a URI from variable values (RFC 6570 section 3.2). */
  expand(variables: UriTemplateVariables): string {
    let out = "";
    for (const part of this.#parts) {
      out += typeof part === "string" ? part : expandExpression(part, variables);
    }
    return out;
  }

  toString(): string {
    return this.template;
  }
}

/** Where the trailing run of `?`/`&` expressions starts (matched by name), or the end. */
function trailingQueryStart(parts: readonly Part[]): number {
  let start = parts.length;
  while (start > 0) {
    const part = parts[start - 1];
    if (typeof part === "string" || (part?.operator !== "?" && part?.operator !== "&")) break;
    start--;
  }
  return start;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}

/** The characters a value may span, by operator; `stopAtQuery` keeps `{+path}` out of a trailing query. */
function valueClass(operator: Operator, many: boolean, stopAtQuery: boolean): string {
  const separator = many ? "," : "";
  switch (operator) {
    case "+":
    case "#":
      return `[^${separator}${stopAtQuery ? "?" : ""}]`;
    case ".":
      return "[^./?#]";
    case "/":
      return `[^/?#${separator}]`;
    case ";":
      return "[^;/?#]";
    case "?":
    case "&":
      return "[^&#]";
    default:
      return `[^/?#${separator}]`;
  }
}

function expressionPattern(
  expression: Expression,
  stopAtQuery: boolean,
  captures: { spec: VarSpec; operator: Operator }[],
): string {
  const { operator, vars } = expression;
  const rules = RULES[operator];
  const many = vars.length > 1;
  const value = valueClass(operator, many, stopAtQuery);
  const separator = escapeRegExp(rules.separator);
  let source = "";
  vars.forEach((spec, index) => {
    captures.push({ spec, operator });
    const lead = escapeRegExp(index === 0 ? rules.first : rules.separator);
    if (rules.named) {
      const name = escapeRegExp(spec.name);
      // Named variables may be absent, or present with no value (`;x`, `?x=`).
      source += spec.explode
        ? `((?:${lead}${name}(?:=${value}*)?)(?:${separator}${name}(?:=${value}*)?)*)?`
        : `(${lead}${name}(?:=${value}*)?)?`;
      return;
    }
    if (spec.explode) {
      source += `${lead}(${value}+(?:${separator}${value}+)*)`;
      return;
    }
    // After the first, a variable of a list expression may be absent (RFC: undefined values are skipped).
    source += index === 0 ? `${lead}(${value}+)` : `(?:${lead}(${value}+))?`;
  });
  return source;
}

function decode(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

/** Decodes one captured value; `undefined` when a percent escape is malformed. */
function readCapture(
  raw: string,
  spec: VarSpec,
  operator: Operator,
): string | string[] | undefined {
  const rules = RULES[operator];
  if (!spec.explode) {
    if (!rules.named) return decode(raw);
    // The capture is the whole `;name=value` (or `;name`), so a present-but-empty value is "".
    const rest = raw.slice(1 + spec.name.length);
    return decode(rest.startsWith("=") ? rest.slice(1) : "");
  }
  // A named explode capture includes its leading ";", "?" or "&"; the others start at the value.
  const body = rules.named ? raw.slice(1) : raw;
  const items: string[] = [];
  for (const item of body.split(rules.separator)) {
    let value = item;
    if (rules.named) {
      const equals = item.indexOf("=");
      value = equals === -1 ? "" : item.slice(equals + 1);
    }
    const decoded = decode(value);
    if (decoded === undefined) return undefined;
    items.push(decoded);
  }
  return items;
}

/** Fills `params` from `key=value` pairs; `false` when a named value is malformed. */
function readQuery(
  query: string,
  expressions: readonly Expression[],
  params: MatchedParams,
): boolean {
  const wanted = new Map<string, VarSpec>();
  for (const expression of expressions)
    for (const spec of expression.vars) wanted.set(spec.name, spec);
  for (const pair of query.split("&")) {
    if (pair === "") continue;
    const equals = pair.indexOf("=");
    const key = decode(equals === -1 ? pair : pair.slice(0, equals));
    if (key === undefined) return false;
    const spec = wanted.get(key);
    if (!spec) continue; // parameters the template does not name are ignored
    const value = decode(equals === -1 ? "" : pair.slice(equals + 1));
    if (value === undefined) return false;
    if (spec.explode) {
      const existing = params[key];
      if (Array.isArray(existing)) existing.push(value);
      else params[key] = [value];
    } else if (!Object.hasOwn(params, key)) {
      params[key] = value;
    }
  }
  return true;
}
