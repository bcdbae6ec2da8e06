/**
 * SQL text for INSERT scripts in three dialects: identifiers quoted by each dialect's rules and
 * literals escaped so that a script means the same thing whatever the session's escaping mode
 * (MySQL's NO_BACKSLASH_ESCAPES, PostgreSQL's standard_conforming_strings).
 */
import { ConfigError, DataError } from '../../core/errors.js';
import type { CellValue, PhysicalType } from '../../core/table.js';
import { COLUMN_TYPES } from '../database/table-ddl.js';

/** SQL dialects an INSERT script can be written for. */
export const SqlDialect = {
  Postgres: 'postgres',
  Mysql: 'mysql',
  Sqlite: 'sqlite',
} as const;
/** One of {@link SqlDialect}. */
export type SqlDialect = (typeof SqlDialect)[keyof typeof SqlDialect];

// PostgreSQL silently truncates longer identifiers (NAMEDATALEN 64 → 63 bytes); MySQL refuses over 64 characters.
const MAX_IDENTIFIER = { postgres: 63, mysql: 64, sqlite: 1024 } as const;

/** An identifier quoted for the dialect; throws ConfigError (naming `field`) when the dialect cannot hold it. */
export function quoteIdentifier(dialect: SqlDialect, name: string, field: string): string {
  if (name.length === 0) throw new ConfigError('an SQL identifier must not be empty', field);
  if (name.includes('\0')) throw new ConfigError('an SQL identifier must not contain NUL', field);
  const size = dialect === 'postgres' ? Buffer.byteLength(name, 'utf8') : [...name].length;
  if (size > MAX_IDENTIFIER[dialect]) {
    throw new ConfigError(
      `an SQL identifier is longer than ${dialect} allows (${MAX_IDENTIFIER[dialect]})`,
      field,
    );
  }
  if (dialect === 'mysql') {
    // MySQL identifiers may not end with a space, and backquotes double inside backquotes.
    if (name.endsWith(' ')) throw new ConfigError('a MySQL identifier must not end with a space', field);
    return `\`${name.replaceAll('`', '``')}\``;
  }
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * The column type a CREATE TABLE in the dialect uses for a physical type: the database target's own
 * mapping, so a script creates the same table a direct load would.
 */
export function columnTypeFor(dialect: SqlDialect, type: PhysicalType): string {
  return COLUMN_TYPES[dialect][type];
}

/** Where a literal comes from, for errors that name the place and never the value. */
export interface LiteralPlace {
  file: string;
  column: string;
  row: number;
}

/** One cell as an SQL literal of the dialect. */
export function sqlLiteral(
  dialect: SqlDialect,
  value: CellValue,
  type: PhysicalType,
  place: LiteralPlace,
): string {
  if (value === null) return 'NULL';
  if (typeof value === 'boolean') {
    if (dialect === 'postgres') return value ? 'TRUE' : 'FALSE';
    return value ? '1' : '0';
  }
  if (typeof value === 'number') return numberLiteral(dialect, value, place);
  if (type === 'timestamp' && dialect === 'mysql')
    return stringLiteral(dialect, mysqlDatetime(value, place), place);
  return stringLiteral(dialect, value, place);
}

function numberLiteral(dialect: SqlDialect, value: number, place: LiteralPlace): string {
  if (Number.isFinite(value)) return Object.is(value, -0) ? '0' : String(value);
  if (dialect === 'postgres') {
    return `'${Number.isNaN(value) ? 'NaN' : value > 0 ? 'Infinity' : '-Infinity'}'::double precision`;
  }
  if (dialect === 'sqlite' && !Number.isNaN(value)) return value > 0 ? '9e999' : '-9e999';
  throw new DataError(`${dialect} cannot store a non-finite number`, placeLocation(place));
}

// A lone surrogate has no UTF-8 encoding: the script would silently carry U+FFFD instead.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function stringLiteral(dialect: SqlDialect, text: string, place: LiteralPlace): string {
  if (LONE_SURROGATE.test(text))
    throw new DataError('text is not valid Unicode (lone surrogate)', placeLocation(place));
  if (text.includes('\0')) {
    if (dialect === 'postgres')
      throw new DataError('PostgreSQL text cannot hold a NUL character', placeLocation(place));
    // Quoting alone cannot carry a NUL through every client; a hex literal can.
    const hex = Buffer.from(text, 'utf8').toString('hex');
    return dialect === 'mysql' ? `_utf8mb4 X'${hex}'` : `CAST(X'${hex}' AS TEXT)`;
  }
  if (dialect === 'mysql' && text.includes('\\')) {
    // Backslash means "escape" unless NO_BACKSLASH_ESCAPES is set; a hex literal reads the same in both modes.
    return `_utf8mb4 X'${Buffer.from(text, 'utf8').toString('hex')}'`;
  }
  // PostgreSQL: with standard_conforming_strings off a backslash would escape; E'' strings are read the same either way.
  if (dialect === 'postgres' && text.includes('\\'))
    return `E'${text.replaceAll('\\', '\\\\').replaceAll("'", "''")}'`;
  return `'${text.replaceAll("'", "''")}'`;
}

function mysqlDatetime(iso: string, place: LiteralPlace): string {
  // DATETIME has no zone: the script sets time_zone to UTC, and the value is written as UTC wall time.
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new DataError('timestamp is not an ISO date-time', placeLocation(place));
  return new Date(ms).toISOString().replace('T', ' ').replace('Z', '');
}

function placeLocation(place: LiteralPlace): { file: string; column: string; row: number } {
  return { file: place.file, column: place.column, row: place.row };
}
