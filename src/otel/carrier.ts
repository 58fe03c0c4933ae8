import {
  type Context,
  context,
  propagation,
  ROOT_CONTEXT,
  type TextMapGetter,
  trace,
} from "@opentelemetry/api";
import type { HttpInfo, RequestScope } from "../protocol/scope.js";

type Carrier = Readonly<Record<string, unknown>>;

/**
 * Reads a carrier that came from a client: only own string values count
 * (`_meta` is any JSON; a `traceparent` that is a number or an inherited
 * `toString` is no trace context).
 */
const getter: TextMapGetter<Carrier> = {
  keys: (carrier) => Object.keys(carrier),
  get: (carrier, key) => {
    const value = Object.hasOwn(carrier, key) ? carrier[key] : undefined;
    return typeof value === "string" ? value : undefined;
  },
};

/** Where a request's trace continues from, and the transport's context when it differs. */
export interface Parent {
  readonly context: Context;
  /** The HTTP headers' context, linked when `_meta` named another parent. */
  readonly link: Context | undefined;
}

/**
 * The request's parent context, through the application's global propagator
 * (so its choice of formats applies): `params._meta` first (SEP-414: the
 * unprefixed `traceparent`, `tracestate` and `baggage` keys), as the MCP
 * semantic conventions say, since one HTTP request may carry many MCP
 * requests and one MCP request may be retried over many HTTP requests; then
 * the HTTP request's headers; then whatever context is active (an HTTP
 * server instrumentation's span, an in-process caller's).
 */
export function parentOf(scope: RequestScope): Parent {
  const meta = scope.params._meta;
  const http = scope.http;
  const header = http ? headerReader(http) : undefined;
  const fromHeaders = header && header("traceparent") !== undefined ? header : undefined;
  if (isCarrier(meta) && typeof meta.traceparent === "string") {
    const fromMeta = propagation.extract(ROOT_CONTEXT, meta, getter);
    return { context: fromMeta, link: fromHeaders ? headerParent(fromHeaders) : undefined };
  }
  if (fromHeaders) return { context: headerParent(fromHeaders), link: undefined };
  return { context: context.active(), link: undefined };
}

type HeaderReader = (name: string) => string | undefined;

/**
 * Reads trace headers one by one. `ctx.http` over Streamable HTTP is built
 * only when read (`traceHeader` spares that); other `HttpInfo`s are records.
 */
function headerReader(http: HttpInfo): HeaderReader {
  const lazy = http as HttpInfo & { traceHeader?: HeaderReader };
  if (typeof lazy.traceHeader === "function") return (name) => lazy.traceHeader?.(name);
  return (name) => {
    const value = Object.hasOwn(http.headers, name) ? http.headers[name] : undefined;
    return typeof value === "string" ? value : undefined;
  };
}

/** The span context to link, when it names a span other than the parent's. */
export function linkOf(parent: Parent): ReturnType<typeof trace.getSpanContext> {
  if (!parent.link) return undefined;
  const linked = trace.getSpanContext(parent.link);
  const own = trace.getSpanContext(parent.context);
  if (!linked || (own && own.spanId === linked.spanId && own.traceId === linked.traceId))
    return undefined;
  return linked;
}

/** The context an HTTP request's headers carry, else the active one (before any MCP request is read). */
export function headerParent(header: (name: string) => string | undefined): Context {
  const traceparent = header("traceparent");
  if (traceparent === undefined) return context.active();
  const carrier: Record<string, string> = { traceparent };
  const tracestate = header("tracestate");
  if (tracestate !== undefined) carrier.tracestate = tracestate;
  const baggage = header("baggage");
  if (baggage !== undefined) carrier.baggage = baggage;
  return propagation.extract(ROOT_CONTEXT, carrier, getter);
}

function isCarrier(value: unknown): value is Carrier {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
