/**
 * Loading a whole relational database (the tables of a relational metadata file, one file per table as
 * `understudy generate --metadata` writes them) into a database, parents before children, exactly once per
 * load id. Each table goes through {@link loadFile} (its ledger entries are keyed by the load id and the
 * table), so a run interrupted anywhere is resumed by running it again with the same load id.
 *
 * - Before anything is written, every table's file is found and read far enough to check that it has the
 *   key columns the metadata names, and every existing table is checked against its file.
 * - A table that is absent is created just before its load with the file's column types, its primary
 *   key, NOT NULL key columns and FOREIGN KEY constraints to its (already present) parents.
 * - `truncate_insert` empties the whole set first, children before parents, in one transaction that also
 *   records the truncation of every table in the ledger, so a resumed run does not empty it again.
 */
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import knexFactory, { type Knex } from 'knex';
import { ConfigError, DataError } from '../../core/errors.js';
import {
  parseRelationalMetadata,
  type RelationalMetadataInput,
  type ResolvedForeignKey,
  type ResolvedMetadata,
} from '../../core/relational/metadata.js';
import type { TableSchema } from '../../core/table.js';
import type { FileFormat } from '../tabular/index.js';
import { parseDatabaseUrl, redactUrl } from './connection-url.js';
import { toTargetError, type ErrorContext } from './errors.js';
import { columnKey, describeIdentifier, quoteIdentifier, validateColumnNames } from './identifiers.js';
import { createDatabaseTarget } from './knex-target.js';
import { ensureLedgerTables, findLedgerEntry, LedgerKind, recordLedgerEntry } from './ledger.js';
import {
  checkBatchSize,
  checkLoadId,
  checkLoadStrategy,
  createLoadId,
  loadFile,
  readLoadColumns,
  type LoadFileResult,
  type LoadProgress,
} from './load-file.js';
import { LoadStrategy, type Dialect } from './port.js';
import { createRawSession, type RawSession } from './raw-session.js';
import { createTableSql, physicalTypeOfLive, readLiveTable, readUniqueKeys } from './table-ddl.js';
import { pathExists } from '../files/path-exists.js';

/**
 * File names tried for a table, in this order: what `understudy generate --metadata` writes
 * (`<table>.csv`, `.json`, `.jsonl`, `.parquet`) and the other names a load reads.
 */
const TABLE_FILE_SUFFIXES: readonly (readonly [string, FileFormat])[] = [
  ['.csv', 'csv'],
  ['.csv.gz', 'csv'],
  ['.tsv', 'csv'],
  ['.tsv.gz', 'csv'],
  ['.parquet', 'parquet'],
  ['.jsonl', 'jsonl'],
  ['.jsonl.gz', 'jsonl'],
  ['.ndjson', 'jsonl'],
  ['.ndjson.gz', 'jsonl'],
  ['.json', 'json'],
  ['.json.gz', 'json'],
];

/** Options of {@link loadTables}. */
export interface LoadTablesOptions {
  /** The relational metadata (tables, primaryKey, foreignKeys): a JSON file's path, or the parsed object. */
  metadata: string | RelationalMetadataInput;
  /** Folder with one file per table, named `<table>.csv` (or `.parquet`, `.jsonl`, `.json`, …). */
  inputDir: string;
  /** Only files of this format are considered. @default any format a load reads */
  format?: FileFormat;
  /** Target URL as integrations/database/connection-url.ts accepts it. */
  url: string;
  /**
   * `append`, `truncate_insert` (the whole set emptied once, children first), `upsert` (on each table's
   * primary key) or `replace_swap` (only for metadata without foreign keys: a swap would break them).
   * @default append
   */
  strategy?: LoadStrategy;
  /** Rows per batch (one transaction each); a resumed table keeps the size it started with. @default 10000 */
  batchSize?: number;
  /** Identifies the load of the whole set in the ledger: run again with the same id to resume. @default generated */
  loadId?: string;
  /** Directory relative SQLite paths resolve in. @default process.cwd() */
  baseDir?: string;
  /** Progress of the table being loaded. */
  onProgress?: (progress: LoadTablesProgress) => void;
  /** Called after each table's load completes. */
  onTable?: (result: LoadedTable) => void;
  signal?: AbortSignal;
}

