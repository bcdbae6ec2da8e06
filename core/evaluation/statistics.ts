/**
 * Per-column statistical tests and distances between real and synthetic values, each defined as
 * the scipy function it reproduces (named in its TSDoc), plus the correlation-matrix comparison and
 * edge-case frequencies.
 */
import { regularizedGammaP } from '../synth/special-functions.js';
import type { CellValue } from '../table.js';
import { finiteOrNull } from './columns.js';
import { ksTwoSample } from './kolmogorov-smirnov.js';
import type {
  ChiSquaredTest,
  CorrelationComparison,
  EdgeCaseCount,
  EdgeCaseFrequency,
  KsTest,
} from './types.js';

/** Number of equal-width bins of the Jensen–Shannon comparison of continuous columns. */
export const JS_HISTOGRAM_BINS = 10;

/** scipy.stats.ks_2samp of two sorted finite samples; null when a side is empty. */
export function ksTest(real: Float64Array, synthetic: Float64Array): KsTest | null {
  if (real.length === 0 || synthetic.length === 0) return null;
  return ksTwoSample(real, synthetic);
}

/** Counts already made, per values array (tables are immutable in core/; see columns.ts). */
const countCache = new WeakMap<readonly CellValue[], Map<CellValue, number>>();

/** Category counts of non-missing values, by SameValueZero identity (NaN counts as missing); cached, do not mutate. */
export function categoryCounts(values: readonly CellValue[]): Map<CellValue, number> {
  const cached = countCache.get(values);
  if (cached !== undefined) return cached;
  const counts = countValues(values);
  countCache.set(values, counts);
  return counts;
}

