// Summary statistics of latency samples and the rounding every figure of the report goes through.
import { readFileSync } from 'node:fs';

export interface LatencyStats {
  n: number;
  p50: number;
  p99: number;
  mean: number;
  max: number;
}

/** Nearest-rank percentile of sorted samples (p in 0..100). */
function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

/** p50/p99/mean/max of samples in milliseconds, rounded to microseconds. */
export function latencyStats(samples: readonly number[]): LatencyStats {
  const sorted = [...samples].sort((a, b) => a - b);
  const mean = sorted.reduce((sum, x) => sum + x, 0) / Math.max(1, sorted.length);
  return {
    n: sorted.length,
    p50: round(percentile(sorted, 50), 3),
    p99: round(percentile(sorted, 99), 3),
    mean: round(mean, 3),
    max: round(sorted.at(-1) ?? Number.NaN, 3),
  };
}

export function round(x: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** ours / baseline, two decimals. */
export function ratio(ours: number, baseline: number): number {
  return round(ours / baseline, 2);
}

/** Events (or rows) per second from a count and a duration in ms. */
export function perSecond(count: number, ms: number): number {
  return Math.round((count / ms) * 1000);
}

export function median(xs: readonly number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return percentile(sorted, 50);
}

/** Resident set size peak of this process so far, in MB (resourceUsage().maxRSS is in KiB). */
export function maxRssMb(): number {
  return round(process.resourceUsage().maxRSS / 1024, 1);
}

/** The same peak as Linux keeps it for the process's memory since its exec (VmHWM), in MB; null elsewhere. */
export function vmHwmMb(): number | null {
  try {
    const kb = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
    return kb === undefined ? null : round(Number(kb) / 1024, 1);
  } catch {
    return null;
  }
}
