/**
 * Marginal distributions of copula columns: compact inverse-CDF tables for numbers and
 * datetimes, fixed-order frequency tables for categories.
 */
import type { CellValue } from '../table.js';

/** Knots per inverse-CDF table: quantiles at 0, 0.001, …, 1. */
export const KNOT_COUNT = 1001;

/** Categories kept per column; rarer ones are dropped and the rest renormalised (keeps models small). */
export const MAX_CATEGORIES = 10_000;

/** Largest number of decimal places detected (and rounded to) in float columns. */
export const MAX_DECIMALS = 6;

/** Quantile knots of sorted values at evenly spaced probabilities (R type 7 interpolation). */
export function quantileKnots(sorted: Float64Array, count: number = KNOT_COUNT): number[] {
  const n = sorted.length;
  const knots = new Array<number>(count);
  for (let k = 0; k < count; k++) {
    const h = ((n - 1) * k) / (count - 1);
    const lo = Math.floor(h);
    const hi = Math.min(lo + 1, n - 1);
    const a = sorted[lo] as number;
    const b = sorted[hi] as number;
    // Clamped so rounding never makes the table non-monotone.
    knots[k] = a === b ? a : Math.min(b, a + (b - a) * (h - lo));
  }
  return knots;
}

/** Inverse CDF from a knot table: the value at probability u in [0, 1], linearly interpolated. */
export function interpolateKnots(knots: ArrayLike<number>, u: number): number {
  const last = knots.length - 1;
  const pos = u * last;
  let i = Math.floor(pos);
  if (i >= last) i = last - 1;
  if (i < 0) return knots[0] as number;
  const a = knots[i] as number;
  const b = knots[i + 1] as number;
  return a + (pos - i) * (b - a);
}

/** Decimal places (0..MAX_DECIMALS) that every value needs at most, or null when some need more. */
export function detectDecimals(values: ArrayLike<number>): number | null {
  let decimals = 0;
  const step = Math.max(1, Math.floor(values.length / 5000));
  for (let i = 0; i < values.length; i += step) {
    const v = values[i] as number;
    while (decimals <= MAX_DECIMALS) {
      const scaled = v * 10 ** decimals;
      if (Math.abs(scaled - Math.round(scaled)) <= 1e-9 * Math.max(1, Math.abs(scaled))) break;
      decimals++;
    }
    if (decimals > MAX_DECIMALS) return null;
  }
  return decimals;
}

/** Category frequencies in the model's fixed order. */
export interface CategoryTable {
  categories: CellValue[];
  counts: number[];
  /** Non-null cells, including those of dropped categories. */
  total: number;
}

/**
 * Counts the non-null values of a column by identity of type and value, ordered by count
 * descending, then by type and value ascending (so equal data always gives the same order).
 */
export function countCategories(
  values: readonly CellValue[],
  maxCategories: number = MAX_CATEGORIES,
): CategoryTable {
  const counts = new Map<string, { value: CellValue; count: number }>();
  let total = 0;
  for (const v of values) {
    if (v === null || v === undefined) continue;
    total++;
    const key = categoryKey(v);
    const entry = counts.get(key);
    if (entry === undefined) counts.set(key, { value: v, count: 1 });
    else entry.count++;
  }
  const entries = [...counts.entries()].sort((a, b) => b[1].count - a[1].count || compareKeys(a[0], b[0]));
  const kept = entries.slice(0, maxCategories);
  return { categories: kept.map((e) => e[1].value), counts: kept.map((e) => e[1].count), total };
}

/** A string identifying a cell by type and value, so `1`, `"1"` and `true` are distinct categories. */
export function categoryKey(v: CellValue): string {
  switch (typeof v) {
    case 'string':
      return `s${v}`;
    case 'number':
      return `n${v}`;
    case 'boolean':
      return v ? 'b1' : 'b0';
    default:
      return 'z';
  }
}

function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
