/**
 * What the HTML report is drawn from: the two tables (distributions, quantiles and correlations
 * are computed here, on bounded samples) plus numbers other stages already computed (scores,
 * privacy, sensitivity, approvals, edge cases), in small plain shapes that any evaluation result
 * can be adapted to.
 */
import type { SensitivityReport } from '../pii/types.js';
import type { Table } from '../table.js';

/** How a column is charted. */
export const ReportColumnKind = {
  /** Histogram and QQ plot. */
  Numeric: 'numeric',
  /** Histogram and QQ plot over epoch milliseconds, labelled as dates. */
  Datetime: 'datetime',
  /** Bar chart of the most frequent categories, the rest folded into "other". */
  Categorical: 'categorical',
  /** Bar chart of true / false / missing. */
  Boolean: 'boolean',
  /** Histogram of value lengths: keys, free text and sensitive columns, whose values are never shown. */
  Text: 'text',
} as const;
/** One of {@link ReportColumnKind}. */
export type ReportColumnKind = (typeof ReportColumnKind)[keyof typeof ReportColumnKind];

/** One named score in 0..1 (NaN when it could not be computed). */
export interface ReportScore {
  name: string;
  score: number;
  /** A short explanation without data values (which metric, how many items). */
  detail?: string;
}

/** The headline quality scores. */
export interface ReportScores {
  /** Overall quality score (SDMetrics QualityReport: mean of shapes and pair trends). */
  overall: number;
  columnShapes: number;
  columnPairTrends: number;
  /** Mean of the diagnostics (validity and structure); omitted when none were run. */
  diagnostics?: number;
  /** Each diagnostic (BoundaryAdherence, CategoryAdherence, KeyUniqueness, table structure, …). */
  diagnosticDetails?: ReportScore[];
}

/** One per-column number: a shape score or a statistical test result. */
export interface ReportColumnMetric {
  column: string;
  /** e.g. `ks_complement`, `ks_p_value`, `chi_squared`, `wasserstein`, `js_divergence`. */
  metric: string;
  value: number;
}

/** Three points of a distance distribution. */
export interface ReportDistanceSummary {
  p05: number;
  p50: number;
  mean: number;
}

/** Distance to closest record against a holdout (core/privacy DcrReport fits as is). */
export interface ReportDcr {
  syntheticRows: number;
  trainingRows: number;
  holdoutRows: number;
  dcrTraining: ReportDistanceSummary;
  dcrHoldout: ReportDistanceSummary;
  closerToTrainingShare: number;
  expectedCloserToTrainingShare: number;
  nndr: ReportDistanceSummary;
  /** SDMetrics DCROverfittingProtection (0..1, higher is safer), when computed. */
  overfittingProtection?: number;
}

/** The sensitive-value leak scan: counts and places only, never the values found. */
export interface ReportLeakScan {
  /** Synthetic values checked. */
  checkedValues: number;
  findings: { column: string; matches: number }[];
  /** Synthetic rows scanned (a subsample of a large run). */
  rowsScanned?: number;
  /** Leaks found in all (also those beyond `locations`). */
  leaks?: number;
  /** Where the first leaks are: output column, synthetic row, and the sensitive sample column whose value it carries. */
  locations?: ReportLeakLocation[];
}

/** One place a sensitive sample value appeared in the synthetic output (never the value itself). */
export interface ReportLeakLocation {
  column: string;
  row: number;
  sensitiveColumn: string;
}

/**
 * Distance to closest record without a holdout the model never saw: synthetic rows against the
 * sample, and held-out real rows against the rest of the sample as the reference
 * (core/privacy/dcr-summary.ts).
 */
export interface ReportDcrReference {
  syntheticRows: number;
  holdoutRows: number;
  /** Columns compared. */
  columns: number;
  synthetic: { median: number; p05: number; zeroShare: number };
  holdout: { median: number; p05: number; zeroShare: number };
  /** synthetic median / holdout median: near 1, synthetic rows are as far from real rows as real rows are from each other. */
  medianRatio: number;
}

/** Privacy work done while generating every synthetic row (not a subsample). */
export interface ReportGenerationPrivacy {
  /** Rows equal to a sample row in every column after resampling, and the rows checked. */
  exactCopies: number;
  rowsChecked: number;
  /** Sensitive cells redrawn because they equalled a sample value. */
  sensitiveRedraws: number;
  /** Sensitive cells still equal to a sample value after every redraw. */
  sensitiveSampleValues: number;
}

