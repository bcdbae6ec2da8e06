/**
 * Cell values to what each dialect's write path needs: COPY text fields for PostgreSQL, SQL
 * literals for MySQL, bind values for SQLite. Values that cannot be stored faithfully (a string
 * with an unpaired surrogate, NUL in PostgreSQL text, NaN in MySQL) fail with the reason, never
 * silently as U+FFFD or NULL; the caller turns the reason into a DataError naming column and row.
 */
import mysql from 'mysql2';
import { daysInMonth } from '../../core/profile/datetime-parse.js';
import type { CellValue, PhysicalType } from '../../core/table.js';

/** A cell that cannot be written; `reason` describes the problem without the value. */
export class CellRejected extends Error {
  override readonly name = 'CellRejected';
}

/** Encodes one cell for one dialect's write path. */
export type CellEncoder<T> = (value: CellValue | undefined) => T;

const INTEGER_TEXT = /^[+-]?\d+$/;
const FLOAT_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const DATE_TEXT = /^\d{4}-\d{2}-\d{2}$/;
const TIMESTAMP_TEXT = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}(:?\d{2})?)?$/i;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
/** The form core emits (`Date.toISOString`); recognising it skips parsing on the hot path. */
const CANONICAL_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/;
const CANONICAL_UTC_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
/** Characters mysql.escape rewrites; strings without them are quoted as they are. */
// eslint-disable-next-line no-control-regex
const MYSQL_SPECIAL = /[\u0000\b\t\n\r\u001a"'\\]/;
// NUL is included on purpose: such strings take the slow path, which rejects them.
// eslint-disable-next-line no-control-regex
const COPY_SPECIAL = /[\\\n\r\t\u0000]/;

function reject(reason: string): never {
  throw new CellRejected(reason);
}

function integerText(v: CellValue): string {
  if (typeof v === 'number') {
    if (!Number.isInteger(v)) reject('value is not an integer');
    // String(1e21) is "1e+21", which no integer column parses.
    return Number.isSafeInteger(v) ? String(v) : BigInt(v).toString();
  }
  if (typeof v === 'string' && INTEGER_TEXT.test(v)) return v;
  return reject('value is not an integer');
}

function floatNumber(v: CellValue): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && FLOAT_TEXT.test(v)) {
    // As PostgreSQL's own parser does: text beyond a double's range is refused, not stored as ±Infinity or 0.
    const n = Number(v);
    if (!Number.isFinite(n)) reject('number is out of range for a double');
    if (n === 0 && /[1-9]/.test(v.split(/[eE]/)[0] as string)) reject('number is too small for a double');
    return n;
  }
  return reject('value is not a number');
}

function booleanValue(v: CellValue): boolean {
  if (typeof v === 'boolean') return v;
  if (v === 0 || v === 1) return v === 1;
  return reject('value is not a boolean');
}

function stringValue(v: CellValue): string {
  if (typeof v === 'string') {
    if (!(v as string & { isWellFormed(): boolean }).isWellFormed())
      reject('string contains an unpaired UTF-16 surrogate');
    return v;
  }
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return reject('value is not a string');
}

function dateText(v: CellValue): string {
  if (typeof v === 'string' && DATE_TEXT.test(v)) return v;
  return reject('value is not an ISO date (YYYY-MM-DD)');
}

/** An ISO timestamp as a Date; a timestamp without an offset is read as UTC, like the sessions we open. */
function timestampDate(v: CellValue): Date {
  if (typeof v !== 'string' || !TIMESTAMP_TEXT.test(v)) reject('value is not an ISO timestamp');
  // JavaScript's Date rolls impossible dates over (2024-02-30 → March 1); the databases refuse them.
  if (!isCalendarTimestamp(v)) reject('value is not a valid timestamp');
  let text = v.replace(' ', 'T');
  // `+05` is ISO but not something Date parses: `+05:00`.
  text = text.replace(/([+-]\d{2})$/, '$1:00');
  if (!/(Z|[+-]\d{2}(:?\d{2})?)$/i.test(text)) text += 'Z';
  const d = new Date(text);
  if (Number.isNaN(d.getTime())) reject('value is not a valid timestamp');
  return d;
}

