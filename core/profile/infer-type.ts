/**
 * Semantic type inference: what a column means, from its physical type, its name and the
 * statistics gathered in the single profiling pass.
 *
 * Rules, in the order they apply:
 * 1. Boolean: a physical boolean column, or a string column with exactly two distinct values that
 *    are one true-word and one false-word (true/false, yes/no, y/n, t/f, 1/0; case-insensitive).
 * 2. Numeric columns keep their physical type (integer or float, even when an integer column has
 *    ≤ 10 distinct values: codes and counts stay numbers), except that an integral column whose
 *    non-null values are all distinct is an identifier when it is named like a key (`id`, `*_id`,
 *    `customerId`, `*_uuid`, `*_key`) or when it is sequential-ish (at least
 *    {@link SEQUENTIAL_MIN_COUNT} values spanning a range no wider than
 *    {@link SEQUENTIAL_MAX_SPREAD} × their count, like an auto-increment key with gaps).
 * 3. Physical date/timestamp columns are datetime.
 * 4. String columns, in order:
 *    - datetime, when ≥95% of non-null values parse in one recognised date format (ISO 8601 dates
 *      and timestamps, `YYYY/MM/DD`, `MM/DD/YYYY`, `DD/MM/YYYY`, `DD.MM.YYYY`, month names);
 *    - identifier, when the values are unique or nearly so (≥ {@link NEARLY_UNIQUE} distinct)
 *      and either the column is named like a key, or they have a fixed pattern (or are UUIDs) and
 *      number more than {@link CATEGORICAL_MIN_LIMIT} (five unique country codes are categories,
 *      not keys); a key-named column with a fixed pattern and too many values to be categorical
 *      (a foreign key) is an identifier too;
 *    - categorical, when distinctCount ≤ max(20, 5% of the non-null count);
 *    - text otherwise.
 */
import { isIdentifierName } from './column-name.js';
import { SemanticType } from './types.js';

/** Fewest values for which "unique and dense" is evidence of a key rather than coincidence. */
export const SEQUENTIAL_MIN_COUNT = 20;
/** A unique integral column spanning at most this many times its count is sequential-ish. */
export const SEQUENTIAL_MAX_SPREAD = 2;
/** Distinct/non-null ratio above which string values count as nearly unique. */
export const NEARLY_UNIQUE = 0.99;
/** Categorical when distinctCount ≤ max(this, {@link CATEGORICAL_MAX_SHARE} × non-null count). */
export const CATEGORICAL_MIN_LIMIT = 20;
/** See {@link CATEGORICAL_MIN_LIMIT}. */
export const CATEGORICAL_MAX_SHARE = 0.05;

const TRUE_WORDS = new Set(['true', 'yes', 'y', 't', '1']);
const FALSE_WORDS = new Set(['false', 'no', 'n', 'f', '0']);

/** The boolean a true/false word stands for, or undefined for any other text. */
export function parseBooleanWord(text: string): boolean | undefined {
  const word = text.trim().toLowerCase();
  if (TRUE_WORDS.has(word)) return true;
  if (FALSE_WORDS.has(word)) return false;
  return undefined;
}

/** Whether exactly two distinct values form one true-word and one false-word. */
export function isBooleanPair(keys: readonly string[]): boolean {
  if (keys.length !== 2) return false;
  const a = parseBooleanWord(keys[0] as string);
  const b = parseBooleanWord(keys[1] as string);
  return a !== undefined && b !== undefined && a !== b;
}

/** The largest distinct count a column with this many non-null values may have and be categorical. */
export function categoricalLimit(nonNullCount: number): number {
  return Math.max(CATEGORICAL_MIN_LIMIT, Math.floor(CATEGORICAL_MAX_SHARE * nonNullCount));
}

/** What {@link inferNumericType} needs to know about a numeric column. */
export interface NumericFacts {
  name: string;
  physical: 'integer' | 'float';
  nonNullCount: number;
  unique: boolean;
  integral: boolean;
  min: number;
  max: number;
}

/** Semantic type of an integer or float column (rule 2 above). */
export function inferNumericType(f: NumericFacts): SemanticType {
  const fallback = f.physical === 'integer' ? SemanticType.Integer : SemanticType.Float;
  if (!f.unique || !f.integral || f.nonNullCount < 2) return fallback;
  if (isIdentifierName(f.name)) return SemanticType.Identifier;
  const sequential =
    f.nonNullCount >= SEQUENTIAL_MIN_COUNT && f.max - f.min + 1 <= SEQUENTIAL_MAX_SPREAD * f.nonNullCount;
  return sequential ? SemanticType.Identifier : fallback;
}

/** What {@link inferStringType} needs to know about a string column. */
export interface StringFacts {
  name: string;
  nonNullCount: number;
  distinctCount: number;
  booleanPair: boolean;
  isDatetime: boolean;
  pattern: string | undefined;
  /** Share of non-null values that are UUIDs. */
  uuidShare: number;
}

/** Semantic type of a string column (rules 1 and 4 above). */
export function inferStringType(f: StringFacts): SemanticType {
  if (f.booleanPair) return SemanticType.Boolean;
  if (f.isDatetime) return SemanticType.Datetime;
  const keyName = isIdentifierName(f.name);
  const nearlyUnique = f.nonNullCount >= 2 && f.distinctCount >= NEARLY_UNIQUE * f.nonNullCount;
  const fixedShape = f.pattern !== undefined || f.uuidShare >= 0.95;
  if (nearlyUnique && (keyName || (fixedShape && f.distinctCount > CATEGORICAL_MIN_LIMIT))) {
    return SemanticType.Identifier;
  }
  const categorical = f.distinctCount <= categoricalLimit(f.nonNullCount);
  if (keyName && fixedShape && !categorical) return SemanticType.Identifier;
  return categorical ? SemanticType.Categorical : SemanticType.Text;
}