/** A gate's verdict (quality or privacy). */
export interface ReportGate {
  gate: string;
  passed: boolean;
  /** Why, without data values (e.g. "overall 0.71 < threshold 0.80"). */
  reasons: string[];
}

/** The privacy section. */
export interface ReportPrivacy {
  exactCopies: number;
  rowsChecked: number;
  /** exactCopies / rowsChecked. */
  exactCopyRate: number;
  dcr?: ReportDcr;
  /** DCR against the sample with a real-vs-real reference, when no true holdout exists. */
  dcrReference?: ReportDcrReference;
  leakScan?: ReportLeakScan;
  generation?: ReportGenerationPrivacy;
}

/** One recorded approval decision. */
export interface ReportApproval {
  gate: string;
  approver: string;
  /** ISO timestamp. */
  at: string;
  decision: string;
  comment?: string;
}

/** What one edge-case rule asked for and what was injected. */
export interface ReportEdgeCase {
  /** Rule kind, e.g. `null`, `boundary`, `malformed`. */
  rule: string;
  /** The column the rule targets, when known. */
  column?: string;
  /** Share of rows requested (0..1). */
  requestedFrequency: number;
  injectedRows: number;
  /** Rows the share is taken of; default {@link HtmlReportInput.syntheticRowsTotal}. */
  totalRows?: number;
}

/** Correlation matrices computed elsewhere (over all rows), drawn instead of the report's sampled ones. */
export interface ReportCorrelations {
  columns: string[];
  /** Pearson correlations in the real table, null where undefined. */
  real: (number | null)[][];
  synthetic: (number | null)[][];
}

/** One parent–child relationship of a multi-table evaluation. */
export interface ReportRelationship {
  parent: string;
  child: string;
  /** Foreign-key columns of the child. */
  columns: string[];
  /** SDMetrics CardinalityShapeSimilarity (0..1). */
  cardinalityShapeSimilarity: number;
  /** Share of synthetic child references that find their parent (0..1). */
  referentialIntegrity: number;
  orphans: number;
}

/** Bounds on the work the report does with the tables. */
export interface ReportSamplingOptions {
  /**
   * Rows taken (evenly spaced) from each table for distributions, quantiles and correlations.
   * @default 20000
   */
  maxSampleRows?: number;
  /**
   * Categories shown per categorical column, by real frequency; the rest are folded into "other".
   * @default 12
   */
  topCategories?: number;
  /**
   * A category seen fewer times than this in the real sample is never named (folded into "other"),
   * so rare values (which identify people) stay out of the report.
   * @default 5
   */
  minCategoryCount?: number;
  /**
   * Histogram bins of numeric, datetime and length charts.
   * @default 20
   */
  bins?: number;
  /**
   * Points of each QQ plot (quantiles 1%..99%, extremes left out: they are single people's values).
   * @default 49
   */
  qqPoints?: number;
  /**
   * Most numeric/datetime columns drawn in the correlation heatmaps (the first ones in table order).
   * @default 30
   */
  maxHeatmapColumns?: number;
}

/** Everything the HTML report and its JSON twin are built from. */
export interface HtmlReportInput {
  title: string;
  /** ISO timestamp printed in the header; passed in so the output is a pure function of the input. */
  generatedAt?: string;
  real: Table;
  synthetic: Table;
  /** How to chart each column; inferred from physical types and cardinality when missing. */
  columnKinds?: Record<string, ReportColumnKind>;
  scores: ReportScores;
  /** Correlations to draw; by default computed here from the sampled rows of the numeric and datetime columns. */
  correlations?: ReportCorrelations;
  /** Per-column shape scores and statistical tests. */
  columnMetrics?: ReportColumnMetric[];
  privacy?: ReportPrivacy;
  gates?: ReportGate[];
  /** Sensitive columns are charted by value length only, whatever their kind. */
  sensitivity?: SensitivityReport;
  approvals?: ReportApproval[];
  edgeCases?: ReportEdgeCase[];
  relationships?: ReportRelationship[];
  /** Total synthetic rows of the run (edge-case shares are injected rows over this); default the synthetic table's rows. */
  syntheticRowsTotal?: number;
  sampling?: ReportSamplingOptions;
}
