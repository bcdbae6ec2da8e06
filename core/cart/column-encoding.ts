/**
 * How a modelled column looks to the trees: as a predictor, a small integer code per row (quantile
 * bins for numbers and datetimes, frequent categories for categoricals, one code for null); as a
 * target, a class per row (categoricals, null a class) or a value with its normalised rank.
 */
import { CART_LIMITS } from './model.js';
import type { CellValue } from '../table.js';

/** The codes of one column as a predictor. */
export interface PredictorCodes {
  codes: Uint8Array;
  /** Codes are 0..codeCount−1; the last code is null. */
  codeCount: number;
  /** Whether code order means value order (threshold splits) or not (category subsets). */
  ordered: boolean;
}

/** Categorical target: a class per row, null = classCount. */
export interface ClassTarget {
  kind: 'class';
  classes: Int32Array;
  /** Classes including the null class. */
  classCount: number;
}

/** Numeric/datetime target: values (NaN = null) and their ranks scaled to 0..1 (NaN = null). */
export interface ValueTarget {
  kind: 'value';
  values: Float64Array;
  ranks: Float64Array;
}

/** Upper bounds of the predictor bins of a numeric column: every distinct value when few, else distinct quantiles. */
export function predictorBinEdges(sorted: Float64Array): number[] {
  const n = sorted.length;
  if (n === 0) return [];
  const bins = CART_LIMITS.predictorBins;
  // Few distinct values: one bin each, so no split ever has to merge two of them.
  const distinct = distinctValues(sorted, bins);
  if (distinct !== undefined) return distinct.slice(0, -1);
  const edges: number[] = [];
  const max = sorted[n - 1] as number;
  for (let b = 1; b < bins; b++) {
    const v = sorted[Math.min(n - 1, Math.floor((b * n) / bins))] as number;
    // An edge equal to the maximum would leave the top bin empty; equal edges are one bin.
    if (v < max && (edges.length === 0 || v > (edges[edges.length - 1] as number))) edges.push(v);
  }
  return edges;
}

/** The sorted distinct values when there are at most `limit`, else undefined. */
function distinctValues(sorted: Float64Array, limit: number): number[] | undefined {
  const out: number[] = [];
  for (let i = 0; i < sorted.length; i++) {
    const v = sorted[i] as number;
    if (out.length === 0 || v !== out[out.length - 1]) {
      if (out.length === limit) return undefined;
      out.push(v);
    }
  }
  return out;
}

/** Code of a value under bin edges (binary search): first bin whose upper bound is ≥ v; NaN → the null code. */
export function binCode(edges: Float64Array, v: number): number {
  if (v !== v) return edges.length + 1;
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (v <= (edges[mid] as number)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Predictor codes of a numeric/datetime column. */
export function binnedCodes(values: Float64Array, edges: readonly number[]): PredictorCodes {
  const e = Float64Array.from(edges);
  const codes = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) codes[i] = binCode(e, values[i] as number);
  return { codes, codeCount: edges.length + 2, ordered: true };
}

/** Number of predictor codes of a categorical column with `classCount` non-null classes (the last is null). */
export function categoricalCodeCount(classCount: number): number {
  return Math.min(classCount, CART_LIMITS.predictorCategories) + 1;
}

/** Predictor code of class c (c = classCount means null). */
export function classCode(c: number, classCount: number): number {
  const nullCode = categoricalCodeCount(classCount) - 1;
  return c >= classCount ? nullCode : Math.min(c, CART_LIMITS.predictorCategories - 1);
}

/** Predictor codes of a categorical column from its class per row. */
export function categoricalCodes(classes: Int32Array, classCount: number): PredictorCodes {
  const codes = new Uint8Array(classes.length);
  for (let i = 0; i < classes.length; i++) codes[i] = classCode(classes[i] as number, classCount);
  return { codes, codeCount: categoricalCodeCount(classCount), ordered: false };
}

/** Category frequencies in a fixed order: count descending, then type and value ascending. */
export interface CategoryCounts {
  categories: CellValue[];
  counts: number[];
  /** Category index per row; −1 for null or a dropped (beyond maxCategories) category. */
  index: Int32Array;
}

/** Counts the categories of a column by type and value (so 1, "1" and true differ). */
export function countCategoryValues(values: readonly CellValue[]): CategoryCounts {
  const byKey = new Map<string, { value: CellValue; count: number; order: number }>();
  const keys = new Array<string | undefined>(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i] ?? null;
    if (v === null) continue;
    const key = categoryKey(v);
    keys[i] = key;
    const entry = byKey.get(key);
    if (entry === undefined) byKey.set(key, { value: v, count: 1, order: 0 });
    else entry.count++;
  }
  const entries = [...byKey.entries()]
    .sort((a, b) => b[1].count - a[1].count || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(0, CART_LIMITS.maxCategories);
  entries.forEach(([, e], i) => (e.order = i + 1));
  const index = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const key = keys[i];
    const entry = key === undefined ? undefined : byKey.get(key);
    index[i] = entry === undefined || entry.order === 0 ? -1 : entry.order - 1;
  }
  return { categories: entries.map(([, e]) => e.value), counts: entries.map(([, e]) => e.count), index };
}

