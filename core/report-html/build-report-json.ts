/**
 * Turns the report input into the report's numbers: bounded samples of both tables, per-column
 * distributions, correlation matrices and the other stages' results, in one JSON-safe document.
 */
import { ConfigError } from '../errors.js';
import type { FieldSensitivity } from '../pii/types.js';
import { takeEvenly, type CellValue, type ColumnData } from '../table.js';
import { resolveColumnKind } from './column-kinds.js';
import { correlationMatrix, matrixDifference } from './correlations.js';
import {
  columnNumbers,
  pairedCategories,
  pairedHistogram,
  qqQuantiles,
  sortedFinite,
  valueLengths,
} from './distributions.js';
import {
  ReportColumnKind,
  type HtmlReportInput,
  type ReportCorrelations,
  type ReportSamplingOptions,
} from './input.js';
import { REPORT_DATA_VERSION, type ColumnReportData, type ReportData } from './report-data.js';

/** Defaults of {@link ReportSamplingOptions}. */
export const REPORT_SAMPLING_DEFAULTS = {
  maxSampleRows: 20_000,
  topCategories: 12,
  minCategoryCount: 5,
  bins: 20,
  qqPoints: 49,
  maxHeatmapColumns: 30,
} as const satisfies Required<ReportSamplingOptions>;

/** Significant digits kept in the JSON: enough for second-accurate epoch milliseconds, short enough to stay light. */
const SIGNIFICANT_DIGITS = 10;

/** Rounds every number to {@link SIGNIFICANT_DIGITS} and turns NaN and infinities into null, recursively. */
function jsonSafe(value: unknown): unknown {
  if (typeof value === 'number')
    return Number.isFinite(value) ? Number(value.toPrecision(SIGNIFICANT_DIGITS)) : null;
  if (Array.isArray(value)) return value.map(jsonSafe);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = jsonSafe(v);
    return out;
  }
  return value;
}

function share(part: number, whole: number): number {
  return whole === 0 ? Number.NaN : part / whole;
}

function missingCount(values: readonly CellValue[]): number {
  let n = 0;
  for (const v of values) if (v === null || v === undefined) n++;
  return n;
}

function positiveInteger(value: number | undefined, fallback: number, field: string): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1)
    throw new ConfigError('must be a positive integer', `sampling.${field}`);
  return value;
}

function resolveSampling(options: ReportSamplingOptions = {}): Required<ReportSamplingOptions> {
  const d = REPORT_SAMPLING_DEFAULTS;
  return {
    maxSampleRows: positiveInteger(options.maxSampleRows, d.maxSampleRows, 'maxSampleRows'),
    topCategories: positiveInteger(options.topCategories, d.topCategories, 'topCategories'),
    minCategoryCount: positiveInteger(options.minCategoryCount, d.minCategoryCount, 'minCategoryCount'),
    bins: positiveInteger(options.bins, d.bins, 'bins'),
    qqPoints: positiveInteger(options.qqPoints, d.qqPoints, 'qqPoints'),
    maxHeatmapColumns: positiveInteger(options.maxHeatmapColumns, d.maxHeatmapColumns, 'maxHeatmapColumns'),
  };
}

const EMPTY_COLUMN: readonly CellValue[] = [];

