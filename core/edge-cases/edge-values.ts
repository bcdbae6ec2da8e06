/**
 * The values edge cases put into cells. Every value is generated (from a seeded stream, a
 * column's shape, or fixed well-known boundary dates): none is ever taken from the real sample,
 * so a malformed email in the output is a new malformed email of the same kind, never a copy.
 */
import type { Rng } from '../random/index.js';
import { formatIsoDate, formatIsoTimestamp, parseDatetimeMs } from '../synth/datetime-codec.js';
import type { CellValue, PhysicalType } from '../table.js';
import { EdgeCaseType, type EdgeCaseRule, type MalformedKind } from './rules.js';

/** A generated edge value and the anomaly it represents. */
export interface EdgeValue {
  value: CellValue;
  type: EdgeCaseType;
}

/** Unicode fragments that break naive string handling: astral emoji and ZWJ sequences, combining marks, right-to-left text and controls, invisible and width-changing characters. */
export const UNICODE_FRAGMENTS: readonly string[] = [
  '😀',
  '👨‍👩‍👧‍👦',
  '🇩🇪',
  '👍🏽',
  '🏳️‍🌈',
  'e\u0301',
  'n\u0303',
  'a\u0308\u0332',
  'Z\u0351\u0362\u0307',
  'مرحبا',
  'שלום',
  '\u200fעברית\u200f',
  'abc\u202edcba',
  '\u200b',
  '\u00a0',
  'Ｔｅｓｔ',
  '東京',
  'ß',
  'ı',
  'Ω≈ç√',
];

/** Well-known far-future instants: the 32-bit time_t overflow, a century ahead, the largest SQL date. */
export const FAR_FUTURE: readonly string[] = [
  '2038-01-19T03:14:08.000Z',
  '2100-01-01T00:00:00.000Z',
  '3000-01-01T00:00:00.000Z',
  '9999-12-31T23:59:59.999Z',
];
/** Well-known far-past instants: year 1, SQL Server's datetime minimum, the 32-bit time_t minimum, 1900 epochs. */
export const FAR_PAST: readonly string[] = [
  '0001-01-01T00:00:00.000Z',
  '1753-01-01T00:00:00.000Z',
  '1899-12-31T00:00:00.000Z',
  '1900-01-01T00:00:00.000Z',
  '1901-12-13T20:45:52.000Z',
];

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const LOCAL_PARTS = ['user', 'test', 'alex', 'sam', 'info', 'contact', 'jo', 'kim'];
const DOMAINS = ['example', 'mail', 'test', 'sample'];

function pick<T>(rng: Rng, list: readonly T[]): T {
  return list[rng.nextInt(list.length)] as T;
}

function randomAlnum(rng: Rng, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += ALNUM.charAt(rng.nextInt(ALNUM.length));
  return out;
}

/** Truncates to at most `max` UTF-16 units without splitting a surrogate pair. */
export function truncateCodeUnits(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max;
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end--;
  return text.slice(0, end);
}

/** Whether a column stores datetimes (physically, or as ISO text in the current cell). */
function isTemporal(type: PhysicalType, current: CellValue): boolean {
  return (
    type === 'date' ||
    type === 'timestamp' ||
    (typeof current === 'string' && !Number.isNaN(parseDatetimeMs(current)))
  );
}

/** An instant written the way the column writes it: `YYYY-MM-DD` for dates, full ISO otherwise. */
function writeInstant(ms: number, type: PhysicalType, current: CellValue): string {
  const dateOnly =
    type === 'date' || (type !== 'timestamp' && typeof current === 'string' && current.trim().length === 10);
  return dateOnly ? formatIsoDate(ms) : formatIsoTimestamp(ms);
}

function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

/** The leap year nearest to `year` (ties go later), so leap days stay within the data's era. */
function nearestLeapYear(year: number): number {
  for (let d = 0; d < 8; d++) {
    if (isLeapYear(year + d)) return year + d;
    if (isLeapYear(year - d)) return year - d;
  }
  return 2024;
}