/** Whether the date and time fields of an ISO timestamp text are in range (day of its month, 23:59:59). */
function isCalendarTimestamp(text: string): boolean {
  const year = Number(text.slice(0, 4));
  const month = Number(text.slice(5, 7));
  const day = Number(text.slice(8, 10));
  const hour = Number(text.slice(11, 13));
  const minute = Number(text.slice(14, 16));
  const second = text.length >= 19 && text[16] === ':' ? Number(text.slice(17, 19)) : 0;
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return false;
  return day <= daysInMonth(year, month);
}

function copyEscape(s: string): string {
  if (s.includes('\u0000')) reject('string contains a NUL character, which PostgreSQL text cannot store');
  return s.replace(/[\\\n\r\t]/g, (c) =>
    c === '\\' ? '\\\\' : c === '\n' ? '\\n' : c === '\r' ? '\\r' : '\\t',
  );
}

function isWellFormed(s: string): boolean {
  return (s as string & { isWellFormed(): boolean }).isWellFormed();
}

// One distinct function per (dialect, type), each with its own null check: a shared wrapper
// closure makes every call site megamorphic and costs about a third of the encoding time.
const COPY_ENCODERS: Record<PhysicalType, CellEncoder<string>> = {
  integer: (v) =>
    v == null ? '\\N' : typeof v === 'number' && Number.isSafeInteger(v) ? String(v) : integerText(v),
  // PostgreSQL double precision accepts NaN and ±Infinity in these spellings.
  float: (v) => {
    if (v == null) return '\\N';
    const n = typeof v === 'number' ? v : floatNumber(v);
    return Number.isFinite(n) ? String(n) : Number.isNaN(n) ? 'NaN' : n > 0 ? 'Infinity' : '-Infinity';
  },
  boolean: (v) => (v == null ? '\\N' : v === true ? 't' : v === false ? 'f' : booleanValue(v) ? 't' : 'f'),
  string: (v) => {
    if (v == null) return '\\N';
    if (typeof v !== 'string') return stringValue(v);
    if (!isWellFormed(v)) reject('string contains an unpaired UTF-16 surrogate');
    return COPY_SPECIAL.test(v) ? copyEscape(v) : v;
  },
  date: (v) => (v == null ? '\\N' : dateText(v)),
  // Kept as written (microseconds survive); PostgreSQL rejects impossible dates itself.
  timestamp: (v) => {
    if (v == null) return '\\N';
    if (typeof v === 'string' && CANONICAL_UTC.test(v)) return v;
    timestampDate(v);
    return v as string;
  },
};

/** Encoder to a PostgreSQL COPY text-format field: `\N` is NULL, an empty field is the empty string. */
export function copyEncoder(type: PhysicalType): CellEncoder<string> {
  return COPY_ENCODERS[type];
}

const MYSQL_ENCODERS: Record<PhysicalType, CellEncoder<string>> = {
  integer: (v) =>
    v == null ? 'NULL' : typeof v === 'number' && Number.isSafeInteger(v) ? String(v) : integerText(v),
  float: (v) => {
    if (v == null) return 'NULL';
    const n = typeof v === 'number' ? v : floatNumber(v);
    if (!Number.isFinite(n)) reject('value is NaN or infinite, which MySQL DOUBLE cannot store');
    return String(n);
  },
  boolean: (v) => (v == null ? 'NULL' : v === true ? '1' : v === false ? '0' : booleanValue(v) ? '1' : '0'),
  string: (v) => {
    if (v == null) return 'NULL';
    const text = stringValue(v);
    return MYSQL_SPECIAL.test(text) ? mysql.escape(text) : `'${text}'`;
  },
  date: (v) => (v == null ? 'NULL' : `'${dateText(v)}'`),
  // DATETIME(3) has no zone: store UTC wall time. Strict mode rejects impossible dates.
  timestamp: (v) => {
    if (v == null) return 'NULL';
    if (typeof v === 'string' && CANONICAL_UTC.test(v)) return `'${v.slice(0, 10)} ${v.slice(11, -1)}'`;
    return `'${timestampDate(v).toISOString().replace('T', ' ').replace('Z', '')}'`;
  },
};

