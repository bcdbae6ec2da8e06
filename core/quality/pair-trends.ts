/**
 * Column pair trends, the second half of SDMetrics' quality report (sdmetrics 0.32, checked
 * against its Python QualityReport): for every pair of scored columns, CorrelationSimilarity when
 * both are continuous (numerical/datetime), ContingencySimilarity otherwise, with the continuous
 * side of a mixed pair discretized into ten equal-width bins.
 * - Correlation: Pearson by default (the report's coefficient) over the rows where both values are
 *   present; a pair with a constant column on either table is left out (NaN);
 *   score = 1 − |r_real − r_synthetic| / 2.
 * - Contingency: 1 − ½·Σ|p_real(a,b) − p_synthetic(a,b)| over the joint frequencies, missing values
 *   a category of their own.
 * - Discretization: `np.histogram_bin_edges` (10 bins) of each table's own non-missing values, then
 *   `np.digitize`, so the maximum (and a missing value) land in bin 11, exactly as sdmetrics does.
 * - The property score averages only the pairs that are related in the real data: |r_real| > 0.5
 *   for correlations, Cramér's V > 0.3 for contingencies (sdmetrics' report defaults); the plain
 *   mean over all pairs (what sdmetrics reported before those thresholds) is returned as well.
 * The report's random 50,000-row subsample of large tables is not reproduced: every row counts.
 */
import type { SensitivityReport } from '../pii/index.js';
import type { DatasetProfile } from '../profile/index.js';
import { datetimeColumnToMs } from '../synth/datetime-codec.js';
import type { CellValue, Table } from '../table.js';

/** SDMetrics sdtypes that take part in column pair trends. */
export const PairColumnKind = {
  Numerical: 'numerical',
  Datetime: 'datetime',
  Categorical: 'categorical',
  Boolean: 'boolean',
} as const;
/** One of {@link PairColumnKind}. */
export type PairColumnKind = (typeof PairColumnKind)[keyof typeof PairColumnKind];

/** The trend score of one column pair. */
export interface PairTrendScore {
  column1: string;
  column2: string;
  metric: 'correlation_similarity' | 'contingency_similarity';
  /** 0..1, higher is closer; NaN when the pair cannot be scored (a constant or empty column). */
  score: number;
  /** Whether the pair is related enough in the real data to count in {@link PairTrendResult.score}. */
  contributes: boolean;
  /** Correlation in the real table (correlation pairs only). */
  real?: number;
  /** Correlation in the synthetic table (correlation pairs only). */
  synthetic?: number;
  /** Cramér's V of the real pair (contingency pairs only; NaN for a single row or column). */
  realAssociation?: number;
}

/** Column pair trends of a synthetic table against the real one. */
export interface PairTrendResult {
  /** One entry per column pair, in column order (like itertools.combinations). */
  pairs: PairTrendScore[];
  /** sdmetrics' property score: mean of the contributing pairs' finite scores; NaN when none. */
  score: number;
  /** Mean of every finite pair score, related or not; NaN when none. */
  allPairsScore: number;
}

/** Options of {@link columnPairTrendScores}. */
export interface PairTrendOptions {
  /**
   * Correlation coefficient for continuous pairs; sdmetrics' QualityReport uses Pearson.
   * @default 'pearson'
   */
  coefficient?: 'pearson' | 'spearman';
  /**
   * A continuous pair counts in the score only when |r_real| exceeds this.
   * @default 0.5
   */
  realCorrelationThreshold?: number;
  /**
   * A discrete or mixed pair counts in the score only when the real Cramér's V exceeds this.
   * @default 0.3
   */
  realAssociationThreshold?: number;
}

/** sdmetrics' QualityReport defaults for which pairs count. */
export const PAIR_TREND_THRESHOLDS = { realCorrelation: 0.5, realAssociation: 0.3 } as const;

/** SDMetrics' default number of histogram bins for the continuous side of a mixed pair. */
const DISCRETE_BINS = 10;

