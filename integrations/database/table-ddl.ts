/**
 * Target tables: column types per dialect, CREATE TABLE for a schema, and the live column list
 * a load is checked against.
 */
import type { PhysicalType, TableSchema } from '../../core/table.js';
import { describeIdentifier, quoteIdentifier } from './identifiers.js';
import type { Dialect } from './port.js';
import type { RawSession } from './raw-session.js';

/** The column type each physical type maps to, per dialect. */
export const COLUMN_TYPES = {
  postgres: {
    integer: 'bigint',
    float: 'double precision',
    boolean: 'boolean',
    string: 'text',
    date: 'date',
    timestamp: 'timestamptz',
  },
  mysql: {
    integer: 'BIGINT',
    float: 'DOUBLE',
    boolean: 'TINYINT(1)',
    // LONGTEXT, because TEXT stops at 64 KB and synthetic cells can be megabytes.
    string: 'LONGTEXT',
    date: 'DATE',
    timestamp: 'DATETIME(3)',
  },
  sqlite: {
    integer: 'INTEGER',
    float: 'REAL',
    boolean: 'INTEGER',
    string: 'TEXT',
    date: 'TEXT',
    timestamp: 'TEXT',
  },
} as const satisfies Record<Dialect, Record<PhysicalType, string>>;

/**
 * MySQL cannot index LONGTEXT whole: string key columns become VARCHAR(255) (utf8mb4: 1,020 bytes, so
 * three of them still fit InnoDB's 3,072-byte key limit).
 */
const MYSQL_STRING_KEY_TYPE = 'VARCHAR(255)';

/** A FOREIGN KEY constraint of a table {@link createTableSql} creates. */
export interface ForeignKeyDdl {
  /** Columns of the created table, in the order of the parent's `references.columns`. */
  columns: readonly string[];
  references: {
    /** The parent table (it must exist first, with a primary key or unique index on these columns). */
    table: string;
    columns: readonly string[];
  };
}

/** Constraints besides the primary key for {@link createTableSql}. */
export interface CreateTableOptions {
  /** FOREIGN KEY (...) REFERENCES parent (...) constraints. @default [] */
  foreignKeys?: readonly ForeignKeyDdl[];
  /** Columns declared NOT NULL besides the primary key's. @default [] */
  notNull?: readonly string[];
}

/**
 * CREATE TABLE IF NOT EXISTS for a schema, every identifier quoted, with the primary key when one is
 * given and any foreign keys; MySQL tables are InnoDB utf8mb4 so loads can roll back and hold emoji.
 */
export function createTableSql(
  dialect: Dialect,
  table: string,
  schema: TableSchema,
  primaryKey: readonly string[] = [],
  options: CreateTableOptions = {},
): string {
  const foreignKeys = options.foreignKeys ?? [];
  const keyColumns = new Set(primaryKey);
  const notNull = new Set([...primaryKey, ...(options.notNull ?? [])]);
  // InnoDB indexes foreign key columns (and needs them typed like the parent's key): VARCHAR, as for keys.
  const indexed = new Set([...primaryKey, ...foreignKeys.flatMap((fk) => fk.columns)]);
  const columns = schema.columns.map((c) => {
    const type =
      dialect === 'mysql' && c.type === 'string' && indexed.has(c.name)
        ? MYSQL_STRING_KEY_TYPE
        : COLUMN_TYPES[dialect][c.type];
    return `${quoteIdentifier(c.name, dialect)} ${type}${notNull.has(c.name) ? ' NOT NULL' : ''}`;
  });
  const list = (names: readonly string[]) => names.map((k) => quoteIdentifier(k, dialect)).join(', ');
  if (keyColumns.size > 0) columns.push(`PRIMARY KEY (${list(primaryKey)})`);
  for (const fk of foreignKeys)
    columns.push(
      `FOREIGN KEY (${list(fk.columns)}) REFERENCES ${quoteIdentifier(fk.references.table, dialect)} (${list(fk.references.columns)})`,
    );
  const suffix =
    dialect === 'mysql' ? ' ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci' : '';
  return `CREATE TABLE IF NOT EXISTS ${quoteIdentifier(table, dialect)} (${columns.join(', ')})${suffix}`;
}

function liveColumn(name: unknown, type: unknown, required: boolean): LiveColumn {
  return { name: String(name), type: String(type ?? '').toLowerCase(), required };
}

function liveTable(details: LiveColumn[]): LiveTable {
  return { columns: details.map((c) => c.name), details };
}

/** Families of declared column types, by what a value of the family can hold without loss. */
type TypeFamily = 'integer' | 'decimal' | 'float' | 'boolean' | 'text' | 'date' | 'timestamp' | 'other';

