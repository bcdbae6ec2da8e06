/**
 * Adapts core/evaluation's result to the report input: scores, per-column tests, privacy, the
 * privacy gate, edge-case frequencies and relationships map one to one; the distributions are
 * still drawn from the tables here, with rare categories folded away.
 */
import type {
  EvaluatedColumn,
  EvaluationResult,
  EvaluationSdtype,
  PrivacyGateResult,
} from '../evaluation/types.js';
import type { SensitivityReport } from '../pii/types.js';
import type { Table } from '../table.js';
import { formatNumber } from './format.js';
import {
  ReportColumnKind,
  type HtmlReportInput,
  type ReportApproval,
  type ReportColumnMetric,
  type ReportDcrReference,
  type ReportGate,
  type ReportGenerationPrivacy,
  type ReportLeakScan,
  type ReportSamplingOptions,
} from './input.js';

/** What the report needs beyond the evaluation result. */
export interface EvaluationReportContext {
  title: string;
  /** ISO timestamp for the header. */
  generatedAt?: string;
  /** The tables that were evaluated (the report samples them for its charts). */
  real: Table;
  synthetic: Table;
  sensitivity?: SensitivityReport;
  approvals?: ReportApproval[];
  /** Target column per edge-case rule name (the evaluation names rules only). */
  edgeCaseColumns?: Readonly<Record<string, string>>;
  leakScan?: ReportLeakScan;
  /** DCR with a real-vs-real reference, when the evaluation had no holdout the model never saw. */
  dcrReference?: ReportDcrReference;
  /** What generation did for privacy over every synthetic row. */
  generation?: ReportGenerationPrivacy;
  /** Further gate verdicts (the quality gate); the evaluation's privacy gate is added after them. */
  gates?: ReportGate[];
  syntheticRowsTotal?: number;
  sampling?: ReportSamplingOptions;
}

const KIND_OF_SDTYPE: Record<EvaluationSdtype, ReportColumnKind> = {
  numerical: ReportColumnKind.Numeric,
  datetime: ReportColumnKind.Datetime,
  categorical: ReportColumnKind.Categorical,
  boolean: ReportColumnKind.Boolean,
  id: ReportColumnKind.Text,
  other: ReportColumnKind.Text,
};

/** SDMetrics' metric names in the report's snake_case (`KSComplement` → `ks_complement`). */
export function snakeMetricName(name: string): string {
  return name
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase();
}

const orNaN = (x: number | null | undefined): number => x ?? Number.NaN;

function columnKinds(columns: readonly EvaluatedColumn[]): Record<string, ReportColumnKind> {
  const out: Record<string, ReportColumnKind> = {};
  for (const c of columns) out[c.name] = KIND_OF_SDTYPE[c.sdtype];
  return out;
}

function columnMetrics(result: EvaluationResult): ReportColumnMetric[] {
  const out: ReportColumnMetric[] = [];
  const add = (column: string, metric: string, value: number | null | undefined) => {
    if (value !== undefined) out.push({ column, metric, value: orNaN(value) });
  };
  for (const c of result.quality.columnShapes.columns) add(c.column, snakeMetricName(c.metric), c.score);
  for (const c of result.diagnostics.dataValidity.columns) add(c.column, snakeMetricName(c.metric), c.score);
  for (const s of result.statistics) {
    if (s.ks) {
      add(s.column, 'ks_statistic', s.ks.statistic);
      add(s.column, 'ks_p_value', s.ks.pValue);
    }
    if (s.chiSquared) {
      add(s.column, 'chi_squared', s.chiSquared.statistic);
      add(s.column, 'chi_squared_p_value', s.chiSquared.pValue);
    }
    if (s.wassersteinNormalized !== null) add(s.column, 'wasserstein_normalized', s.wassersteinNormalized);
    if (s.jensenShannonDivergence !== null) add(s.column, 'js_divergence', s.jensenShannonDivergence);
  }
  return out;
}

