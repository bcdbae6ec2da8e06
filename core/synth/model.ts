/**
 * The fitted synthesizer model: JSON-serialisable, stored as an artifact between the fit and the
 * (chunked, resumable) sampling activities. Sensitive columns carry no values at all: only their
 * PII kind, null rate, length statistics, shape pattern and date range.
 */
import type { PiiKind } from '../pii/index.js';
import type { CellValue, PhysicalType } from '../table.js';

/**
 * Current model format version; bump on any incompatible change.
 * Version 2: per-column marginal families, datetime source layouts, text character profiles,
 * identifier letter case; sampling in fixed 1,024-row blocks (output independent of chunking).
 */
export const MODEL_VERSION = 2;

/** How each column is generated. */
export const ColumnModelKind = {
  /** Integer/float column modelled in the copula through a fitted marginal. */
  Numeric: 'numeric',
  /** Date/timestamp column modelled in the copula over epoch milliseconds. */
  Datetime: 'datetime',
  /** Categorical/boolean column modelled in the copula through category frequencies. */
  Categorical: 'categorical',
  /** Key column: unique values derived from the global row number. */
  Identifier: 'identifier',
  /** Sensitive column: fake values of its PII kind, never derived from its values. */
  Fake: 'fake',
  /** Non-sensitive free text: text of matching length and character mix (free text can still hold personal data). */
  Text: 'text',
  /** Column with no non-null value in the sample: always null. */
  Empty: 'empty',
} as const;
/** One of {@link ColumnModelKind}. */
export type ColumnModelKind = (typeof ColumnModelKind)[keyof typeof ColumnModelKind];

/** The marginal families a numeric or datetime column can be fitted with (SDV's set plus Student-t). */
export const MarginalFamily = {
  /** Inverse empirical CDF through quantile knots: the fallback that fits any shape. */
  Empirical: 'empirical',
  Normal: 'normal',
  /** Normal with parameters fitted for truncation at the sample's min and max. */
  TruncatedNormal: 'truncated_normal',
  /** Beta over [low, high]. */
  Beta: 'beta',
  /** Three-parameter gamma (shape, scale, location). */
  Gamma: 'gamma',
  Uniform: 'uniform',
  StudentT: 'student_t',
} as const;
/** One of {@link MarginalFamily}. */
export type MarginalFamily = (typeof MarginalFamily)[keyof typeof MarginalFamily];

/**
 * A fitted marginal. Every family is sampled truncated to the column's [min, max] (so no value
 * leaves the sample's range and no probability piles up at the bounds).
 */
export type Marginal =
  | { family: 'empirical'; /** Quantiles at evenly spaced probabilities 0, 1/(k−1), …, 1. */ knots: number[] }
  | { family: 'normal'; mean: number; std: number }
  | { family: 'truncated_normal'; mean: number; std: number }
  | { family: 'beta'; alpha: number; beta: number; low: number; high: number }
  | { family: 'gamma'; shape: number; scale: number; loc: number }
  | { family: 'uniform'; low: number; high: number }
  | { family: 'student_t'; df: number; loc: number; scale: number };

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

/** What a numeric or datetime column's marginal is and how well it fits. */
interface FittedMarginal {
  /** Smallest value in the sample; sampled values never go below it. */
  min: number;
  /** Largest value in the sample; sampled values never exceed it. */
  max: number;
  marginal: Marginal;
  /** Kolmogorov–Smirnov distance between the chosen marginal (after rounding) and the sample. */
  fitStatistic: number;
}

/** A numeric column: values drawn from the fitted marginal, rounded like the source, clipped to its range. */
export interface NumericColumnModel extends ColumnModelBase, CopulaDimensions, FittedMarginal {
  kind: 'numeric';
  /** Round sampled values to whole numbers. */
  integer: boolean;
  /** Decimal places the sample uses (0..6), or null when it needs more (no rounding). */
  decimals: number | null;
}

/**
 * How datetimes of a text column are written: a template of `{TOKEN}`s and literal text, and the
 * UTC offset the values are shown in. Tokens: YYYY, MM/M (month, padded or not), MMM/MMMM (Jan,
 * January), MON (JAN), DD/D, HH/H (24 h), hh/h12 (12 h), mm, ss, S1…S9 (fraction digits), A/a
 * (AM/am), o (ordinal suffix st/nd/rd/th). The offset's text (`Z`, `+01:00`) is literal.
 */
export interface DatetimeLayout {
  template: string;
  /** Minutes east of UTC that the template's wall-clock fields are in (0 for UTC or no zone). */
  offsetMinutes: number;
}

/** A datetime column: like {@link NumericColumnModel} over epoch milliseconds. */
export interface DatetimeColumnModel extends ColumnModelBase, CopulaDimensions, FittedMarginal {
  kind: 'datetime';
  /** `date` → no time of day; `timestamp` → with time of day. */
  format: 'date' | 'timestamp';
  /** Granularity the sample shows in its own zone (86,400,000 for whole days, 1,000 for whole seconds, …). */
  resolutionMs: number;
  /**
   * The source text layout for string columns (`05/03/2024`, `2024-03-05 14:22:00`), or null for
   * date/timestamp columns, which are written as ISO (`YYYY-MM-DD`, `YYYY-MM-DDTHH:mm:ss.sssZ`).
   */
  layout: DatetimeLayout | null;
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
  /** Case of generated letters (pattern letter slots, UUID hex digits), as most letters in the sample. */
  letterCase: 'upper' | 'lower';
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

/** Character classes of free text, in the order of {@link TextProfile.transitions}. */
export const CharClass = { Upper: 0, Lower: 1, Digit: 2, Space: 3, Punctuation: 4 } as const;

/**
 * What free text looks like, without any of its words: the mix of character classes and how they
 * follow each other, which punctuation occurs, and whether it reads as prose.
 */
export interface TextProfile {
  /** Prose (mostly letters in space-separated words): generated as lorem sentences; otherwise as class chains. */
  prose: boolean;
  /** Share of each character class among all characters (upper, lower, digit, space, punctuation). */
  classShares: number[];
  /**
   * Row c (0..4 = previous class, 5 = start of value) holds the probabilities of the next
   * character's class; rows sum to 1.
   */
  transitions: number[][];
  /** ASCII punctuation characters seen, most frequent first (at most 16). */
  punctuation: string;
}

/** Non-sensitive free text: lorem words or class chains of matching length. */
export interface TextColumnModel extends ColumnModelBase {
  kind: 'text';
  length: LengthStats;
  /** Character profile, or null when the sample had no text to learn from (lorem is used). */
  profile: TextProfile | null;
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

/** A column modelled inside the copula. */
export type CopulaColumnModel = NumericColumnModel | DatetimeColumnModel | CategoricalColumnModel;

/** What one copula dimension stands for. */
export interface CopulaDimension {
  /** Index into {@link SynthModel.columns}. */
  column: number;
  role: 'value' | 'null';
}

/** A fitted Gaussian copula synthesizer for one table. */
export interface SynthModel {
  version: typeof MODEL_VERSION;
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

/** Whether a column model is generated inside the copula. */
export function isCopulaColumn(column: ColumnModel): column is CopulaColumnModel {
  return column.kind === 'numeric' || column.kind === 'datetime' || column.kind === 'categorical';
}
