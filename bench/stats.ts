/** Small helpers shared by the benchmarks: nearest-rank quantiles, rounding, "run as a script". */
import { pathToFileURL } from 'node:url';

/** Nearest-rank quantile (q in 0..1) of unsorted samples. */
export function quantile(xs: readonly number[], q: number): number {
  if (xs.length === 0) throw new Error('quantile of no samples');
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))]!;
}

export const median = (xs: readonly number[]): number => quantile(xs, 0.5);

export const round = (n: number, digits = 1): number => Number(n.toFixed(digits));

/** True when the module with this `import.meta.url` is the script node was started with. */
export function isMainModule(metaUrl: string): boolean {
  try {
    return process.argv[1] !== undefined && metaUrl === pathToFileURL(process.argv[1]).href;
  } catch {
    return false;
  }
}
