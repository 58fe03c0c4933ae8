/**
 * JSON text for any JSON value, however deep: JSON.stringify recurses and
 * overflows the test's own stack near 5,000 levels, before the server is
 * ever asked. Iterative, with an explicit stack.
 */
export function wireText(value: unknown): string {
  const out: string[] = [];
  // Each entry is a value to write, or a piece of punctuation already decided.
  const todo: ({ value: unknown } | string)[] = [{ value }];
  while (todo.length > 0) {
    const next = todo.pop() as { value: unknown } | string;
    if (typeof next === "string") {
      out.push(next);
      continue;
    }
    const v = next.value;
    if (Array.isArray(v)) {
      todo.push("]");
      for (let i = v.length - 1; i >= 0; i--) {
        todo.push({ value: v[i] });
        if (i > 0) todo.push(",");
      }
      out.push("[");
    } else if (typeof v === "object" && v !== null) {
      const keys = Object.keys(v);
      todo.push("}");
      for (let i = keys.length - 1; i >= 0; i--) {
        const key = keys[i] as string;
        todo.push({ value: (v as Record<string, unknown>)[key] });
        todo.push(`${JSON.stringify(key)}:`);
        if (i > 0) todo.push(",");
      }
      out.push("{");
    } else if (typeof v === "number") {
      out.push(Number.isFinite(v) ? JSON.stringify(v) : "null");
    } else if (typeof v === "string" || typeof v === "boolean" || v === null) {
      out.push(JSON.stringify(v));
    } else {
      out.push("null");
    }
  }
  return out.join("");
}
