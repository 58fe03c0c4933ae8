import type { AccessToken } from "../../auth/types.js";
import { ErrorCode } from "../../protocol/jsonrpc.js";
import { versionAtLeast } from "../../protocol/versions.js";
import { servePage, wantsPage } from "./browser-page.js";
import type { EndpointContext } from "./endpoint-context.js";
import type { HttpExchange } from "./exchange.js";
import { acceptsAny, errorReply, type Headers, methodNotAllowed } from "./replies.js";
import { primingEvent, replay } from "./reply.js";
import { SessionStreams } from "./session-streams.js";
import { requireSession, sessionlessRequest, storeUnavailable } from "./sessions.js";
import { SSE_HEADERS, SseWriter } from "./sse.js";

/**
 * GET: a legacy session's standalone stream (what the server says outside any
 * request), or, with `Last-Event-ID`, the rest of a dropped stream: a request's
 * reply (live here, or replayed from the event store) or the standalone one.
 */
export async function serveGet(
  ctx: EndpointContext,
  ex: HttpExchange,
  headers: Headers,
  token: AccessToken | undefined,
): Promise<void> {
  if (wantsPage(ex)) return servePage(ex, headers);
  if (sessionlessRequest(ctx, ex)) return methodNotAllowed(ex, headers, ctx.settings);
  const accept = ex.header("accept");
  if (accept === undefined || !acceptsAny(accept, ["text/event-stream"]))
    return errorReply(
      ex,
      headers,
      406,
      undefined,
      ErrorCode.InvalidRequest,
      "Not Acceptable: Accept must include text/event-stream",
    );
  const session = await requireSession(ctx, ex, headers, token);
  if (!session) return;
  const lastEventId = ex.header("last-event-id");
  const store = ctx.settings.eventStore;
  if (lastEventId !== undefined && store) {
    let streamId: string | undefined;
    try {
      streamId = await streamOf(ctx, lastEventId);
    } catch (error) {
      return storeUnavailable(ctx, ex, headers, undefined, false, error);
    }
    if (streamId === undefined || !streamId.startsWith(`${session.id}-`))
      return errorReply(
        ex,
        headers,
        404,
        undefined,
        ErrorCode.InvalidRequest,
        "Not Found: unknown or expired Last-Event-ID",
      );
    if (streamId !== SessionStreams.streamIdFor(session.id)) {
      const writer = openSse(ctx, ex, headers);
      const live = ctx.live.find((entry) => entry.streamId === streamId)?.reply;
      if (live) await live.resume(writer, lastEventId);
      else {
        // A replay cut short by the store ends the stream: the client resumes again from what it got.
        await replay(store, lastEventId, writer).catch((error: unknown) =>
          ctx.host.logger.warn("Could not replay a stream", error),
        );
        writer.end();
      }
      return;
    }
    const writer = openSse(ctx, ex, headers);
    watchStandalone(ctx, ex, session.id, writer);
    return openStandalone(ctx, session.id, writer, lastEventId);
  }
  if (ctx.streams.isOpen(session.id))
    return errorReply(
      ex,
      headers,
      409,
      undefined,
      ErrorCode.InvalidRequest,
      "Conflict: this session already has an open GET stream",
    );
  let primingId: string | undefined;
  if (store && versionAtLeast(session.protocolVersion, "2025-11-25")) {
    // The priming event gives the client an id to resume from before any message arrives.
    try {
      primingId = await store.storeEvent(SessionStreams.streamIdFor(session.id), {});
    } catch (error) {
      return storeUnavailable(ctx, ex, headers, undefined, false, error);
    }
  }
  const writer = openSse(ctx, ex, headers);
  if (primingId !== undefined) writer.raw(primingEvent(primingId, ctx.settings.sseRetryMs));
  watchStandalone(ctx, ex, session.id, writer);
  return openStandalone(ctx, session.id, writer);
}

/**
 * Attaches the standalone stream. When its bus subscription (or the replay)
 * fails, the stream ends, so the client reconnects later rather than waiting
 * on a stream that would carry nothing.
 */
async function openStandalone(
  ctx: EndpointContext,
  sessionId: string,
  writer: SseWriter,
  lastEventId?: string,
): Promise<void> {
  try {
    await ctx.streams.open(sessionId, writer, lastEventId);
  } catch (error) {
    ctx.host.logger.warn("Could not open a session's GET stream; ending it", error);
    await ctx.streams.close(sessionId);
    writer.end();
  }
}

/** A dropped standalone stream keeps collecting for a while, so the client can resume it. */
function watchStandalone(
  ctx: EndpointContext,
  ex: HttpExchange,
  sessionId: string,
  writer: SseWriter,
): void {
  ex.closed.addEventListener(
    "abort",
    () => {
      writer.detach();
      ctx.streams.detached(sessionId, writer);
    },
    { once: true },
  );
}

async function streamOf(ctx: EndpointContext, eventId: string): Promise<string | undefined> {
  const store = ctx.settings.eventStore;
  if (!store) return undefined;
  if (store.getStreamIdForEventId) return store.getStreamIdForEventId(eventId);
  const dot = eventId.lastIndexOf(".");
  return dot > 0 ? eventId.slice(0, dot) : undefined;
}

function openSse(ctx: EndpointContext, ex: HttpExchange, headers: Headers): SseWriter {
  const writer = new SseWriter(
    ex.stream(200, { ...headers, ...SSE_HEADERS }),
    ctx.settings.sseKeepAliveMs,
  );
  ex.closed.addEventListener("abort", () => writer.detach(), { once: true });
  return writer;
}
