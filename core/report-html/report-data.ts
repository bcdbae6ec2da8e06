/**
 * The report's numbers as one JSON-ready document: the HTML is rendered from it and embeds it,
 * and the pipeline stores it beside the HTML, so both always show the same figures.
 */
import type {
  ReportApproval,
  ReportColumnKind,
  ReportEdgeCase,
  ReportGate,
  ReportPrivacy,
  ReportRelationship,
  ReportScore,
  ReportScores,
} from './input.js';

/** Version of the {@link ReportData} layout; bumped on breaking changes. */
export const REPORT_DATA_VERSION = 1;

/** `T` as it survives JSON: every number may be null (NaN and infinities become null). */
export type Jsonified<T> = T extends number
  ? number | null
  : T extends readonly (infer U)[]
    ? Jsonified<U>[]
    : T extends object
      ? { [K in keyof T]: Jsonified<T[K]> }
      : T;

/** Shares of real and synthetic values per bin or category (each side sums to 1 over non-missing values). */
export interface PairedShares {
  real: number[];
  synthetic: number[];
}

/** A histogram over shared bin edges (edges has one more entry than the share arrays). */
export interface HistogramData extends PairedShares {
  /** Bin edges; values beyond the outer edges are counted in the outer bins. */
  edges: number[];
  /** What the edges measure: values, epoch milliseconds, or value lengths in characters. */
  unit: 'value' | 'epoch_ms' | 'length';
  /** One bin per integer value (edges at half-integers): bins are labelled by their value. */
  integerBins: boolean;
}

/** A bar chart over named categories. */
export interface CategoryData extends PairedShares {
  labels: string[];
  /** Whether each label is a real value, the missing-value bar or the folded remainder. */
  kinds: ('value' | 'missing' | 'other')[];
}

/** Matching quantiles of the two samples. */
export interface QqData {
  probabilities: number[];
  /** null where a sample has no values. */
  real: (number | null)[];
  synthetic: (number | null)[];
}

/** Everything shown for one column. */
export interface ColumnReportData {
  name: string;
  kind: ReportColumnKind;
  /** Share of missing values in each sample. */
  missing: { real: number | null; synthetic: number | null };
  /** Non-missing values in each sample the charts were drawn from. */
  counted: { real: number; synthetic: number };
  histogram?: HistogramData;
  categories?: CategoryData;
  qq?: QqData;
  /** Shape score and statistical tests of this column, in input order. */
  metrics: { metric: string; value: number | null }[];
  /** Why the values are not shown (sensitive or key-like), when they are not. */
  valuesHidden?: string;
}

/** Pearson correlation matrices over the numeric and datetime columns (null where undefined). */
export interface CorrelationData {
  columns: string[];
  real: (number | null)[][];
  synthetic: (number | null)[][];
  /** synthetic − real. */
  difference: (number | null)[][];
  /** Numeric/datetime columns beyond the heatmap limit, left out. */
  omittedColumns: number;
}

/** One row of the sensitivity section. */
export interface SensitivityRowData {
  column: string;
  kind: string;
  confidence: number;
  sensitive: boolean;
  reasons: string[];
  override?: { sensitive: boolean; kind?: string; by: string; at: string; comment?: string };
}

/** The whole report. */
export interface ReportData {
  version: typeof REPORT_DATA_VERSION;
  title: string;
  generatedAt: string | null;
  rows: { real: number; synthetic: number; sampledReal: number; sampledSynthetic: number };
  scores: Jsonified<Required<Omit<ReportScores, 'diagnosticDetails'>> & { diagnosticDetails: ReportScore[] }>;
  gates: ReportGate[];
  columns: ColumnReportData[];
  correlations: CorrelationData;
  privacy: Jsonified<ReportPrivacy> | null;
  sensitivity: { threshold: number; fields: SensitivityRowData[] } | null;
  approvals: ReportApproval[];
  relationships: Jsonified<ReportRelationship>[];
  edgeCases: (Jsonified<ReportEdgeCase> & { injectedFrequency: number | null })[];
}
