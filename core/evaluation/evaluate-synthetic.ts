/**
 * The whole evaluation of a synthetic table against its real sample: SDMetrics' QualityReport and
 * DiagnosticReport, per-column tests, correlation matrices, chart data, privacy numbers and gate,
 * edge-case frequencies and, given the tables of a database, the relational numbers.
 */
import type { Table } from '../table.js';
import {
  columnByName,
  isContinuous,
  isDiscrete,
  numericValues,
  resolveColumns,
  sortedFinite,
} from './columns.js';
import { diagnose } from './diagnostics.js';
import { categoryDistribution, numericDistribution } from './distributions.js';
import { evaluatePrivacy, evaluatePrivacyGate } from './privacy.js';
import { columnPairTrends, columnShapes, overallQuality, PAIR_TREND_ROW_LIMIT } from './quality-report.js';
import { evaluateRelationships } from './relational.js';
import {
  categoryCounts,
  categoryJensenShannon,
  chiSquaredTest,
  compareCorrelations,
  edgeCaseFrequencies,
  histogramJensenShannon,
  ksTest,
  wassersteinNormalized,
} from './statistics.js';
import {
  EVALUATION_RESULT_VERSION,
  type ColumnDistribution,
  type ColumnStatistics,
  type EvaluatedColumn,
  type EvaluateSyntheticInput,
  type EvaluationResult,
  type EvaluationTimings,
} from './types.js';

/** Evaluates a synthetic table against its real sample (and holdout, and database, when given). */
export function evaluateSynthetic(input: EvaluateSyntheticInput): EvaluationResult {
  const { real, synthetic, holdout, metadata, options = {} } = input;
  const clock = options.clock;
  const timings: EvaluationTimings = {
    columnShapes: 0,
    columnPairTrends: 0,
    diagnostics: 0,
    statistics: 0,
    distributions: 0,
    privacy: 0,
    relational: 0,
    total: 0,
  };
  const started = clock?.() ?? 0;
  const timed = <T>(part: Exclude<keyof EvaluationTimings, 'total'>, run: () => T): T => {
    const t0 = clock?.() ?? 0;
    const out = run();
    if (clock !== undefined) timings[part] += clock() - t0;
    return out;
  };

  const columns = resolveColumns(real, metadata);
  const shapes = timed('columnShapes', () => columnShapes(real, synthetic, columns));
  const primaryKey = metadata?.primaryKey === undefined ? undefined : [metadata.primaryKey].flat();
  const diagnostics = timed('diagnostics', () => diagnose(real, synthetic, columns, primaryKey));
  const scored = columns.filter(
    (c) => (isContinuous(c.sdtype) || isDiscrete(c.sdtype)) && columnByName(synthetic, c.name) !== undefined,
  );
  const { statistics, correlation } = timed('statistics', () => columnStatistics(real, synthetic, scored));
  const trends = timed('columnPairTrends', () =>
    columnPairTrends(
      real,
      synthetic,
      columns,
      options.pairTrendRowLimit ?? PAIR_TREND_ROW_LIMIT,
      correlation,
    ),
  );
  const distributions = timed('distributions', () =>
    columnDistributions(real, synthetic, scored, options.histogramBins ?? 20, options.maxCategories ?? 20),
  );
  const privacyOption = options.privacy;
  const privacy =
    privacyOption === false
      ? null
      : timed('privacy', () => evaluatePrivacy(real, synthetic, holdout, columns, privacyOption));
  const privacyGate =
    privacy !== null && options.privacyThresholds !== undefined
      ? evaluatePrivacyGate(privacy, options.privacyThresholds)
      : null;
  const relational =
    input.relational === undefined
      ? null
      : timed('relational', () => evaluateRelationships(input.relational!));
  if (clock !== undefined) timings.total = clock() - started;

  return {
    version: EVALUATION_RESULT_VERSION,
    rows: { real: real.rowCount, synthetic: synthetic.rowCount, holdout: holdout?.rowCount ?? null },
    columns,
    quality: {
      score: overallQuality(shapes.score, trends.score),
      columnShapes: shapes,
      columnPairTrends: trends,
    },
    diagnostics,
    statistics,
    correlation,
    distributions,
    edgeCases: options.edgeCases === undefined ? null : edgeCaseFrequencies(options.edgeCases),
    privacy,
    privacyGate,
    relational,
    timings: clock === undefined ? null : timings,
  };
}

function columnStatistics(
  real: Table,
  synthetic: Table,
  columns: readonly EvaluatedColumn[],
): Pick<EvaluationResult, 'statistics' | 'correlation'> {
  const statistics: ColumnStatistics[] = [];
  const corrNames: string[] = [];
  const corrReal: Float64Array[] = [];
  const corrSynth: Float64Array[] = [];
  for (const column of columns) {
    const r = (columnByName(real, column.name) as Table['columns'][number]).values;
    const s = (columnByName(synthetic, column.name) as Table['columns'][number]).values;
    const base = {
      column: column.name,
      sdtype: column.sdtype,
      realNullShare: nullShare(r),
      syntheticNullShare: nullShare(s),
    };
    if (isContinuous(column.sdtype)) {
      const rn = numericValues(r, column.sdtype);
      const sn = numericValues(s, column.sdtype);
      corrNames.push(column.name);
      corrReal.push(rn);
      corrSynth.push(sn);
      const rs = sortedFinite(rn);
      const ss = sortedFinite(sn);
      statistics.push({
        ...base,
        realCount: rs.length,
        syntheticCount: ss.length,
        ks: ksTest(rs, ss),
        chiSquared: null,
        wassersteinNormalized: wassersteinNormalized(rs, ss),
        jensenShannonDivergence: histogramJensenShannon(rs, ss),
      });
    } else {
      const rc = categoryCounts(r);
      const sc = categoryCounts(s);
      statistics.push({
        ...base,
        realCount: sum(rc.values()),
        syntheticCount: sum(sc.values()),
        ks: null,
        chiSquared: chiSquaredTest(rc, sc),
        wassersteinNormalized: null,
        jensenShannonDivergence: categoryJensenShannon(rc, sc),
      });
    }
  }
  return { statistics, correlation: compareCorrelations(corrNames, corrReal, corrSynth) };
}

function columnDistributions(
  real: Table,
  synthetic: Table,
  columns: readonly EvaluatedColumn[],
  bins: number,
  maxCategories: number,
): ColumnDistribution[] {
  return columns.map((column) => {
    const r = (columnByName(real, column.name) as Table['columns'][number]).values;
    const s = (columnByName(synthetic, column.name) as Table['columns'][number]).values;
    if (!isContinuous(column.sdtype)) return categoryDistribution(column.name, r, s, maxCategories);
    return numericDistribution(
      column.name,
      sortedFinite(numericValues(r, column.sdtype)),
      sortedFinite(numericValues(s, column.sdtype)),
      bins,
      column.sdtype === 'datetime',
    );
  });
}

function nullShare(values: readonly unknown[]): number {
  if (values.length === 0) return 0;
  let n = 0;
  for (const v of values)
    if (v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v))) n++;
  return n / values.length;
}

function sum(values: Iterable<number>): number {
  let s = 0;
  for (const v of values) s += v;
  return s;
}