function privacyGate(gate: PrivacyGateResult): ReportGate {
  return {
    gate: 'privacy',
    passed: gate.pass,
    reasons: gate.failures.map(
      (f) =>
        `${f.metric}: ${f.value === null ? 'not computed' : formatNumber(f.value)} against threshold ${formatNumber(f.threshold)}`,
    ),
  };
}

/** The report input for an evaluation result and the tables it was computed from. */
export function reportInputFromEvaluation(
  result: EvaluationResult,
  context: EvaluationReportContext,
): HtmlReportInput {
  const structure = result.diagnostics.dataStructure;
  const privacy = result.privacy;
  const gates = [...(context.gates ?? []), ...(result.privacyGate ? [privacyGate(result.privacyGate)] : [])];
  return {
    title: context.title,
    generatedAt: context.generatedAt,
    real: context.real,
    synthetic: context.synthetic,
    columnKinds: columnKinds(result.columns),
    scores: {
      overall: orNaN(result.quality.score),
      columnShapes: orNaN(result.quality.columnShapes.score),
      columnPairTrends: orNaN(result.quality.columnPairTrends.score),
      diagnostics: orNaN(result.diagnostics.score),
      diagnosticDetails: [
        {
          name: 'Data validity',
          score: orNaN(result.diagnostics.dataValidity.score),
          detail: `${result.diagnostics.dataValidity.columns.length} column checks (boundary, category, key uniqueness)`,
        },
        {
          name: 'Data structure',
          score: orNaN(structure.score),
          detail:
            `${structure.missingColumns.length} missing, ${structure.extraColumns.length} extra, ` +
            `${structure.typeMismatches.length} retyped columns`,
        },
      ],
    },
    // The evaluation's matrices use every row, so the heatmaps agree with its correlation numbers.
    correlations: {
      columns: [...result.correlation.columns],
      real: result.correlation.real,
      synthetic: result.correlation.synthetic,
    },
    columnMetrics: columnMetrics(result),
    privacy:
      privacy === null
        ? undefined
        : {
            exactCopies: privacy.newRowSynthesis.matchedRows,
            rowsChecked: privacy.newRowSynthesis.syntheticRowsChecked,
            exactCopyRate: privacy.exactCopyRate,
            dcr:
              privacy.dcr === null
                ? undefined
                : {
                    syntheticRows: privacy.dcr.syntheticRowsChecked,
                    trainingRows: result.rows.real,
                    holdoutRows: result.rows.holdout ?? 0,
                    dcrTraining: distances(privacy.dcr.dcrTraining),
                    dcrHoldout: distances(privacy.dcr.dcrHoldout),
                    closerToTrainingShare: privacy.dcr.closerToTrainingShare,
                    expectedCloserToTrainingShare: privacy.dcr.expectedCloserToTrainingShare,
                    nndr: distances(privacy.dcr.nndr),
                    overfittingProtection: privacy.dcr.overfittingProtection,
                  },
            dcrReference: context.dcrReference,
            leakScan: context.leakScan,
            generation: context.generation,
          },
    gates,
    sensitivity: context.sensitivity,
    approvals: context.approvals,
    edgeCases: (result.edgeCases ?? []).map((e) => ({
      rule: e.rule,
      column: context.edgeCaseColumns?.[e.rule],
      requestedFrequency: e.requested,
      injectedRows: e.count,
      totalRows: e.total,
    })),
    relationships: (result.relational?.relationships ?? []).map((r) => ({
      parent: r.parent,
      child: r.child,
      columns: [...r.columns],
      cardinalityShapeSimilarity: orNaN(r.cardinalityShapeSimilarity),
      referentialIntegrity: r.referentialIntegrity,
      orphans: r.orphans,
    })),
    syntheticRowsTotal: context.syntheticRowsTotal,
    sampling: context.sampling,
  };
}

function distances(d: { p05: number | null; p50: number | null; mean: number | null }) {
  return { p05: orNaN(d.p05), p50: orNaN(d.p50), mean: orNaN(d.mean) };
}
