/**
 * The DatabaseTarget implementation on knex: knex owns pooling and transactions; rows go through
 * the fastest path per dialect (COPY, multi-row INSERT, prepared INSERT) on the transaction's
 * own connection, together with the lease check and the ledger row.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import knexFactory, { type Knex } from 'knex';
import { ConfigError, DataError } from '../../core/errors.js';
import { PhysicalType, type Table, type TableSchema } from '../../core/table.js';
import { parseDatabaseUrl, redactUrl, SQLITE_BUSY_RETRY_MS } from './connection-url.js';
import { DriverErrorAtRow, toTargetError, type ErrorContext } from './errors.js';
import {
  columnKey,
  describeIdentifier,
  quoteIdentifier,
  validateColumnNames,
  validateTableName,
} from './identifiers.js';
import {
  assertLeaseHeld,
  ensureLedgerTables,
  findLedgerEntry,
  LedgerKind,
  MAX_KEY_LENGTH,
  readLedgerBatches,
  readLedgerTotals,
  recordLedgerEntry,
  upsertLease,
} from './ledger.js';
import { insertRowsMysql } from './mysql-insert.js';
import { loadDataMysql, serverAllowsLocalInfile } from './mysql-load-data.js';
import type {
  DatabaseTarget,
  Dialect,
  EnsureTableOptions,
  FinishLoadRequest,
  LeaseRequest,
  LedgerBatch,
  LedgerTotals,
  LoadBatchRequest,
  LoadBatchResult,
  PrepareLoadRequest,
} from './port.js';
import { isCsvRows, LoadStrategy, type CsvRows } from './port.js';
import { csvRowsToTable } from './csv-raw.js';
import { copyCsvRows, copyRows, upsertRowsPostgres } from './postgres-copy.js';
import { createRawSession, type RawSession } from './raw-session.js';
import { assertSwappable, createStagingTable, swapIn, swapTableName } from './replace-swap.js';
import { insertRowsSqlite } from './sqlite-insert.js';
import {
  createTableSql,
  physicalTypeOfLive,
  readLiveTable,
  readUniqueKeys,
  schemaMismatches,
} from './table-ddl.js';

/** Options for {@link createDatabaseTarget}. */
export interface DatabaseTargetOptions {
  /**
   * Directory that relative SQLite paths resolve in (and may not leave).
   * @default process.cwd()
   */
  baseDir?: string;
}

/**
 * Opens a target for a URL: `sqlite:rel/path.db`, `sqlite:///abs/path.db`, `file:rel.db`
 * (better-sqlite3, WAL), `postgres://` or `postgresql://` (pg), `mysql://` or `mariadb://`
 * (mysql2). Connects lazily; an unknown scheme throws ConfigError('url').
 */
export function createDatabaseTarget(url: string, opts: DatabaseTargetOptions = {}): DatabaseTarget {
  const parsed = parseDatabaseUrl(url, opts.baseDir);
  const filename = (parsed.knexConfig.connection as { filename?: string }).filename;
  // A file target's directory is created on first use, like any other output path.
  if (parsed.dialect === 'sqlite' && filename && filename !== ':memory:')
    mkdirSync(path.dirname(filename), { recursive: true });
  return new KnexDatabaseTarget(parsed.dialect, knexFactory(parsed.knexConfig), redactUrl(url));
}

const PHYSICAL_TYPES = new Set<string>(Object.values(PhysicalType));
const LOAD_DATA_SAVEPOINT = 'understudy_load_data';

class KnexDatabaseTarget implements DatabaseTarget {
  private ledgerReady: Promise<void> | undefined;
  private maxAllowedPacket: number | undefined;
  private localInfile: boolean | undefined;

  constructor(
    readonly dialect: Dialect,
    private readonly db: Knex,
    private readonly redactedUrl: string,
  ) {}

