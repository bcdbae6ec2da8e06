/**
 * The fitted synthesizer model: JSON-serialisable, stored as an artifact between the fit and the
 * (chunked, resumable) sampling activities. Sensitive columns carry no values at all: only their
 * PII kind, null rate, length statistics, shape pattern and date range.
 */
import type { PiiKind } from '../pii/index.js';
import type { CellValue, PhysicalType } from '../table.js';

/** Current model format version; bump on any incompatible change. */
export const MODEL_VERSION = 1;

/** How each column is generated. */
export const ColumnModelKind = {
  /** Integer/float column modelled in the copula through its empirical inverse CDF. */
  Numeric: 'numeric',
  /** Date/timestamp column modelled in the copula over epoch milliseconds. */
  Datetime: 'datetime',
  /** Categorical/boolean column modelled in the copula through category frequencies. */
  Categorical: 'categorical',
  /** Key column: unique values derived from the global row number. */
  Identifier: 'identifier',
  /** Sensitive column: fake values of its PII kind, never derived from its values. */
  Fake: 'fake',
  /** Non-sensitive free text: lorem text of matching length (free text can still hold personal data). */
  Text: 'text',
  /** Column with no non-null value in the sample: always null. */
  Empty: 'empty',
} as const;
/** One of {@link ColumnModelKind}. */
export type ColumnModelKind = (typeof ColumnModelKind)[keyof typeof ColumnModelKind];

/** Length statistics of string values, in UTF-16 code units. */
export interface LengthStats {
  min: number;
  max: number;
  mean: number;
}

interface ColumnModelBase {
  name: string;
  physicalType: PhysicalType;
  /** Share of null cells in the sample (0..1). */
  nullRate: number;
}

/** Copula dimensions of a modelled column: its value, and (when 0 < nullRate < 1) its missingness. */
interface CopulaDimensions {
  /** Index of the value dimension in {@link SynthModel.correlation}. */
  valueDimension: number;
  /** Index of the "is null" dimension, or null when the column is never (or always) null. */
  nullDimension: number | null;
}

/** A numeric column: values are the inverse empirical CDF, linearly interpolated between knots. */
export interface NumericColumnModel extends ColumnModelBase, CopulaDimensions {
  kind: 'numeric';
  /** Round sampled values to whole numbers. */
  integer: boolean;
  /** Decimal places the sample uses (0..6), or null when it needs more (no rounding). */
  decimals: number | null;
  /** Quantiles at evenly spaced probabilities 0, 1/(k−1), …, 1 (first = min, last = max). */
  knots: number[];
}

/** A datetime column: like {@link NumericColumnModel} over epoch milliseconds. */
export interface DatetimeColumnModel extends ColumnModelBase, CopulaDimensions {
  kind: 'datetime';
  /** `date` → `YYYY-MM-DD`, `timestamp` → `YYYY-MM-DDTHH:mm:ss.sssZ`. */
  format: 'date' | 'timestamp';
  /** Granularity the sample shows (86,400,000 for dates, 1,000 for whole seconds, …). */
  resolutionMs: number;
  /** Quantiles of epoch milliseconds at evenly spaced probabilities. */
  knots: number[];
}

/** A categorical or boolean column: categories in a fixed order (by frequency, then value). */
export interface CategoricalColumnModel extends ColumnModelBase, CopulaDimensions {
  kind: 'categorical';
  /** Category values with their original types. */
  categories: CellValue[];
  /** Probability of each category among non-null cells; sums to 1. */
  probabilities: number[];
}

/** A key column: the value for global row n is derived from `offset + n`, so it is unique across a run. */
export interface IdentifierColumnModel extends ColumnModelBase {
  kind: 'identifier';
  /** Shape to follow (A = letter, 9 = digit, other characters literal), or null. */
  pattern: string | null;
  /** Number the first row of the run gets. */
  offset: number;
  /** Lengths of string keys (to choose a UUID or zero-padded shape when there is no pattern). */
  length: LengthStats | null;
  /**
   * For a sensitive key: its PII kind, so values are unique fakes of that kind (unique phone
   * numbers, emails, SSNs); null for ordinary keys, which count up in their pattern.
   */
  piiKind: PiiKind | null;
}

/** A sensitive column: fake values of a PII kind, with none of the real values. */
export interface FakeColumnModel extends ColumnModelBase {
  kind: 'fake';
  piiKind: PiiKind;
  pattern: string | null;
  length: LengthStats | null;
  /** Range for generated dates (dates of birth), epoch ms, or null for a default adult range. */
  dateRange: { minMs: number; maxMs: number } | null;
  /** How generated dates are written. */
  dateFormat: 'date' | 'timestamp';
}

/** Non-sensitive free text: lorem words of matching length. */
export interface TextColumnModel extends ColumnModelBase {
  kind: 'text';
  length: LengthStats;
}

/** A column that was entirely null in the sample. */
export interface EmptyColumnModel extends ColumnModelBase {
  kind: 'empty';
}

/** How one source column is generated. */
export type ColumnModel =
  | NumericColumnModel
  | DatetimeColumnModel
  | CategoricalColumnModel
  | IdentifierColumnModel
  | FakeColumnModel
  | TextColumnModel
  | EmptyColumnModel;

/** What one copula dimension stands for. */
export interface CopulaDimension {
  /** Index into {@link SynthModel.columns}. */
  column: number;
  role: 'value' | 'null';
}

/** A fitted Gaussian copula synthesizer for one table. */
export interface SynthModel {
  version: 1;
  kind: 'gaussian_copula';
  /** Sample rows the model was fitted on (after subsampling to maxFitRows). */
  rowCountFitted: number;
  /** One entry per source column, in source order. */
  columns: ColumnModel[];
  /** The copula dimensions, in correlation-matrix order. */
  dimensions: CopulaDimension[];
  /** Correlation of normal scores over the copula dimensions; positive-definite. */
  correlation: number[][];
  /** Shrinkage toward the identity that was needed to make the correlation positive-definite. */
  shrinkage: number;
}
