/**
 * Fuzzing over real HTTP on loopback: generated messages of both eras, POSTed
 * with the headers a client of that era sends (for 2026-07-28, Mcp-Method and
 * Mcp-Name mirrored from the body), never get a 5xx, and each gets exactly
 * the JSON-RPC answer its message requires.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { serveHttp } from "../helpers/http.ts";
import { messageArbitrary } from "./messages.ts";
import { answerProblem, endCase, fuzz } from "./properties.ts";
import { type ErrorLog, fuzzServer } from "./server.ts";
import { wireText } from "./wire-text.ts";

/** A header value as a 2026-07-28 client writes it: as is when it can, else the base64 form. */
function headerValue(value: string): string {
  if (!/[^\u0020-\u007e]/.test(value) && value.trim() === value) return value;
  const bytes = new TextEncoder().encode(value);
  return `=?base64?${btoa(String.fromCharCode(...bytes.subarray(0, 4096)))}?=`;
}

function headersFor(message: unknown, era: "legacy" | "modern"): Record<string, string> {
  const headers: Record<string, string> = {
    "content-type": "application/json",
    accept: "application/json, text/event-stream",
    "mcp-protocol-version": era === "modern" ? "2026-07-28" : "2025-11-25",
  };
  if (era === "legacy" || typeof message !== "object" || message === null) return headers;
  const { method, params } = message as { method?: unknown; params?: unknown };
  if (typeof method === "string") headers["mcp-method"] = headerValue(method);
  if (typeof params === "object" && params !== null) {
    const { name, uri } = params as { name?: unknown; uri?: unknown };
    const target = method === "resources/read" ? uri : name;
    if (typeof target === "string") headers["mcp-name"] = headerValue(target);
  }
  return headers;
}

test("HTTP, both eras: no 5xx, and every message gets the answer JSON-RPC requires", async () => {
  const errors: ErrorLog = { lines: [] };
  const served = await serveHttp(fuzzServer(errors, { statelessHttp: true }));
  try {
    await fuzz(
      fc.asyncProperty(
        fc
          .constantFrom("legacy" as const, "modern" as const)
          .chain((era) => messageArbitrary(era).map((message) => ({ era, message }))),
        async ({ era, message }) => {
          const response = await fetch(served.url, {
            method: "POST",
            headers: headersFor(message, era),
            body: wireText(message),
            signal: AbortSignal.timeout(5000),
          });
          const text = await response.text();
          let problem: string | undefined;
          if (response.status >= 500) problem = `HTTP ${response.status}: ${text.slice(0, 300)}`;
          else if (response.status === 431) {
            // Headers mirroring a huge method or name exceed node:http's header limit: refused
            // before MCP sees the message, which is right (no client could send it either).
          } else {
            const answers = text === "" ? [] : [JSON.parse(text) as unknown];
            problem = answerProblem(message, answers);
          }
          endCase(problem, errors);
        },
      ),
      3000,
    );
    const after = await fetch(served.url, {
      method: "POST",
      headers: headersFor({}, "legacy"),
      body: JSON.stringify({
        jsonrpc: "2.0",
        id: 1,
        method: "tools/call",
        params: { name: "add", arguments: { a: 2, b: 3 } },
      }),
    });
    assert.equal(after.status, 200);
  } finally {
    await served.stop();
  }
});
