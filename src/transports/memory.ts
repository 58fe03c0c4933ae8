import type { MessageTransport } from "./connection.js";

/**
 * Two linked in-process transports. Every message is serialized and parsed
 * on the way, as on a real wire, so nothing unserializable slips through.
 */
export class MemoryTransport implements MessageTransport {
  onmessage?: ((message: unknown) => void) | undefined;
  onclose?: (() => void) | undefined;
  onerror?: ((error: Error) => void) | undefined;
  #peer: MemoryTransport | undefined;
  #closed = false;
  #started = false;
  readonly #queue: string[] = [];

  static pair(): [client: MemoryTransport, server: MemoryTransport] {
    const client = new MemoryTransport();
    const server = new MemoryTransport();
    client.#peer = server;
    server.#peer = client;
    return [client, server];
  }

  async start(): Promise<void> {
    this.#started = true;
    for (const message of this.#queue.splice(0)) this.#deliver(message);
  }

  async send(message: object): Promise<void> {
    if (this.#closed) throw new Error("Transport is closed");
    const peer = this.#peer;
    if (!peer || peer.#closed) throw new Error("The other end is closed");
    const wire = JSON.stringify(message);
    if (peer.#started) queueMicrotask(() => peer.#deliver(wire));
    else peer.#queue.push(wire);
  }

  #deliver(wire: string): void {
    if (!this.#closed) this.onmessage?.(JSON.parse(wire));
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.onclose?.();
    const peer = this.#peer;
    if (peer && !peer.#closed) await peer.close();
  }
}