/** The value a rule puts into one cell; `current` is the cell's synthetic value, `donor` another row's (for duplicates). */
export function edgeValueFor(
  rule: EdgeCaseRule,
  type: PhysicalType,
  current: CellValue,
  donor: CellValue | undefined,
  rng: Rng,
): EdgeValue {
  switch (rule.kind) {
    case 'boundary': {
      const useMax = rule.min === undefined || (rule.max !== undefined && rng.nextBoolean(0.5));
      const v = (useMax ? rule.max : rule.min) as number | string;
      const value =
        typeof v === 'string' && isTemporal(type, v) ? writeInstant(parseDatetimeMs(v), type, current) : v;
      return { value, type: useMax ? EdgeCaseType.BoundaryMax : EdgeCaseType.BoundaryMin };
    }
    case 'null':
      return { value: null, type: EdgeCaseType.Null };
    case 'maxLength':
      return { value: randomAlnum(rng, rule.maxLength), type: EdgeCaseType.MaxLength };
    case 'unicode':
      return { value: unicodeString(rng, rule.maxLength), type: EdgeCaseType.Unicode };
    case 'leapDay': {
      const ms = current === null ? Number.NaN : parseDatetimeMs(current);
      const year = Number.isNaN(ms) ? 2024 : new Date(ms).getUTCFullYear();
      const timeOfDay = Number.isNaN(ms)
        ? rng.nextInt(86_400) * 1000
        : ((ms % 86_400_000) + 86_400_000) % 86_400_000;
      const day = Date.UTC(2000, 1, 29);
      const leap = new Date(day);
      leap.setUTCFullYear(nearestLeapYear(year), 1, 29);
      return { value: writeInstant(leap.getTime() + timeOfDay, type, current), type: EdgeCaseType.LeapDay };
    }
    case 'farFuture':
    case 'farPast': {
      const iso = pick(rng, rule.kind === 'farFuture' ? FAR_FUTURE : FAR_PAST);
      return {
        value: writeInstant(parseDatetimeMs(iso), type, current),
        type: rule.kind === 'farFuture' ? EdgeCaseType.FarFuture : EdgeCaseType.FarPast,
      };
    }
    case 'zero':
      return { value: 0, type: EdgeCaseType.Zero };
    case 'negative': {
      const magnitude =
        typeof current === 'number' && current !== 0 ? Math.abs(current) : type === 'integer' ? 1 : 0.01;
      return { value: -magnitude, type: EdgeCaseType.Negative };
    }
    case 'duplicate':
      return { value: donor ?? current, type: EdgeCaseType.Duplicate };
    case 'malformed':
      return malformedValue(rule.malformed, rule.pattern, rng);
  }
}

/** A string of one to four unicode fragments around a few letters, cut to `maxLength` without splitting a surrogate pair. */
export function unicodeString(rng: Rng, maxLength?: number): string {
  const parts = 1 + rng.nextInt(4);
  let out = '';
  for (let i = 0; i < parts; i++) {
    out += pick(rng, UNICODE_FRAGMENTS);
    if (rng.nextBoolean(0.5)) out += randomAlnum(rng, 1 + rng.nextInt(4));
  }
  return maxLength === undefined ? out : truncateCodeUnits(out, maxLength);
}

/** A value following a shape (`A` → letter, `9` → digit, anything else literal). */
export function fillShape(shape: string, rng: Rng): string {
  let out = '';
  for (const ch of shape) {
    if (ch === '9') out += String.fromCharCode(48 + rng.nextInt(10));
    else if (ch === 'A') out += String.fromCharCode(65 + rng.nextInt(26));
    else out += ch;
  }
  return out;
}

/**
 * A value of the pattern's kind that breaks its shape: one character too few or too many, or a
 * digit replaced by a letter (or a letter by a digit), so it can never match the shape.
 */
