/**
 * Data-quality issues of a real sample, turned into rules that reproduce them: malformed emails,
 * postcodes and phone numbers, identifiers off their column's pattern, and impossible dates. A rule
 * carries the kind of problem, its frequency in the sample and at most a shape (e.g. `99999` or
 * `99/99/9999`), never a real value: injection generates new malformed values of the same kind, at
 * the same frequency.
 */
import { isPostalCodeShape, isValidEmail } from '../pii/index.js';
import { DATE_PARSERS } from '../profile/datetime-parse.js';
import {
  detectDateFormat,
  matchesShape,
  SemanticType,
  shapeOf,
  tokenizeColumnName,
  type ColumnProfile,
  type DatasetProfile,
} from '../profile/index.js';
import type { CellValue, Table } from '../table.js';
import type { EdgeCaseRule, MalformedKind } from './rules.js';

/** One finding: how many sample rows hold a malformed value of a kind in a column. */
export interface DataQualityIssue {
  column: string;
  malformed: MalformedKind;
  /** Sample rows with the problem, and their share of all sample rows. */
  count: number;
  frequency: number;
  /** The rule that reproduces it. */
  rule: EdgeCaseRule;
}

const EMAIL_TOKENS = new Set(['email', 'mail', 'e-mail']);
const PHONE_TOKENS = new Set(['phone', 'mobile', 'tel', 'telephone', 'fax', 'cell']);
const POSTCODE_TOKENS = new Set(['zip', 'zipcode', 'postcode', 'postal', 'postalcode', 'plz']);
const DATE_LIKE = /^\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}(?:[ T].*)?$/;
const PHONE_CHARS = /^\+?[\d\s().\-/]+(?:\s*(?:x|ext\.?)\s*\d{1,6})?$/i;

/**
 * Whether a phone number is well-formed in shape: digits and the usual separators only, 7–15
 * digits. Deliberately structural (not libphonenumber's country rules), so that made-up but
 * plausible test numbers are not reported as defects.
 */
export function isWellFormedPhone(value: string): boolean {
  if (!PHONE_CHARS.test(value)) return false;
  const main = value.split(/x|ext/i)[0] ?? '';
  let digits = 0;
  for (let i = 0; i < main.length; i++) {
    const c = main.charCodeAt(i);
    if (c >= 48 && c <= 57) digits++;
  }
  return digits >= 7 && digits <= 15;
}

function hasToken(name: string, tokens: ReadonlySet<string>): boolean {
  const parts = tokenizeColumnName(name);
  return parts.some((t) => tokens.has(t)) || tokens.has(parts.join(''));
}

/** Which malformed kind a string column is checked for, and the shape its good values have. */
function classify(
  profile: ColumnProfile,
  values: readonly CellValue[],
): { kind: MalformedKind; isGood: (v: string) => boolean; pattern?: string } | undefined {
  const name = profile.name;
  const strings = values.filter((v): v is string => typeof v === 'string');
  if (strings.length === 0) return undefined;
  const share = (test: (v: string) => boolean) => strings.filter(test).length / strings.length;
  if (hasToken(name, EMAIL_TOKENS) || share((v) => v.includes('@')) >= 0.5)
    return { kind: 'email', isGood: isValidEmail };
  if (hasToken(name, PHONE_TOKENS)) return { kind: 'phone', isGood: isWellFormedPhone };
  if (hasToken(name, POSTCODE_TOKENS)) {
    if (profile.pattern !== undefined) {
      const shape = shapeOf(profile.pattern);
      return { kind: 'postcode', isGood: (v) => matchesShape(v, shape), pattern: profile.pattern };
    }
    return { kind: 'postcode', isGood: isPostalCodeShape };
  }
  if (profile.semanticType === SemanticType.Identifier && profile.pattern !== undefined) {
    const shape = shapeOf(profile.pattern);
    return { kind: 'identifier', isGood: (v) => matchesShape(v, shape), pattern: profile.pattern };
  }
  if (profile.semanticType === SemanticType.Datetime && profile.physicalType === 'string') {
    const tally = new Map<string, number>();
    for (const v of strings) tally.set(v.trim(), (tally.get(v.trim()) ?? 0) + 1);
    const keys = [...tally.keys()];
    const format = detectDateFormat(
      keys,
      keys.map((k) => tally.get(k) as number),
      strings.length,
    );
    if (format === undefined) return undefined;
    const parse = DATE_PARSERS[format];
    // Only date-shaped values that fail to parse are impossible dates; other text is not a date at all.
    return { kind: 'date', isGood: (v) => !DATE_LIKE.test(v.trim()) || parse(v.trim()) !== undefined };
  }
  return undefined;
}

/** The most common shape among values, with digits as `9` (letters never occur in the date layouts it is used for). */
function commonShape(values: readonly string[]): string | undefined {
  const counts = new Map<string, number>();
  for (const v of values) {
    const shape = shapeOf(v.trim());
    counts.set(shape, (counts.get(shape) ?? 0) + 1);
  }
  let best: string | undefined;
  let bestCount = 0;
  for (const [shape, c] of counts)
    if (c > bestCount || (c === bestCount && best !== undefined && shape < best)) {
      best = shape;
      bestCount = c;
    }
  // Only layouts of digits and separators: a shape with letters could echo part of a real value.
  return best !== undefined && /^[9\-/. ]+$/.test(best) ? best : undefined;
}

/**
 * Finds malformed values in a sample's string columns and returns, per column, a rule that
 * reproduces them at the sample's frequency (share of all rows). Columns are checked by what their
 * name and profile say they hold: emails, phone numbers, postcodes, patterned identifiers, dates.
 */
export function detectDataQualityIssues(sample: Table, profile: DatasetProfile): DataQualityIssue[] {
  const issues: DataQualityIssue[] = [];
  if (sample.rowCount === 0) return issues;
  for (const column of sample.columns) {
    if (column.type !== 'string') continue;
    const columnProfile = profile.columns.find((c) => c.name === column.name);
    if (columnProfile === undefined) continue;
    const check = classify(columnProfile, column.values);
    if (check === undefined) continue;
    const bad: string[] = [];
    for (const v of column.values)
      if (typeof v === 'string' && v.trim() !== '' && !check.isGood(v)) bad.push(v);
    if (bad.length === 0) continue;
    const frequency = bad.length / sample.rowCount;
    const pattern = check.kind === 'date' ? commonShape(bad) : check.pattern;
    const rule: EdgeCaseRule = {
      kind: 'malformed',
      column: column.name,
      frequency,
      malformed: check.kind,
      ...(pattern !== undefined ? { pattern } : {}),
    };
    issues.push({ column: column.name, malformed: check.kind, count: bad.length, frequency, rule });
  }
  return issues;
}
