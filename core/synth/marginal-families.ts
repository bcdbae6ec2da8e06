/**
 * Marginal distributions of numeric and datetime columns: the parametric families SDV offers
 * (normal, truncated normal, beta, gamma, uniform) plus Student-t, and the empirical quantile
 * fallback. Each family is fitted by moments, scored by the Kolmogorov–Smirnov distance to the
 * sample after the column's rounding (as SDV's univariate selection scores candidates), and
 * compiled into one inverse-CDF table so sampling costs the same whatever family won (and scored
 * through that table, so the distance reported is the one of what is sampled).
 */
import { MarginalFamily, type Marginal } from './model.js';
import { normalCdf } from './normal-distribution.js';
import { quantileKnots } from './marginals.js';
import { regularizedBeta, regularizedGammaP, studentTCdf } from './special-functions.js';

/** What to fit: a family by name, or `auto` to pick the best-fitting one. */
export type MarginalChoice = MarginalFamily | 'auto';

/** The parametric families tried by `auto`, in order of preference on equal fit. */
export const PARAMETRIC_FAMILIES = [
  MarginalFamily.Uniform,
  MarginalFamily.Normal,
  MarginalFamily.TruncatedNormal,
  MarginalFamily.Beta,
  MarginalFamily.Gamma,
  MarginalFamily.StudentT,
] as const;

/**
 * How much worse (in KS distance, times 1/√n) a parametric family may fit than the empirical
 * fallback and still be chosen by `auto`: 0.89/√n is Lilliefors' 5% critical value, so a family
 * the KS test cannot reject for the sample is preferred, because it keeps fewer facts about the
 * sample and smooths its gaps; any visible misfit leaves the column empirical.
 */
export const DEFAULT_PARAMETRIC_TOLERANCE = 0.89;

/** Values of the CDF evaluated when scoring a fit (more distinct values are thinned evenly). */
const MAX_KS_POINTS = 4000;

/** Points of the inverse-CDF table compiled for a parametric family. */
export const PARAMETRIC_TABLE_SIZE = 4097;

/** x-grid on which a parametric CDF is evaluated to invert it. */
const CDF_GRID = 8193;

/** A fitted marginal, its KS distance to the sample, and the distances of the candidates. */
export interface MarginalSelection {
  marginal: Marginal;
  fitStatistic: number;
  /** KS distance of every family tried (undefined when it does not apply to the data). */
  candidates: Partial<Record<MarginalFamily, number>>;
}

/** Moments of a sample. */
interface Moments {
  n: number;
  mean: number;
  variance: number;
  skewness: number;
  excessKurtosis: number;
}

function momentsOf(sorted: Float64Array): Moments {
  const n = sorted.length;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += sorted[i] as number;
  const mean = sum / n;
  let m2 = 0;
  let m3 = 0;
  let m4 = 0;
  for (let i = 0; i < n; i++) {
    const d = (sorted[i] as number) - mean;
    const d2 = d * d;
    m2 += d2;
    m3 += d2 * d;
    m4 += d2 * d2;
  }
  m2 /= n;
  m3 /= n;
  m4 /= n;
  return {
    n,
    mean,
    variance: m2,
    skewness: m2 > 0 ? m3 / m2 ** 1.5 : 0,
    excessKurtosis: m2 > 0 ? m4 / (m2 * m2) - 3 : 0,
  };
}

/** Fits one family to sorted values by moments; undefined when the family cannot describe them. */
export function fitFamily(family: MarginalFamily, sorted: Float64Array): Marginal | undefined {
  const n = sorted.length;
  if (n < 2) return undefined;
  const min = sorted[0] as number;
  const max = sorted[n - 1] as number;
  if (!(max > min)) return undefined;
  const m = momentsOf(sorted);
  const std = Math.sqrt(m.variance);
  switch (family) {
    case 'empirical':
      return { family, knots: quantileKnots(sorted) };
    case 'uniform':
      return { family, low: min, high: max };
    case 'normal':
      return { family, mean: m.mean, std };
    case 'truncated_normal':
      return fitTruncatedNormal(m.mean, m.variance, min, max);
    case 'beta': {
      const range = max - min;
      const mean = (m.mean - min) / range;
      const variance = m.variance / (range * range);
      const common = (mean * (1 - mean)) / variance - 1;
      if (!(common > 0)) return undefined;
      return { family, alpha: mean * common, beta: (1 - mean) * common, low: min, high: max };
    }
    case 'gamma': {
      // Three-parameter fit from the skewness (2/√shape); left-skewed data is not gamma-shaped.
      if (!(m.skewness > 0.06)) return undefined;
      const shape = 4 / (m.skewness * m.skewness);
      const scale = std / Math.sqrt(shape);
      return { family, shape, scale, loc: m.mean - shape * scale };
    }
    case 'student_t': {
      // Excess kurtosis of t is 6/(df − 4); light tails are the normal family's business.
      if (!(m.excessKurtosis > 0.03)) return undefined;
      const df = Math.min(200, 6 / m.excessKurtosis + 4);
      return { family, df, loc: m.mean, scale: std * Math.sqrt((df - 2) / df) };
    }
    default:
      return undefined;
  }
}

