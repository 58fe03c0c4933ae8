import type { ServerCore } from "../core.js";
import { isRecord, META_SERVER_INFO } from "./meta.js";
import type { Result } from "./middleware.js";
import { isSharedResult, shareResult } from "./wire-json.js";

/**
 * What 2026-07-28 adds to every result: its `resultType`, the server's info
 * in `_meta`, and cache hints on the results of cacheable methods.
 */
export class ModernResultDecorator {
  readonly #core: ServerCore;
  /** Decorations of shared (cached) results, made once per result. */
  readonly #decorated = new WeakMap<Result, Result>();
  #serverInfoMetaCache: Readonly<Record<string, unknown>> | undefined;

  constructor(core: ServerCore) {
    this.#core = core;
  }

  /** `cacheable`: the method's results carry cache hints (`MethodSpec.cacheable`). */
  decorate(result: Result, cacheable: boolean | undefined): Result {
    // A shared result (a cached list page) gets its decoration once, shared in turn.
    if (!isSharedResult(result)) return this.#decorate(result, cacheable);
    let decorated = this.#decorated.get(result);
    if (!decorated) {
      decorated = shareResult(this.#decorate(result, cacheable));
      this.#decorated.set(result, decorated);
    }
    return decorated;
  }

  /** `_meta` of a result that brings none: the same frozen object every time, as nothing adds to it. */
  #serverInfoMeta(): Readonly<Record<string, unknown>> {
    const serverInfo = this.#core.serverInfo;
    const cached = this.#serverInfoMetaCache;
    if (cached?.[META_SERVER_INFO] === serverInfo) return cached;
    this.#serverInfoMetaCache = Object.freeze({ [META_SERVER_INFO]: serverInfo });
    return this.#serverInfoMetaCache;
  }

  #decorate(result: Result, cacheable: boolean | undefined): Result {
    // Object.assign, not `{ ...result, more }`: V8 (Node 20) takes a slow path for a spread
    // followed by more keys, about 1 µs here against 50 ns.
    const decorated: Result = Object.assign({}, result);
    decorated.resultType = result.resultType ?? "complete";
    decorated._meta = isRecord(result._meta)
      ? Object.assign({}, result._meta, { [META_SERVER_INFO]: this.#core.serverInfo })
      : this.#serverInfoMeta();
    if (cacheable && decorated.resultType === "complete") {
      decorated.ttlMs ??= this.#core.settings.cache.ttlMs;
      decorated.cacheScope ??= this.#core.settings.cache.scope;
    }
    return decorated;
  }
}
