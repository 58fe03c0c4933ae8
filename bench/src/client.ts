import { Agent, request } from "node:http";
import { type Exchange, initialize, initialized, LEGACY_VERSION, messagesOf } from "./messages.ts";

const agent = new Agent({ keepAlive: true, maxSockets: 64 });

export interface Answer {
  readonly status: number;
  readonly contentType: string | null;
  readonly sessionId: string | undefined;
  readonly text: string;
}

/** POSTs an exchange with node:http (no fetch: its lazy start-up would blur cold-start times). */
export function post(
  url: string,
  exchange: Exchange,
  sessionId?: string,
  options: { fresh?: boolean } = {},
): Promise<Answer> {
  const body = JSON.stringify(exchange.body);
  const headers: Record<string, string> = { ...exchange.headers };
  if (sessionId !== undefined) headers["Mcp-Session-Id"] = sessionId;
  headers["Content-Length"] = String(Buffer.byteLength(body));
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: "POST", headers, agent: options.fresh ? false : agent },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => {
          const id = res.headers["mcp-session-id"];
          resolve({
            status: res.statusCode ?? 0,
            contentType: res.headers["content-type"] ?? null,
            sessionId: typeof id === "string" ? id : undefined,
            text: Buffer.concat(chunks).toString("utf8"),
          });
        });
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

/** Sends an exchange and reads its JSON-RPC messages. */
export async function ask(url: string, exchange: Exchange, sessionId?: string) {
  const answer = await post(url, exchange, sessionId);
  let messages: unknown[];
  try {
    messages = messagesOf(answer.contentType, answer.text);
  } catch {
    throw new Error(`HTTP ${answer.status}, unreadable body: ${answer.text.slice(0, 300)}`);
  }
  return { ...answer, messages };
}

/** Opens a legacy session at `version`: initialize, then notifications/initialized. */
export async function openSession(
  url: string,
  id: number | string = 0,
  version = LEGACY_VERSION,
): Promise<string> {
  const answer = await post(url, initialize(id, version));
  if (answer.status !== 200 || answer.sessionId === undefined)
    throw new Error(
      `initialize: HTTP ${answer.status}, no session id: ${answer.text.slice(0, 300)}`,
    );
  // A streamed initialize response is fine: it has ended by now.
  const note = await post(url, initialized(version), answer.sessionId);
  if (note.status >= 300)
    throw new Error(`notifications/initialized: HTTP ${note.status}: ${note.text.slice(0, 300)}`);
  return answer.sessionId;
}

/** Runs `count` tasks, `concurrency` at a time. */
export async function pool(
  count: number,
  concurrency: number,
  task: (index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) await task(next++);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
}

export function closeClient(): void {
  agent.destroy();
}
