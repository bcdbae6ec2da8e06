/**
 * Target tables: column types per dialect, CREATE TABLE for a schema, and the live column list
 * a load is checked against.
 */
import type { PhysicalType, TableSchema } from '../../core/table.js';
import { quoteIdentifier } from './identifiers.js';
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

/** CREATE TABLE IF NOT EXISTS for a schema, every identifier quoted; MySQL tables are InnoDB utf8mb4 so loads can roll back and hold emoji. */
export function createTableSql(dialect: Dialect, table: string, schema: TableSchema): string {
  const columns = schema.columns.map(
    (c) => `${quoteIdentifier(c.name, dialect)} ${COLUMN_TYPES[dialect][c.type]}`,
  );
  const suffix =
    dialect === 'mysql' ? ' ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci' : '';
  return `CREATE TABLE IF NOT EXISTS ${quoteIdentifier(table, dialect)} (${columns.join(', ')})${suffix}`;
}

/** What the database holds for a table name: its columns and (MySQL) storage engine, or undefined if absent. */
export interface LiveTable {
  columns: string[];
  engine?: string;
}

/** Reads the live table the unqualified, quoted name resolves to, or undefined when there is none. */
export async function readLiveTable(session: RawSession, table: string): Promise<LiveTable | undefined> {
  switch (session.dialect) {
    case 'postgres': {
      // to_regclass resolves the name through search_path exactly as INSERT and COPY will.
      const rows = await session.rows(
        `SELECT a.attname AS name FROM pg_catalog.pg_attribute a
          WHERE a.attrelid = to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum`,
        [quoteIdentifier(table, 'postgres')],
      );
      if (rows.length > 0) return { columns: rows.map((r) => String(r['name'])) };
      const exists = await session.rows('SELECT to_regclass($1) IS NOT NULL AS present', [
        quoteIdentifier(table, 'postgres'),
      ]);
      return exists[0]?.['present'] === true ? { columns: [] } : undefined;
    }
    case 'mysql': {
      const tables = await session.rows(
        'SELECT ENGINE AS engine FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?',
        [table],
      );
      if (tables.length === 0) return undefined;
      const rows = await session.rows(
        'SELECT COLUMN_NAME AS name FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION',
        [table],
      );
      const engine = tables[0]?.['engine'];
      return {
        columns: rows.map((r) => String(r['name'])),
        ...(typeof engine === 'string' ? { engine } : {}),
      };
    }
    case 'sqlite': {
      const rows = await session.rows('SELECT name FROM pragma_table_info(?)', [table]);
      return rows.length > 0 ? { columns: rows.map((r) => String(r['name'])) } : undefined;
    }
  }
}
