import type { ListKind, MutableCore } from "./core.js";

/**
 * Announces registry changes to every session: all changes in one tick make
 * one `notifications/<kind>/list_changed` on the bus, and none is sent before
 * the server runs (clients list what is there when they connect).
 */
export class ListChanged {
  readonly #pending = new Set<ListKind>();
  readonly #core: MutableCore;
  readonly #topic: string;
  readonly #running: () => boolean;

  constructor(core: MutableCore, topic: string, running: () => boolean) {
    this.#core = core;
    this.#topic = topic;
    this.#running = running;
  }

  changed(kind: ListKind): void {
    if (!this.#running() || this.#pending.has(kind)) return;
    this.#pending.add(kind);
    queueMicrotask(() => {
      this.#pending.delete(kind);
      this.#core.bus
        .publish(this.#topic, { jsonrpc: "2.0", method: `notifications/${kind}/list_changed` })
        .catch((error) => this.#core.logger.error("Could not publish list_changed", error));
    });
  }
}