  async ensureTable(table: string, schema: TableSchema, options: EnsureTableOptions = {}): Promise<void> {
    validateTableName(table, this.dialect);
    validateSchema(schema, this.dialect);
    const primaryKey = options.primaryKey ?? [];
    validateKeyColumns(
      primaryKey,
      schema.columns.map((c) => c.name),
      this.dialect,
      'primaryKey',
    );
    const ctx = this.context('ensureTable', { table, columns: schema.columns.map((c) => c.name) });
    try {
      await this.withSession(async (session) => {
        let live = await readLiveTable(session, table);
        if (!live) {
          // Created only when absent: IF NOT EXISTS alone needs CREATE rights even for an existing table.
          await session.run(createTableSql(this.dialect, table, schema, primaryKey));
          live = await readLiveTable(session, table);
          if (!live)
            throw new DataError(`table ${describeIdentifier(table)} is not visible after CREATE TABLE`);
        }
        if (live.engine !== undefined && live.engine.toLowerCase() !== 'innodb') {
          throw new ConfigError(
            `table ${describeIdentifier(table)} uses storage engine ${live.engine}, which cannot roll back a failed batch; use InnoDB`,
            'table',
          );
        }
        // Checked before any write: a mismatch found mid-load would leave a half-loaded table.
        const problems = schemaMismatches(this.dialect, table, schema, live, (name) =>
          columnKey(name, this.dialect),
        );
        if (problems.length > 0) {
          const first = schema.columns.find((c) => problems[0]?.includes(describeIdentifier(c.name)));
          throw new DataError(
            `the synthetic schema does not fit the live table: ${problems.join('; ')}`,
            first ? { column: first.name } : {},
          );
        }
      });
    } catch (err) {
      throw toTargetError(err, ctx);
    }
  }

  async acquireLease(req: LeaseRequest): Promise<void> {
    const key = this.validateKey(req);
    validateToken(req.token);
    const ctx = this.context('acquireLease', { table: req.table });
    try {
      await this.ensureLedger();
      await this.inTransaction(async (trx) => upsertLease(trx, key, req.token));
    } catch (err) {
      throw toTargetError(err, ctx);
    }
  }

  async prepareLoad(req: PrepareLoadRequest): Promise<void> {
    const key = this.validateKey(req);
    validateToken(req.token);
    if (!(Object.values(LoadStrategy) as string[]).includes(req.strategy)) {
      throw new ConfigError(
        `unknown load strategy; expected ${Object.values(LoadStrategy).join(' or ')}`,
        'strategy',
      );
    }
    if (req.strategy === LoadStrategy.Upsert && (req.key === undefined || req.key.length === 0))
      throw new ConfigError('is required for the upsert strategy (the key rows are matched on)', 'key');
    const ctx = this.context('prepareLoad', { table: req.table });
    try {
      await this.ensureLedger();
      if (req.strategy === LoadStrategy.Upsert) await this.checkUpsertKey(req.table, req.key ?? []);
      if (req.strategy === LoadStrategy.ReplaceSwap) {
        await this.prepareStaging(key, req.token);
        return;
      }
      await this.inTransaction(async (trx, session) => {
        await assertLeaseHeld(trx, key, req.token);
        if (req.strategy !== LoadStrategy.TruncateInsert) return;
        if ((await findLedgerEntry(trx, key, LedgerKind.Truncate, '')) !== undefined) return;
        const quoted = quoteIdentifier(req.table, this.dialect);
        // MySQL's TRUNCATE commits implicitly, and SQLite has none: DELETE keeps the emptying inside the transaction.
        await session.run(this.dialect === 'postgres' ? `TRUNCATE TABLE ${quoted}` : `DELETE FROM ${quoted}`);
        await recordLedgerEntry(trx, key, {
          kind: LedgerKind.Truncate,
          batchId: '',
          rowCount: 0,
          token: req.token,
        });
      });
    } catch (err) {
      throw toTargetError(err, ctx);
    }
  }

