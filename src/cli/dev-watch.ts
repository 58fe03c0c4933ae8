import { type FSWatcher, watch } from "node:fs";
import { basename, dirname, join } from "node:path";

interface WatchedDir {
  readonly watcher: FSWatcher;
  /** The files of this folder that belong to the server (other files changing there are ignored). */
  readonly names: Set<string>;
}

/**
 * Watches the user's files for `fastmcp-ts dev`. It watches their folders,
 * not the files: an editor that saves by writing a new file and renaming it
 * over the old one replaces the inode a file watcher would follow. Changes
 * within `debounceMs` of each other make one call, since a save is often
 * several events (truncate, write, rename) and a formatter may write again.
 */
export class Watcher {
  readonly #dirs = new Map<string, WatchedDir>();
  readonly #pending = new Set<string>();
  readonly #onChange: (paths: string[]) => void;
  readonly #onError: (message: string) => void;
  readonly #debounceMs: number;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    onChange: (paths: string[]) => void,
    onError: (message: string) => void,
    debounceMs = 100,
  ) {
    this.#onChange = onChange;
    this.#onError = onError;
    this.#debounceMs = debounceMs;
  }

  /** How many files are watched. */
  get size(): number {
    let count = 0;
    for (const dir of this.#dirs.values()) count += dir.names.size;
    return count;
  }

  add(path: string): void {
    const dir = dirname(path);
    let watched = this.#dirs.get(dir);
    if (watched === undefined) {
      const names = new Set<string>();
      let watcher: FSWatcher;
      try {
        watcher = watch(dir, (_event, name) => {
          // Some platforms do not say which file changed: then any of ours may have.
          if (name === null) for (const known of names) this.#changed(join(dir, known));
          else if (names.has(name)) this.#changed(join(dir, name));
        });
      } catch (error) {
        this.#onError(`cannot watch ${dir}: ${(error as Error).message}`);
        return;
      }
      watcher.on("error", (error) => this.#onError(`watching ${dir} failed: ${error.message}`));
      watched = { watcher, names };
      this.#dirs.set(dir, watched);
    }
    watched.names.add(basename(path));
  }

  close(): void {
    clearTimeout(this.#timer);
    for (const { watcher } of this.#dirs.values()) watcher.close();
    this.#dirs.clear();
  }

  #changed(path: string): void {
    this.#pending.add(path);
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      const paths = [...this.#pending];
      this.#pending.clear();
      this.#onChange(paths);
    }, this.#debounceMs);
  }
}
