/** The p-th percentile of sorted numbers (nearest rank). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))] as number;
}

export function median(values: readonly number[]): number {
  return percentile(
    [...values].sort((x, y) => x - y),
    50,
  );
}

/** Median with the spread of the runs: (max - min) / median. */
export interface Summary {
  readonly median: number;
  readonly min: number;
  readonly max: number;
}

export function summarize(values: readonly number[]): Summary {
  return { median: median(values), min: Math.min(...values), max: Math.max(...values) };
}

/** A least-squares line's slope, and its standard error (how far noise alone moves it). */
export interface LineFit {
  readonly slope: number;
  readonly standardError: number;
}

/** Fits a line to y over x by least squares (NaN for fewer than three points or one x). */
export function fitLine(xs: readonly number[], ys: readonly number[]): LineFit {
  const n = Math.min(xs.length, ys.length);
  if (n < 3) return { slope: Number.NaN, standardError: Number.NaN };
  const x = (i: number) => xs[i] as number;
  const y = (i: number) => ys[i] as number;
  let meanX = 0;
  let meanY = 0;
  for (let i = 0; i < n; i++) {
    meanX += x(i) / n;
    meanY += y(i) / n;
  }
  let covariance = 0;
  let variance = 0;
  for (let i = 0; i < n; i++) {
    covariance += (x(i) - meanX) * (y(i) - meanY);
    variance += (x(i) - meanX) ** 2;
  }
  if (variance === 0) return { slope: Number.NaN, standardError: Number.NaN };
  const slope = covariance / variance;
  let squares = 0;
  for (let i = 0; i < n; i++) squares += (y(i) - meanY - slope * (x(i) - meanX)) ** 2;
  return { slope, standardError: Math.sqrt(squares / (n - 2) / variance) };
}