/** Moment matching for a normal truncated to [a, b]: adjust μ and σ until the truncated moments equal the sample's. */
function fitTruncatedNormal(mean: number, variance: number, a: number, b: number): Marginal | undefined {
  let mu = mean;
  let sigma = Math.sqrt(variance);
  for (let iteration = 0; iteration < 200; iteration++) {
    const t = truncatedMoments(mu, sigma, a, b);
    if (t === undefined) return undefined;
    const nextMu = mu + (mean - t.mean);
    const nextSigma = sigma * Math.sqrt(variance / t.variance);
    const converged = Math.abs(nextMu - mu) <= 1e-10 * sigma && Math.abs(nextSigma - sigma) <= 1e-10 * sigma;
    mu = nextMu;
    sigma = nextSigma;
    if (!Number.isFinite(mu) || !(sigma > 0) || sigma > 1e3 * (b - a)) return undefined;
    if (converged) break;
  }
  return { family: 'truncated_normal', mean: mu, std: sigma };
}

function normalPdf(x: number): number {
  return Math.exp(-0.5 * x * x) / 2.5066282746310002;
}

function truncatedMoments(
  mu: number,
  sigma: number,
  a: number,
  b: number,
): { mean: number; variance: number } | undefined {
  const alpha = (a - mu) / sigma;
  const beta = (b - mu) / sigma;
  const z = normalCdf(beta) - normalCdf(alpha);
  if (!(z > 1e-12)) return undefined;
  const pa = normalPdf(alpha);
  const pb = normalPdf(beta);
  const shift = (pa - pb) / z;
  const variance = sigma * sigma * (1 + (alpha * pa - beta * pb) / z - shift * shift);
  if (!(variance > 0)) return undefined;
  return { mean: mu + sigma * shift, variance };
}

/** The (untruncated) CDF of a marginal. */
export function marginalCdf(m: Marginal): (x: number) => number {
  switch (m.family) {
    case 'empirical':
      return knotsCdf(m.knots);
    case 'uniform': {
      const span = m.high - m.low;
      return (x) => (x <= m.low ? 0 : x >= m.high ? 1 : (x - m.low) / span);
    }
    case 'normal':
    case 'truncated_normal':
      return (x) => normalCdf((x - m.mean) / m.std);
    case 'beta': {
      const span = m.high - m.low;
      return (x) => regularizedBeta((x - m.low) / span, m.alpha, m.beta);
    }
    case 'gamma':
      return (x) => (x <= m.loc ? 0 : regularizedGammaP(m.shape, (x - m.loc) / m.scale));
    case 'student_t':
      return (x) => studentTCdf((x - m.loc) / m.scale, m.df);
  }
}

/**
 * The CDF of the marginal as sampled: truncated to [min, max]; undefined when the family puts
 * (next to) no probability there.
 */
export function truncatedCdf(m: Marginal, min: number, max: number): ((x: number) => number) | undefined {
  const cdf = marginalCdf(m);
  if (m.family === 'empirical' || m.family === 'uniform') return cdf;
  const lo = cdf(min);
  const mass = cdf(max) - lo;
  if (!(mass > 1e-9)) return undefined;
  return (x) => (x <= min ? 0 : x >= max ? 1 : Math.min(1, Math.max(0, (cdf(x) - lo) / mass)));
}

/**
 * CDF of the inverse-CDF interpolation through quantile knots: the largest u whose quantile is
 * at most x (so a run of equal knots, an atom, is passed whole).
 */
export function knotsCdf(knots: ArrayLike<number>): (x: number) => number {
  const last = knots.length - 1;
  return (x) => {
    if (x < (knots[0] as number)) return 0;
    if (x >= (knots[last] as number)) return 1;
    let lo = 0;
    let hi = last;
    // Invariant: knots[lo] ≤ x < knots[hi].
    while (hi - lo > 1) {
      const mid = (lo + hi) >>> 1;
      if ((knots[mid] as number) <= x) lo = mid;
      else hi = mid;
    }
    const a = knots[lo] as number;
    const b = knots[hi] as number;
    return (lo + (x - a) / (b - a)) / last;
  };
}

/**
 * Kolmogorov–Smirnov distance between sorted sample values and a model CDF whose draws are
 * rounded to a grid with half-step `halfStep` (0 for no rounding): P(draw ≤ v) = cdf(v + halfStep).
 */