/** Progress of {@link loadTables}: which table (0-based position in load order) and how far it is. */
export interface LoadTablesProgress extends LoadProgress {
  table: string;
  index: number;
  /** Number of tables in the set. */
  tables: number;
}

/** The outcome of one table of {@link loadTables}. */
export interface LoadedTable extends Omit<LoadFileResult, 'loadId' | 'target'> {
  /** The file the table was loaded from. */
  file: string;
}

/** Outcome of {@link loadTables}. */
export interface LoadTablesResult {
  loadId: string;
  /** The target URL with credentials redacted. */
  target: string;
  strategy: LoadStrategy;
  /** Per table, in load order (parents first). */
  tables: LoadedTable[];
  /** Whether this run emptied the tables (`truncate_insert`; false when an earlier run with the id had). */
  cleared: boolean;
  loadedRows: number;
  skippedRows: number;
  /** Wall time of the whole load, checks and table creation included. */
  seconds: number;
}

/** One table of the set as planned before any write. */
interface TablePlan {
  table: string;
  file: string;
  live: boolean;
  primaryKey: string[];
  foreignKeys: ResolvedForeignKey[];
}

/**
 * Loads every table of the metadata from `inputDir` into the database in foreign-key order, parents first,
 * exactly once per load id. Problems found before the first write (a missing file, a key column a file
 * lacks, an existing table that does not fit its file, a strategy the set cannot use) are ConfigErrors or
 * DataErrors naming the table, file and column; errors never contain values.
 */