/**
 * Pair trend scores over the columns named in `kinds` (taken in the real table's column order);
 * columns missing from either table are skipped.
 */
export function columnPairTrendScores(
  real: Table,
  synthetic: Table,
  kinds: Readonly<Record<string, PairColumnKind>>,
  options: PairTrendOptions = {},
): PairTrendResult {
  const spearman = options.coefficient === 'spearman';
  const correlationThreshold = options.realCorrelationThreshold ?? PAIR_TREND_THRESHOLDS.realCorrelation;
  const associationThreshold = options.realAssociationThreshold ?? PAIR_TREND_THRESHOLDS.realAssociation;
  const synthByName = new Map(synthetic.columns.map((c) => [c.name, c.values]));
  const columns: PreparedColumn[] = [];
  for (const column of real.columns) {
    const kind = Object.hasOwn(kinds, column.name) ? kinds[column.name] : undefined;
    const synthValues = synthByName.get(column.name);
    if (kind === undefined || synthValues === undefined) continue;
    columns.push(prepareColumn(column.name, kind, column.values, synthValues, spearman));
  }

  const pairs: PairTrendScore[] = [];
  const scratch = new ContingencyScratch();
  for (let i = 0; i < columns.length; i++) {
    for (let j = i + 1; j < columns.length; j++) {
      const a = columns[i] as PreparedColumn;
      const b = columns[j] as PreparedColumn;
      const names = { column1: a.name, column2: b.name };
      if (a.continuous !== undefined && b.continuous !== undefined) {
        const c = correlationSimilarity(a.continuous, b.continuous, spearman);
        const contributes = Math.abs(c.real ?? Number.NaN) > correlationThreshold;
        pairs.push({ ...names, metric: 'correlation_similarity', ...c, contributes });
      } else {
        const c = scratch.similarity(a.discrete, b.discrete);
        const contributes = c.realAssociation > associationThreshold;
        pairs.push({ ...names, metric: 'contingency_similarity', ...c, contributes });
      }
    }
  }
  return {
    pairs,
    score: meanFinite(pairs.filter((p) => p.contributes)),
    allPairsScore: meanFinite(pairs),
  };
}

function meanFinite(pairs: readonly PairTrendScore[]): number {
  let sum = 0;
  let count = 0;
  for (const p of pairs) {
    if (Number.isFinite(p.score)) {
      sum += p.score;
      count++;
    }
  }
  return count === 0 ? Number.NaN : sum / count;
}

/**
 * The pair kinds of a profiled table, as sdmetrics' metadata would give them: numbers, datetimes,
 * categories and booleans; keys, free text and (when a sensitivity report is given) sensitive
 * columns are left out, because their values are generated independently by design.
 */
export function pairKindsFromProfile(
  profile: DatasetProfile,
  sensitivity?: SensitivityReport,
): Record<string, PairColumnKind> {
  const sensitive = new Set(
    (sensitivity?.fields ?? []).filter((f) => f.override?.sensitive ?? f.sensitive).map((f) => f.column),
  );
  const kinds: Record<string, PairColumnKind> = {};
  for (const column of profile.columns) {
    if (sensitive.has(column.name)) continue;
    switch (column.semanticType) {
      case 'integer':
      case 'float':
        kinds[column.name] = 'numerical';
        break;
      case 'datetime':
        kinds[column.name] = 'datetime';
        break;
      case 'categorical':
        kinds[column.name] = 'categorical';
        break;
      case 'boolean':
        kinds[column.name] = 'boolean';
        break;
      default:
        break;
    }
  }
  return kinds;
}

/** Integer codes of one column on both tables, sharing one code space. */
interface DiscreteCodes {
  real: Int32Array;
  synthetic: Int32Array;
  /** Codes are 0..cardinality−1. */
  cardinality: number;
}

/** A continuous column's values (NaN = missing) on both tables, with ranks when Spearman is asked for. */
interface ContinuousSeries {
  real: Float64Array;
  synthetic: Float64Array;
  /** Average ranks of a side without missing values (reused by every pair); undefined otherwise. */
  realRanks?: Float64Array;
  syntheticRanks?: Float64Array;
  /** Either side has exactly one distinct non-missing value (sdmetrics' "constant input"). */
  constant: boolean;
}

