/** Finds spans by name and checks their parentage. */
import assert from "node:assert/strict";
import type { ReadableSpan } from "@opentelemetry/sdk-trace";

/** The one span named `name` (fails listing what there is otherwise). */
export function one(spans: readonly ReadableSpan[], name: string): ReadableSpan {
  const found = spans.filter((s) => s.name === name);
  assert.equal(found.length, 1, `one span "${name}" among: ${spans.map((s) => s.name).join(", ")}`);
  return found[0] as ReadableSpan;
}

export function parentId(span: ReadableSpan): string | undefined {
  return span.parentSpanContext?.spanId;
}

/** Asserts `child` is a child of `parent`, in the same trace. */
export function assertChild(child: ReadableSpan, parent: ReadableSpan): void {
  assert.equal(child.spanContext().traceId, parent.spanContext().traceId, child.name);
  assert.equal(parentId(child), parent.spanContext().spanId, `${child.name} under ${parent.name}`);
}
