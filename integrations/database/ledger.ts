/**
 * The load ledger and the lease, stored in the target database itself so that they commit or
 * roll back together with the rows they describe.
 *
 * - `understudy_load_ledger`: one row per committed batch (kind `batch`) and per truncation
 *   (kind `truncate`, empty batch id), keyed by (run_id, table_name, kind, batch_id).
 * - `understudy_load_lease`: one row per (run_id, table_name) naming the attempt token that may
 *   write. Every write transaction first updates that row with its own token in the WHERE clause:
 *   zero rows means another attempt took over (FencedError); one row means the row is now locked
 *   until commit, so a newer attempt's acquireLease waits for the in-flight batch and any batch
 *   that starts after the takeover sees the new token.
 */
import type { Knex } from 'knex';
import { FencedError } from '../../core/errors.js';
import { describeIdentifier, LEASE_TABLE, LEDGER_TABLE } from './identifiers.js';
import type { Dialect, LedgerBatch, LedgerTotals } from './port.js';
import type { RawSession } from './raw-session.js';

/** Ledger row kinds. */
export const LedgerKind = {
  Batch: 'batch',
  Truncate: 'truncate',
  /** The staging table of a replace_swap load was swapped in (empty batch id). */
  Swap: 'swap',
} as const;
/** One of {@link LedgerKind}. */
export type LedgerKind = (typeof LedgerKind)[keyof typeof LedgerKind];

/** Longest run id, batch id or token the ledger stores (characters). */
export const MAX_KEY_LENGTH = 255;

/** Identifies the rows of one (run, table) in the ledger and the lease. */
export interface LedgerKey {
  runId: string;
  table: string;
}

const DDL = {
  postgres: [
    `CREATE TABLE IF NOT EXISTS ${LEDGER_TABLE} (
      run_id text NOT NULL, table_name text NOT NULL, kind text NOT NULL, batch_id text NOT NULL,
      row_count bigint NOT NULL, token text NOT NULL, loaded_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (run_id, table_name, kind, batch_id))`,
    `CREATE TABLE IF NOT EXISTS ${LEASE_TABLE} (
      run_id text NOT NULL, table_name text NOT NULL, token text NOT NULL,
      writes bigint NOT NULL DEFAULT 0, acquired_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (run_id, table_name))`,
  ],
  // VARBINARY keys: the default collations ignore case and trailing spaces, and batch "A" is not batch "a ".
  mysql: [
    `CREATE TABLE IF NOT EXISTS ${LEDGER_TABLE} (
      run_id VARBINARY(1024) NOT NULL, table_name VARBINARY(512) NOT NULL, kind VARBINARY(16) NOT NULL,
      batch_id VARBINARY(1024) NOT NULL, row_count BIGINT NOT NULL, token VARBINARY(1024) NOT NULL,
      loaded_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
      PRIMARY KEY (run_id, table_name, kind, batch_id)) ENGINE=InnoDB`,
    `CREATE TABLE IF NOT EXISTS ${LEASE_TABLE} (
      run_id VARBINARY(1024) NOT NULL, table_name VARBINARY(512) NOT NULL, token VARBINARY(1024) NOT NULL,
      writes BIGINT NOT NULL DEFAULT 0, acquired_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
      PRIMARY KEY (run_id, table_name)) ENGINE=InnoDB`,
  ],
  sqlite: [
    `CREATE TABLE IF NOT EXISTS ${LEDGER_TABLE} (
      run_id TEXT NOT NULL, table_name TEXT NOT NULL, kind TEXT NOT NULL, batch_id TEXT NOT NULL,
      row_count INTEGER NOT NULL, token TEXT NOT NULL,
      loaded_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
      PRIMARY KEY (run_id, table_name, kind, batch_id))`,
    `CREATE TABLE IF NOT EXISTS ${LEASE_TABLE} (
      run_id TEXT NOT NULL, table_name TEXT NOT NULL, token TEXT NOT NULL,
      writes INTEGER NOT NULL DEFAULT 0,
      acquired_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
      PRIMARY KEY (run_id, table_name))`,
  ],
} as const satisfies Record<Dialect, readonly string[]>;