  async loadBatch(req: LoadBatchRequest): Promise<LoadBatchResult> {
    const key = this.validateKey(req);
    validateToken(req.token);
    validateKeyPart(req.batchId, 'batchId');
    validateRows(req.rows, this.dialect);
    if (req.upsertKey !== undefined) {
      if (req.upsertKey.length === 0) throw new ConfigError('must name at least one column', 'upsertKey');
      validateKeyColumns(
        req.upsertKey,
        req.rows.columns.map((c) => c.name),
        this.dialect,
        'upsertKey',
      );
    }
    const ctx = this.context('loadBatch', {
      table: req.table,
      batchId: req.batchId,
      columns: req.rows.columns.map((c) => c.name),
    });
    try {
      await this.ensureLedger();
      const maxPacket = this.dialect === 'mysql' ? await this.readMaxAllowedPacket() : 0;
      return await this.inTransaction(async (trx, session): Promise<LoadBatchResult> => {
        await assertLeaseHeld(trx, key, req.token);
        const loaded = await findLedgerEntry(trx, key, LedgerKind.Batch, req.batchId);
        if (loaded !== undefined) return { status: 'skipped', rows: loaded };
        // A replace_swap load writes into the run's staging table; the ledger is keyed by the target.
        const into =
          req.strategy === LoadStrategy.ReplaceSwap
            ? swapTableName(this.dialect, req.table, req.runId, 'staging')
            : req.table;
        const written = await this.writeRows(session, into, req.rows, ctx, maxPacket, req.upsertKey);
        await recordLedgerEntry(trx, key, {
          kind: LedgerKind.Batch,
          batchId: req.batchId,
          rowCount: written,
          token: req.token,
        });
        return { status: 'loaded', rows: written };
      });
    } catch (err) {
      throw toTargetError(err, ctx);
    }
  }

  async finishLoad(req: FinishLoadRequest): Promise<void> {
    const key = this.validateKey(req);
    validateToken(req.token);
    if (req.strategy !== LoadStrategy.ReplaceSwap) return;
    const ctx = this.context('finishLoad', { table: req.table });
    const staging = swapTableName(this.dialect, req.table, req.runId, 'staging');
    const old = swapTableName(this.dialect, req.table, req.runId, 'old');
    try {
      await this.ensureLedger();
      if (this.dialect !== 'mysql') {
        // PostgreSQL and SQLite: the swap and its ledger row commit together, under the lease.
        await this.inTransaction(async (trx, session) => {
          await assertLeaseHeld(trx, key, req.token);
          if ((await findLedgerEntry(trx, key, LedgerKind.Swap, '')) !== undefined) return;
          if (!(await readLiveTable(session, staging)))
            throw new DataError(
              `the staging table of ${describeIdentifier(req.table)} is missing; prepare the load again`,
            );
          await swapIn(session, req.table, staging, old);
          await recordLedgerEntry(trx, key, {
            kind: LedgerKind.Swap,
            batchId: '',
            rowCount: 0,
            token: req.token,
          });
        });
        return;
      }
      // MySQL: RENAME TABLE commits by itself. Check the lease and the ledger first; a retry after a
      // swap whose ledger row was lost finds the staging table gone and the old table left, and records it.
      const done = await this.inTransaction(async (trx) => {
        await assertLeaseHeld(trx, key, req.token);
        return (await findLedgerEntry(trx, key, LedgerKind.Swap, '')) !== undefined;
      });
      if (!done) {
        await this.withSession(async (session) => {
          const stagingLive = await readLiveTable(session, staging);
          const oldLive = await readLiveTable(session, old);
          if (stagingLive) await swapIn(session, req.table, staging, old);
          else if (!oldLive)
            throw new DataError(
              `the staging table of ${describeIdentifier(req.table)} is missing; prepare the load again`,
            );
        });
        await this.inTransaction(async (trx) => {
          if ((await findLedgerEntry(trx, key, LedgerKind.Swap, '')) === undefined)
            await recordLedgerEntry(trx, key, {
              kind: LedgerKind.Swap,
              batchId: '',
              rowCount: 0,
              token: req.token,
            });
        });
      }
      await this.withSession((session) =>
        session.run(`DROP TABLE IF EXISTS ${quoteIdentifier(old, 'mysql')}`),
      );
    } catch (err) {
      throw toTargetError(err, ctx);
    }
  }

