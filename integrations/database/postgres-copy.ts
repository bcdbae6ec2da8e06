/**
 * PostgreSQL bulk load: COPY FROM STDIN (text format) on the transaction's own connection, so
 * the rows commit or roll back with the ledger row. Text format keeps NULL (`\N`) and the empty
 * string (an empty field) apart; backslash, tab, CR and LF are escaped.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Table } from '../../core/table.js';
import type { ErrorContext } from './errors.js';
import { quoteIdentifier } from './identifiers.js';
import { isCsvRows, type CsvRows } from './port.js';
import type { RawSession } from './raw-session.js';
import { onConflict } from './upsert-sql.js';
import { copyEncoder } from './value-encoding.js';
import { encodeTabSeparatedChunks } from './encode-row.js';

/** Copies every row of `rows` into `table`; returns the row count the server reports. */
export async function copyRows(
  session: RawSession,
  table: string,
  rows: Table,
  ctx: ErrorContext,
): Promise<number> {
  if (rows.rowCount === 0) return 0;
  const columns = rows.columns.map((c) => quoteIdentifier(c.name, 'postgres')).join(', ');
  const sql = `COPY ${quoteIdentifier(table, 'postgres')} (${columns}) FROM STDIN WITH (FORMAT text)`;
  const stream = (session.connection as pg.Client).query(copyFrom(sql));
  // A cell rejected mid-stream destroys the COPY stream, which sends CopyFail: nothing is kept.
  await pipeline(Readable.from(encodeCopyChunks(rows, ctx)), stream);
  return checkedRowCount(stream.rowCount, rows.rowCount, table);
}

/**
 * Copies CSV rows as they are (COPY … FORMAT csv, the file's own bytes), the way `psql \copy` sends a
 * file; PostgreSQL parses and checks every cell, and errors name the batch row and column (errors.ts).
 */
export async function copyCsvRows(session: RawSession, table: string, rows: CsvRows): Promise<number> {
  if (rows.rowCount === 0) return 0;
  const columns = rows.columns.map((c) => quoteIdentifier(c.name, 'postgres')).join(', ');
  const delimiter = rows.delimiter === '\t' ? "E'\\t'" : "','";
  const sql = `COPY ${quoteIdentifier(table, 'postgres')} (${columns}) FROM STDIN WITH (FORMAT csv, DELIMITER ${delimiter})`;
  const stream = (session.connection as pg.Client).query(copyFrom(sql));
  await pipeline(Readable.from([rows.bytes]), stream);
  return checkedRowCount(stream.rowCount, rows.rowCount, table);
}

function checkedRowCount(reported: number, expected: number, table: string): number {
  if (reported !== expected) {
    throw new Error(
      `COPY into ${quoteIdentifier(table, 'postgres')} reported ${reported} rows, expected ${expected}`,
    );
  }
  return reported;
}

/** The temporary table an upsert batch is copied into first (dropped at commit, gone on rollback). */
const UPSERT_STAGE = 'understudy_upsert_stage';

/**
 * Upserts every row of `rows` into `table` on `key`: COPY into a temporary table shaped like the
 * target, then one INSERT … SELECT … ON CONFLICT (key) DO UPDATE, so an upsert batch keeps COPY's speed.
 */
export async function upsertRowsPostgres(
  session: RawSession,
  table: string,
  rows: Table | CsvRows,
  key: readonly string[],
  ctx: ErrorContext,
): Promise<number> {
  if (rows.rowCount === 0) return 0;
  const target = quoteIdentifier(table, 'postgres');
  const stage = quoteIdentifier(UPSERT_STAGE, 'postgres');
  await session.run(`CREATE TEMPORARY TABLE ${stage} (LIKE ${target} INCLUDING DEFAULTS) ON COMMIT DROP`);
  if (isCsvRows(rows)) await copyCsvRows(session, UPSERT_STAGE, rows);
  else await copyRows(session, UPSERT_STAGE, rows, ctx);
  const columns = rows.columns.map((c) => quoteIdentifier(c.name, 'postgres')).join(', ');
  await session.run(
    `INSERT INTO ${target} (${columns}) SELECT ${columns} FROM ${stage}${onConflict(rows.columns, key, 'postgres')}`,
  );
  await session.run(`DROP TABLE ${stage}`);
  return rows.rowCount;
}

function encodeCopyChunks(rows: Table, ctx: ErrorContext): Generator<string> {
  return encodeTabSeparatedChunks(
    rows,
    rows.columns.map((c) => copyEncoder(c.type)),
    ctx,
  );
}
