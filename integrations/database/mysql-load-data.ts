/**
 * MySQL/MariaDB bulk load through LOAD DATA LOCAL INFILE fed from a stream (nothing touches the disk), on
 * the transaction's connection so the rows commit or roll back with the ledger row. The server parses
 * tab-separated text far faster than multi-row INSERT statements. LOCAL makes the server downgrade bad
 * values to warnings (it cannot stop the client mid-file), so a batch with any warning is rolled back and
 * inserted instead: strict mode stays strict, and errors are the INSERT path's.
 */
import { Readable } from 'node:stream';
import type { Table } from '../../core/table.js';
import { encodeTabSeparatedChunks } from './encode-row.js';
import type { ErrorContext } from './errors.js';
import { DriverErrorAtRow } from './errors.js';
import { quoteIdentifier } from './identifiers.js';
import { csvRowsToLoadData } from './csv-load-data.js';
import { isCsvRows, type CsvRows } from './port.js';
import type { RawSession } from './raw-session.js';
import { loadDataEncoder } from './value-encoding.js';

/**
 * Output buffers of finished batches, reused: a fresh multi-megabyte buffer per batch is promoted by the
 * garbage collector and costs a full collection every few batches.
 */
const SCRATCH: Buffer[] = [];

interface MysqlInfileConnection {
  query(
    options: { sql: string; infileStreamFactory: () => Readable },
    cb: (err: Error | null, result: { affectedRows?: number; warningStatus?: number }) => void,
  ): void;
}

/** Whether the server accepts LOAD DATA LOCAL (its `local_infile` setting). */
export async function serverAllowsLocalInfile(session: RawSession): Promise<boolean> {
  const rows = await session.rows('SELECT @@local_infile AS allowed');
  const allowed = rows[0]?.['allowed'];
  return allowed === 1 || allowed === '1' || allowed === true || allowed === 'ON';
}

/**
 * Loads every row of `rows` into `table` with LOAD DATA LOCAL INFILE; returns the rows the server took, or
 * undefined when the server warned (a value strict mode would refuse): the caller then rolls the statement
 * back (to a savepoint) and inserts the rows instead, which fails with the exact error.
 */
export async function loadDataMysql(
  session: RawSession,
  table: string,
  rows: Table | CsvRows,
  ctx: ErrorContext,
): Promise<number | undefined> {
  if (rows.rowCount === 0) return 0;
  if (isCsvRows(rows)) {
    // CSV text is rewritten byte by byte; the server checks the values (see csv-load-data.ts).
    let scratch = SCRATCH.pop();
    try {
      const text = csvRowsToLoadData(rows, ctx, (size) =>
        scratch !== undefined && scratch.length >= size ? scratch : (scratch = Buffer.allocUnsafe(size * 2)),
      );
      return await runLoadData(
        session,
        table,
        rows.columns,
        Readable.from([text]),
        rows.rowCount,
        () => undefined,
      );
    } finally {
      if (scratch !== undefined && SCRATCH.length < 4) SCRATCH.push(scratch);
    }
  }
  // Encoded while the server reads, so encoding and loading overlap. A rejected cell ends the stream early;
  // the partial load is then rolled back with the transaction and the cell's error reported.
  let rejected: unknown;
  const stream = Readable.from(
    (function* () {
      try {
        for (const chunk of encodeChunks(rows, ctx)) yield Buffer.from(chunk, 'utf8');
      } catch (err) {
        rejected = err;
      }
    })(),
  );
  return runLoadData(session, table, rows.columns, stream, rows.rowCount, () => rejected);
}

async function runLoadData(
  session: RawSession,
  table: string,
  columns: readonly { name: string }[],
  stream: Readable,
  rowCount: number,
  rejected: () => unknown,
): Promise<number | undefined> {
  const names = columns.map((c) => quoteIdentifier(c.name, 'mysql')).join(', ');
  // The file name is a placeholder: mysql2 hands the server's request for it to infileStreamFactory.
  const sql =
    `LOAD DATA LOCAL INFILE 'understudy-batch' INTO TABLE ${quoteIdentifier(table, 'mysql')} ` +
    `CHARACTER SET utf8mb4 FIELDS TERMINATED BY '\\t' ESCAPED BY '\\\\' LINES TERMINATED BY '\\n' (${names})`;
  let result: { affectedRows?: number; warningStatus?: number };
  try {
    result = await new Promise((resolve, reject) => {
      (session.connection as MysqlInfileConnection).query(
        { sql, infileStreamFactory: () => stream },
        (err, res) => (err ? reject(err) : resolve(res)),
      );
    });
  } catch (err) {
    if (rejected() !== undefined) throw rejected();
    throw new DriverErrorAtRow(err, 1, rowCount === 1);
  }
  if (rejected() !== undefined) throw rejected();
  // Any warning: the caller rolls back to its savepoint and lets INSERT report the problem as strict mode does.
  if ((result.warningStatus ?? 0) > 0) return undefined;
  const affected = result.affectedRows ?? 0;
  if (affected !== rowCount)
    throw new Error(
      `LOAD DATA into ${quoteIdentifier(table, 'mysql')} took ${affected} rows, expected ${rowCount}`,
    );
  return affected;
}

function encodeChunks(rows: Table, ctx: ErrorContext): Generator<string> {
  return encodeTabSeparatedChunks(
    rows,
    rows.columns.map((c) => loadDataEncoder(c.type)),
    ctx,
  );
}
