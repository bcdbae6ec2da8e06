/**
 * Table and column names as SQL identifiers. Any name a database accepts as a quoted identifier
 * is allowed (quotes, spaces, semicolons, reserved words, unicode) and is always quoted; names a
 * dialect would reject or silently truncate fail early with a ConfigError naming the field.
 *
 * Dots are part of the name: `sales.orders` is one table called "sales.orders" in the
 * connection's default schema, never table `orders` in schema `sales`. Schema-qualified names are
 * not supported; point the URL (database, or PostgreSQL `search_path`) at the schema instead.
 */
import { ConfigError } from '../../core/errors.js';
import type { Dialect } from './port.js';

/** Name of the table that records every committed batch and truncation. */
export const LEDGER_TABLE = 'understudy_load_ledger' as const;
/** Name of the table that records which attempt holds the lease on a (run, table). */
export const LEASE_TABLE = 'understudy_load_lease' as const;

/**
 * Longest identifier per dialect: PostgreSQL counts bytes (NAMEDATALEN - 1) and truncates longer
 * names silently, MySQL counts characters; SQLite has no limit, so ours keeps ledger keys bounded.
 */
export const IDENTIFIER_LIMITS = {
  postgres: { max: 63, unit: 'bytes' },
  mysql: { max: 64, unit: 'characters' },
  sqlite: { max: 128, unit: 'characters' },
} as const satisfies Record<Dialect, { max: number; unit: 'bytes' | 'characters' }>;

const SUPPLEMENTARY_PLANE = /[\u{10000}-\u{10FFFF}]/u;

/** Throws a ConfigError naming `field` unless `name` is usable as a quoted identifier in `dialect`. */
export function validateIdentifier(name: unknown, dialect: Dialect, field: string): asserts name is string {
  if (typeof name !== 'string' || name.length === 0)
    throw new ConfigError('identifier must be a non-empty string', field);
  if (name.includes('\u0000')) throw new ConfigError('identifier must not contain a NUL character', field);
  if (!isWellFormed(name)) throw new ConfigError('identifier contains an unpaired UTF-16 surrogate', field);
  const shown = describeIdentifier(name);
  const limit = IDENTIFIER_LIMITS[dialect];
  const size = limit.unit === 'bytes' ? Buffer.byteLength(name, 'utf8') : [...name].length;
  if (size > limit.max) {
    throw new ConfigError(
      `identifier ${shown} is ${size} ${limit.unit} long; ${dialect} allows at most ${limit.max}`,
      field,
    );
  }
  if (dialect === 'mysql') {
    // MySQL identifiers are limited to the Basic Multilingual Plane and may not end with a space.
    if (SUPPLEMENTARY_PLANE.test(name))
      throw new ConfigError(
        `identifier ${shown} contains a character outside the Basic Multilingual Plane, which MySQL does not allow`,
        field,
      );
    if (name.endsWith(' '))
      throw new ConfigError(`identifier ${shown} ends with a space, which MySQL does not allow`, field);
  }
}

/** Throws a ConfigError naming `field` if `table` is invalid or is one of the loader's own tables. */
export function validateTableName(
  table: unknown,
  dialect: Dialect,
  field = 'table',
): asserts table is string {
  validateIdentifier(table, dialect, field);
  const folded = table.toLowerCase();
  if (folded === LEDGER_TABLE || folded === LEASE_TABLE)
    throw new ConfigError(`identifier ${describeIdentifier(table)} is reserved for the load ledger`, field);
}

/** Throws a ConfigError if a column name is invalid or two names collide under the dialect's comparison rules. */
export function validateColumnNames(names: readonly string[], dialect: Dialect, field = 'columns'): void {
  const seen = new Set<string>();
  names.forEach((name, i) => {
    validateIdentifier(name, dialect, `${field}[${i}]`);
    const key = columnKey(name, dialect);
    if (seen.has(key))
      throw new ConfigError(`duplicate column name ${describeIdentifier(name)}`, `${field}[${i}]`);
    seen.add(key);
  });
}

/** The form under which a dialect compares column names: MySQL and SQLite ignore case, PostgreSQL (quoted) does not. */
export function columnKey(name: string, dialect: Dialect): string {
  return dialect === 'postgres' ? name : name.toLowerCase();
}

/** Quotes a validated identifier for `dialect`, doubling embedded quote characters. */
export function quoteIdentifier(name: string, dialect: Dialect): string {
  // knex's own wrapping splits on dots and its placeholder pass rewrites `?`, so quoting is done here.
  return dialect === 'mysql' ? `\`${name.replaceAll('`', '``')}\`` : `"${name.replaceAll('"', '""')}"`;
}

/** A bounded, escaped rendering of an identifier for error messages (names are schema, not data). */
export function describeIdentifier(name: string): string {
  const chars = [...name];
  return JSON.stringify(chars.length > 40 ? `${chars.slice(0, 40).join('')}…` : name);
}

function isWellFormed(s: string): boolean {
  return (s as string & { isWellFormed(): boolean }).isWellFormed();
}
