/**
 * The size of what a Cloudflare Worker loads: the runtime example
 * (examples/runtimes/cloudflare-worker.ts, with zod) and fastmcp-ts's root
 * entry alone, bundled as the Workers test bundles them (as wrangler would:
 * one ES module, not minified unless `--minify`), raw and gzipped. Cloudflare
 * counts a Worker's size after compression: 3 MB on the free plan, 10 MB on
 * the paid one (developers.cloudflare.com/workers/platform/limits). No load,
 * only esbuild and gzip, so every run (`--smoke` too) measures it and fails
 * when a budget is exceeded.
 */
import { gzipSync } from "node:zlib";
import { bundleWorker } from "../../scripts/conformance-runtimes/workerd.mjs";

const KIB = 1024;

/** Budgets on the gzipped size: a sixth of the free plan for the example, far less for the core. */
export const WORKER_BUNDLES = [
  {
    id: "example",
    label: "runtime example Worker (fastmcp-ts + zod)",
    entry: "examples/runtimes/cloudflare-worker.ts",
    budgetGzipBytes: 512 * KIB,
  },
  {
    id: "core",
    label: "fastmcp-ts alone (root entry)",
    entry: "src/index.ts",
    budgetGzipBytes: 128 * KIB,
  },
] as const;

export interface BundleSize {
  readonly id: string;
  readonly label: string;
  readonly rawBytes: number;
  readonly gzipBytes: number;
  readonly minifiedGzipBytes: number;
  readonly budgetGzipBytes: number;
}

export async function workerBundleSizes(): Promise<BundleSize[]> {
  const sizes: BundleSize[] = [];
  for (const bundle of WORKER_BUNDLES) {
    const raw = new TextEncoder().encode(await bundleWorker(bundle.entry));
    const minified = new TextEncoder().encode(await bundleWorker(bundle.entry, { minify: true }));
    sizes.push({
      id: bundle.id,
      label: bundle.label,
      rawBytes: raw.byteLength,
      gzipBytes: gzipSync(raw).byteLength,
      minifiedGzipBytes: gzipSync(minified).byteLength,
      budgetGzipBytes: bundle.budgetGzipBytes,
    });
  }
  return sizes;
}

/** Each bundle over its budget, as a line saying by how much. */
export function overBudget(sizes: readonly BundleSize[]): string[] {
  return sizes
    .filter((size) => size.gzipBytes > size.budgetGzipBytes)
    .map(
      (size) =>
        `${size.label}: ${kib(size.gzipBytes)} gzipped, over its budget of ${kib(size.budgetGzipBytes)}`,
    );
}

const kib = (bytes: number) => `${(bytes / KIB).toFixed(1)} KiB`;

/** The report's section. */
export function workerBundleSection(sizes: readonly BundleSize[]): string[] {
  return [
    "## Cloudflare Worker bundle",
    "",
    "What a Worker loads, bundled as wrangler does (esbuild, one ES module, not minified); " +
      "Cloudflare's limit applies to the gzipped upload: 3 MB on the free plan, 10 MB on the paid one. " +
      "`npm run bench` (`--smoke` too) fails when a bundle passes its budget.",
    "",
    "| bundle | raw | gzip | gzip, minified | budget (gzip) |",
    "| --- | --: | --: | --: | --: |",
    ...sizes.map(
      (size) =>
        `| ${size.label} | ${kib(size.rawBytes)} | ${kib(size.gzipBytes)} | ${kib(size.minifiedGzipBytes)} | ${kib(size.budgetGzipBytes)} |`,
    ),
    "",
  ];
}