function countValues(values: readonly CellValue[]): Map<CellValue, number> {
  const counts = new Map<CellValue, number>();
  for (const v of values) {
    if (v === null || (typeof v === 'number' && Number.isNaN(v))) continue;
    counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  return counts;
}

/**
 * Chi-squared test of homogeneity of the real and synthetic category counts: scipy.stats.
 * chi2_contingency(table, correction=False) on the 2 × k table of the k categories present on
 * either side (missing values left out); null when there is one category or a side is empty.
 */
export function chiSquaredTest(
  real: ReadonlyMap<CellValue, number>,
  synthetic: ReadonlyMap<CellValue, number>,
): ChiSquaredTest | null {
  const categories = new Set<CellValue>([...real.keys(), ...synthetic.keys()]);
  let nReal = 0;
  let nSynth = 0;
  for (const c of real.values()) nReal += c;
  for (const c of synthetic.values()) nSynth += c;
  const total = nReal + nSynth;
  if (nReal === 0 || nSynth === 0 || categories.size < 2) return null;
  let statistic = 0;
  for (const category of categories) {
    const r = real.get(category) ?? 0;
    const s = synthetic.get(category) ?? 0;
    const column = r + s;
    const er = (column * nReal) / total;
    const es = (column * nSynth) / total;
    statistic += ((r - er) * (r - er)) / er + ((s - es) * (s - es)) / es;
  }
  const dof = categories.size - 1;
  return { statistic, dof, pValue: chiSquaredSf(statistic, dof) };
}

/** Upper tail of the chi-squared distribution with `dof` degrees of freedom (scipy.stats.chi2.sf). */
export function chiSquaredSf(x: number, dof: number): number {
  if (x <= 0) return 1;
  return Math.min(1, Math.max(0, 1 - regularizedGammaP(dof / 2, x / 2)));
}

/**
 * scipy.stats.wasserstein_distance(real, synthetic) — ∫|F_real − F_synthetic| — divided by the
 * real range; for a constant real column, 0 when the distance is 0 and null otherwise (nothing to
 * scale by); null when a side is empty. Inputs sorted ascending, finite.
 */
export function wassersteinNormalized(real: Float64Array, synthetic: Float64Array): number | null {
  const n = real.length;
  const m = synthetic.length;
  if (n === 0 || m === 0) return null;
  let i = 0;
  let j = 0;
  let area = 0;
  let x = Math.min(real[0] as number, synthetic[0] as number);
  while (i < n || j < m) {
    const next = Math.min(
      i < n ? (real[i] as number) : Infinity,
      j < m ? (synthetic[j] as number) : Infinity,
    );
    area += Math.abs(i / n - j / m) * (next - x);
    x = next;
    while (i < n && real[i] === x) i++;
    while (j < m && synthetic[j] === x) j++;
  }
  const range = (real[n - 1] as number) - (real[0] as number);
  if (range > 0) return area / range;
  return area === 0 ? 0 : null;
}

/**
 * Jensen–Shannon divergence in bits: scipy.spatial.distance.jensenshannon(p, q, base=2) ** 2, so
 * 0 (same distribution) .. 1 (disjoint supports); p and q are normalised first. Null when either
 * sums to 0.
 */
export function jensenShannonDivergence(p: ArrayLike<number>, q: ArrayLike<number>): number | null {
  let sp = 0;
  let sq = 0;
  for (let i = 0; i < p.length; i++) sp += p[i] as number;
  for (let i = 0; i < q.length; i++) sq += q[i] as number;
  if (!(sp > 0) || !(sq > 0)) return null;
  let js = 0;
  for (let i = 0; i < p.length; i++) {
    const a = (p[i] as number) / sp;
    const b = (q[i] as number) / sq;
    const mid = (a + b) / 2;
    if (a > 0) js += a * Math.log(a / mid);
    if (b > 0) js += b * Math.log(b / mid);
  }
  return Math.max(0, js / 2 / Math.LN2);
}

/** Jensen–Shannon divergence of two category count maps over the union of their categories. */
export function categoryJensenShannon(
  real: ReadonlyMap<CellValue, number>,
  synthetic: ReadonlyMap<CellValue, number>,
): number | null {
  const categories = [...new Set<CellValue>([...real.keys(), ...synthetic.keys()])];
  return jensenShannonDivergence(
    categories.map((c) => real.get(c) ?? 0),
    categories.map((c) => synthetic.get(c) ?? 0),
  );
}

/**
 * Jensen–Shannon divergence of two sorted continuous samples over `bins` equal-width bins spanning
 * both (np.histogram with shared edges np.linspace(min, max, bins + 1), last bin closed).
 */
export function histogramJensenShannon(
  real: Float64Array,
  synthetic: Float64Array,
  bins: number = JS_HISTOGRAM_BINS,
): number | null {
  if (real.length === 0 || synthetic.length === 0) return null;
  const lo = Math.min(real[0] as number, synthetic[0] as number);
  const hi = Math.max(real[real.length - 1] as number, synthetic[synthetic.length - 1] as number);
  return jensenShannonDivergence(histogram(real, lo, hi, bins), histogram(synthetic, lo, hi, bins));
}

/**
 * np.histogram(values, bins, range=(lo, hi)) counts: equal-width bins, the last one closed; a
 * zero-width range becomes (lo − 0.5, hi + 0.5) as numpy widens it.
 */
export function histogram(values: Float64Array, lo: number, hi: number, bins: number): Float64Array {
  if (lo === hi) {
    lo -= 0.5;
    hi += 0.5;
  }
  const counts = new Float64Array(bins);
  const width = (hi - lo) / bins;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (v !== v || v < lo || v > hi) continue;
    let b = Math.floor((v - lo) / width);
    if (b >= bins) b = bins - 1;
    counts[b] = (counts[b] as number) + 1;
  }
  return counts;
}

/**
 * Pearson correlation matrices of the given columns on both tables (pairwise-complete rows, like
 * pandas DataFrame.corr()), their difference, and the mean absolute difference over the upper
 * triangle (cells where either side is incomputable are left out).
 */