export async function loadTables(opts: LoadTablesOptions): Promise<LoadTablesResult> {
  const started = performance.now();
  const strategy = opts.strategy ?? LoadStrategy.Append;
  checkLoadStrategy(strategy);
  if (opts.batchSize !== undefined) checkBatchSize(opts.batchSize);
  const loadId = opts.loadId ?? createLoadId();
  checkLoadId(loadId);
  const resolved = await readMetadata(opts.metadata);
  checkStrategy(resolved, strategy);
  const parsed = parseDatabaseUrl(opts.url, opts.baseDir);
  const dialect = parsed.dialect;
  const redactedUrl = redactUrl(opts.url);
  const context = (operation: string, table?: string): ErrorContext => ({
    dialect,
    operation,
    redactedUrl,
    ...(table !== undefined ? { table } : {}),
  });
  // DDL and the set-wide truncation need statements the target port does not offer; loadFile opens its own.
  const knex = knexFactory(parsed.knexConfig);
  try {
    const plans = await planTables(resolved, opts, dialect);
    try {
      await checkReferencedKeys(plans, knex, dialect);
    } catch (err) {
      throw toTargetError(err, context('checkKeys'));
    }
    opts.signal?.throwIfAborted();
    let cleared = false;
    if (strategy === LoadStrategy.TruncateInsert) {
      try {
        cleared = await clearTables(knex, dialect, plans, loadId, context);
      } catch (err) {
        throw toTargetError(err, context('clearTables'));
      }
    }
    const tables: LoadedTable[] = [];
    for (const [index, plan] of plans.entries()) {
      opts.signal?.throwIfAborted();
      const createTable = async (schema: TableSchema): Promise<void> => {
        try {
          await withSession(knex, dialect, (session) => createSetTable(session, plan, schema));
        } catch (err) {
          throw toTargetError(err, context('createTable', plan.table));
        }
      };
      const result = await loadFile({
        input: plan.file,
        displayName: plan.file,
        ...(opts.format !== undefined ? { format: opts.format } : {}),
        url: opts.url,
        table: plan.table,
        strategy,
        ...(strategy === LoadStrategy.Upsert ? { key: plan.primaryKey } : {}),
        ...(opts.batchSize !== undefined ? { batchSize: opts.batchSize } : {}),
        loadId,
        ...(opts.baseDir !== undefined ? { baseDir: opts.baseDir } : {}),
        ...(opts.signal ? { signal: opts.signal } : {}),
        onProgress: (p) => opts.onProgress?.({ ...p, table: plan.table, index, tables: plans.length }),
        createTable,
      });
      const { loadId: _id, target: _target, ...rest } = result;
      const loaded: LoadedTable = { ...rest, file: plan.file };
      tables.push(loaded);
      opts.onTable?.(loaded);
    }
    return {
      loadId,
      target: redactedUrl,
      strategy,
      tables,
      cleared,
      loadedRows: tables.reduce((n, t) => n + t.loadedRows, 0),
      skippedRows: tables.reduce((n, t) => n + t.skippedRows, 0),
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    await knex.destroy();
  }
}

async function readMetadata(metadata: string | RelationalMetadataInput): Promise<ResolvedMetadata> {
  if (typeof metadata !== 'string') return parseRelationalMetadata(metadata);
  let text: string;
  try {
    text = await readFile(metadata, 'utf8');
  } catch (err) {
    throw new ConfigError(`cannot read ${metadata}`, 'metadata', { cause: err });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new DataError('not valid JSON', { file: metadata });
  }
  try {
    return parseRelationalMetadata(json);
  } catch (err) {
    // The field path inside the file stays in the message; the file is named in front of it.
    if (err instanceof ConfigError) throw new ConfigError(err.message, metadata, { cause: err });
    throw err;
  }
}

/** Strategies that cannot work for this set fail before anything is read or written. */
function checkStrategy(resolved: ResolvedMetadata, strategy: LoadStrategy): void {
  if (strategy === LoadStrategy.Upsert) {
    for (const table of resolved.order)
      if (resolved.metadata.tables[table]?.primaryKey === undefined)
        throw new ConfigError(
          `table ${describeIdentifier(table)} has no primaryKey, which the upsert strategy matches rows on`,
          `tables.${table}.primaryKey`,
        );
  }
  if (
    strategy === LoadStrategy.ReplaceSwap &&
    [...resolved.foreignKeys.values()].some((fks) => fks.length > 0)
  )
    throw new ConfigError(
      'replace_swap cannot load tables joined by foreign keys (a table swap breaks or violates them); use truncate_insert or upsert',
      'strategy',
    );
}

/** Finds every table's file, reads its columns and checks keys and existing tables: all before any write. */
async function planTables(
  resolved: ResolvedMetadata,
  opts: LoadTablesOptions,
  dialect: Dialect,
): Promise<TablePlan[]> {
  const target = createDatabaseTarget(opts.url, opts.baseDir !== undefined ? { baseDir: opts.baseDir } : {});
  try {
    const plans: TablePlan[] = [];
    for (const table of resolved.order) {
      const file = await findTableFile(opts.inputDir, table, opts.format);
      const liveSchema = await target.describeTable(table);
      const columns = await readLoadColumns(file, {
        ...(opts.format !== undefined ? { format: opts.format } : {}),
        displayName: file,
        ...(liveSchema ? { live: liveSchema } : {}),
        dialect,
      });
      const names = columns.columns.map((c) => c.name);
      validateColumnNames(names, dialect, file);
      const primaryKey = resolved.metadata.tables[table]?.primaryKey ?? [];
      const foreignKeys = resolved.foreignKeys.get(table) ?? [];
      const present = new Set(names);
      for (const column of primaryKey)
        if (!present.has(column))
          throw new DataError(
            `table ${describeIdentifier(table)}: the file has no column ${describeIdentifier(column)}, which the metadata names in its primary key`,
            { file, column },
          );
      for (const fk of foreignKeys)
        for (const column of fk.columns)
          if (!present.has(column))
            throw new DataError(
              `table ${describeIdentifier(table)}: the file has no column ${describeIdentifier(column)}, which the metadata names in its foreign key to ${describeIdentifier(fk.parent)}`,
              { file, column },
            );
      // An existing table is checked now, as its load would check it, so no table is loaded before a misfit is found.
      if (liveSchema) await target.ensureTable(table, columns);
      plans.push({ table, file, live: liveSchema !== undefined, primaryKey, foreignKeys });
    }
    return plans;
  } finally {
    await target.close();
  }
}

/** An existing parent of a table to be created must have a primary key or unique index on the referenced columns. */
async function checkReferencedKeys(plans: readonly TablePlan[], knex: Knex, dialect: Dialect): Promise<void> {
  const byName = new Map(plans.map((p) => [p.table, p] as const));
  const wanted = plans.flatMap((p) =>
    p.live ? [] : p.foreignKeys.filter((fk) => byName.get(fk.parent)?.live === true),
  );
  if (wanted.length === 0) return;
  await withSession(knex, dialect, async (session) => {
    for (const fk of wanted) {
      const keys = (await readUniqueKeys(session, fk.parent)).map((k) => sortedKey(k, dialect));
      if (!keys.includes(sortedKey(fk.parentColumns, dialect)))
        throw new ConfigError(
          `table ${describeIdentifier(fk.child)} would reference columns (${fk.parentColumns.join(', ')}) of the existing table ${describeIdentifier(fk.parent)}, which has no primary key or unique index on them`,
          `tables.${fk.child}.foreignKeys[${fk.index}]`,
        );
    }
  });
}

function sortedKey(columns: readonly string[], dialect: Dialect): string {
  return columns
    .map((c) => columnKey(c, dialect))
    .sort()
    .join('\u0000');
}

/** The one file in `dir` named after `table` (of `format` when given). */
async function findTableFile(dir: string, table: string, format: FileFormat | undefined): Promise<string> {
  if (
    table === '.' ||
    table === '..' ||
    table.includes('/') ||
    table.includes('\\') ||
    table.includes('\u0000')
  )
    throw new ConfigError(
      `table ${describeIdentifier(table)} cannot be read from a file named after it (it is not a file name)`,
      'metadata',
    );
  const suffixes = TABLE_FILE_SUFFIXES.filter(([, f]) => format === undefined || f === format);
  const found: string[] = [];
  for (const [suffix] of suffixes) {
    const file = path.join(dir, `${table}${suffix}`);
    if (await pathExists(file)) found.push(file);
  }
  if (found.length === 0)
    throw new DataError(
      `no file for table ${describeIdentifier(table)}: expected ${table}${suffixes[0]?.[0] ?? ''} (or ${suffixes
        .slice(1)
        .map(([s]) => s)
        .join(', ')})`,
      { file: path.join(dir, `${table}${suffixes[0]?.[0] ?? ''}`) },
    );
  if (found.length > 1)
    throw new ConfigError(
      `several files for table ${describeIdentifier(table)} (${found.map((f) => path.basename(f)).join(', ')}); keep one, or choose one with the format option`,
      'inputDir',
    );
  return found[0] as string;
}

/**
 * Creates one table of the set from the schema its load reads the file with: primary key, NOT NULL on the
 * primary key and on the primary foreign key (a generated child always has its primary parent; secondary
 * references may be null), and every foreign key. A foreign key column takes its parent column's type, so
 * that a column the file leaves empty (inferred as text) can still reference an integer key.
 */
async function createSetTable(session: RawSession, plan: TablePlan, schema: TableSchema): Promise<void> {
  const dialect = session.dialect;
  const types = new Map(schema.columns.map((c) => [c.name, c.type] as const));
  for (const fk of plan.foreignKeys) {
    const parent = await readLiveTable(session, fk.parent);
    if (!parent)
      throw new ConfigError(
        `table ${describeIdentifier(fk.parent)}, which table ${describeIdentifier(plan.table)} references, does not exist`,
        `tables.${plan.table}.foreignKeys[${fk.index}]`,
      );
    const parentTypes = new Map(
      parent.details.map((c) => [columnKey(c.name, dialect), physicalTypeOfLive(c.type, dialect)] as const),
    );
    fk.columns.forEach((column, i) => {
      const type = parentTypes.get(columnKey(fk.parentColumns[i] as string, dialect));
      if (type !== undefined && types.has(column)) types.set(column, type);
    });
  }
  const typed: TableSchema = {
    columns: schema.columns.map((c) => ({ ...c, type: types.get(c.name) ?? c.type })),
  };
  const notNull = plan.foreignKeys.filter((fk) => fk.primary).flatMap((fk) => fk.columns);
  await session.run(
    createTableSql(dialect, plan.table, typed, plan.primaryKey, {
      notNull,
      foreignKeys: plan.foreignKeys.map((fk) => ({
        columns: fk.columns,
        references: { table: fk.parent, columns: fk.parentColumns },
      })),
    }),
  );
}

/**
 * Empties every table of the set once per load id: children before parents (PostgreSQL: one TRUNCATE of
 * them all, which it allows for tables that reference each other), together with a truncation entry per
 * table in the ledger, in one transaction. A retry after a failure finds nothing done and does it all; a
 * resumed run finds every entry and leaves the rows loaded since. Tables not created yet have nothing to empty.
 */
async function clearTables(
  knex: Knex,
  dialect: Dialect,
  plans: readonly TablePlan[],
  loadId: string,
  context: (operation: string, table?: string) => ErrorContext,
): Promise<boolean> {
  // MySQL commits DDL implicitly, so the ledger tables are created before the transaction.
  await withSession(knex, dialect, (session) => ensureLedgerTables(session));
  const token = `load-tables:${hostname()}:${process.pid}:${randomUUID()}`;
  const config: Knex.TransactionConfig = dialect === 'sqlite' ? {} : { isolationLevel: 'read committed' };
  return knex.transaction(async (trx) => {
    const connection: unknown = await (
      trx.client as { acquireConnection(): Promise<unknown> }
    ).acquireConnection();
    const session = createRawSession(dialect, connection);
    const done: string[] = [];
    for (const plan of plans)
      if (
        (await findLedgerEntry(trx, { runId: loadId, table: plan.table }, LedgerKind.Truncate, '')) !==
        undefined
      )
        done.push(plan.table);
    if (done.length === plans.length) return false;
    if (done.length > 0)
      throw new ConfigError(
        `load id ${JSON.stringify(loadId)} already emptied table ${describeIdentifier(done[0] as string)} in another load; choose another load id`,
        'loadId',
      );
    const present: string[] = [];
    for (const plan of plans) if (await readLiveTable(session, plan.table)) present.push(plan.table);
    if (present.length > 0) {
      if (dialect === 'postgres') {
        await refuseOutsideReferences(session, present);
        await session.run(`TRUNCATE TABLE ${present.map((t) => quoteIdentifier(t, dialect)).join(', ')}`);
      } else {
        // MySQL refuses TRUNCATE of a referenced table and commits it implicitly; DELETE in reverse order stays in the transaction.
        for (const table of [...present].reverse()) {
          try {
            await session.run(`DELETE FROM ${quoteIdentifier(table, dialect)}`);
          } catch (err) {
            // A table outside the set still references this one's rows.
            throw toTargetError(err, context('clearTables', table));
          }
        }
      }
    }
    for (const plan of plans)
      await recordLedgerEntry(
        trx,
        { runId: loadId, table: plan.table },
        { kind: LedgerKind.Truncate, batchId: '', rowCount: 0, token },
      );
    return true;
  }, config);
}

/**
 * PostgreSQL truncates a referenced table only together with every table that references it (or with
 * CASCADE, which would empty tables the user did not name): a reference from outside the set is refused here.
 */
async function refuseOutsideReferences(session: RawSession, tables: readonly string[]): Promise<void> {
  const rows = await session.rows(
    `WITH s AS (SELECT to_regclass(t) AS id FROM unnest($1::text[]) AS t)
     SELECT c.relname AS child, p.relname AS parent
       FROM pg_catalog.pg_constraint k
       JOIN pg_catalog.pg_class c ON c.oid = k.conrelid
       JOIN pg_catalog.pg_class p ON p.oid = k.confrelid
      WHERE k.contype = 'f' AND k.confrelid IN (SELECT id FROM s) AND k.conrelid NOT IN (SELECT id FROM s)`,
    [tables.map((t) => quoteIdentifier(t, 'postgres'))],
  );
  const first = rows[0];
  if (first !== undefined)
    throw new ConfigError(
      `table ${describeIdentifier(String(first['child']))}, which the metadata does not name, references table ${describeIdentifier(String(first['parent']))}: truncate_insert cannot empty one without the other; add it to the metadata or use append or upsert`,
      'strategy',
    );
}

async function withSession<T>(
  knex: Knex,
  dialect: Dialect,
  fn: (session: RawSession) => Promise<T>,
): Promise<T> {
  const client = knex.client as {
    acquireConnection(): Promise<unknown>;
    releaseConnection(conn: unknown): Promise<unknown>;
  };
  const connection = await client.acquireConnection();
  try {
    return await fn(createRawSession(dialect, connection));
  } finally {
    await client.releaseConnection(connection);
  }
}
