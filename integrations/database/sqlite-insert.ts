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
import { onConflict } from './upsert-sql.js';

interface SqliteDatabase {
  prepare(sql: string): { run(params: SqliteValue[]): { changes: number } };
}

/**
 * Inserts every row of `rows` into `table` on the transaction's connection; with `upsertKey`, a row
 * whose key exists updates that row instead (ON CONFLICT … DO UPDATE), and the rows processed are returned.
 */
export async function insertRowsSqlite(
  session: RawSession,
  table: string,
  rows: Table,
  ctx: ErrorContext,
  upsertKey?: readonly string[],
): Promise<number> {
  if (rows.rowCount === 0) return 0;
  const columns = rows.columns;
  const encoders = columns.map((c) => sqliteEncoder(c.type));
  const db = session.connection as SqliteDatabase;
  const sql = `INSERT INTO ${quoteIdentifier(table, 'sqlite')} (${columns.map((c) => quoteIdentifier(c.name, 'sqlite')).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})${upsertKey === undefined ? '' : onConflict(columns, upsertKey, 'sqlite')}`;
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
      const changes = stmt.run(args).changes;
      inserted += upsertKey === undefined ? changes : 1;
    } catch (err) {
      throw new DriverErrorAtRow(err, r + 1, true);
    }
  }
  return inserted;
}
