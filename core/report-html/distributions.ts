/**
 * Per-column distributions of a real and a synthetic sample for the report's charts: histograms
 * over shared edges, category frequencies with rare values folded away, matching quantiles for
 * QQ plots, and value-length histograms for columns whose values must not be shown.
 */
import { datetimeColumnToMs } from '../synth/datetime-codec.js';
import type { CellValue, ColumnData } from '../table.js';
import type { CategoryData, HistogramData, QqData } from './report-data.js';

/** Tail share left out of each side when choosing histogram ranges, so one outlier does not squash every bar. */
const TAIL = 0.005;
/** Integer-valued columns spanning at most this many values get one bar per value. */
const MAX_UNIT_BINS = 40;

/** Numbers of a numeric or datetime column aligned with its rows (NaN where missing or unreadable). */
export function columnNumbers(column: ColumnData, datetime: boolean): Float64Array {
  if (datetime) return datetimeColumnToMs(column.values);
  const out = new Float64Array(column.values.length);
  for (let i = 0; i < out.length; i++) {
    const v = column.values[i];
    out[i] = typeof v === 'number' && Number.isFinite(v) ? v : Number.NaN;
  }
  return out;
}

/** Lengths in characters of the non-missing values, aligned with rows (NaN where missing). */
export function valueLengths(values: readonly CellValue[]): Float64Array {
  const out = new Float64Array(values.length);
  for (let i = 0; i < out.length; i++) {
    const v = values[i] ?? null;
    out[i] = v === null ? Number.NaN : [...String(v)].length;
  }
  return out;
}

/** The finite entries, ascending. */
export function sortedFinite(values: Float64Array): Float64Array {
  // A plain loop: TypedArray.prototype.filter with a callback is several times slower.
  const out = new Float64Array(values.length);
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (Number.isFinite(v)) out[n++] = v;
  }
  return out.subarray(0, n).sort();
}

/** The q-quantile of ascending values with linear interpolation; NaN when empty. */
export function quantileSorted(sorted: Float64Array, q: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const at = q * (n - 1);
  const lo = Math.floor(at);
  const hi = Math.min(n - 1, lo + 1);
  return (sorted[lo] as number) + ((sorted[hi] as number) - (sorted[lo] as number)) * (at - lo);
}

function isIntegerValued(sorted: Float64Array): boolean {
  for (const v of sorted) if (!Number.isInteger(v)) return false;
  return true;
}

function histogramEdges(
  real: Float64Array,
  synthetic: Float64Array,
  bins: number,
): { edges: number[]; integerBins: boolean } {
  const sides = [real, synthetic].filter((s) => s.length > 0);
  if (sides.length === 0) return { edges: [0, 1], integerBins: false };
  let lo = Math.min(...sides.map((s) => quantileSorted(s, TAIL)));
  let hi = Math.max(...sides.map((s) => quantileSorted(s, 1 - TAIL)));
  const integers = sides.every(isIntegerValued);
  if (integers) {
    lo = Math.floor(lo);
    hi = Math.ceil(hi);
    if (hi - lo + 1 <= MAX_UNIT_BINS)
      return { edges: Array.from({ length: hi - lo + 2 }, (_, i) => lo - 0.5 + i), integerBins: true };
  }
  if (hi <= lo) return { edges: [lo - 0.5, lo + 0.5], integerBins: false };
  const width = (hi - lo) / bins;
  return {
    edges: Array.from({ length: bins + 1 }, (_, i) => (i === bins ? hi : lo + i * width)),
    integerBins: false,
  };
}

function binShares(sorted: Float64Array, edges: readonly number[]): number[] {
  const bins = edges.length - 1;
  const counts = new Array<number>(bins).fill(0);
  const lo = edges[0] as number;
  const width = ((edges[bins] as number) - lo) / bins;
  for (const v of sorted) {
    // Values beyond the outer edges count in the outer bins (the range leaves out the extreme tails).
    const b = Math.min(bins - 1, Math.max(0, Math.floor((v - lo) / width)));
    counts[b] = (counts[b] as number) + 1;
  }
  return counts.map((c) => (sorted.length === 0 ? 0 : c / sorted.length));
}

/** A histogram of both samples over shared edges (ascending finite values in, shares of each side out). */
export function pairedHistogram(
  real: Float64Array,
  synthetic: Float64Array,
  bins: number,
  unit: HistogramData['unit'],
): HistogramData {
  const { edges, integerBins } = histogramEdges(real, synthetic, bins);
  return { unit, edges, integerBins, real: binShares(real, edges), synthetic: binShares(synthetic, edges) };
}

/** Matching quantiles at `points` probabilities spread evenly over 1%..99% (ascending finite values in). */
export function qqQuantiles(real: Float64Array, synthetic: Float64Array, points: number): QqData {
  const probabilities = Array.from({ length: points }, (_, i) =>
    points === 1 ? 0.5 : 0.01 + (0.98 * i) / (points - 1),
  );
  return {
    probabilities,
    real: probabilities.map((p) => quantileSorted(real, p)),
    synthetic: probabilities.map((p) => quantileSorted(synthetic, p)),
  };
}

function tally(values: readonly CellValue[]): { counts: Map<string, number>; missing: number } {
  const counts = new Map<string, number>();
  let missing = 0;
  for (const v of values) {
    if (v === null || v === undefined) missing++;
    else {
      const key = String(v);
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  return { counts, missing };
}

/** Options of {@link pairedCategories}. */
export interface CategoryOptions {
  top: number;
  /** Real values seen fewer times than this are folded into "other". */
  minCount: number;
  /** Show `true` and `false` whatever their counts. */
  boolean: boolean;
}

/**
 * Shares of the most frequent real categories in both samples (over all rows, missing included),
 * with everything else, including categories only the synthetic data has, folded into "other".
 */
export function pairedCategories(
  real: readonly CellValue[],
  synthetic: readonly CellValue[],
  options: CategoryOptions,
): CategoryData {
  const r = tally(real);
  const s = tally(synthetic);
  const named = options.boolean
    ? ['true', 'false']
    : [...r.counts.entries()]
        .filter(([, n]) => n >= options.minCount)
        .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
        .slice(0, options.top)
        .map(([k]) => k);
  const share = (n: number, total: number) => (total === 0 ? 0 : n / total);
  const out: CategoryData = { labels: [], kinds: [], real: [], synthetic: [] };
  const push = (label: string, kind: CategoryData['kinds'][number], nReal: number, nSynthetic: number) => {
    out.labels.push(label);
    out.kinds.push(kind);
    out.real.push(share(nReal, real.length));
    out.synthetic.push(share(nSynthetic, synthetic.length));
  };
  const shown = new Set(named);
  for (const k of named) push(k, 'value', r.counts.get(k) ?? 0, s.counts.get(k) ?? 0);
  const rest = (t: ReturnType<typeof tally>) => {
    let n = 0;
    for (const [k, c] of t.counts) if (!shown.has(k)) n += c;
    return n;
  };
  const otherReal = rest(r);
  const otherSynthetic = rest(s);
  if (otherReal > 0 || otherSynthetic > 0) push('other', 'other', otherReal, otherSynthetic);
  if (r.missing > 0 || s.missing > 0) push('missing', 'missing', r.missing, s.missing);
  return out;
}

/** Distinct non-missing values of a column and how many non-missing values it has. */
export function distinctCount(values: readonly CellValue[]): { distinct: number; present: number } {
  const seen = new Set<string>();
  let present = 0;
  for (const v of values) {
    if (v === null || v === undefined) continue;
    present++;
    seen.add(String(v));
  }
  return { distinct: seen.size, present };
}