/** The report's numbers (the same document the HTML embeds), JSON-safe: non-finite numbers are null. */
export function buildReportJson(input: HtmlReportInput): ReportData {
  const sampling = resolveSampling(input.sampling);
  const real = takeEvenly(input.real, sampling.maxSampleRows);
  const synthetic = takeEvenly(input.synthetic, sampling.maxSampleRows);
  const syntheticByName = new Map(synthetic.columns.map((c) => [c.name, c]));
  const sensitivityByName = new Map<string, FieldSensitivity>(
    (input.sensitivity?.fields ?? []).map((f) => [f.column, f]),
  );

  const heatmapColumns: { name: string; real: Float64Array; synthetic: Float64Array }[] = [];
  let omittedColumns = 0;
  const columns: ColumnReportData[] = real.columns.map((realColumn: ColumnData) => {
    const syntheticValues = syntheticByName.get(realColumn.name)?.values ?? EMPTY_COLUMN;
    const { kind, valuesHidden } = resolveColumnKind(
      realColumn,
      input.columnKinds?.[realColumn.name],
      sensitivityByName.get(realColumn.name),
    );
    const realMissing = missingCount(realColumn.values);
    const syntheticMissing = missingCount(syntheticValues);
    const column: ColumnReportData = {
      name: realColumn.name,
      kind,
      missing: {
        real: share(realMissing, realColumn.values.length),
        synthetic: share(syntheticMissing, syntheticValues.length),
      },
      counted: {
        real: realColumn.values.length - realMissing,
        synthetic: syntheticValues.length - syntheticMissing,
      },
      metrics: (input.columnMetrics ?? [])
        .filter((m) => m.column === realColumn.name)
        .map((m) => ({ metric: m.metric, value: m.value })),
      ...(valuesHidden === undefined ? {} : { valuesHidden }),
    };
    if (kind === ReportColumnKind.Numeric || kind === ReportColumnKind.Datetime) {
      const datetime = kind === ReportColumnKind.Datetime;
      const realNumbers = columnNumbers(realColumn, datetime);
      const syntheticNumbers = columnNumbers(
        { ...realColumn, values: syntheticValues as CellValue[] },
        datetime,
      );
      const realSorted = sortedFinite(realNumbers);
      const syntheticSorted = sortedFinite(syntheticNumbers);
      // Unreadable cells (text in a number column) count as missing, as they do for the scores.
      column.counted = { real: realSorted.length, synthetic: syntheticSorted.length };
      column.histogram = pairedHistogram(
        realSorted,
        syntheticSorted,
        sampling.bins,
        datetime ? 'epoch_ms' : 'value',
      );
      column.qq = qqQuantiles(realSorted, syntheticSorted, sampling.qqPoints);
      if (heatmapColumns.length < sampling.maxHeatmapColumns)
        heatmapColumns.push({ name: realColumn.name, real: realNumbers, synthetic: syntheticNumbers });
      else omittedColumns++;
    } else if (kind === ReportColumnKind.Text) {
      column.histogram = pairedHistogram(
        sortedFinite(valueLengths(realColumn.values)),
        sortedFinite(valueLengths(syntheticValues)),
        sampling.bins,
        'length',
      );
    } else {
      column.categories = pairedCategories(realColumn.values, syntheticValues, {
        top: sampling.topCategories,
        minCount: sampling.minCategoryCount,
        boolean: kind === ReportColumnKind.Boolean,
      });
    }
    return column;
  });

  const correlations = input.correlations
    ? givenCorrelations(input.correlations, sampling.maxHeatmapColumns)
    : {
        columns: heatmapColumns.map((c) => c.name),
        real: correlationMatrix(heatmapColumns.map((c) => c.real)),
        synthetic: correlationMatrix(heatmapColumns.map((c) => c.synthetic)),
        omittedColumns,
      };
  const details = input.scores.diagnosticDetails ?? [];
  const finiteDiagnostics = details.map((d) => d.score).filter((s) => Number.isFinite(s));
  const diagnostics =
    input.scores.diagnostics ??
    (finiteDiagnostics.length === 0
      ? Number.NaN
      : finiteDiagnostics.reduce((a, b) => a + b, 0) / finiteDiagnostics.length);
  const syntheticRowsTotal = input.syntheticRowsTotal ?? input.synthetic.rowCount;
  const privacy = input.privacy;

  const data = {
    version: REPORT_DATA_VERSION,
    title: input.title,
    generatedAt: input.generatedAt ?? null,
    rows: {
      real: input.real.rowCount,
      synthetic: input.synthetic.rowCount,
      sampledReal: real.rowCount,
      sampledSynthetic: synthetic.rowCount,
    },
    scores: {
      overall: input.scores.overall,
      columnShapes: input.scores.columnShapes,
      columnPairTrends: input.scores.columnPairTrends,
      diagnostics,
      diagnosticDetails: details.map((d) => ({ name: d.name, score: d.score, detail: d.detail })),
    },
    gates: (input.gates ?? []).map((g) => ({ gate: g.gate, passed: g.passed, reasons: [...g.reasons] })),
    columns,
    correlations: {
      ...correlations,
      difference: matrixDifference(correlations.real, correlations.synthetic),
    },
    // Only the declared fields: a DcrReport passed as is also lists column names and row indexes.
    privacy:
      privacy === undefined
        ? null
        : {
            exactCopies: privacy.exactCopies,
            rowsChecked: privacy.rowsChecked,
            exactCopyRate: privacy.exactCopyRate,
            dcr:
              privacy.dcr === undefined
                ? undefined
                : {
                    syntheticRows: privacy.dcr.syntheticRows,
                    trainingRows: privacy.dcr.trainingRows,
                    holdoutRows: privacy.dcr.holdoutRows,
                    dcrTraining: pickDistances(privacy.dcr.dcrTraining),
                    dcrHoldout: pickDistances(privacy.dcr.dcrHoldout),
                    closerToTrainingShare: privacy.dcr.closerToTrainingShare,
                    expectedCloserToTrainingShare: privacy.dcr.expectedCloserToTrainingShare,
                    nndr: pickDistances(privacy.dcr.nndr),
                    overfittingProtection: privacy.dcr.overfittingProtection,
                  },
            dcrReference:
              privacy.dcrReference === undefined
                ? undefined
                : {
                    syntheticRows: privacy.dcrReference.syntheticRows,
                    holdoutRows: privacy.dcrReference.holdoutRows,
                    columns: privacy.dcrReference.columns,
                    synthetic: pickDcrFigures(privacy.dcrReference.synthetic),
                    holdout: pickDcrFigures(privacy.dcrReference.holdout),
                    medianRatio: privacy.dcrReference.medianRatio,
                  },
            leakScan:
              privacy.leakScan === undefined
                ? undefined
                : {
                    checkedValues: privacy.leakScan.checkedValues,
                    findings: privacy.leakScan.findings.map((f) => ({
                      column: f.column,
                      matches: f.matches,
                    })),
                    rowsScanned: privacy.leakScan.rowsScanned,
                    leaks: privacy.leakScan.leaks,
                    locations: privacy.leakScan.locations?.map((l) => ({
                      column: l.column,
                      row: l.row,
                      sensitiveColumn: l.sensitiveColumn,
                    })),
                  },
            generation:
              privacy.generation === undefined
                ? undefined
                : {
                    exactCopies: privacy.generation.exactCopies,
                    rowsChecked: privacy.generation.rowsChecked,
                    sensitiveRedraws: privacy.generation.sensitiveRedraws,
                    sensitiveSampleValues: privacy.generation.sensitiveSampleValues,
                  },
          },
    sensitivity:
      input.sensitivity === undefined
        ? null
        : {
            threshold: input.sensitivity.threshold,
            fields: input.sensitivity.fields.map((f) => ({
              column: f.column,
              kind: f.kind,
              confidence: f.confidence,
              sensitive: f.sensitive,
              reasons: [...f.reasons],
              override: f.override && {
                sensitive: f.override.sensitive,
                kind: f.override.kind,
                by: f.override.by,
                at: f.override.at,
                comment: f.override.comment,
              },
            })),
          },
    approvals: (input.approvals ?? []).map((a) => ({
      gate: a.gate,
      approver: a.approver,
      at: a.at,
      decision: a.decision,
      comment: a.comment,
    })),
    relationships: (input.relationships ?? []).map((r) => ({
      parent: r.parent,
      child: r.child,
      columns: [...r.columns],
      cardinalityShapeSimilarity: r.cardinalityShapeSimilarity,
      referentialIntegrity: r.referentialIntegrity,
      orphans: r.orphans,
    })),
    edgeCases: (input.edgeCases ?? []).map((e) => ({
      rule: e.rule,
      column: e.column,
      requestedFrequency: e.requestedFrequency,
      injectedRows: e.injectedRows,
      totalRows: e.totalRows ?? syntheticRowsTotal,
      injectedFrequency: share(e.injectedRows, e.totalRows ?? syntheticRowsTotal),
    })),
  };
  return jsonSafe(data) as ReportData;
}

/** The first `limit` columns of given matrices (a missing cell is null). */
function givenCorrelations(given: ReportCorrelations, limit: number) {
  const k = Math.min(limit, given.columns.length);
  const square = (m: (number | null)[][]) =>
    Array.from({ length: k }, (_, i) => Array.from({ length: k }, (_, j) => m[i]?.[j] ?? null));
  return {
    columns: given.columns.slice(0, k),
    real: square(given.real),
    synthetic: square(given.synthetic),
    omittedColumns: given.columns.length - k,
  };
}

function pickDcrFigures(d: { median: number; p05: number; zeroShare: number }) {
  return { median: d.median, p05: d.p05, zeroShare: d.zeroShare };
}

function pickDistances(d: { p05: number; p50: number; mean: number }) {
  return { p05: d.p05, p50: d.p50, mean: d.mean };
}
