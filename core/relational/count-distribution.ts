/**
 * Empirical distributions of small non-negative integers (children per parent): the distinct
 * counts with their frequencies, sampled by inverse CDF. Empirical rather than parametric because
 * child counts are often multi-modal (one order or a dozen) and the sample already shows the shape.
 */
import type { Rng } from '../random/index.js';

/** Distinct counts in ascending order with how many parents had each. */
export interface CountDistribution {
  counts: number[];
  frequencies: number[];
}

/** The empirical distribution of `values` (non-negative integers). */
export function tallyCounts(values: ArrayLike<number>): CountDistribution {
  const tally = new Map<number, number>();
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    tally.set(v, (tally.get(v) ?? 0) + 1);
  }
  const counts = [...tally.keys()].sort((a, b) => a - b);
  return { counts, frequencies: counts.map((c) => tally.get(c) as number) };
}

/** Draws from a count distribution; build once, call per parent. */
export type CountSampler = (rng: Rng) => number;

/** A sampler for `distribution` (always 0 when it is empty). */
export function createCountSampler(distribution: CountDistribution): CountSampler {
  const quantile = createCountQuantile(distribution);
  return (rng) => quantile(rng.nextDouble());
}

/** The inverse CDF of a count distribution: the count at probability u in (0, 1) (0 when empty). */
export function createCountQuantile(distribution: CountDistribution): (u: number) => number {
  const { counts, frequencies } = distribution;
  const cumulative = new Float64Array(frequencies.length);
  let total = 0;
  for (let i = 0; i < frequencies.length; i++) {
    total += frequencies[i] as number;
    cumulative[i] = total;
  }
  if (total === 0) return () => 0;
  const last = counts.length - 1;
  return (u) => {
    const x = u * total;
    let lo = 0;
    let hi = last;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((cumulative[mid] as number) > x) hi = mid;
      else lo = mid + 1;
    }
    return counts[lo] as number;
  };
}

/** Mean of a count distribution (0 when empty). */
export function meanCount(distribution: CountDistribution): number {
  let n = 0;
  let sum = 0;
  distribution.counts.forEach((c, i) => {
    const f = distribution.frequencies[i] as number;
    n += f;
    sum += c * f;
  });
  return n === 0 ? 0 : sum / n;
}
