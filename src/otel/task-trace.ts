import { context, SpanKind, SpanStatusCode } from "@opentelemetry/api";
import type { TaskOutcome, TaskTrace } from "../protocol/telemetry.js";
import { OtelRequestTrace, type TraceHost } from "./request-trace.js";

/**
 * A task's background run as a span: `run_task {tool}`, a child of the
 * span active when the task was created (the tools/call's, also for a tool
 * that calls `ctx.runAsTask()`). A child rather than a
 * new trace with a link: the client's trace id then covers the work it
 * asked for, and a parent-based sampler keeps or drops the run with the call
 * that made it. The conventions define nothing for tasks yet, so the task's
 * attributes are `fastmcp.*`.
 */
export function startTaskTrace(
  host: TraceHost,
  taskId: string,
  tool: string,
): TaskTrace | undefined {
  const parent = context.active();
  const span = host.tracer.startSpan(
    `run_task ${tool}`,
    {
      kind: SpanKind.INTERNAL,
      attributes: { "fastmcp.task.id": taskId, "gen_ai.tool.name": tool },
    },
    parent,
  );
  if (!span.isRecording()) return undefined;
  // The run's handler and ask spans nest under it as a request's do (no metric: the task has no response).
  const run = new OtelRequestTrace(host, span, parent, "tools/call", {}, undefined);
  let ended = false;
  return {
    trace: run,
    end(outcome: TaskOutcome): void {
      if (ended) return;
      ended = true;
      span.setAttribute("fastmcp.task.status", outcome.status);
      if (outcome.error) {
        span.setAttribute("error.type", String(outcome.error.code));
        span.setStatus({ code: SpanStatusCode.ERROR, message: outcome.error.message });
      } else if (outcome.toolError) {
        // As on a tools/call span whose result is an error.
        span.setAttribute("error.type", "tool_error");
        span.setStatus({ code: SpanStatusCode.ERROR });
      }
      span.end();
    },
  };
}
