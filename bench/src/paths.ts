import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const BENCH_DIR = dirname(dirname(fileURLToPath(import.meta.url)));
export const ROOT_DIR = dirname(BENCH_DIR);
export const SERVERS_DIR = join(BENCH_DIR, "servers");
/** Scratch files and raw results (git-ignored). */
export const OUT_DIR = join(ROOT_DIR, ".bench-out");