export function compareCorrelations(
  columns: readonly string[],
  real: readonly Float64Array[],
  synthetic: readonly Float64Array[],
): CorrelationComparison {
  const k = columns.length;
  const realMatrix = correlationMatrix(real);
  const synthMatrix = correlationMatrix(synthetic);
  const difference: (number | null)[][] = [];
  let sum = 0;
  let count = 0;
  for (let i = 0; i < k; i++) {
    const row: (number | null)[] = [];
    for (let j = 0; j < k; j++) {
      const r = realMatrix[i]?.[j] ?? null;
      const s = synthMatrix[i]?.[j] ?? null;
      const d = r === null || s === null ? null : s - r;
      row.push(d);
      if (j > i && d !== null) {
        sum += Math.abs(d);
        count++;
      }
    }
    difference.push(row);
  }
  return {
    columns: [...columns],
    real: realMatrix,
    synthetic: synthMatrix,
    difference,
    meanAbsoluteDifference: count === 0 ? null : sum / count,
  };
}

function correlationMatrix(columns: readonly Float64Array[]): (number | null)[][] {
  const k = columns.length;
  const out: (number | null)[][] = Array.from({ length: k }, () => new Array<number | null>(k).fill(null));
  // Columns without missing values are centred once, so each of their pairs costs one dot product
  // instead of two passes with missing-value checks; the arithmetic is the same as pearson's.
  const centred = columns.map(centreIfComplete);
  for (let i = 0; i < k; i++) {
    for (let j = i; j < k; j++) {
      const ci = centred[i];
      const cj = centred[j];
      const r = finiteOrNull(
        ci && cj && ci.values.length === cj.values.length
          ? pearsonCentred(ci, cj)
          : pearson(columns[i] as Float64Array, columns[j] as Float64Array),
      );
      (out[i] as (number | null)[])[j] = r;
      (out[j] as (number | null)[])[i] = r;
    }
  }
  return out;
}

/** A column with no missing value, minus its mean, with its sum of squares. */
interface CentredColumn {
  values: Float64Array;
  sumOfSquares: number;
}

function centreIfComplete(column: Float64Array): CentredColumn | undefined {
  let mean = 0;
  for (let i = 0; i < column.length; i++) {
    const v = column[i] as number;
    if (v !== v) return undefined;
    mean += v;
  }
  mean /= column.length;
  const values = new Float64Array(column.length);
  let sumOfSquares = 0;
  for (let i = 0; i < column.length; i++) {
    const d = (column[i] as number) - mean;
    values[i] = d;
    sumOfSquares += d * d;
  }
  return { values, sumOfSquares };
}

function pearsonCentred(x: CentredColumn, y: CentredColumn): number {
  const n = x.values.length;
  if (n < 2 || x.sumOfSquares === 0 || y.sumOfSquares === 0) return Number.NaN;
  const a = x.values;
  const b = y.values;
  let sxy = 0;
  for (let i = 0; i < n; i++) sxy += (a[i] as number) * (b[i] as number);
  return Math.max(-1, Math.min(1, sxy / Math.sqrt(x.sumOfSquares * y.sumOfSquares)));
}

/** Pearson's r over the rows where both are present; NaN below two rows or for a constant side. */
export function pearson(x: Float64Array, y: Float64Array): number {
  const n = Math.min(x.length, y.length);
  let count = 0;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    const a = x[i] as number;
    const b = y[i] as number;
    if (a !== a || b !== b) continue;
    count++;
    mx += a;
    my += b;
  }
  if (count < 2) return Number.NaN;
  mx /= count;
  my /= count;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const a = x[i] as number;
    const b = y[i] as number;
    if (a !== a || b !== b) continue;
    const dx = a - mx;
    const dy = b - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  if (sxx === 0 || syy === 0) return Number.NaN;
  return Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy)));
}

/** Observed edge-case frequency per rule against the requested one. */
export function edgeCaseFrequencies(counts: readonly EdgeCaseCount[]): EdgeCaseFrequency[] {
  return counts.map((c) => {
    const observed = c.total > 0 ? c.count / c.total : null;
    return {
      rule: c.rule,
      requested: c.requested,
      count: c.count,
      total: c.total,
      observed,
      difference: observed === null ? null : observed - c.requested,
    };
  });
}