/** The family of a declared type (PostgreSQL, MySQL/MariaDB and SQLite spellings). */
function familyOf(declared: string, dialect: Dialect): TypeFamily {
  const t = declared.toLowerCase();
  if (dialect === 'mysql' && /^tinyint\(1\)/.test(t)) return 'boolean';
  if (/^(bool|boolean|bit\(1\))/.test(t)) return 'boolean';
  if (/^(big|small|tiny|medium)?int|^integer|^serial|^bigserial|^smallserial/.test(t)) return 'integer';
  if (/^(numeric|decimal|dec\b)/.test(t)) return 'decimal';
  if (/^(double|float|real)/.test(t)) return 'float';
  if (/^(timestamp|datetime)/.test(t)) return 'timestamp';
  if (/^date\b|^date$/.test(t)) return 'date';
  if (/char|text|clob|string|^json|^uuid|^citext|^enum|^set\(/.test(t)) return 'text';
  // SQLite accepts any declared type (and none): it stores what it is given.
  if (dialect === 'sqlite') return 'text';
  return 'other';
}

/**
 * The physical type a load uses for a live column: decimals and unknown types travel as text, which the
 * database converts exactly (SQLite converts nothing, so its decimals are checked as numbers here).
 */
export function physicalTypeOfLive(declared: string, dialect: Dialect): PhysicalType {
  switch (familyOf(declared, dialect)) {
    case 'decimal':
      return dialect === 'sqlite' ? 'float' : 'string';
    case 'integer':
      return 'integer';
    case 'float':
      return 'float';
    case 'boolean':
      return 'boolean';
    case 'date':
      return 'date';
    case 'timestamp':
      return 'timestamp';
    default:
      return 'string';
  }
}

/** Which live type families can take each physical type without silent loss. */
const ACCEPTS: Record<PhysicalType, readonly TypeFamily[]> = {
  integer: ['integer', 'decimal', 'float', 'text'],
  float: ['decimal', 'float', 'text'],
  boolean: ['boolean', 'integer', 'text'],
  // Text into a typed column is converted by the database, which rejects a bad cell naming its row and
  // column (integrations/database/errors.ts); numbers and times are refused where they would silently lose precision.
  string: ['text', 'integer', 'decimal', 'float', 'boolean', 'date', 'timestamp'],
  date: ['date', 'timestamp', 'text'],
  timestamp: ['timestamp', 'text'],
};

/**
 * What is wrong with loading `schema` into the live table: a column the table lacks, a column whose
 * declared type cannot take the synthetic values, or a required column the synthetic data does not
 * provide. Each problem names table and column and both types, never a value. Empty when it fits.
 */
export function schemaMismatches(
  dialect: Dialect,
  table: string,
  schema: TableSchema,
  live: LiveTable,
  nameKey: (name: string) => string,
): string[] {
  const problems: string[] = [];
  const byName = new Map(live.details.map((c) => [nameKey(c.name), c] as const));
  for (const column of schema.columns) {
    const target = byName.get(nameKey(column.name));
    if (target === undefined) {
      problems.push(`table ${describeIdentifier(table)} has no column ${describeIdentifier(column.name)}`);
      continue;
    }
    const family = familyOf(target.type, dialect);
    if (!ACCEPTS[column.type].includes(family))
      problems.push(
        `column ${describeIdentifier(column.name)} of table ${describeIdentifier(table)} is ${target.type}, which cannot hold the synthetic ${column.type} values`,
      );
  }
  const loaded = new Set(schema.columns.map((c) => nameKey(c.name)));
  for (const column of live.details)
    if (column.required && !loaded.has(nameKey(column.name)))
      problems.push(
        `column ${describeIdentifier(column.name)} of table ${describeIdentifier(table)} is NOT NULL without a default, and the synthetic data has no such column`,
      );
  return problems;
}

/**
 * The column sets of the live table's primary key and unique indexes (partial and expression
 * indexes left out: ON CONFLICT cannot use them without repeating their predicate).
 */
export async function readUniqueKeys(session: RawSession, table: string): Promise<string[][]> {
  switch (session.dialect) {
    case 'postgres': {
      const rows = await session.rows(
        `SELECT ix.indexrelid AS id, a.attname AS name
           FROM pg_catalog.pg_index ix
           JOIN pg_catalog.pg_attribute a ON a.attrelid = ix.indrelid AND a.attnum = ANY(ix.indkey)
          WHERE ix.indrelid = to_regclass($1) AND ix.indisunique AND ix.indpred IS NULL AND ix.indexprs IS NULL`,
        [quoteIdentifier(table, 'postgres')],
      );
      return groupBy(rows, 'id', 'name');
    }
    case 'mysql': {
      const rows = await session.rows(
        `SELECT INDEX_NAME AS id, COLUMN_NAME AS name FROM information_schema.STATISTICS
          WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND NON_UNIQUE = 0 AND COLUMN_NAME IS NOT NULL`,
        [table],
      );
      return groupBy(rows, 'id', 'name');
    }
    case 'sqlite': {
      const keys: string[][] = [];
      // A rowid alias (INTEGER PRIMARY KEY) has no index of its own: the table info names it.
      const pk = await session.rows('SELECT name FROM pragma_table_info(?) WHERE pk > 0', [table]);
      if (pk.length > 0) keys.push(pk.map((r) => String(r['name'])));
      const indexes = await session.rows(
        'SELECT name FROM pragma_index_list(?) WHERE "unique" = 1 AND partial = 0',
        [table],
      );
      for (const index of indexes) {
        const columns = await session.rows('SELECT name FROM pragma_index_info(?)', [String(index['name'])]);
        if (columns.every((c) => c['name'] !== null)) keys.push(columns.map((c) => String(c['name'])));
      }
      return keys;
    }
  }
}

function groupBy(rows: Record<string, unknown>[], key: string, value: string): string[][] {
  const groups = new Map<string, string[]>();
  for (const row of rows) {
    const id = String(row[key]);
    groups.set(id, [...(groups.get(id) ?? []), String(row[value])]);
  }
  return [...groups.values()];
}

/** What the database holds for a table name: its columns and (MySQL) storage engine, or undefined if absent. */
export interface LiveTable {
  columns: string[];
  /** Per column (same order): declared type, and whether a write must give it a value. */
  details: LiveColumn[];
  engine?: string;
}

/** One live column as the catalog describes it. */
export interface LiveColumn {
  name: string;
  /** The declared type, lower-case (`bigint`, `character varying(40)`, `int`, `TEXT` → `text`). */
  type: string;
  /** NOT NULL with no default, no identity/auto-increment and not a rowid alias: a load must give it a value. */
  required: boolean;
}

/** Reads the live table the unqualified, quoted name resolves to, or undefined when there is none. */
export async function readLiveTable(session: RawSession, table: string): Promise<LiveTable | undefined> {
  switch (session.dialect) {
    case 'postgres': {
      // to_regclass resolves the name through search_path exactly as INSERT and COPY will.
      const rows = await session.rows(
        `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type,
                a.attnotnull AND NOT a.atthasdef AND a.attidentity = '' AND a.attgenerated = '' AS required
           FROM pg_catalog.pg_attribute a
          WHERE a.attrelid = to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum`,
        [quoteIdentifier(table, 'postgres')],
      );
      if (rows.length > 0)
        return liveTable(rows.map((r) => liveColumn(r['name'], r['type'], r['required'] === true)));
      const exists = await session.rows('SELECT to_regclass($1) IS NOT NULL AS present', [
        quoteIdentifier(table, 'postgres'),
      ]);
      return exists[0]?.['present'] === true ? liveTable([]) : undefined;
    }
    case 'mysql': {
      const tables = await session.rows(
        'SELECT ENGINE AS engine FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?',
        [table],
      );
      if (tables.length === 0) return undefined;
      const rows = await session.rows(
        `SELECT COLUMN_NAME AS name, COLUMN_TYPE AS type, IS_NULLABLE AS nullable, COLUMN_DEFAULT AS dflt, EXTRA AS extra
           FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION`,
        [table],
      );
      const engine = tables[0]?.['engine'];
      return {
        ...liveTable(
          rows.map((r) =>
            liveColumn(
              r['name'],
              r['type'],
              r['nullable'] === 'NO' &&
                r['dflt'] === null &&
                !/auto_increment|generated/i.test(String(r['extra'] ?? '')),
            ),
          ),
        ),
        ...(typeof engine === 'string' ? { engine } : {}),
      };
    }
    case 'sqlite': {
      const rows = await session.rows(
        'SELECT name, type, "notnull" AS not_null, dflt_value AS dflt, pk FROM pragma_table_info(?)',
        [table],
      );
      if (rows.length === 0) return undefined;
      // An INTEGER PRIMARY KEY is the rowid: SQLite assigns it when a write leaves it out.
      const rowidAlias = rows.filter((r) => Number(r['pk']) > 0).length === 1;
      return liveTable(
        rows.map((r) =>
          liveColumn(
            r['name'],
            r['type'],
            Number(r['not_null']) === 1 &&
              r['dflt'] === null &&
              !(rowidAlias && Number(r['pk']) > 0 && String(r['type']).toUpperCase() === 'INTEGER'),
          ),
        ),
      );
    }
  }
}