export function ksDistance(sorted: Float64Array, cdf: (x: number) => number, halfStep: number): number {
  const n = sorted.length;
  if (n === 0) return 0;
  // Distinct values with the empirical CDF just below and at each.
  const values: number[] = [];
  const below: number[] = [];
  const at: number[] = [];
  for (let i = 0; i < n;) {
    const v = sorted[i] as number;
    let j = i + 1;
    while (j < n && sorted[j] === v) j++;
    values.push(v);
    below.push(i / n);
    at.push(j / n);
    i = j;
  }
  const step = Math.max(1, Math.ceil(values.length / MAX_KS_POINTS));
  let d = 0;
  for (let k = 0; k < values.length; k += step) {
    const v = values[k] as number;
    const upper = Math.abs(cdf(v + halfStep) - (at[k] as number));
    const lower = Math.abs(cdf(v - halfStep) - (below[k] as number));
    if (upper > d) d = upper;
    if (lower > d) d = lower;
  }
  return d;
}

/**
 * Fits the requested family (or, for `auto`, every family) and scores it. `auto` takes the
 * parametric family with the smallest KS distance when it is within `tolerance`/√n of the
 * empirical fallback's, and the fallback otherwise; a named family that cannot describe the
 * data falls back to the empirical marginal too.
 */
export function selectMarginal(
  sorted: Float64Array,
  halfStep: number,
  choice: MarginalChoice,
  tolerance: number = DEFAULT_PARAMETRIC_TOLERANCE,
): MarginalSelection {
  const n = sorted.length;
  const min = sorted[0] as number;
  const max = sorted[n - 1] as number;
  const candidates: Partial<Record<MarginalFamily, number>> = {};
  const empirical: Marginal = { family: 'empirical', knots: quantileKnots(sorted) };
  const empiricalCdf = knotsCdf(empirical.knots);
  const empiricalD = ksDistance(sorted, empiricalCdf, halfStep);
  candidates.empirical = empiricalD;
  const families = choice === 'auto' ? PARAMETRIC_FAMILIES : choice === 'empirical' ? [] : [choice];
  let best: { marginal: Marginal; d: number } | undefined;
  for (const family of families) {
    const marginal = fitFamily(family, sorted);
    if (marginal === undefined || truncatedCdf(marginal, min, max) === undefined) continue;
    // Scored as sampled: through its compiled inverse-CDF table, which a shape the table cannot
    // resolve (a spike of a beta with α near 0) fails honestly instead of on paper.
    const d = ksDistance(sorted, knotsCdf(inverseTable(marginal, min, max)), halfStep);
    if (!Number.isFinite(d)) continue;
    candidates[family] = d;
    if (best === undefined || d < best.d) best = { marginal, d };
  }
  if (best !== undefined && (choice !== 'auto' || best.d <= empiricalD + tolerance / Math.sqrt(n))) {
    return { marginal: best.marginal, fitStatistic: best.d, candidates };
  }
  return { marginal: empirical, fitStatistic: empiricalD, candidates };
}

/**
 * The inverse-CDF table sampling reads: values at evenly spaced probabilities 0..1 of the
 * marginal truncated to [min, max] (the knots themselves for the empirical family).
 */
export function inverseTable(m: Marginal, min: number, max: number): Float64Array {
  if (m.family === 'empirical') return Float64Array.from(m.knots);
  const size = PARAMETRIC_TABLE_SIZE;
  const out = new Float64Array(size);
  const cdf = max > min ? truncatedCdf(m, min, max) : undefined;
  if (cdf === undefined) {
    // No mass in range (a hand-edited model): spread evenly rather than fail mid-run.
    for (let k = 0; k < size; k++) out[k] = min + ((max - min) * k) / (size - 1);
    return out;
  }
  const xs = new Float64Array(CDF_GRID);
  const us = new Float64Array(CDF_GRID);
  let running = 0;
  for (let i = 0; i < CDF_GRID; i++) {
    const x = i === CDF_GRID - 1 ? max : min + ((max - min) * i) / (CDF_GRID - 1);
    xs[i] = x;
    const u = cdf(x);
    // Enforce monotonicity against round-off in the special functions.
    running = Number.isFinite(u) && u > running ? Math.min(1, u) : running;
    us[i] = running;
  }
  us[0] = 0;
  us[CDF_GRID - 1] = 1;
  let i = 0;
  for (let k = 0; k < size; k++) {
    const u = k / (size - 1);
    while (i < CDF_GRID - 2 && (us[i + 1] as number) < u) i++;
    const u0 = us[i] as number;
    const u1 = us[i + 1] as number;
    const x0 = xs[i] as number;
    const x1 = xs[i + 1] as number;
    out[k] = u1 > u0 ? x0 + ((u - u0) / (u1 - u0)) * (x1 - x0) : x1;
  }
  out[0] = min;
  out[size - 1] = max;
  for (let k = 1; k < size; k++)
    if ((out[k] as number) < (out[k - 1] as number)) out[k] = out[k - 1] as number;
  return out;
}
