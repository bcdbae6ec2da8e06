/**
 * SDMetrics' single-table QualityReport: Column Shapes (KSComplement, TVComplement with missing
 * values dropped, as SDMetrics) and Column Pair Trends (core/quality's pair trends, which match
 * sdmetrics 0.32), the overall score the mean of the two property scores. Like SDMetrics, the
 * contingency pairs of tables over the row limit are computed on a subsample (here evenly spaced
 * rows, so the result is deterministic) while correlations use every row.
 */
import {
  columnPairTrendScores,
  ksStatisticSorted,
  PAIR_TREND_THRESHOLDS,
  tvComplementOf,
  type PairColumnKind,
  type PairTrendScore,
} from '../quality/index.js';
import type { Table } from '../table.js';
import {
  columnByName,
  evenRows,
  finiteOrNull,
  isContinuous,
  isDiscrete,
  meanOfPresent,
  numericValues,
  pickRows,
  sortedFinite,
} from './columns.js';
import type {
  ColumnShapeDetail,
  CorrelationComparison,
  EvaluatedColumn,
  PairTrendDetail,
  QualityResult,
} from './types.js';

/** SDMetrics' DEFAULT_NUM_ROWS_SUBSAMPLE for contingency pairs. */
export const PAIR_TREND_ROW_LIMIT = 50_000;

/** Column Shapes: one score per numerical, datetime, categorical and boolean column present in both tables. */
export function columnShapes(
  real: Table,
  synthetic: Table,
  columns: readonly EvaluatedColumn[],
): QualityResult['columnShapes'] {
  const details: ColumnShapeDetail[] = [];
  for (const column of columns) {
    const r = columnByName(real, column.name);
    const s = columnByName(synthetic, column.name);
    if (r === undefined || s === undefined) continue;
    if (isContinuous(column.sdtype)) {
      const score = ksComplementSorted(
        sortedFinite(numericValues(r.values, column.sdtype)),
        sortedFinite(numericValues(s.values, column.sdtype)),
      );
      details.push({ column: column.name, metric: 'KSComplement', score: unitOrNull(score) });
    } else if (isDiscrete(column.sdtype)) {
      const score = tvComplementOf(r.values, s.values, { nulls: 'drop' });
      details.push({ column: column.name, metric: 'TVComplement', score: unitOrNull(score) });
    }
  }
  return { score: meanOfPresent(details.map((d) => d.score)), columns: details };
}

/**
 * Column Pair Trends over the scored columns, with SDMetrics' report thresholds. When the tables
 * are subsampled, the correlation pairs come from `correlation` (Pearson over every row, as
 * SDMetrics computes them) when given, else from a second pass over the full tables.
 */
