/**
 * TVComplement as defined by SDMetrics: 1 − ½·Σ|f_synthetic(c) − f_real(c)| over categories,
 * including SDMetrics' 1e-6 pseudo-count for categories seen only in the synthetic data.
 */

/** How missing values are treated by {@link tvComplement}. */
export const NullHandling = {
  /** Null is one more category, so a wrong null rate lowers the score. */
  Category: 'category',
  /** Nulls are dropped first, exactly like SDMetrics' TVComplement (for side-by-side comparisons). */
  Drop: 'drop',
} as const;
/** One of {@link NullHandling}. */
export type NullHandling = (typeof NullHandling)[keyof typeof NullHandling];

/** Options of {@link tvComplement}. */
export interface TvOptions {
  /** @default 'category' */
  nulls?: NullHandling;
}

/** 1 − total variation distance of category frequencies; NaN when a side has no counted values. */
export function tvComplement(
  real: ArrayLike<string | null>,
  synthetic: ArrayLike<string | null>,
  options: TvOptions = {},
): number {
  return tvComplementOf(real, synthetic, options);
}

/**
 * {@link tvComplement} over any category values compared by SameValueZero (so 1, "1" and true are
 * three categories without building string keys).
 */
export function tvComplementOf<T>(
  real: ArrayLike<T | null | undefined>,
  synthetic: ArrayLike<T | null | undefined>,
  options: TvOptions = {},
): number {
  const dropNulls = options.nulls === NullHandling.Drop;
  const r = countValues(real, dropNulls);
  const s = countValues(synthetic, dropNulls);
  if (r.total === 0 || s.total === 0) return Number.NaN;
  // SDMetrics gives each category seen only in the synthetic data a real count of 1e-6.
  let realTotal = r.total;
  for (const key of s.counts.keys()) if (!r.counts.has(key)) realTotal += 1e-6;
  if (s.nulls > 0 && r.nulls === 0) realTotal += 1e-6;
  let variation = 0;
  for (const [key, count] of r.counts)
    variation += Math.abs((s.counts.get(key) ?? 0) / s.total - count / realTotal);
  for (const [key, count] of s.counts) {
    if (!r.counts.has(key)) variation += Math.abs(count / s.total - 1e-6 / realTotal);
  }
  if (r.nulls > 0) variation += Math.abs(s.nulls / s.total - r.nulls / realTotal);
  else if (s.nulls > 0) variation += Math.abs(s.nulls / s.total - 1e-6 / realTotal);
  return 1 - 0.5 * variation;
}

interface ValueCounts<T> {
  counts: Map<T, number>;
  /** Null cells (kept apart so no string can be mistaken for null). */
  nulls: number;
  /** Counted cells: all, or the non-null ones when nulls are dropped. */
  total: number;
}

function countValues<T>(values: ArrayLike<T | null | undefined>, dropNulls: boolean): ValueCounts<T> {
  const counts = new Map<T, number>();
  let nulls = 0;
  let total = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === undefined) {
      if (dropNulls) continue;
      nulls++;
    } else counts.set(v, (counts.get(v) ?? 0) + 1);
    total++;
  }
  return { counts, nulls, total };
}
