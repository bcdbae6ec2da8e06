/**
 * What the report draws per column: real-vs-synthetic histograms on shared edges plus QQ quantiles
 * for numbers and datetimes, and the most frequent categories' shares for categories.
 */
import type { CellValue } from '../table.js';
import { categoryCounts, histogram } from './statistics.js';
import type { ColumnDistribution } from './types.js';

/** Probabilities of the QQ plot: 1 %, 2 %, …, 99 %. */
const QQ_PROBABILITIES = Array.from({ length: 99 }, (_, i) => (i + 1) / 100);

/** Histogram and QQ data of two sorted finite samples (empty arrays when a side has no values). */
export function numericDistribution(
  column: string,
  real: Float64Array,
  synthetic: Float64Array,
  bins: number,
  datetime: boolean,
): ColumnDistribution {
  if (real.length === 0 || synthetic.length === 0)
    return {
      column,
      kind: 'histogram',
      datetime,
      edges: [],
      real: [],
      synthetic: [],
      qq: { probabilities: [], real: [], synthetic: [] },
    };
  const lo = Math.min(real[0] as number, synthetic[0] as number);
  let hi = Math.max(real[real.length - 1] as number, synthetic[synthetic.length - 1] as number);
  let start = lo;
  if (lo === hi) {
    start = lo - 0.5;
    hi = lo + 0.5;
  }
  const edges = Array.from({ length: bins + 1 }, (_, i) =>
    i === bins ? hi : start + ((hi - start) * i) / bins,
  );
  const share = (counts: Float64Array, n: number): number[] => Array.from(counts, (c) => c / n);
  return {
    column,
    kind: 'histogram',
    datetime,
    edges,
    real: share(histogram(real, start, hi, bins), real.length),
    synthetic: share(histogram(synthetic, start, hi, bins), synthetic.length),
    qq: {
      probabilities: QQ_PROBABILITIES,
      real: QQ_PROBABILITIES.map((p) => quantile(real, p)),
      synthetic: QQ_PROBABILITIES.map((p) => quantile(synthetic, p)),
    },
  };
}

/** Linear-interpolation quantile (numpy's default) of a sorted, non-empty sample. */
function quantile(sorted: Float64Array, p: number): number {
  const at = p * (sorted.length - 1);
  const lo = Math.floor(at);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return (sorted[lo] as number) + ((sorted[hi] as number) - (sorted[lo] as number)) * (at - lo);
}

/** Shares of the `maxCategories` most frequent categories (missing values one of them) over all rows. */
export function categoryDistribution(
  column: string,
  real: readonly CellValue[],
  synthetic: readonly CellValue[],
  maxCategories: number,
): ColumnDistribution {
  // Keys as strings for the chart (and JSON); the counts come from the cached category counts.
  const count = (values: readonly CellValue[]): Map<string | null, number> => {
    const m = new Map<string | null, number>();
    let present = 0;
    for (const [v, n] of categoryCounts(values)) {
      const k = String(v);
      m.set(k, (m.get(k) ?? 0) + n);
      present += n;
    }
    if (present < values.length) m.set(null, values.length - present);
    return m;
  };
  const r = count(real);
  const s = count(synthetic);
  const nr = Math.max(1, real.length);
  const ns = Math.max(1, synthetic.length);
  const categories = [...new Set([...r.keys(), ...s.keys()])]
    .sort(
      (a, b) => (r.get(b) ?? 0) / nr - (r.get(a) ?? 0) / nr || (s.get(b) ?? 0) / ns - (s.get(a) ?? 0) / ns,
    )
    .slice(0, maxCategories);
  const realShares = categories.map((c) => (r.get(c) ?? 0) / nr);
  const synthShares = categories.map((c) => (s.get(c) ?? 0) / ns);
  const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);
  return {
    column,
    kind: 'bars',
    categories,
    real: realShares,
    synthetic: synthShares,
    otherReal: real.length === 0 ? 0 : Math.max(0, 1 - sum(realShares)),
    otherSynthetic: synthetic.length === 0 ? 0 : Math.max(0, 1 - sum(synthShares)),
  };
}
