/**
 * Distance to closest record (DCR): how near synthetic rows come to the real rows they were
 * trained on, judged against a holdout of the real sample the synthesizer never saw. A synthesizer
 * that generalises puts its rows no nearer to training rows than to holdout rows: for a synthetic
 * row, "nearer to training than to holdout" is the event that its nearest real row lies in the
 * training part, which has probability nT / (nT + nH) when synthetic rows are exchangeable with
 * real ones (½ for equal sizes). Shares well above that, DCR quantiles well below the holdout's,
 * small nearest-neighbour distance ratios and exact copies all point to memorised records.
 */
import type { CellValue, ColumnData, Table } from '../table.js';
import { createGowerLayout, encodeGowerRows } from './gower-encoding.js';
import { buildNeighbourIndex, findNearest } from './nearest-neighbours.js';

/** Distances closer than this count as equal when comparing training and holdout. */
const TIE_TOLERANCE = 1e-12;

/** Options of {@link computeDcr}. */
export interface DcrOptions {
  /**
   * Columns compared. Keys and other columns unique by construction make every row differ by the
   * same amount and hide everything else (and slow the search), so by default they are left out.
   * @default the columns the three tables share, in the training table's order, except non-numeric
   *   columns whose training values are all distinct (keys, free text)
   */
  columns?: readonly string[];
}

/** Summary of a distribution of distances. */
export interface DistanceQuantiles {
  p05: number;
  p50: number;
  mean: number;
}

/** The DCR report of a synthetic table. */
export interface DcrReport {
  syntheticRows: number;
  trainingRows: number;
  holdoutRows: number;
  columns: string[];
  /** Shared columns left out by default because every training value in them is distinct. */
  excludedColumns: string[];
  /** Distance from each synthetic row to its nearest training row (mean Gower, 0..1). */
  dcrTraining: DistanceQuantiles;
  /** The same against the holdout, as the reference for what a fresh sample of the population gives. */
  dcrHoldout: DistanceQuantiles;
  /** Share of synthetic rows strictly nearer to training than to holdout (ties, within 1e-12, count half). */
  closerToTrainingShare: number;
  /** What that share would be for rows exchangeable with the real ones: nT / (nT + nH). */
  expectedCloserToTrainingShare: number;
  /** Nearest / second-nearest training distance per synthetic row (0/0 counts as 1: two equally near records). */
  nndr: DistanceQuantiles;
  /** Synthetic rows at distance 0 from a training row (equal in every compared column). */
  exactCopies: number;
  /** Synthetic rows at distance 0 from a holdout row, for comparison. */
  holdoutExactCopies: number;
}

/** The q-quantile (linear interpolation) of ascending finite values; NaN when empty. */
function quantileSorted(sorted: Float64Array, q: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const at = q * (n - 1);
  const lo = Math.floor(at);
  const hi = Math.min(n - 1, lo + 1);
  return (sorted[lo] as number) + ((sorted[hi] as number) - (sorted[lo] as number)) * (at - lo);
}

function summarize(values: Float64Array): DistanceQuantiles {
  const finite = values.filter((v) => Number.isFinite(v)).sort();
  let sum = 0;
  for (const v of finite) sum += v;
  return {
    p05: quantileSorted(finite, 0.05),
    p50: quantileSorted(finite, 0.5),
    mean: finite.length === 0 ? Number.NaN : sum / finite.length,
  };
}

/** A non-numeric column whose non-null values are all distinct (more than one of them): a key or free text. */
function isKeyLike(column: ColumnData): boolean {
  if (
    column.type === 'integer' ||
    column.type === 'float' ||
    column.type === 'date' ||
    column.type === 'timestamp'
  )
    return false;
  const seen = new Set<CellValue>();
  for (const v of column.values) {
    if (v === null) continue;
    if (seen.has(v)) return false;
    seen.add(v);
  }
  return seen.size > 1;
}

/**
 * Computes the DCR report of `synthetic` against the `training` rows and a `holdout` of the real
 * sample, with Gower distance over the compared columns (numbers and dates scaled by the real
 * range, everything else equal-or-not).
 */
export function computeDcr(
  input: { synthetic: Table; training: Table; holdout: Table },
  options: DcrOptions = {},
): DcrReport {
  const { synthetic, training, holdout } = input;
  const shared = training.columns.filter(
    (c) => synthetic.columns.some((s) => s.name === c.name) && holdout.columns.some((h) => h.name === c.name),
  );
  const excluded = options.columns !== undefined ? [] : shared.filter(isKeyLike).map((c) => c.name);
  const columns =
    options.columns !== undefined
      ? [...options.columns]
      : shared.map((c) => c.name).filter((name) => !excluded.includes(name));
  const layout = createGowerLayout([training, holdout], columns);
  const trainingRows = encodeGowerRows(training, layout);
  const holdoutRows = encodeGowerRows(holdout, layout);
  const syntheticRows = encodeGowerRows(synthetic, layout);
  const toTraining = findNearest(buildNeighbourIndex(trainingRows, layout), syntheticRows, 2);
  const toHoldout = findNearest(buildNeighbourIndex(holdoutRows, layout), syntheticRows, 1);
  const n = synthetic.rowCount;
  let closer = 0;
  let exactCopies = 0;
  let holdoutExactCopies = 0;
  const nndr = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const t = toTraining.first[i] as number;
    const h = toHoldout.first[i] as number;
    // Equal distances reached through different columns may differ in the last bits of the sum.
    if (Math.abs(t - h) <= TIE_TOLERANCE) closer += 0.5;
    else if (t < h) closer += 1;
    if (t === 0) exactCopies++;
    if (h === 0) holdoutExactCopies++;
    const second = toTraining.second[i] as number;
    nndr[i] = second > 0 ? t / second : second === 0 ? 1 : Number.NaN;
  }
  return {
    syntheticRows: n,
    trainingRows: training.rowCount,
    holdoutRows: holdout.rowCount,
    columns: [...layout.numeric, ...layout.categorical],
    excludedColumns: excluded,
    dcrTraining: summarize(toTraining.first),
    dcrHoldout: summarize(toHoldout.first),
    closerToTrainingShare: n === 0 ? Number.NaN : closer / n,
    expectedCloserToTrainingShare:
      training.rowCount + holdout.rowCount === 0
        ? Number.NaN
        : training.rowCount / (training.rowCount + holdout.rowCount),
    nndr: summarize(nndr),
    exactCopies,
    holdoutExactCopies,
  };
}
