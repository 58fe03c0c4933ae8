import { versionBucket } from "../components/version-bucket.js";
import type { Result } from "../protocol/middleware.js";
import type { RequestTrace } from "../protocol/telemetry.js";
import type { ProtocolVersion } from "../protocol/versions.js";
import { shareResult } from "../protocol/wire-json.js";

/** Pages kept at most; past it the cache starts again (many distinct scope sets). */
const MAX_PAGES = 1024;

/**
 * Whole list results, built once per registry revision, version bucket,
 * caller's view (the set of granted scopes that matter, `components/scopes.ts`)
 * and cursor: a list request that changes nothing allocates nothing. Only
 * valid cursors are ever stored (an invalid one throws before), so the cache
 * stays as small as the list.
 */
export class ListCache {
  #revision: string | undefined;
  readonly #pages = new Map<string, Result>();

  get(
    revision: string,
    version: ProtocolVersion,
    cursor: unknown,
    build: () => Result,
    view = "",
    trace?: RequestTrace,
  ): Result {
    if (this.#revision !== revision) {
      this.#revision = revision;
      this.#pages.clear();
    }
    if (cursor !== undefined && typeof cursor !== "string") return build(); // invalid: let it throw
    const key = `${versionBucket(version)}\u0000${view}\u0000${cursor ?? ""}`;
    let page = this.#pages.get(key);
    trace?.set("fastmcp.list_cache.hit", page !== undefined);
    if (!page) {
      // Shared by every request until the registry changes: its JSON is kept too.
      if (this.#pages.size >= MAX_PAGES) this.#pages.clear();
      page = shareResult(build());
      this.#pages.set(key, page);
    }
    return page;
  }
}