export function columnPairTrends(
  real: Table,
  synthetic: Table,
  columns: readonly EvaluatedColumn[],
  rowLimit: number = PAIR_TREND_ROW_LIMIT,
  correlation?: CorrelationComparison,
): QualityResult['columnPairTrends'] {
  const kinds: Record<string, PairColumnKind> = {};
  const continuousKinds: Record<string, PairColumnKind> = {};
  for (const c of columns) {
    if (columnByName(synthetic, c.name) === undefined) continue;
    if (isContinuous(c.sdtype) || isDiscrete(c.sdtype)) kinds[c.name] = c.sdtype as PairColumnKind;
    if (isContinuous(c.sdtype)) continuousKinds[c.name] = c.sdtype as PairColumnKind;
  }
  const subsample = Math.max(real.rowCount, synthetic.rowCount) > rowLimit;
  const realSample = subsample ? pickRows(real, evenRows(real.rowCount, rowLimit)) : real;
  const synthSample = subsample ? pickRows(synthetic, evenRows(synthetic.rowCount, rowLimit)) : synthetic;
  const sampled = columnPairTrendScores(realSample, synthSample, kinds);
  const correlations = new Map<string, PairTrendScore>();
  if (subsample && correlation !== undefined) {
    for (const p of sampled.pairs)
      if (p.metric === 'correlation_similarity')
        correlations.set(`${p.column1}\u0000${p.column2}`, fromMatrix(p, correlation));
  } else {
    const full = subsample ? columnPairTrendScores(real, synthetic, continuousKinds) : sampled;
    for (const p of full.pairs)
      if (p.metric === 'correlation_similarity') correlations.set(`${p.column1}\u0000${p.column2}`, p);
  }
  const pairs: PairTrendDetail[] = sampled.pairs.map((p) => {
    const q =
      p.metric === 'correlation_similarity' ? (correlations.get(`${p.column1}\u0000${p.column2}`) ?? p) : p;
    return {
      column1: q.column1,
      column2: q.column2,
      metric: q.metric === 'correlation_similarity' ? 'CorrelationSimilarity' : 'ContingencySimilarity',
      score: unitOrNull(q.score),
      realCorrelation: q.real === undefined ? null : finiteOrNull(q.real),
      syntheticCorrelation: q.synthetic === undefined ? null : finiteOrNull(q.synthetic),
      realAssociation: q.realAssociation === undefined ? null : finiteOrNull(q.realAssociation),
      meetsThreshold: q.contributes,
    };
  });
  return {
    score: meanOfPresent(pairs.filter((p) => p.meetsThreshold).map((p) => p.score)),
    allPairsScore: meanOfPresent(pairs.map((p) => p.score)),
    thresholds: {
      realCorrelation: PAIR_TREND_THRESHOLDS.realCorrelation,
      realAssociation: PAIR_TREND_THRESHOLDS.realAssociation,
    },
    rowsUsed: { real: realSample.rowCount, synthetic: synthSample.rowCount },
    pairs,
  };
}

/** The QualityReport's overall score: np.nanmean of the two property scores. */
export function overallQuality(shapes: number | null, trends: number | null): number | null {
  return meanOfPresent([shapes, trends]);
}

/** A score as JSON: null when incomputable, clamped to [0, 1] against rounding (1 − Σ… can land a few ulps outside). */
function unitOrNull(x: number): number | null {
  return Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : null;
}

/** A correlation pair rescored from the full-table Pearson matrices. */
function fromMatrix(pair: PairTrendScore, correlation: CorrelationComparison): PairTrendScore {
  const i = correlation.columns.indexOf(pair.column1);
  const j = correlation.columns.indexOf(pair.column2);
  const real = correlation.real[i]?.[j] ?? null;
  const synthetic = correlation.synthetic[i]?.[j] ?? null;
  if (real === null || synthetic === null)
    return {
      ...pair,
      score: Number.NaN,
      contributes: real !== null && Math.abs(real) > PAIR_TREND_THRESHOLDS.realCorrelation,
    };
  return {
    ...pair,
    score: 1 - Math.abs(real - synthetic) / 2,
    real,
    synthetic,
    contributes: Math.abs(real) > PAIR_TREND_THRESHOLDS.realCorrelation,
  };
}

/**
 * sdmetrics KSComplement from sorted finite samples: values rounded to 14 decimals as sdmetrics
 * does (rounding keeps the order, so no re-sort), NaN when a side is empty.
 */
function ksComplementSorted(a: Float64Array, b: Float64Array): number {
  if (a.length === 0 || b.length === 0) return Number.NaN;
  return 1 - ksStatisticSorted(roundedSorted(a), roundedSorted(b));
}

const ROUND_SCALE = 1e14;

function roundedSorted(values: Float64Array): Float64Array {
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    const scaled = v * ROUND_SCALE;
    if (!Number.isFinite(scaled) || Math.abs(scaled) >= 2 ** 52) {
      out[i] = v;
      continue;
    }
    // numpy.round: half to even.
    let r = Math.round(scaled);
    if (r - scaled === 0.5 && r % 2 !== 0) r -= 1;
    out[i] = r / ROUND_SCALE + 0;
  }
  return out;
}