/** Encoder to a MySQL SQL literal, escaped for a session without NO_BACKSLASH_ESCAPES (ours never sets it). */
export function mysqlEncoder(type: PhysicalType): CellEncoder<string> {
  return MYSQL_ENCODERS[type];
}

function loadDataEscape(s: string): string {
  return s.replace(/[\\\t\n\r\0]/g, (c) =>
    c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : c === '\r' ? '\\r' : '\\0',
  );
}

// Characters LOAD DATA (FIELDS ESCAPED BY '\\') treats as syntax; strings without them go as they are.
// eslint-disable-next-line no-control-regex
const LOAD_DATA_SPECIAL = /[\\\t\n\r\u0000]/;

const LOAD_DATA_ENCODERS: Record<PhysicalType, CellEncoder<string>> = {
  integer: (v) =>
    v == null ? '\\N' : typeof v === 'number' && Number.isSafeInteger(v) ? String(v) : integerText(v),
  float: (v) => {
    if (v == null) return '\\N';
    const n = typeof v === 'number' ? v : floatNumber(v);
    if (!Number.isFinite(n)) reject('value is NaN or infinite, which MySQL DOUBLE cannot store');
    return String(n);
  },
  boolean: (v) => (v == null ? '\\N' : v === true ? '1' : v === false ? '0' : booleanValue(v) ? '1' : '0'),
  string: (v) => {
    if (v == null) return '\\N';
    const text = stringValue(v);
    return LOAD_DATA_SPECIAL.test(text) ? loadDataEscape(text) : text;
  },
  date: (v) => (v == null ? '\\N' : dateText(v)),
  timestamp: (v) => {
    if (v == null) return '\\N';
    if (typeof v === 'string' && CANONICAL_UTC.test(v)) return `${v.slice(0, 10)} ${v.slice(11, -1)}`;
    return timestampDate(v).toISOString().replace('T', ' ').replace('Z', '');
  },
};

/**
 * Encoder to a field of MySQL's LOAD DATA text format (tab-separated, backslash escapes, `\N` for NULL),
 * with the same checks as {@link mysqlEncoder}.
 */
export function loadDataEncoder(type: PhysicalType): CellEncoder<string> {
  return LOAD_DATA_ENCODERS[type];
}

/** A value better-sqlite3 can bind. */
export type SqliteValue = number | bigint | string | null;

const SQLITE_ENCODERS: Record<PhysicalType, CellEncoder<SqliteValue>> = {
  integer: (v) => {
    if (v == null) return null;
    if (typeof v === 'number' && Number.isSafeInteger(v)) return v;
    const big = BigInt(integerText(v));
    if (big < INT64_MIN || big > INT64_MAX) reject('integer outside the 64-bit range');
    return big;
  },
  float: (v) => {
    if (v == null) return null;
    const n = typeof v === 'number' ? v : floatNumber(v);
    // SQLite stores NaN as NULL without a word.
    if (Number.isNaN(n)) reject('value is NaN, which SQLite stores as NULL');
    return n;
  },
  boolean: (v) => (v == null ? null : v === true ? 1 : v === false ? 0 : booleanValue(v) ? 1 : 0),
  string: (v) => (v == null ? null : stringValue(v)),
  date: (v) => (v == null ? null : dateText(v)),
  // SQLite checks nothing, so validity is checked here; canonical text is kept as it is.
  timestamp: (v) => {
    if (v == null) return null;
    if (typeof v === 'string' && CANONICAL_UTC_MS.test(v) && isCalendarTimestamp(v)) return v;
    return timestampDate(v).toISOString();
  },
};

/** Encoder to a better-sqlite3 bind value; booleans become 0/1 and timestamps normalised ISO-8601 UTC text. */
export function sqliteEncoder(type: PhysicalType): CellEncoder<SqliteValue> {
  return SQLITE_ENCODERS[type];
}