  /** Creates the run's staging table once (not again after the swap), refusing tables a swap would break. */
  private async prepareStaging(key: { runId: string; table: string }, token: string): Promise<void> {
    const staging = swapTableName(this.dialect, key.table, key.runId, 'staging');
    const swapped = await this.inTransaction(async (trx) => {
      await assertLeaseHeld(trx, key, token);
      return (await findLedgerEntry(trx, key, LedgerKind.Swap, '')) !== undefined;
    });
    if (swapped) return;
    await this.withSession(async (session) => {
      await assertSwappable(session, key.table);
      // Batches an earlier attempt committed are in the staging table and the ledger: keep them.
      if (!(await readLiveTable(session, staging))) await createStagingTable(session, key.table, staging);
    });
  }

  async ledger(req: { runId: string; table: string }): Promise<LedgerTotals> {
    const key = this.validateKey(req);
    const ctx = this.context('ledger', { table: req.table });
    try {
      await this.ensureLedger();
      return await readLedgerTotals(this.db, key);
    } catch (err) {
      throw toTargetError(err, ctx);
    }
  }

  async ledgerBatches(req: { runId: string; table: string }): Promise<LedgerBatch[]> {
    const key = this.validateKey(req);
    const ctx = this.context('ledgerBatches', { table: req.table });
    try {
      await this.ensureLedger();
      return await readLedgerBatches(this.db, key);
    } catch (err) {
      throw toTargetError(err, ctx);
    }
  }

  async describeTable(table: string): Promise<TableSchema | undefined> {
    validateTableName(table, this.dialect);
    const ctx = this.context('describeTable', { table });
    try {
      const live = await this.withSession((session) => readLiveTable(session, table));
      if (!live) return undefined;
      return {
        columns: live.details.map((c) => ({ name: c.name, type: physicalTypeOfLive(c.type, this.dialect) })),
      };
    } catch (err) {
      throw toTargetError(err, ctx);
    }
  }

  async countRows(table: string): Promise<number> {
    validateTableName(table, this.dialect);
    const ctx = this.context('countRows', { table });
    try {
      return await this.withSession(async (session) => {
        const rows = await session.rows(`SELECT COUNT(*) AS n FROM ${quoteIdentifier(table, this.dialect)}`);
        return Number(rows[0]?.['n'] ?? 0);
      });
    } catch (err) {
      throw toTargetError(err, ctx);
    }
  }

  async close(): Promise<void> {
    await this.db.destroy();
  }

  private async writeRows(
    session: RawSession,
    table: string,
    batch: Table | CsvRows,
    ctx: ErrorContext,
    maxPacket: number,
    upsertKey: readonly string[] | undefined,
  ): Promise<number> {
    if (this.dialect === 'postgres' && isCsvRows(batch) && batch.copyable) {
      // CSV text PostgreSQL can take as it is: no cell is touched in JavaScript, as with psql \copy.
      return upsertKey === undefined
        ? copyCsvRows(session, table, batch)
        : upsertRowsPostgres(session, table, batch, upsertKey, ctx);
    }
    if (this.dialect === 'mysql' && upsertKey === undefined && (await this.localInfileAllowed(session))) {
      await session.run(`SAVEPOINT ${LOAD_DATA_SAVEPOINT}`);
      const loaded = await loadDataMysql(session, table, batch, ctx);
      if (loaded !== undefined) return loaded;
      // The server warned about a value: undo the statement and let INSERT fail on it as strict mode does.
      await session.run(`ROLLBACK TO SAVEPOINT ${LOAD_DATA_SAVEPOINT}`);
    }
    const rows = isCsvRows(batch) ? csvRowsToTable(batch, this.dialect === 'sqlite') : batch;
    switch (this.dialect) {
      case 'postgres':
        return upsertKey === undefined
          ? copyRows(session, table, rows, ctx)
          : upsertRowsPostgres(session, table, rows, upsertKey, ctx);
      case 'mysql':
        // LOAD DATA has no ON DUPLICATE KEY UPDATE: upserts (and servers without local_infile) get INSERTs.
        return insertRowsMysql(session, table, rows, ctx, maxPacket, upsertKey);
      case 'sqlite':
        return insertRowsSqlite(session, table, rows, ctx, upsertKey);
    }
  }