export function breakShape(pattern: string, rng: Rng): string {
  const good = fillShape(pattern, rng);
  const variant = rng.nextInt(3);
  if (variant === 0 && good.length > 1) return good.slice(0, -1);
  if (variant === 1) return good + String.fromCharCode(48 + rng.nextInt(10));
  const positions: number[] = [];
  for (let i = 0; i < pattern.length; i++)
    if (pattern[i] === '9' || /\p{L}/u.test(pattern[i] as string)) positions.push(i);
  if (positions.length === 0) return good + 'X';
  const at = positions[rng.nextInt(positions.length)] as number;
  const replacement =
    pattern[at] === '9' ? pick(rng, ['O', 'I', 'X', 'Z']) : String.fromCharCode(48 + rng.nextInt(10));
  return good.slice(0, at) + replacement + good.slice(at + 1);
}

function malformedEmail(rng: Rng): string {
  const local = pick(rng, LOCAL_PARTS) + (rng.nextBoolean(0.5) ? String(rng.nextInt(100)) : '');
  const label = pick(rng, DOMAINS);
  // Reserved names only (RFC 2606): `mail.com` and `test.com` are real, and some malformed addresses still get delivered.
  const domain = label === 'example' ? 'example' : `${label}.example`;
  switch (rng.nextInt(8)) {
    case 0:
      return `${local}${domain}.com`;
    case 1:
      return `${local}@@${domain}.com`;
    case 2:
      return `${local}@`;
    case 3:
      return `${local}@${label}`;
    case 4:
      return `${local} ${pick(rng, LOCAL_PARTS)}@${domain}.com`;
    case 5:
      return `${local}@${domain}.com.`;
    case 6:
      return `${local}..${pick(rng, LOCAL_PARTS)}@${domain}.com`;
    default:
      return `@${domain}.com`;
  }
}

function malformedPhone(rng: Rng): string {
  switch (rng.nextInt(4)) {
    case 0:
      return String(100 + rng.nextInt(900)) + '-' + String(10 + rng.nextInt(90));
    case 1:
      return `${String(100 + rng.nextInt(900))}-CALL-${pick(rng, ['NOW', 'ME', 'US'])}`;
    case 2:
      return '+' + fillShape('9999999999999999999', rng);
    default:
      return `(${String(100 + rng.nextInt(900))}) ${String(100 + rng.nextInt(900))}--`;
  }
}

/**
 * An impossible date in the layout of `shape` (ISO `9999-99-99` by default): February 30th, month
 * 13, April 31st, month 0 — chosen so that day/month order does not matter for slash layouts.
 */
function impossibleDate(shape: string | undefined, rng: Rng): string {
  const year = 1990 + rng.nextInt(40);
  const layout = shape ?? '9999-99-99';
  const sep = layout.replace(/9/g, '').charAt(0) || '-';
  if (/^9{4}/.test(layout)) {
    const [m, d] = pick(rng, [
      ['02', '30'],
      ['13', '01'],
      ['04', '31'],
      ['00', '10'],
      ['06', '31'],
    ]) as [string, string];
    return `${year}${sep}${m}${sep}${d}`;
  }
  const [a, b] = pick(rng, [
    ['02', '30'],
    ['13', '13'],
    ['00', '00'],
    ['32', '13'],
  ]) as [string, string];
  return `${a}${sep}${b}${sep}${year}`;
}

/** A new malformed value of the given kind. */
export function malformedValue(kind: MalformedKind, pattern: string | undefined, rng: Rng): EdgeValue {
  switch (kind) {
    case 'email':
      return { value: malformedEmail(rng), type: EdgeCaseType.MalformedEmail };
    case 'phone':
      return { value: malformedPhone(rng), type: EdgeCaseType.MalformedPhone };
    case 'postcode':
      return { value: breakShape(pattern ?? '99999', rng), type: EdgeCaseType.MalformedPostcode };
    case 'identifier':
      return { value: breakShape(pattern ?? 'AA-99999', rng), type: EdgeCaseType.MalformedIdentifier };
    case 'date':
      return { value: impossibleDate(pattern, rng), type: EdgeCaseType.ImpossibleDate };
  }
}
