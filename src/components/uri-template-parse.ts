/**
 * RFC 6570 template syntax: what a template is made of (literals and
 * `{...}` expressions), what each operator means, and the parser that checks
 * a template once, at registration, so a bad one fails there.
 */

export type Operator = "" | "+" | "#" | "." | "/" | ";" | "?" | "&";

export interface VarSpec {
  readonly name: string;
  readonly explode: boolean;
  readonly prefix: number | undefined;
}

export interface Expression {
  readonly operator: Operator;
  readonly vars: readonly VarSpec[];
}

export type Part = string | Expression;

export interface OperatorRules {
  readonly first: string;
  readonly separator: string;
  readonly named: boolean;
  readonly ifEmpty: string;
  readonly allowReserved: boolean;
}

export const RULES: Readonly<Record<Operator, OperatorRules>> = {
  "": { first: "", separator: ",", named: false, ifEmpty: "", allowReserved: false },
  "+": { first: "", separator: ",", named: false, ifEmpty: "", allowReserved: true },
  "#": { first: "#", separator: ",", named: false, ifEmpty: "", allowReserved: true },
  ".": { first: ".", separator: ".", named: false, ifEmpty: "", allowReserved: false },
  "/": { first: "/", separator: "/", named: false, ifEmpty: "", allowReserved: false },
  ";": { first: ";", separator: ";", named: true, ifEmpty: "", allowReserved: false },
  "?": { first: "?", separator: "&", named: true, ifEmpty: "=", allowReserved: false },
  "&": { first: "&", separator: "&", named: true, ifEmpty: "=", allowReserved: false },
};

const OPERATOR_CHARS = new Set(["+", "#", ".", "/", ";", "?", "&"]);
/** Operators RFC 6570 reserves for future use. */
const RESERVED_OPERATORS = new Set(["=", ",", "!", "@", "|"]);
const VARNAME = /^(?:[A-Za-z0-9_]|%[0-9A-Fa-f]{2})+(?:\.(?:[A-Za-z0-9_]|%[0-9A-Fa-f]{2})+)*$/;

export class UriTemplateError extends TypeError {
  override readonly name = "UriTemplateError";
}

/** Splits a template into literals and expressions; throws `UriTemplateError` where it breaks the RFC. */
export function parse(template: string): Part[] {
  const parts: Part[] = [];
  let literal = "";
  let i = 0;
  while (i < template.length) {
    const char = template[i] as string;
    if (char === "}") {
      throw new UriTemplateError(`URI template "${template}": "}" at ${i} closes nothing`);
    }
    if (char !== "{") {
      literal += char;
      i++;
      continue;
    }
    const end = template.indexOf("}", i + 1);
    if (end === -1)
      throw new UriTemplateError(`URI template "${template}": "{" at ${i} is never closed`);
    const body = template.slice(i + 1, end);
    if (body.includes("{"))
      throw new UriTemplateError(`URI template "${template}": expressions cannot nest`);
    if (literal) parts.push(literal);
    literal = "";
    parts.push(parseExpression(body, template));
    i = end + 1;
  }
  if (literal) parts.push(literal);
  return parts;
}

function parseExpression(body: string, template: string): Expression {
  if (body.length === 0)
    throw new UriTemplateError(`URI template "${template}": empty expression "{}"`);
  const first = body[0] as string;
  if (RESERVED_OPERATORS.has(first))
    throw new UriTemplateError(
      `URI template "${template}": the operator "${first}" is reserved by RFC 6570 and not supported`,
    );
  const operator = (OPERATOR_CHARS.has(first) ? first : "") as Operator;
  const list = operator ? body.slice(1) : body;
  const vars = list.split(",").map((raw): VarSpec => {
    let name = raw;
    let explode = false;
    let prefix: number | undefined;
    if (name.endsWith("*")) {
      explode = true;
      name = name.slice(0, -1);
    } else {
      const colon = name.indexOf(":");
      if (colon !== -1) {
        const digits = name.slice(colon + 1);
        if (!/^[1-9][0-9]{0,3}$/.test(digits))
          throw new UriTemplateError(
            `URI template "${template}": "${raw}" needs a prefix length from 1 to 9999`,
          );
        prefix = Number(digits);
        name = name.slice(0, colon);
      }
    }
    if (!VARNAME.test(name) || name === "__proto__")
      throw new UriTemplateError(
        `URI template "${template}": "${raw}" is not a valid variable name (letters, digits, "_", "." between parts)`,
      );
    return { name, explode, prefix };
  });
  return { operator, vars };
}