interface PreparedColumn {
  name: string;
  discrete: DiscreteCodes;
  continuous?: ContinuousSeries;
}

function prepareColumn(
  name: string,
  kind: PairColumnKind,
  real: readonly CellValue[],
  synthetic: readonly CellValue[],
  spearman: boolean,
): PreparedColumn {
  if (kind === 'categorical' || kind === 'boolean') return { name, discrete: categoryCodes(real, synthetic) };
  const toNumbers = kind === 'datetime' ? datetimeColumnToMs : numericColumn;
  const r = toNumbers(real);
  const s = toNumbers(synthetic);
  const discrete: DiscreteCodes = {
    real: digitizeOwnBins(r),
    synthetic: digitizeOwnBins(s),
    cardinality: DISCRETE_BINS + 2,
  };
  const continuous: ContinuousSeries = {
    real: r,
    synthetic: s,
    constant: distinctFiniteIsOne(r) || distinctFiniteIsOne(s),
  };
  if (spearman) {
    if (!hasMissing(r)) continuous.realRanks = averageRanks(r);
    if (!hasMissing(s)) continuous.syntheticRanks = averageRanks(s);
  }
  return { name, discrete, continuous };
}

function correlationSimilarity(
  a: ContinuousSeries,
  b: ContinuousSeries,
  spearman: boolean,
): { score: number; real?: number; synthetic?: number } {
  if (a.constant || b.constant) return { score: Number.NaN };
  const real = spearman
    ? spearmanComplete(a.real, b.real, a.realRanks, b.realRanks)
    : pearsonComplete(a.real, b.real);
  const synthetic = spearman
    ? spearmanComplete(a.synthetic, b.synthetic, a.syntheticRanks, b.syntheticRanks)
    : pearsonComplete(a.synthetic, b.synthetic);
  if (Number.isNaN(real) || Number.isNaN(synthetic)) return { score: Number.NaN, real, synthetic };
  return { score: 1 - Math.abs(real - synthetic) / 2, real, synthetic };
}

/** Pearson's r over the rows where both values are present (scipy's pearsonr after dropna); NaN below two rows or for a constant side. */
function pearsonComplete(x: Float64Array, y: Float64Array): number {
  const n = Math.min(x.length, y.length);
  let count = 0;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    const a = x[i] as number;
    const b = y[i] as number;
    if (a !== a || b !== b) continue;
    mx += a;
    my += b;
    count++;
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

/** Spearman's rho: Pearson of average ranks, reusing per-column ranks when neither side has gaps. */
function spearmanComplete(
  x: Float64Array,
  y: Float64Array,
  xRanks: Float64Array | undefined,
  yRanks: Float64Array | undefined,
): number {
  if (xRanks !== undefined && yRanks !== undefined) return pearsonComplete(xRanks, yRanks);
  const keep: number[] = [];
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] === x[i] && y[i] === y[i]) keep.push(i);
  const xs = Float64Array.from(keep, (i) => x[i] as number);
  const ys = Float64Array.from(keep, (i) => y[i] as number);
  return pearsonComplete(averageRanks(xs), averageRanks(ys));
}

/** Joint-frequency comparison with count tables reused across pairs. */
class ContingencyScratch {
  private realCounts = new Float64Array(0);
  private synthCounts = new Float64Array(0);

