/**
 * The parameters of an RFC 6570 URI template, worked out from the template
 * string by the type checker: `"file://{dir}/{name}{?rev}"` gives
 * `{ dir: string; name: string; rev?: string }`.
 *
 * - `{var*}` (explode) is a `string[]`; every other variable is a `string`.
 * - Query and path-parameter variables (`{?q}`, `{&q}`, `{;p}`) are optional:
 *   a URI may leave them out.
 * - Prefix modifiers (`{var:3}`) do not change the name.
 */

type Simplify<T> = { [K in keyof T]: T[K] } & {};

type Operator = "+" | "#" | "." | "/" | ";" | "?" | "&";
type OptionalOperator = ";" | "?" | "&";

/** Every `{...}` expression body in the template, as a union. */
type Expressions<U extends string> = U extends `${string}{${infer Body}}${infer Rest}`
  ? Body | Expressions<Rest>
  : never;

type WithoutOperator<E extends string> = E extends `${Operator}${infer Rest}` ? Rest : E;

type Split<S extends string> = S extends `${infer Head},${infer Tail}` ? Head | Split<Tail> : S;

type VarName<V extends string> = V extends `${infer Name}*`
  ? Name
  : V extends `${infer Name}:${string}`
    ? Name
    : V;

type VarValue<V extends string> = V extends `${string}*` ? string[] : string;

type RequiredSpecs<U extends string> =
  Expressions<U> extends infer E extends string
    ? E extends `${OptionalOperator}${string}`
      ? never
      : Split<WithoutOperator<E>>
    : never;

type OptionalSpecs<U extends string> =
  Expressions<U> extends infer E extends string
    ? E extends `${OptionalOperator}${string}`
      ? Split<WithoutOperator<E>>
      : never
    : never;

/** What a template resource's handler receives, typed from its URI template. */
export type UriTemplateParams<U extends string> = string extends U
  ? Record<string, string | string[] | undefined>
  : [Expressions<U>] extends [never]
    ? Record<never, never>
    : Simplify<
        { [V in RequiredSpecs<U> as VarName<V>]: VarValue<V> } & {
          [V in OptionalSpecs<U> as VarName<V>]?: VarValue<V>;
        }
      >;

/** True when the URI has no template expressions (a static resource). */
export type IsStaticUri<U extends string> = string extends U
  ? boolean
  : U extends `${string}{${string}}${string}`
    ? false
    : true;
