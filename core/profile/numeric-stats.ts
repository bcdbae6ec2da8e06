/**
 * Summary statistics over a sorted Float64Array: sorting once gives min, max, distinct count and
 * every quantile, which is cheaper than any streaming sketch at the sizes a sample has.
 */
import type { NumericSummary } from './types.js';

/** The p-quantile (0 ≤ p ≤ 1) of sorted values by linear interpolation between closest ranks (R type 7). */
export function quantileSorted(sorted: Float64Array, p: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const h = (n - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  const a = sorted[lo] as number;
  const b = sorted[hi] as number;
  if (a === b) return a;
  const t = h - lo;
  const diff = b - a;
  // b - a overflows only for neighbours of opposite sign near ±1.8e308; the weighted form does not.
  const value = Number.isFinite(diff) ? a + diff * t : a * (1 - t) + b * t;
  // Clamped because rounding can overshoot a neighbour by an ulp, which would break monotonicity.
  return Math.min(b, Math.max(a, value));
}

/** The number of distinct values in a sorted array. */
export function countDistinctSorted(sorted: Float64Array): number {
  if (sorted.length === 0) return 0;
  let distinct = 1;
  for (let i = 1; i < sorted.length; i++) if (sorted[i] !== sorted[i - 1]) distinct++;
  return distinct;
}

/** Min, max, mean, sample standard deviation and quantiles of a non-empty sorted array. */
export function summarizeSorted(sorted: Float64Array): NumericSummary {
  const n = sorted.length;
  const min = sorted[0] as number;
  const max = sorted[n - 1] as number;
  // Values near ±1.8e308 overflow a plain sum; dividing by the largest magnitude first keeps every
  // intermediate finite and costs nothing for ordinary data, where the scale is 1.
  const magnitude = Math.max(Math.abs(min), Math.abs(max));
  const scale = magnitude > 1e150 ? magnitude : 1;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += (sorted[i] as number) / scale;
  // Rounding in the sum can push the mean of near-constant data just outside [min, max].
  const mean = Math.min(max, Math.max(min, (sum / n) * scale));
  const scaledMean = mean / scale;
  let squares = 0;
  for (let i = 0; i < n; i++) {
    const d = (sorted[i] as number) / scale - scaledMean;
    squares += d * d;
  }
  const std = n > 1 ? Math.min(Number.MAX_VALUE, Math.sqrt(squares / (n - 1)) * scale) : 0;
  return {
    min,
    max,
    mean,
    std,
    quantiles: {
      p01: quantileSorted(sorted, 0.01),
      p05: quantileSorted(sorted, 0.05),
      p25: quantileSorted(sorted, 0.25),
      p50: quantileSorted(sorted, 0.5),
      p75: quantileSorted(sorted, 0.75),
      p95: quantileSorted(sorted, 0.95),
      p99: quantileSorted(sorted, 0.99),
    },
  };
}

/** True when every value is a whole number, so an integer-like reading of the column is safe. */
export function allIntegral(sorted: Float64Array): boolean {
  for (let i = 0; i < sorted.length; i++) if (!Number.isInteger(sorted[i])) return false;
  return true;
}