function categoryKey(v: CellValue): string {
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

/** Ranks of the non-null values scaled to (0, 1) (ties share their mean rank); NaN stays NaN. */
export function normalizedRanks(values: Float64Array): Float64Array {
  const present: number[] = [];
  for (let i = 0; i < values.length; i++) if (values[i] === values[i]) present.push(i);
  const order = Uint32Array.from(present);
  order.sort((a, b) => (values[a] as number) - (values[b] as number));
  const ranks = new Float64Array(values.length).fill(Number.NaN);
  const n = order.length;
  let i = 0;
  while (i < n) {
    let j = i + 1;
    const v = values[order[i] as number] as number;
    while (j < n && values[order[j] as number] === v) j++;
    const rank = (i + j) / 2 / n;
    for (let k = i; k < j; k++) ranks[order[k] as number] = rank;
    i = j;
  }
  return ranks;
}

/** Numbers of a numeric column; strings that read as numbers count, anything else is missing. */
export function numericValues(values: readonly CellValue[]): Float64Array {
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    let x: number;
    if (typeof v === 'number') x = v;
    else if (typeof v === 'string' && v.trim() !== '') x = Number(v);
    else if (typeof v === 'boolean') x = v ? 1 : 0;
    else x = Number.NaN;
    out[i] = Number.isFinite(x) ? x : Number.NaN;
  }
  return out;
}

/** The non-missing values, sorted ascending. */
export function sortedPresent(values: Float64Array): Float64Array {
  let n = 0;
  for (let i = 0; i < values.length; i++) if (values[i] === values[i]) n++;
  const out = new Float64Array(n);
  for (let i = 0, k = 0; i < values.length; i++) if (values[i] === values[i]) out[k++] = values[i] as number;
  return out.sort();
}

/** Largest number of decimal places detected (and rounded to) in float columns. */
const MAX_DECIMALS = 6;

/** Decimal places (0..6) that every value needs at most, or null when some need more. */
export function detectDecimals(sorted: Float64Array): number | null {
  let decimals = 0;
  const step = Math.max(1, Math.floor(sorted.length / 5000));
  for (let i = 0; i < sorted.length; i += step) {
    const v = sorted[i] as number;
    while (decimals <= MAX_DECIMALS) {
      const scaled = v * 10 ** decimals;
      if (Math.abs(scaled - Math.round(scaled)) <= 1e-9 * Math.max(1, Math.abs(scaled))) break;
      decimals++;
    }
    if (decimals > MAX_DECIMALS) return null;
  }
  return decimals;
}

/** The coarsest of minute, second or millisecond granularity that every timestamp has. */
export function detectResolution(sorted: Float64Array): number {
  let resolution = 60_000;
  for (let i = 0; i < sorted.length && resolution > 1; i++) {
    const v = sorted[i] as number;
    while (resolution > 1 && v % resolution !== 0) resolution = resolution === 60_000 ? 1000 : 1;
  }
  return resolution;
}
