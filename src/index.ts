/** fastmcp-ts: the public API. Everything else is internal. */

export type { AccessToken, AuthSettings, TokenVerifier } from "./auth/types.js";
export type {
  Completer,
  CompletionContext,
  CompletionValues,
} from "./components/completion.js";
export { Audio, type ContentInput, File, Image } from "./components/content.js";
export type {
  PromptArgs,
  PromptHandle,
  PromptHandler,
  PromptOptions,
  PromptUpdate,
} from "./components/prompt.js";
export type { PromptMessageInput, PromptReturn } from "./components/prompt-result.js";
export type {
  ListedResource,
  ResourceHandle,
  ResourceHandler,
  ResourceMetadata,
  ResourceOptions,
  ResourceOptionsFor,
  ResourceTemplateOptions,
  ResourceUpdate,
} from "./components/resource.js";
export { type ResourceContentInput, ResourceResult } from "./components/resource-result.js";
export type {
  ToolArgs,
  ToolHandle,
  ToolHandler,
  ToolOptions,
  ToolReturn,
  ToolUpdate,
} from "./components/tool.js";
export { MAX_ARGUMENT_DEPTH } from "./components/tool.js";
export { ToolError, ToolResult } from "./components/tool-result.js";
export type { TaskConfig, TaskMode } from "./components/tool-task.js";
export type { UriTemplateParams } from "./components/uri-template-params.js";
export {
  Context,
  type ElicitUrlOptions,
  type LogOptions,
  type SessionContext,
} from "./context.js";
export type { CacheHints } from "./core.js";
export type {
  ElicitContent,
  ElicitResult,
  ElicitSchema,
  ElicitUrlResult,
} from "./input/elicit.js";
export {
  ClientCapabilityError,
  ClientRequestError,
  InvalidClientResponseError,
} from "./input/errors.js";
export type { SampleOptions, SampleResult, SamplingInput } from "./input/sample.js";
export type { Logger, LogLevelName } from "./logger.js";
export type {
  Hooks,
  ListRequest,
  PromptGet,
  ResourceRead,
  ToolCall,
} from "./middleware/hooks.js";
export type { TaskOptions } from "./options.js";
export type { Envelope } from "./protocol/envelope.js";
export { McpError } from "./protocol/errors.js";
export { type HeadersInput, toHttpInfo, WITHHELD_HEADERS } from "./protocol/http-info.js";
export type { AskOptions, InputMethod } from "./protocol/input-channel.js";
export {
  type InputRequest,
  InputRequired,
  type InputRequiredSpec,
  inputRequired,
} from "./protocol/input-required.js";
export type {
  JsonRpcMessage,
  JsonRpcNotification,
  JsonRpcRequest,
  JsonRpcResponse,
  RequestId,
} from "./protocol/jsonrpc.js";
export { ErrorCode } from "./protocol/jsonrpc.js";
export type { Middleware } from "./protocol/middleware.js";
export type { HttpInfo, Outbound, RequestScope } from "./protocol/scope.js";
// The rest of telemetry's plumbing types (for implementing `Telemetry`) are in fastmcp-ts/otel.
export type { RequestTrace, Telemetry, TraceValue } from "./protocol/telemetry.js";
export type * from "./protocol/types.js";
export {
  type Era,
  LATEST_LEGACY_VERSION,
  LATEST_MODERN_VERSION,
  type ProtocolVersion,
  SUPPORTED_VERSIONS,
} from "./protocol/versions.js";
export type { InferSchema, JsonSchema, SchemaShape, SchemaSpec } from "./schema/types.js";
export { StartError } from "./server/start-error.js";
export {
  FastMCP,
  type FastMCPOptions,
  type HttpRunOptions,
  type Lifespan,
  type RunOptions,
  type StdioRunOptions,
} from "./server.js";
export { type Bus, MemoryBus } from "./state/bus.js";
export {
  type EventStore,
  MemoryEventStore,
  type MemoryEventStoreOptions,
} from "./state/event-store.js";
export { MemorySessionStore, type SessionRecord, type SessionStore } from "./state/session.js";
export { MemorySubscriptionStore, type SubscriptionStore } from "./state/subscriptions.js";
export {
  isTerminal,
  MemoryTaskStore,
  type MemoryTaskStoreOptions,
  newTaskId,
  type TaskChange,
  type TaskRecord,
  type TaskStatus,
  type TaskStore,
  TaskStoreFull,
} from "./state/tasks.js";
export type { MessageTransport } from "./transports/connection.js";
export type { NodeHandler } from "./transports/http/node.js";
export type { CorsOptions, HttpOptions } from "./transports/http/settings.js";
export type { WaitUntil, WaitUntilContext } from "./transports/http/wait-until.js";
export { MemoryTransport } from "./transports/memory.js";
export { StdioServerTransport } from "./transports/stdio.js";