  /** Upserts match rows on a key the database enforces: the columns of its primary key or of a unique index. */
  private async checkUpsertKey(table: string, key: readonly string[]): Promise<void> {
    validateColumnNames(key, this.dialect, 'key');
    await this.withSession(async (session) => {
      const live = await readLiveTable(session, table);
      if (!live) throw new ConfigError(`table ${describeIdentifier(table)} does not exist`, 'table');
      const present = new Set(live.columns.map((c) => columnKey(c, this.dialect)));
      key.forEach((k, i) => {
        if (!present.has(columnKey(k, this.dialect)))
          throw new ConfigError(
            `table ${describeIdentifier(table)} has no column ${describeIdentifier(k)}`,
            `key[${i}]`,
          );
      });
      const wanted = sortedKeys(key, this.dialect);
      const unique = await readUniqueKeys(session, table);
      if (!unique.some((columns) => sortedKeys(columns, this.dialect) === wanted))
        throw new ConfigError(
          `table ${describeIdentifier(table)} has no primary key or unique index on exactly these columns; upsert needs one`,
          'key',
        );
    });
  }

  private context(operation: string, extra: Partial<ErrorContext>): ErrorContext {
    return { dialect: this.dialect, operation, redactedUrl: this.redactedUrl, ...extra };
  }

  private validateKey(req: { runId: string; table: string }): { runId: string; table: string } {
    validateKeyPart(req.runId, 'runId');
    validateTableName(req.table, this.dialect);
    return { runId: req.runId, table: req.table };
  }

  private ensureLedger(): Promise<void> {
    this.ledgerReady ??= this.withSession((session) => ensureLedgerTables(session)).catch((err: unknown) => {
      this.ledgerReady = undefined;
      throw err;
    });
    return this.ledgerReady;
  }

  /** Whether this server takes LOAD DATA LOCAL (asked once per target). */
  private async localInfileAllowed(session: RawSession): Promise<boolean> {
    this.localInfile ??= await serverAllowsLocalInfile(session);
    return this.localInfile;
  }

  private async readMaxAllowedPacket(): Promise<number> {
    if (this.maxAllowedPacket === undefined) {
      const rows = await this.withSession((session) => session.rows('SELECT @@max_allowed_packet AS m'));
      this.maxAllowedPacket = Number(rows[0]?.['m'] ?? 4 * 1024 * 1024);
    }
    return this.maxAllowedPacket;
  }

  private async withSession<T>(fn: (session: RawSession) => Promise<T>): Promise<T> {
    return this.retryWhileBusy(() => this.withSessionOnce(fn));
  }

  private async withSessionOnce<T>(fn: (session: RawSession) => Promise<T>): Promise<T> {
    const client = this.db.client as {
      acquireConnection(): Promise<unknown>;
      releaseConnection(conn: unknown): Promise<unknown>;
    };
    const connection = await client.acquireConnection();
    try {
      return await fn(createRawSession(this.dialect, connection));
    } finally {
      await client.releaseConnection(connection);
    }
  }

  private async inTransaction<T>(fn: (trx: Knex.Transaction, session: RawSession) => Promise<T>): Promise<T> {
    // READ COMMITTED whatever the server default: under REPEATABLE READ, InnoDB gap-locks ledger
    // lookups of absent batches (loaders of different tables in one run then deadlock on the
    // ledger insert), and the ledger lookup must see the commit that released the lease row.
    const config: Knex.TransactionConfig =
      this.dialect === 'sqlite' ? {} : { isolationLevel: 'read committed' };
    return this.retryWhileBusy(() =>
      this.db.transaction(async (trx) => {
        // Inside a transaction knex hands out the transaction's own connection.
        const connection: unknown = await (
          trx.client as { acquireConnection(): Promise<unknown> }
        ).acquireConnection();
        return fn(trx, createRawSession(this.dialect, connection));
      }, config),
    );
  }

