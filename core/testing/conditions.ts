/**
 * The condition grammar shared by preconditions ("a customer with segment "enterprise" and
 * credit_score above 700") and query steps ("Query customers where customer_id = {customer.id}").
 * Column names stay as written here; they are matched against the loaded tables later.
 */
import { matchPhrase, readLiteral, splitOutside, toPhrase } from './phrase-text.js';
import type { DataFilter, RecordValue } from './types.js';

/** A condition as written, before its column is matched against a table. */
export interface WrittenCondition {
  /** The column as written (`credit score`, `credit_score`, `Segment`). */
  column: string;
  op: DataFilter['op'];
  value?: RecordValue;
  /** True when the value was quoted (a quoted `"700"` stays text even on a number column). */
  quoted?: boolean;
}

/** A parsed condition list: the conditions, and the 0-based positions of clauses that did not parse. */
export interface WrittenConditions {
  conditions: WrittenCondition[];
  unreadable: number[];
}

// Longest forms first: at one position the first alternative that matches wins.
const OPERATORS: readonly [RegExp, DataFilter['op']][] = [
  [
    /\s+(?:is\s+)?(?:at\s+least|no\s+less\s+than|(?:greater|more|higher)\s+than\s+or\s+equal\s+to)\s+|\s*(?:>=|≥)\s*/,
    'ge',
  ],
  [
    /\s+(?:is\s+)?(?:at\s+most|no\s+more\s+than|(?:less|fewer|lower)\s+than\s+or\s+equal\s+to)\s+|\s*(?:<=|≤)\s*/,
    'le',
  ],
  [/\s+(?:is\s+)?(?:(?:greater|more|higher)\s+than|above|over|after)\s+|\s*>\s*/, 'gt'],
  [/\s+(?:is\s+)?(?:(?:less|fewer|lower)\s+than|below|under|before)\s+|\s*<\s*/, 'lt'],
  [
    /\s+(?:is\s+not|isn't|not\s+equal\s+to|does\s+not\s+equal|doesn't\s+equal|other\s+than)\s+|\s*(?:!=|<>)\s*/,
    'ne',
  ],
  [/\s+(?:contains|containing|includes|including|like)\s+/, 'contains'],
  [/\s+(?:is\s+equal\s+to|equal\s+to|equals|equal|is|of|was)\s+|\s*(?:==|=)\s*/, 'eq'],
];

const NULL_WORDS = /^(?:empty|null|missing|blank|not\s+set|unknown|absent)$/i;
const NOT_NULL_WORDS = /^(?:not\s+(?:empty|null|missing|blank)|set|present|known)$/i;

/** Splits a condition list on `and` / commas outside quotes and parses each clause. */
export function parseConditions(text: string): WrittenConditions {
  const clauses = splitOutside(text, /\s*,\s*(?:and\s+)?|\s+and\s+/gi);
  const out: WrittenConditions = { conditions: [], unreadable: [] };
  clauses.forEach((clause, i) => {
    const condition = parseCondition(clause);
    if (condition) out.conditions.push(condition);
    else out.unreadable.push(i);
  });
  return out;
}

/** Parses one clause (`credit_score above 700`, `no email`, `a phone`, `segment "enterprise"`), or undefined. */
export function parseCondition(clause: string): WrittenCondition | undefined {
  const phrase = toPhrase(clause.trim());
  const none = matchPhrase(phrase, /^no\s+(.+)$/di);
  if (none?.[0]) return { column: cleanColumn(none[0]), op: 'is_null' };
  for (const [operator, op] of OPERATORS) {
    const found = findOperator(phrase.masked, operator);
    if (!found) continue;
    const column = cleanColumn(phrase.text.slice(0, found.start));
    const rawValue = phrase.text.slice(found.end).trim();
    if (column.length === 0 || rawValue.length === 0) continue;
    if (op === 'eq' && NULL_WORDS.test(rawValue)) return { column, op: 'is_null' };
    if (op === 'eq' && NOT_NULL_WORDS.test(rawValue)) return { column, op: 'not_null' };
    if (op === 'ne' && NULL_WORDS.test(rawValue)) return { column, op: 'not_null' };
    if (op === 'ne' && NOT_NULL_WORDS.test(rawValue)) return { column, op: 'is_null' };
    const literal = readLiteral(rawValue);
    if (literal.value === null) return { column, op: op === 'ne' ? 'not_null' : 'is_null' };
    return { column, op, value: literal.value, ...(literal.quoted ? { quoted: true } : {}) };
  }
  const present = matchPhrase(phrase, /^(?:a|an|some)\s+(.+)$/di);
  if (present?.[0]) return { column: cleanColumn(present[0]), op: 'not_null' };
  // `segment "enterprise"`: a column followed by a quoted value or a single bare word.
  const bare = matchPhrase(phrase, /^(.+?)\s+(\uE000+|[^\s\uE000]+)$/d);
  if (bare?.[0] && bare[1]) {
    const literal = readLiteral(bare[1]);
    if (literal.value === null) return { column: cleanColumn(bare[0]), op: 'is_null' };
    return {
      column: cleanColumn(bare[0]),
      op: 'eq',
      value: literal.value,
      ...(literal.quoted ? { quoted: true } : {}),
    };
  }
  return undefined;
}

function findOperator(masked: string, operator: RegExp): { start: number; end: number } | undefined {
  const re = new RegExp(operator.source, 'gi');
  for (const m of masked.matchAll(re)) {
    // The column needs at least one character before the operator.
    if (m.index > 0) return { start: m.index, end: m.index + m[0].length };
  }
  return undefined;
}

function cleanColumn(text: string): string {
  return text
    .trim()
    .replace(/^(?:the|its|their|his|her|a|an)\s+/i, '')
    .replace(/^["'`](.*)["'`]$/, '$1')
    .trim();
}

/** A column key for matching written names to real ones: lower case, spaces and dashes as underscores. */
export function columnKeyOf(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
}
