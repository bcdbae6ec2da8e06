/**
 * The database target port: what a loader needs from a relational database to load synthetic
 * tables exactly once. Activities depend on this interface, never on knex or a driver.
 */
import type { PhysicalType, Table, TableSchema } from '../../core/table.js';

/** SQL dialects a target can speak. */
export const Dialect = {
  Sqlite: 'sqlite',
  Postgres: 'postgres',
  Mysql: 'mysql',
} as const;
/** One of {@link Dialect}. */
export type Dialect = (typeof Dialect)[keyof typeof Dialect];

/** How a load treats rows already in the target table. */
export const LoadStrategy = {
  Append: 'append',
  TruncateInsert: 'truncate_insert',
  /** Insert new keys, update rows whose key exists (ON CONFLICT / ON DUPLICATE KEY); needs a unique key. */
  Upsert: 'upsert',
  /** Load into a staging table, then swap it in at {@link DatabaseTarget.finishLoad}: readers never see a partial load. */
  ReplaceSwap: 'replace_swap',
} as const;
/** One of {@link LoadStrategy}. */
export type LoadStrategy = (typeof LoadStrategy)[keyof typeof LoadStrategy];

/** Identifies the load of one table in one run by one attempt (`token`, unique per attempt). */
export interface LeaseRequest {
  runId: string;
  table: string;
  token: string;
}

/** Prepares a table for a load; `truncate_insert` empties it once per (runId, table). */
export interface PrepareLoadRequest extends LeaseRequest {
  strategy: LoadStrategy;
  /** `upsert` only: the columns of the primary key or unique key rows are matched on. */
  key?: readonly string[];
}

/** How {@link DatabaseTarget.ensureTable} creates a table that is absent. */
export interface EnsureTableOptions {
  /** Columns of the primary key of a created table (an existing table keeps its own keys). */
  primaryKey?: readonly string[];
}

/** Rows of a CSV file still in CSV text: what a load batch carries when its source is a CSV file. */
export interface CsvRows {
  readonly kind: 'csv';
  /** Columns in field order, typed as the load reads them. */
  readonly columns: readonly { name: string; type: PhysicalType }[];
  readonly rowCount: number;
  /** The records, UTF-8, without the header. */
  readonly bytes: Buffer;
  readonly delimiter: ',' | '\t';
  /**
   * Whether the bytes are a valid COPY … FORMAT csv body for these columns as they are: one line-ending
   * style, no blank line, no record that is just `\.`.
   */
  readonly copyable: boolean;
}

/** Whether batch rows are CSV text rather than a table. */
export function isCsvRows(rows: Table | CsvRows): rows is CsvRows {
  return (rows as CsvRows).kind === 'csv';
}

/** One batch of rows, identified by a `batchId` that is stable across retries. */
export interface LoadBatchRequest extends LeaseRequest {
  batchId: string;
  /** The rows: a table, or CSV text that PostgreSQL copies as it is and other dialects parse first. */
  rows: Table | CsvRows;
  /** When set, rows are upserted on these key columns instead of inserted (strategy `upsert`). */
  upsertKey?: readonly string[];
  /** The load's strategy: `replace_swap` writes into the run's staging table. @default append */
  strategy?: LoadStrategy;
}

/** Ends a load: for `replace_swap`, swaps the staging table in, exactly once per (runId, table). */
export interface FinishLoadRequest extends LeaseRequest {
  strategy: LoadStrategy;
}

/** Outcome of a batch: `skipped` when the ledger shows it was committed before. */
export interface LoadBatchResult {
  status: 'loaded' | 'skipped';
  rows: number;
}

/** Totals the ledger holds for one (runId, table). */
export interface LedgerTotals {
  batches: number;
  rows: number;
}

/** One committed batch as the ledger records it. */
export interface LedgerBatch {
  batchId: string;
  rows: number;
}

/** A relational database that loads batches exactly once, fenced by a lease and recorded in a ledger. */
export interface DatabaseTarget {
  /** Which SQL dialect this target speaks. */
  readonly dialect: Dialect;
  /** Creates the table if absent (mapped column types, optional primary key); otherwise checks the live table has every column. */
  ensureTable(table: string, schema: TableSchema, options?: EnsureTableOptions): Promise<void>;
  /** Makes `token` the lease holder for (runId, table); writes with any older token fail with FencedError. */
  acquireLease(req: LeaseRequest): Promise<void>;
  /**
   * Applies the load strategy: `truncate_insert` truncates exactly once per (runId, table), even when
   * retried; `upsert` checks that `key` names the columns of a primary or unique key of the live table.
   */
  prepareLoad(req: PrepareLoadRequest): Promise<void>;
  /** Loads one batch in one transaction with the lease check and the ledger row; a batch in the ledger is skipped. */
  loadBatch(req: LoadBatchRequest): Promise<LoadBatchResult>;
  /** Completes a load after its last batch (`replace_swap`: the swap; other strategies: nothing to do). */
  finishLoad(req: FinishLoadRequest): Promise<void>;
  /** Batches and rows the ledger records for (runId, table). */
  ledger(req: { runId: string; table: string }): Promise<LedgerTotals>;
  /** The committed batches of (runId, table), ordered by batch id. */
  ledgerBatches(req: { runId: string; table: string }): Promise<LedgerBatch[]>;
  /**
   * The live table's columns, each typed by what its declared type holds (decimal and unknown types as
   * text, which the database converts), or undefined when there is no such table.
   */
  describeTable(table: string): Promise<TableSchema | undefined>;
  /** Rows currently in the table. */
  countRows(table: string): Promise<number>;
  /** Releases every connection. */
  close(): Promise<void>;
}