/** Creates the ledger and lease tables if absent; safe when several workers race to do it. */
export async function ensureLedgerTables(session: RawSession): Promise<void> {
  for (const sql of DDL[session.dialect]) {
    try {
      await session.run(sql);
    } catch (err) {
      // PostgreSQL's IF NOT EXISTS is not atomic: a concurrent creator makes us fail on pg_type's unique index.
      const code = (err as { code?: unknown }).code;
      if (session.dialect === 'postgres' && (code === '23505' || code === '42P07')) continue;
      throw err;
    }
  }
}

/** Makes `token` the lease holder for (run, table), waiting for any in-flight batch of the previous holder to finish. */
export async function upsertLease(trx: Knex.Transaction, key: LedgerKey, token: string): Promise<void> {
  await trx(LEASE_TABLE)
    .insert({ run_id: key.runId, table_name: key.table, token, writes: 0 })
    .onConflict(['run_id', 'table_name'])
    .merge({ token, acquired_at: trx.fn.now() });
}

/** Locks the lease row for this transaction if `token` holds it; throws FencedError otherwise. */
export async function assertLeaseHeld(trx: Knex.Transaction, key: LedgerKey, token: string): Promise<void> {
  const updated = await trx(LEASE_TABLE)
    .where({ run_id: key.runId, table_name: key.table, token })
    .increment('writes', 1);
  if (Number(updated) !== 1) {
    throw new FencedError(
      `table ${describeIdentifier(key.table)}: this attempt does not hold the load lease for run ${JSON.stringify(key.runId)} ` +
        '(a newer attempt acquired it, or acquireLease was not called); write refused',
    );
  }
}

/**
 * Rows recorded for a ledger entry, or undefined if it has none. Call it after assertLeaseHeld:
 * the lease row lock orders this read after the previous holder's commit, and a plain
 * READ COMMITTED read then sees that commit without locking (or gap-locking) the ledger.
 */
export async function findLedgerEntry(
  trx: Knex.Transaction,
  key: LedgerKey,
  kind: LedgerKind,
  batchId: string,
): Promise<number | undefined> {
  const row = (await trx(LEDGER_TABLE)
    .where({ run_id: key.runId, table_name: key.table, kind, batch_id: batchId })
    .first('row_count')) as { row_count: unknown } | undefined;
  return row === undefined ? undefined : Number(row.row_count);
}

/** Records a committed batch or truncation in the ledger (inside the transaction that did it). */
export async function recordLedgerEntry(
  trx: Knex.Transaction,
  key: LedgerKey,
  entry: { kind: LedgerKind; batchId: string; rowCount: number; token: string },
): Promise<void> {
  await trx(LEDGER_TABLE).insert({
    run_id: key.runId,
    table_name: key.table,
    kind: entry.kind,
    batch_id: entry.batchId,
    row_count: entry.rowCount,
    token: entry.token,
  });
}

/** Batches and rows the ledger records for (run, table). */
export async function readLedgerTotals(db: Knex, key: LedgerKey): Promise<LedgerTotals> {
  const row = (await db(LEDGER_TABLE)
    .where({ run_id: key.runId, table_name: key.table, kind: LedgerKind.Batch })
    .count({ batches: '*' })
    .sum({ rows: 'row_count' })
    .first()) as { batches: unknown; rows: unknown } | undefined;
  return { batches: Number(row?.batches ?? 0), rows: Number(row?.rows ?? 0) };
}

/** The committed batches of (run, table), ordered by batch id. */
export async function readLedgerBatches(db: Knex, key: LedgerKey): Promise<LedgerBatch[]> {
  const rows = (await db(LEDGER_TABLE)
    .where({ run_id: key.runId, table_name: key.table, kind: LedgerKind.Batch })
    .orderBy('batch_id')
    .select('batch_id', 'row_count')) as { batch_id: unknown; row_count: unknown }[];
  // MySQL keys are VARBINARY: the driver hands them back as Buffers.
  return rows.map((r) => ({ batchId: String(r.batch_id), rows: Number(r.row_count) }));
}