  /** 1 − total variation distance between the joint distributions of two coded columns, and the real Cramér's V. */
  similarity(a: DiscreteCodes, b: DiscreteCodes): { score: number; realAssociation: number } {
    const nReal = Math.min(a.real.length, b.real.length);
    const nSynth = Math.min(a.synthetic.length, b.synthetic.length);
    if (nReal === 0 || nSynth === 0) return { score: Number.NaN, realAssociation: Number.NaN };
    const cells = a.cardinality * b.cardinality;
    if (cells > 4_000_000) return sparseSimilarity(a, b, nReal, nSynth);
    if (this.realCounts.length < cells) {
      this.realCounts = new Float64Array(cells);
      this.synthCounts = new Float64Array(cells);
    }
    const rc = this.realCounts;
    const sc = this.synthCounts;
    const kb = b.cardinality;
    const ar = a.real;
    const br = b.real;
    const as = a.synthetic;
    const bs = b.synthetic;
    const rowTotals = new Float64Array(a.cardinality);
    const colTotals = new Float64Array(kb);
    for (let i = 0; i < nReal; i++) {
      const x = ar[i] as number;
      const y = br[i] as number;
      const cell = x * kb + y;
      rc[cell] = (rc[cell] as number) + 1;
      rowTotals[x] = (rowTotals[x] as number) + 1;
      colTotals[y] = (colTotals[y] as number) + 1;
    }
    for (let i = 0; i < nSynth; i++) {
      const cell = (as[i] as number) * kb + (bs[i] as number);
      sc[cell] = (sc[cell] as number) + 1;
    }
    // Visit only touched cells, clearing each on its first visit (so later visits add 0 and the
    // tables are clean for the next pair) instead of sweeping every cell.
    let variation = 0;
    let chi2Sum = 0;
    const invReal = 1 / nReal;
    const invSynth = 1 / nSynth;
    for (let i = 0; i < nReal; i++) {
      const x = ar[i] as number;
      const y = br[i] as number;
      const cell = x * kb + y;
      const r = rc[cell] as number;
      if (r === 0) continue;
      chi2Sum += (r * r) / ((rowTotals[x] as number) * (colTotals[y] as number));
      variation += Math.abs(r * invReal - (sc[cell] as number) * invSynth);
      rc[cell] = 0;
      sc[cell] = 0;
    }
    // What is left are cells only the synthetic table has.
    for (let i = 0; i < nSynth; i++) {
      const cell = (as[i] as number) * kb + (bs[i] as number);
      variation += (sc[cell] as number) * invSynth;
      sc[cell] = 0;
    }
    return {
      score: 1 - variation / 2,
      realAssociation: cramersV(chi2Sum, nReal, countPositive(rowTotals), countPositive(colTotals)),
    };
  }
}

/**
 * Cramér's V as scipy's `association(method='cramer')` on the table of the values present, from
 * Σ O²/(R·C) over its non-empty cells (chi² = n·(Σ − 1)); NaN for a single row or column.
 */
function cramersV(chi2Sum: number, n: number, rows: number, cols: number): number {
  if (rows < 2 || cols < 2) return Number.NaN;
  const chi2 = Math.max(0, n * (chi2Sum - 1));
  return Math.sqrt(chi2 / n / Math.min(rows - 1, cols - 1));
}

function countPositive(totals: Float64Array): number {
  let n = 0;
  for (let i = 0; i < totals.length; i++) if ((totals[i] as number) > 0) n++;
  return n;
}

function sparseSimilarity(
  a: DiscreteCodes,
  b: DiscreteCodes,
  nReal: number,
  nSynth: number,
): { score: number; realAssociation: number } {
  const kb = b.cardinality;
  const counts = new Map<number, [number, number]>();
  const rowTotals = new Float64Array(a.cardinality);
  const colTotals = new Float64Array(kb);
  for (let i = 0; i < nReal; i++) {
    const x = a.real[i] as number;
    const y = b.real[i] as number;
    rowTotals[x] = (rowTotals[x] as number) + 1;
    colTotals[y] = (colTotals[y] as number) + 1;
    const cell = x * kb + y;
    const entry = counts.get(cell);
    if (entry === undefined) counts.set(cell, [1, 0]);
    else entry[0]++;
  }
  for (let i = 0; i < nSynth; i++) {
    const cell = (a.synthetic[i] as number) * kb + (b.synthetic[i] as number);
    const entry = counts.get(cell);
    if (entry === undefined) counts.set(cell, [0, 1]);
    else entry[1]++;
  }
  let variation = 0;
  let chi2Sum = 0;
  for (const [cell, [r, s]] of counts) {
    variation += Math.abs(r / nReal - s / nSynth);
    if (r === 0) continue;
    const x = Math.floor(cell / kb);
    chi2Sum += (r * r) / ((rowTotals[x] as number) * (colTotals[cell - x * kb] as number));
  }
  return {
    score: 1 - variation / 2,
    realAssociation: cramersV(chi2Sum, nReal, countPositive(rowTotals), countPositive(colTotals)),
  };
}

