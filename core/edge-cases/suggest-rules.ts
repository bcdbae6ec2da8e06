/**
 * A default set of edge-case rules for a table, read off its profile: boundary values for numbers
 * and dates, nulls where the sample has nulls, longest and unicode strings for text, leap days and
 * far-away dates for dates, zero and negative amounts, and duplicates in nearly-unique text and key
 * columns that are not declared unique (values a system may wrongly assume to be unique). Each rule copies what it needs from the profile (min/max, longest
 * length), so the rules stand alone in the run config.
 */
import {
  SemanticType,
  tokenizeColumnName,
  type ColumnProfile,
  type DatasetProfile,
} from '../profile/index.js';
import type { EdgeCaseRule } from './rules.js';

/** Options of {@link suggestEdgeCaseRules}. */
export interface SuggestEdgeCaseRulesOptions {
  /**
   * Frequency given to every suggested rule.
   * @default 0.001
   */
  frequency?: number;
  /** Columns that may not receive nulls. */
  notNull?: readonly string[];
  /** Columns that must stay unique (no duplicate rules). */
  unique?: readonly string[];
}

const AMOUNT_TOKENS = new Set([
  'amount',
  'price',
  'total',
  'balance',
  'cost',
  'fee',
  'qty',
  'quantity',
  'salary',
  'income',
  'revenue',
  'payment',
  'discount',
  'tax',
  'value',
]);
const NEARLY_UNIQUE = 0.9;

function isAmount(p: ColumnProfile): boolean {
  return tokenizeColumnName(p.name).some((t) => AMOUNT_TOKENS.has(t));
}

/** Suggested rules for every column of the profile; their frequencies add up to at most 1 only if few enough — scale `frequency` for wide tables. */
export function suggestEdgeCaseRules(
  profile: DatasetProfile,
  options: SuggestEdgeCaseRulesOptions = {},
): EdgeCaseRule[] {
  const frequency = options.frequency ?? 0.001;
  const notNull = new Set(options.notNull ?? []);
  const unique = new Set(options.unique ?? []);
  const rules: EdgeCaseRule[] = [];
  for (const p of profile.columns) {
    const column = p.name;
    const numeric = p.physicalType === 'integer' || p.physicalType === 'float';
    const temporal = p.semanticType === SemanticType.Datetime && p.datetime !== undefined;
    if (numeric && p.numeric !== undefined && p.semanticType !== SemanticType.Identifier) {
      rules.push({ kind: 'boundary', column, frequency, min: p.numeric.min, max: p.numeric.max });
      if (isAmount(p)) {
        rules.push({ kind: 'zero', column, frequency });
        rules.push({ kind: 'negative', column, frequency });
      }
    }
    if (temporal && p.datetime !== undefined) {
      rules.push({ kind: 'boundary', column, frequency, min: p.datetime.min, max: p.datetime.max });
      rules.push({ kind: 'leapDay', column, frequency });
      rules.push({ kind: 'farFuture', column, frequency });
      rules.push({ kind: 'farPast', column, frequency });
    }
    const text =
      p.physicalType === 'string' &&
      (p.semanticType === SemanticType.Text || p.semanticType === SemanticType.Categorical);
    if (text && p.text !== undefined && p.text.maxLength > 0) {
      rules.push({ kind: 'maxLength', column, frequency, maxLength: p.text.maxLength });
      rules.push({ kind: 'unicode', column, frequency, maxLength: Math.max(2, p.text.maxLength) });
    }
    if (p.nullCount > 0 && !notNull.has(column)) rules.push({ kind: 'null', column, frequency });
    const nonNull = p.count - p.nullCount;
    const keyLike = p.physicalType === 'string' || p.semanticType === SemanticType.Identifier;
    if (keyLike && !unique.has(column) && nonNull > 1 && p.distinctCount >= NEARLY_UNIQUE * nonNull)
      rules.push({ kind: 'duplicate', column, frequency });
  }
  return rules;
}
