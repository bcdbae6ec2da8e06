/**
 * The shapes a profile is made of. A profile carries aggregates only (counts, quantiles, the most
 * frequent categories): it is what the synthesizer fits and what reviewers read in the sensitivity
 * report, so it stays small and JSON-serialisable.
 */
import type { PhysicalType } from '../table.js';

/** What a column means, as opposed to how it is stored. */
export const SemanticType = {
  Integer: 'integer',
  Float: 'float',
  Boolean: 'boolean',
  Categorical: 'categorical',
  Datetime: 'datetime',
  Text: 'text',
  Identifier: 'identifier',
} as const;
/** One of {@link SemanticType}. */
export type SemanticType = (typeof SemanticType)[keyof typeof SemanticType];

/** Distribution summary of a numeric column (datetimes as epoch milliseconds); `std` is the sample standard deviation. */
export interface NumericSummary {
  min: number;
  max: number;
  mean: number;
  std: number;
  quantiles: { p01: number; p05: number; p25: number; p50: number; p75: number; p95: number; p99: number };
}

/** One category and how many non-null rows hold it. */
export interface CategoryCount {
  value: string;
  count: number;
}

/** Everything the profiler learned about one column. */
export interface ColumnProfile {
  name: string;
  physicalType: PhysicalType;
  semanticType: SemanticType;
  count: number;
  nullCount: number;
  nullRate: number;
  distinctCount: number;
  unique: boolean;
  /** Integer/float columns, and datetimes as epoch ms. */
  numeric?: NumericSummary;
  datetime?: { min: string; max: string; format: 'date' | 'timestamp' };
  /** Categorical/boolean (and for text: the most frequent few); sorted by count desc, then value asc. */
  topCategories?: CategoryCount[];
  /** Lengths in UTF-16 code units, for string-stored columns. */
  text?: { minLength: number; maxLength: number; meanLength: number };
  /** Shape shared by ≥95% of non-null string values, A = letter and 9 = digit (e.g. "CUST-999999"). */
  pattern?: string;
}

/** The profile of a whole table. */
export interface DatasetProfile {
  rowCount: number;
  columns: ColumnProfile[];
}

/** Options of {@link profileTable}. */
export interface ProfileOptions {
  /**
   * How many of the most frequent categories to keep per categorical/boolean column.
   * @default 20
   */
  topCategories?: number;
}
