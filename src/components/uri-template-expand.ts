/**
 * RFC 6570 expansion (section 3.2): variable values in, a URI out, encoded
 * as each operator says. Used to list a template's concrete resources.
 */
import { type Expression, type OperatorRules, RULES } from "./uri-template-parse.js";

export type UriTemplateValue = string | number | boolean | readonly string[] | null | undefined;
export type UriTemplateVariables = Readonly<Record<string, UriTemplateValue>>;

const UNRESERVED = /[A-Za-z0-9\-._~]/;
const RESERVED = /[:/?#[\]@!$&'()*+,;=]/;

/** Percent-encodes `value`, keeping unreserved characters (and reserved ones and `%XX` when allowed). */
function encode(value: string, allowReserved: boolean): string {
  let out = "";
  for (let i = 0; i < value.length; i++) {
    const char = value[i] as string;
    if (UNRESERVED.test(char)) out += char;
    else if (allowReserved && RESERVED.test(char)) out += char;
    else if (allowReserved && char === "%" && /^%[0-9A-Fa-f]{2}/.test(value.slice(i, i + 3))) {
      out += value.slice(i, i + 3);
      i += 2;
    } else {
      const codePoint = value.codePointAt(i) as number;
      const full = String.fromCodePoint(codePoint);
      out += encodeURIComponent(full).replace(
        /[!'()*]/g,
        (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
      );
      i += full.length - 1;
    }
  }
  return out;
}

function truncate(value: string, prefix: number | undefined): string {
  if (prefix === undefined) return value;
  return Array.from(value).slice(0, prefix).join("");
}

export function expandExpression(expression: Expression, variables: UriTemplateVariables): string {
  const rules = RULES[expression.operator];
  const pieces: string[] = [];
  for (const spec of expression.vars) {
    const raw = variables[spec.name];
    if (raw === undefined || raw === null) continue;
    if (Array.isArray(raw)) {
      const list = raw as readonly string[];
      if (list.length === 0) continue;
      const items = list.map((item) => encode(String(item), rules.allowReserved));
      if (spec.explode) {
        pieces.push(
          items
            .map((item) => (rules.named ? namedPiece(spec.name, item, rules) : item))
            .join(rules.separator),
        );
      } else {
        const joined = items.join(",");
        pieces.push(rules.named ? namedPiece(spec.name, joined, rules) : joined);
      }
      continue;
    }
    const value = encode(truncate(String(raw), spec.prefix), rules.allowReserved);
    pieces.push(rules.named ? namedPiece(spec.name, value, rules) : value);
  }
  return pieces.length === 0 ? "" : rules.first + pieces.join(rules.separator);
}

function namedPiece(name: string, value: string, rules: OperatorRules): string {
  return value === "" ? `${name}${rules.ifEmpty}` : `${name}=${value}`;
}