  /** Retries a whole SQLite unit of work that found another writer's lock, yielding to the event loop between tries. */
  private async retryWhileBusy<T>(work: () => Promise<T>): Promise<T> {
    if (this.dialect !== 'sqlite') return work();
    const deadline = Date.now() + SQLITE_BUSY_RETRY_MS;
    for (let delay = 5; ; delay = Math.min(delay * 2, 200)) {
      try {
        return await work();
      } catch (err) {
        // The failed unit was rolled back, so running it again is safe.
        if (!isSqliteBusy(err) || Date.now() + delay > deadline) throw err;
        await sleep(delay * (0.5 + Math.random()));
      }
    }
  }
}

function isSqliteBusy(err: unknown): boolean {
  const inner = err instanceof DriverErrorAtRow ? err.driverError : err;
  const code = (inner as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^SQLITE_(BUSY|LOCKED)/.test(code);
}

function validateKeyPart(value: unknown, field: string): asserts value is string {
  if (typeof value !== 'string' || value.length === 0)
    throw new ConfigError('must be a non-empty string', field);
  if (value.length > MAX_KEY_LENGTH)
    throw new ConfigError(`must be at most ${MAX_KEY_LENGTH} characters`, field);
  if (value.includes('\u0000')) throw new ConfigError('must not contain a NUL character', field);
  if (!(value as string & { isWellFormed(): boolean }).isWellFormed())
    throw new ConfigError('contains an unpaired UTF-16 surrogate', field);
}

/** Key columns: distinct valid identifiers, each one of `columns`. */
function validateKeyColumns(
  key: readonly string[],
  columns: readonly string[],
  dialect: Dialect,
  field: string,
): void {
  if (key.length === 0) return;
  validateColumnNames(key, dialect, field);
  const present = new Set(columns.map((c) => columnKey(c, dialect)));
  key.forEach((k, i) => {
    if (!present.has(columnKey(k, dialect)))
      throw new ConfigError(
        `names a column the rows do not have: ${describeIdentifier(k)}`,
        `${field}[${i}]`,
      );
  });
}

/** A key's columns as one comparable string, in the dialect's name comparison. */
function sortedKeys(columns: readonly string[], dialect: Dialect): string {
  return columns
    .map((c) => columnKey(c, dialect))
    .sort()
    .join('\u0000');
}

function validateToken(token: unknown): asserts token is string {
  validateKeyPart(token, 'token');
}

function validateSchema(schema: TableSchema, dialect: Dialect): void {
  if (!schema || !Array.isArray(schema.columns) || schema.columns.length === 0)
    throw new ConfigError('schema has no columns', 'schema.columns');
  validateColumnNames(
    schema.columns.map((c) => c.name),
    dialect,
    'schema.columns',
  );
  schema.columns.forEach((c, i) => {
    if (!PHYSICAL_TYPES.has(c.type))
      throw new ConfigError(
        `unknown column type; expected one of ${[...PHYSICAL_TYPES].join(', ')}`,
        `schema.columns[${i}].type`,
      );
  });
}

function validateRows(rows: Table | CsvRows, dialect: Dialect): void {
  validateSchema({ columns: [...rows.columns] }, dialect);
  if (!Number.isSafeInteger(rows.rowCount) || rows.rowCount < 0)
    throw new ConfigError('rowCount must be a non-negative integer', 'rows.rowCount');
  if (isCsvRows(rows)) {
    if (!Buffer.isBuffer(rows.bytes)) throw new ConfigError('CSV rows must carry their bytes', 'rows.bytes');
    return;
  }
  rows.columns.forEach((c, i) => {
    if (!Array.isArray(c.values) || c.values.length !== rows.rowCount) {
      throw new ConfigError(
        `column ${describeIdentifier(c.name)} holds a different number of values than rowCount`,
        `rows.columns[${i}].values`,
      );
    }
  });
}