/** Codes by SameValueZero identity (so 1, "1" and true differ, as in pandas), null a code of its own. */
function categoryCodes(real: readonly CellValue[], synthetic: readonly CellValue[]): DiscreteCodes {
  const codes = new Map<CellValue, number>();
  const encode = (values: readonly CellValue[]): Int32Array => {
    const out = new Int32Array(values.length);
    for (let i = 0; i < values.length; i++) {
      let v = values[i] ?? null;
      // NaN is a missing value to pandas.
      if (typeof v === 'number' && Number.isNaN(v)) v = null;
      let code = codes.get(v);
      if (code === undefined) {
        code = codes.size;
        codes.set(v, code);
      }
      out[i] = code;
    }
    return out;
  };
  const r = encode(real);
  const s = encode(synthetic);
  return { real: r, synthetic: s, cardinality: Math.max(1, codes.size) };
}

/**
 * `np.digitize(x, np.histogram_bin_edges(x.dropna()))`: ten equal-width bins of the column's own
 * range (±0.5 when constant, [0, 1] when empty); bin i holds edge[i−1] ≤ x < edge[i], so the
 * maximum and every missing value get code 11.
 */
function digitizeOwnBins(values: Float64Array): Int32Array {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (v !== v) continue;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (min === Infinity) {
    min = 0;
    max = 1;
  } else if (min === max) {
    min -= 0.5;
    max += 0.5;
  }
  // np.linspace: edge i = start + i·step, with the last edge exactly the stop.
  const edges = new Float64Array(DISCRETE_BINS + 1);
  const step = (max - min) / DISCRETE_BINS;
  for (let i = 0; i < DISCRETE_BINS; i++) edges[i] = i * step + min;
  edges[DISCRETE_BINS] = max;
  const out = new Int32Array(values.length);
  const top = DISCRETE_BINS + 1;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (v !== v || v >= max) {
      out[i] = top;
      continue;
    }
    let code = 0;
    while (code < top && v >= (edges[code] as number)) code++;
    out[i] = code;
  }
  return out;
}

function distinctFiniteIsOne(values: Float64Array): boolean {
  let first = Number.NaN;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (v !== v) continue;
    if (first !== first) first = v;
    else if (v !== first) return false;
  }
  return first === first;
}

function hasMissing(values: Float64Array): boolean {
  for (let i = 0; i < values.length; i++) if (values[i] !== values[i]) return true;
  return false;
}

/** Average ranks (1-based, ties share their mean rank), as scipy's rankdata; computed once per column. */
function averageRanks(values: Float64Array): Float64Array {
  const n = values.length;
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((p, q) => (values[p] as number) - (values[q] as number));
  const ranks = new Float64Array(n);
  let i = 0;
  while (i < n) {
    let j = i + 1;
    const v = values[order[i] as number] as number;
    while (j < n && values[order[j] as number] === v) j++;
    const rank = (i + j + 1) / 2;
    for (let k = i; k < j; k++) ranks[order[k] as number] = rank;
    i = j;
  }
  return ranks;
}

function numericColumn(values: readonly CellValue[]): Float64Array {
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    let x: number;
    if (typeof v === 'number') x = v;
    else if (typeof v === 'boolean') x = v ? 1 : 0;
    else if (typeof v === 'string' && v.trim() !== '') x = Number(v);
    else x = Number.NaN;
    out[i] = Number.isFinite(x) ? x : Number.NaN;
  }
  return out;
}
