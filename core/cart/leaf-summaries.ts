/**
 * What a leaf keeps of its rows: aggregates only. Categorical leaves keep class counts; numeric and
 * datetime leaves keep the null count, the values frequent enough to be atoms (a spike at 0 or at
 * 40 hours survives exactly) and a few quantile knots of the rest, drawn by interpolation; and
 * when the leaf's values follow a numeric predictor's closely, that link (normal-score correlation
 * plus the predictor's knots in the leaf), so sampling keeps their order within the leaf.
 */
import { normalQuantile } from '../synth/index.js';
import type { CartClassLeaf, CartValueLeaf, CartValueLink } from './model.js';

/** A value is an atom of a leaf when it holds at least this many of the leaf's non-null rows… */
const ATOM_MIN_COUNT = 3;
/** …and at least this share of them. */
const ATOM_MIN_SHARE = 0.02;
/** Most atoms per leaf (the most frequent are kept). */
const MAX_ATOMS = 16;
/** Most quantile knots per leaf. */
const MAX_KNOTS = 33;
/** Fewest knots per leaf (when it has that many non-atom values). */
const MIN_KNOTS = 5;
/** A link needs at least this many leaf rows with both values present… */
const LINK_MIN_ROWS = 8;
/** …and at least this strong a normal-score correlation. */
const LINK_MIN_RHO = 0.2;

/** A numeric or datetime predictor a value leaf may link to: its column index and its values per row (NaN = null). */
export interface LinkCandidate {
  column: number;
  values: Float64Array;
}

/** The class counts of a leaf's rows. */
export function summarizeClassLeaf(
  rows: Uint32Array,
  classes: Int32Array,
  classCount: number,
): CartClassLeaf {
  const counts = new Float64Array(classCount);
  for (let i = 0; i < rows.length; i++) {
    const k = classes[rows[i] as number] as number;
    counts[k] = (counts[k] as number) + 1;
  }
  const leaf: CartClassLeaf = { classes: [], counts: [] };
  for (let k = 0; k < classCount; k++) {
    const c = counts[k] as number;
    if (c > 0) {
      leaf.classes.push(k);
      leaf.counts.push(c);
    }
  }
  return leaf;
}

/** Null count, atoms and rest knots of a leaf's values (NaN = null), and its link to the most related candidate predictor. */
export function summarizeValueLeaf(
  rows: Uint32Array,
  values: Float64Array,
  candidates: readonly LinkCandidate[] = [],
): CartValueLeaf {
  const present: number[] = [];
  let nulls = 0;
  for (let i = 0; i < rows.length; i++) {
    const v = values[rows[i] as number] as number;
    if (v !== v) nulls++;
    else present.push(v);
  }
  const sorted = Float64Array.from(present).sort();
  const n = sorted.length;
  // Runs of equal values, the frequent ones becoming atoms.
  const runs: { value: number; count: number }[] = [];
  for (let i = 0; i < n;) {
    let j = i + 1;
    while (j < n && sorted[j] === sorted[i]) j++;
    if (j - i >= ATOM_MIN_COUNT && j - i >= ATOM_MIN_SHARE * n)
      runs.push({ value: sorted[i] as number, count: j - i });
    i = j;
  }
  runs.sort((a, b) => b.count - a.count || a.value - b.value);
  const atoms = runs.slice(0, MAX_ATOMS).sort((a, b) => a.value - b.value);
  const atomSet = new Set(atoms.map((a) => a.value));
  const rest = atomSet.size === 0 ? sorted : sorted.filter((v) => !atomSet.has(v));
  const leaf: CartValueLeaf = {
    nulls,
    atoms: atoms.map((a) => a.value),
    atomCounts: atoms.map((a) => a.count),
    rest: rest.length,
    knots: restKnots(rest),
  };
  const link = strongestLink(rows, values, candidates);
  if (link !== undefined) leaf.link = link;
  return leaf;
}

/** The candidate whose values inside the leaf correlate most with the target's (normal scores), if strong enough. */
function strongestLink(
  rows: Uint32Array,
  values: Float64Array,
  candidates: readonly LinkCandidate[],
): CartValueLink | undefined {
  let best: CartValueLink | undefined;
  const target: number[] = [];
  const other: number[] = [];
  for (const candidate of candidates) {
    target.length = 0;
    other.length = 0;
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i] as number;
      const t = values[row] as number;
      const x = candidate.values[row] as number;
      if (t !== t || x !== x) continue;
      target.push(t);
      other.push(x);
    }
    if (target.length < LINK_MIN_ROWS) continue;
    const rho = pearson(normalScores(target), normalScores(other));
    if (!(Math.abs(rho) >= LINK_MIN_RHO) || (best !== undefined && Math.abs(rho) <= Math.abs(best.rho)))
      continue;
    best = { predictor: candidate.column, rho, knots: restKnots(Float64Array.from(other).sort()) };
  }
  return best;
}

/** Φ⁻¹ of mid-ranks (ties share their mean rank). */
function normalScores(values: readonly number[]): Float64Array {
  const n = values.length;
  const order = Array.from(values.keys()).sort((a, b) => (values[a] as number) - (values[b] as number));
  const out = new Float64Array(n);
  for (let i = 0; i < n;) {
    let j = i + 1;
    while (j < n && values[order[j] as number] === values[order[i] as number]) j++;
    const z = normalQuantile((i + j) / 2 / n);
    for (let k = i; k < j; k++) out[order[k] as number] = z;
    i = j;
  }
  return out;
}

/** Pearson correlation; 0 when a side is constant. */
function pearson(x: Float64Array, y: Float64Array): number {
  const n = x.length;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i] as number;
    my += y[i] as number;
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = (x[i] as number) - mx;
    const dy = (y[i] as number) - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxx > 0 && syy > 0 ? Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy))) : 0;
}

/** Quantiles at evenly spaced probabilities (R type 7), about 2·√n of them within [MIN_KNOTS, MAX_KNOTS]. */
function restKnots(sorted: Float64Array): number[] {
  const n = sorted.length;
  if (n === 0) return [];
  const count = Math.min(n, Math.max(MIN_KNOTS, Math.min(MAX_KNOTS, Math.ceil(2 * Math.sqrt(n)))));
  if (count === 1) return [sorted[0] as number];
  const knots = new Array<number>(count);
  for (let k = 0; k < count; k++) {
    const h = ((n - 1) * k) / (count - 1);
    const lo = Math.floor(h);
    const hi = Math.min(lo + 1, n - 1);
    const a = sorted[lo] as number;
    const b = sorted[hi] as number;
    knots[k] = a === b ? a : Math.min(b, a + (b - a) * (h - lo));
  }
  return knots;
}
