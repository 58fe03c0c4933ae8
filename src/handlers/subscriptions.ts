import type { ServerCore } from "../core.js";
import { invalidParams } from "../protocol/errors.js";
import { isRecord, META_SUBSCRIPTION_ID } from "../protocol/meta.js";
import type { Result } from "../protocol/middleware.js";
import type { RequestScope } from "../protocol/scope.js";
import { topics } from "../state/bus.js";
import { honorTaskIds, listenToTasks, parseTaskIds } from "./task-listen.js";

/** The 2026-07-28 `SubscriptionFilter`. */
export interface SubscriptionFilter {
  toolsListChanged?: boolean;
  promptsListChanged?: boolean;
  resourcesListChanged?: boolean;
  resourceSubscriptions?: string[];
  /** The tasks extension: status notifications (`notifications/tasks`) for these tasks. */
  taskIds?: string[];
}

/** More URIs than this in one stream is refused before the acknowledgement, as the spec allows. */
export const MAX_RESOURCE_SUBSCRIPTIONS = 1000;

const LIST_FLAGS = [
  ["toolsListChanged", "tools", "notifications/tools/list_changed"],
  ["promptsListChanged", "prompts", "notifications/prompts/list_changed"],
  ["resourcesListChanged", "resources", "notifications/resources/list_changed"],
] as const;

type Notification = { method?: unknown; params?: Record<string, unknown> };

/**
 * `subscriptions/listen`: a request that stays open, acknowledges the filter
 * it honours, then forwards the matching notifications from the bus (so a
 * change on any process reaches it) until the client cancels it or the
 * transport goes away. When the server ends it (shutdown), it answers with
 * the empty result the spec calls a graceful close.
 */
export async function listen(scope: RequestScope, core: ServerCore): Promise<Result> {
  const requested = parseFilter(scope.params.notifications);
  const honored = honor(requested, core.capabilities());
  if (requested.taskIds) honored.taskIds = await honorTaskIds(scope, core, requested.taskIds);
  const meta = { [META_SUBSCRIPTION_ID]: scope.id };
  const methods = new Set<string>(
    LIST_FLAGS.filter(([flag]) => honored[flag]).map(([, , method]) => method),
  );
  let acknowledged = false;
  const early: Notification[] = [];
  const forward = (message: Notification) => {
    if (typeof message.method !== "string") return;
    const params = message.params ?? {};
    const tagged = {
      ...params,
      _meta: { ...(isRecord(params._meta) ? params._meta : {}), ...meta },
    };
    void scope.notify(message.method, tagged);
  };
  const deliver = (message: unknown) => {
    const notification = message as Notification;
    // Nothing goes out on the stream before its acknowledgement.
    if (acknowledged) forward(notification);
    else early.push(notification);
  };

  const stops: (() => Promise<void>)[] = [];
  try {
    if (methods.size > 0) {
      stops.push(
        await core.bus.subscribe(topics.broadcast(core.busPrefix), (message) => {
          const method = (message as Notification).method;
          if (typeof method === "string" && methods.has(method)) deliver(message);
        }),
      );
    }
    for (const uri of honored.resourceSubscriptions ?? []) {
      stops.push(await core.bus.subscribe(topics.resource(core.busPrefix, uri), deliver));
    }
    if (honored.taskIds) stops.push(...(await listenToTasks(core, honored.taskIds, deliver)));
    if (!scope.signal.aborted) {
      await scope.notify("notifications/subscriptions/acknowledged", {
        _meta: meta,
        notifications: honored,
      });
    }
    acknowledged = true;
    for (const message of early.splice(0)) forward(message);
    await untilAborted(scope.signal);
  } finally {
    await Promise.allSettled(stops.map((stop) => stop()));
  }
  return { _meta: meta };
}

function untilAborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) =>
    signal.addEventListener("abort", () => resolve(), { once: true }),
  );
}

function parseFilter(value: unknown): SubscriptionFilter {
  if (!isRecord(value))
    throw invalidParams('subscriptions/listen: "notifications" must be an object (the filter)');
  const filter: SubscriptionFilter = {};
  for (const [flag] of LIST_FLAGS) {
    const flagValue = value[flag];
    if (flagValue === undefined) continue;
    if (typeof flagValue !== "boolean")
      throw invalidParams(`subscriptions/listen: "notifications.${flag}" must be a boolean`);
    filter[flag] = flagValue;
  }
  const uris = value.resourceSubscriptions;
  if (uris !== undefined) {
    if (!Array.isArray(uris) || !uris.every((uri) => typeof uri === "string" && uri.length > 0))
      throw invalidParams(
        'subscriptions/listen: "notifications.resourceSubscriptions" must be an array of URIs',
      );
    const unique = [...new Set(uris as string[])];
    if (unique.length > MAX_RESOURCE_SUBSCRIPTIONS)
      throw invalidParams(
        `subscriptions/listen: at most ${MAX_RESOURCE_SUBSCRIPTIONS} resource subscriptions per stream`,
      );
    filter.resourceSubscriptions = unique;
  }
  const taskIds = parseTaskIds(value.taskIds);
  if (taskIds) filter.taskIds = taskIds;
  return filter;
}

/** The subset of the filter this server supports, by its advertised capabilities. */
function honor(
  requested: SubscriptionFilter,
  capabilities: Record<string, unknown>,
): SubscriptionFilter {
  const honored: SubscriptionFilter = {};
  for (const [flag, capability] of LIST_FLAGS) {
    const advertised = capabilities[capability];
    if (requested[flag] && isRecord(advertised) && advertised.listChanged === true)
      honored[flag] = true;
  }
  const resources = capabilities.resources;
  if (requested.resourceSubscriptions && isRecord(resources) && resources.subscribe === true)
    honored.resourceSubscriptions = requested.resourceSubscriptions;
  return honored;
}
