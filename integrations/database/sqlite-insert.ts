/**
 * SQLite load: one prepared INSERT run per row inside the caller's transaction (better-sqlite3
 * is synchronous and in-process, so per-row statements are the fast path).
 */
import type { Table } from '../../core/table.js';
import { DriverErrorAtRow, type ErrorContext } from './errors.js';
import { quoteIdentifier } from './identifiers.js';
import type { RawSession } from './raw-session.js';
import { sqliteEncoder, type SqliteValue } from './value-encoding.js';
import { encodeRow } from './encode-row.js';

interface SqliteDatabase {
  prepare(sql: string): { run(params: SqliteValue[]): { changes: number } };
}

/** Inserts every row of `rows` into `table` on the transaction's connection. */
export async function insertRowsSqlite(
  session: RawSession,
  table: string,
  rows: Table,
  ctx: ErrorContext,
): Promise<number> {
  if (rows.rowCount === 0) return 0;
  const columns = rows.columns;
  const encoders = columns.map((c) => sqliteEncoder(c.type));
  const db = session.connection as SqliteDatabase;
  const sql = `INSERT INTO ${quoteIdentifier(table, 'sqlite')} (${columns.map((c) => quoteIdentifier(c.name, 'sqlite')).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`;
  let stmt: ReturnType<SqliteDatabase['prepare']>;
  try {
    stmt = db.prepare(sql);
  } catch (err) {
    throw new DriverErrorAtRow(err, 1, false);
  }
  const width = columns.length;
  const args = new Array<SqliteValue>(width);
  let inserted = 0;
  for (let r = 0; r < rows.rowCount; r++) {
    encodeRow(columns, encoders, r, args, ctx);
    try {
      inserted += stmt.run(args).changes;
    } catch (err) {
      throw new DriverErrorAtRow(err, r + 1, true);
    }
  }
  return inserted;
}
