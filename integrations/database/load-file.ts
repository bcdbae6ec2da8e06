/**
 * Loading one CSV, JSON, JSON Lines or Parquet file into a database table without Temporal, through the
 * same target operations as the distribute activity: ensureTable, acquireLease, prepareLoad, one
 * loadBatch transaction per batch (lease check + rows + ledger row), finishLoad. A run with the same load
 * id skips the batches an earlier run committed, so an interrupted load is resumed by running it again.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import { ConfigError, DataError, type DataLocation } from '../../core/errors.js';
import { schemaOf, type Table, type TableSchema } from '../../core/table.js';
import {
  delimiterFor,
  detectFormat,
  isGzipped,
  readParquetBatches,
  readParquetSchema,
  readTableFile,
  validateSourceFile,
  type FileFormat,
} from '../tabular/index.js';
import { redactUrl } from './connection-url.js';
import { openCsvSource } from './csv-source.js';
import { csvRowsToTable, readCsvRawBatches } from './csv-raw.js';
import { inferCsvSchema } from './csv-infer.js';
import { columnKey } from './identifiers.js';
import { MAX_KEY_LENGTH } from './ledger.js';
import { createDatabaseTarget } from './knex-target.js';
import { loadBatches, type SourceBatch } from './load-batches.js';
import { isCsvRows, LoadStrategy, type CsvRows, type Dialect } from './port.js';

/** Rows per batch when none is given: the pipeline's default for database targets. */
export const DEFAULT_LOAD_BATCH_SIZE = 10_000;
/**
 * Rows per batch of a CSV file when none is given. CSV batches are the file's own bytes (a few MB), not
 * rows in memory, and each batch costs a transaction's round trips (lease, ledger, commit: about 3.5 ms on
 * PostgreSQL, measured with bench/db-load.ts); at 10,000 rows that was 15–20 % of a psql \copy's time.
 */
export const DEFAULT_CSV_LOAD_BATCH_SIZE = 50_000;
/** Largest batch a load accepts (the pipeline's limit). */
export const MAX_LOAD_BATCH_SIZE = 1_000_000;

/** What a load has done so far, reported after every batch. */
export interface LoadProgress {
  /** Rows written by this run. */
  loadedRows: number;
  /** Rows of batches an earlier run with the same load id had committed. */
  skippedRows: number;
  /** Bytes of the input consumed (CSV), for a progress bar. */
  bytesRead?: number;
  /** Size of the input in bytes (CSV). */
  totalBytes?: number;
  /** Rows in the input, when known before the end (JSON, JSON Lines, Parquet). */
  totalRows?: number;
  /** What the load is doing: `inspecting` reads the file for its column types, `loading` writes batches. */
  phase: 'inspecting' | 'loading';
}

/** Options of {@link loadFile}. */
export interface LoadFileOptions {
  /** Local path of the input file (`.csv .tsv .json .jsonl .ndjson .parquet`, text formats optionally `.gz`). */
  input: string;
  /** Name for the input in messages. @default input */
  displayName?: string;
  /** Declared format, when the extension does not tell. */
  format?: FileFormat;
  /** Target URL as integrations/database/connection-url.ts accepts it. */
  url: string;
  /** Target table (created from the file's columns when absent). */
  table: string;
  /** @default append */
  strategy?: LoadStrategy;
  /** Upsert key; also the primary key of a table the load creates. */
  key?: readonly string[];
  /**
   * Rows per batch (one transaction each); a resumed load keeps the batch size it started with.
   * @default 10000, or the size recorded for the load id
   */
  batchSize?: number;
  /** Identifies the load in the ledger: run again with the same id to resume. @default generated */
  loadId?: string;
  /** Directory relative SQLite paths resolve in. @default process.cwd() */
  baseDir?: string;
  onProgress?: (progress: LoadProgress) => void;
  signal?: AbortSignal;
  /**
   * Creates the table when it is absent, from the schema the load reads the file with, instead of the
   * target's plain CREATE TABLE (a multi-table load adds foreign keys); the created table is then checked
   * against the file like any existing one. @default the target creates it, with `key` as primary key
   */
  createTable?: (schema: TableSchema) => Promise<void>;
}

/** Outcome of {@link loadFile}. */
export interface LoadFileResult {
  loadId: string;
  /** The target URL with credentials redacted. */
  target: string;
  table: string;
  /** Whether this run created the table. */
  createdTable: boolean;
  schema: TableSchema;
  batchSize: number;
  loadedRows: number;
  skippedRows: number;
  batches: number;
  skippedBatches: number;
  /** Wall time of the whole load, inspection and table creation included. */
  seconds: number;
  /** Wall time of the batch loop alone. */
  loadSeconds: number;
}

/** A batch of a file, with the line of each row when the format has lines. */
interface FileBatch extends SourceBatch {
  lines?: number[];
}

/** An input file opened for a load. */
interface FileSource {
  schema: TableSchema;
  totalRows?: number;
  totalBytes?: number;
  bytesRead?: () => number;
  /** Batch `k` is rows `[k * batchSize, (k + 1) * batchSize)`; batches before `firstBatch` are not produced. */
  batches(batchSize: number, firstBatch: number): AsyncIterable<FileBatch>;
}

const BATCH_ID = /^size-(\d+)\/batch-\d+$/;

/** The ledger id of batch `k` of a load in batches of `batchSize` rows. */
export function fileBatchId(batchSize: number, k: number): string {
  return `size-${batchSize}/batch-${String(k).padStart(8, '0')}`;
}

/**
 * Loads a file into a table exactly once per load id. A CSV loaded into an existing table is read with the
 * table's column types; one loaded into a new table is read twice, first to infer its column types from
 * every row. Errors name the file, line (CSV, JSON Lines), row (1-based data row) and column, never a value.
 */
export async function loadFile(opts: LoadFileOptions): Promise<LoadFileResult> {
  const started = performance.now();
  const strategy = opts.strategy ?? LoadStrategy.Append;
  checkLoadStrategy(strategy);
  const key = opts.key !== undefined && opts.key.length > 0 ? [...opts.key] : undefined;
  if (strategy === LoadStrategy.Upsert && key === undefined)
    throw new ConfigError('is required for the upsert strategy (the columns rows are matched on)', 'key');
  if (opts.batchSize !== undefined) checkBatchSize(opts.batchSize);
  const loadId = opts.loadId ?? createLoadId();
  checkLoadId(loadId);
  const file = opts.displayName ?? opts.input;
  const format = detectFormat(opts.input, opts.format);

  const db = createDatabaseTarget(opts.url, opts.baseDir !== undefined ? { baseDir: opts.baseDir } : {});
  try {
    const live = await db.describeTable(opts.table);
    opts.onProgress?.({ loadedRows: 0, skippedRows: 0, phase: 'inspecting' });
    const source = await openFileSource(opts.input, format, file, live, db.dialect, opts.signal);
    const token = `load:${hostname()}:${process.pid}:${randomUUID()}`;
    if (!live && opts.createTable) await opts.createTable(source.schema);
    await db.ensureTable(opts.table, source.schema, !live && key ? { primaryKey: key } : {});
    await db.acquireLease({ runId: loadId, table: opts.table, token });
    const committed = await db.ledgerBatches({ runId: loadId, table: opts.table });
    const batchSize = resumedBatchSize(
      committed,
      opts.batchSize,
      loadId,
      format === 'csv' ? DEFAULT_CSV_LOAD_BATCH_SIZE : DEFAULT_LOAD_BATCH_SIZE,
    );
    await db.prepareLoad({
      runId: loadId,
      table: opts.table,
      token,
      strategy,
      ...(key ? { key } : {}),
    });
    // Batches committed in one unbroken run from the start are not read again (their rows are skipped), but
    // for the last of them: read again, its row count checks the file against the ledger.
    const done = new Set(committed.map((b) => b.batchId));
    let firstBatch = 0;
    let prefixRows = 0;
    let lastPrefixRows = 0;
    // A file changed since the load id started would be loaded wrongly (rows skipped or loaded twice): only
    // the file's last batch may hold fewer rows than a batch, and a skipped batch holds what the ledger says.
    const changed = (): DataError =>
      new DataError(
        `the file is not the one load id ${JSON.stringify(loadId)} started on (its rows do not match the committed batches); start a new load id`,
        { file },
      );
    let endsAtPrefix = false;
    while (done.has(fileBatchId(batchSize, firstBatch))) {
      if (endsAtPrefix) throw changed();
      lastPrefixRows = committed.find((b) => b.batchId === fileBatchId(batchSize, firstBatch))?.rows ?? 0;
      endsAtPrefix = lastPrefixRows !== batchSize;
      prefixRows += lastPrefixRows;
      firstBatch += 1;
    }
    const readFrom = Math.max(0, firstBatch - 1);
    if (firstBatch > 0) prefixRows -= lastPrefixRows;
    async function* unchanged(batches: AsyncIterable<FileBatch>): AsyncIterable<FileBatch> {
      let read = 0;
      for await (const batch of batches) {
        // After a short last committed batch the file had ended: a further batch means it grew.
        if (read > 0 && endsAtPrefix) throw changed();
        read += 1;
        yield batch;
      }
      // It ends before the rows already committed: it shrank.
      if (read === 0 && firstBatch > 0) throw changed();
    }
    const progress = { loadedRows: 0, skippedRows: prefixRows };
    const report = (): void =>
      opts.onProgress?.({
        ...progress,
        phase: 'loading',
        ...(source.totalRows !== undefined ? { totalRows: source.totalRows } : {}),
        ...(source.totalBytes !== undefined ? { totalBytes: source.totalBytes } : {}),
        ...(source.bytesRead ? { bytesRead: source.bytesRead() } : {}),
      });
    report();
    const loadStarted = performance.now();
    const out = await loadBatches(
      db,
      {
        runId: loadId,
        table: opts.table,
        token,
        strategy,
        ...(strategy === LoadStrategy.Upsert && key ? { upsertKey: key } : {}),
      },
      unchanged(source.batches(batchSize, readFrom)),
      {
        onBatch: (batch, result) => {
          if (result.status === 'skipped' && result.rows !== batch.rows.rowCount) throw changed();
          if (result.status === 'loaded') progress.loadedRows += result.rows;
          else progress.skippedRows += result.rows;
          report();
        },
        onError: (batch, err) => locateInFile(err, batch as FileBatch, file),
        ...(opts.signal ? { signal: opts.signal } : {}),
      },
    );
    const loadSeconds = (performance.now() - loadStarted) / 1000;
    await db.finishLoad({ runId: loadId, table: opts.table, token, strategy });
    return {
      loadId,
      target: redactUrl(opts.url),
      table: opts.table,
      createdTable: !live,
      schema: source.schema,
      batchSize,
      loadedRows: out.loadedRows,
      skippedRows: out.skippedRows + prefixRows,
      batches: out.batches + readFrom,
      skippedBatches: out.skippedBatches + readFrom,
      seconds: (performance.now() - started) / 1000,
      loadSeconds,
    };
  } finally {
    await db.close();
  }
}

/** Throws a ConfigError (field `strategy`) unless `strategy` is one a load knows. */
export function checkLoadStrategy(strategy: string): void {
  if (!(Object.values(LoadStrategy) as string[]).includes(strategy))
    throw new ConfigError(
      `unknown load strategy; expected ${Object.values(LoadStrategy).join(', ')}`,
      'strategy',
    );
}

/** Throws a ConfigError (field `batchSize`) unless `n` is a batch size a load accepts. */
export function checkBatchSize(n: number): void {
  if (!Number.isSafeInteger(n) || n < 1 || n > MAX_LOAD_BATCH_SIZE)
    throw new ConfigError(`must be an integer from 1 to ${MAX_LOAD_BATCH_SIZE}`, 'batchSize');
}

/** Throws a ConfigError (field `loadId`) unless `id` can key the load ledger. */
export function checkLoadId(id: string): void {
  if (id.length === 0 || id.length > MAX_KEY_LENGTH)
    throw new ConfigError(`must be 1 to ${MAX_KEY_LENGTH} characters`, 'loadId');
  if (id.includes('\u0000') || !(id as string & { isWellFormed(): boolean }).isWellFormed())
    throw new ConfigError('must be plain text (no NUL, no unpaired surrogate)', 'loadId');
}

/** A new load id: `load-<UTC time>-<random hex>`. */
export function createLoadId(): string {
  const stamp = new Date()
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  return `load-${stamp}-${randomBytes(4).toString('hex')}`;
}

/**
 * The batch size to use: batch ids are row ranges of a fixed size, so a resumed load must keep the size it
 * was started with. Without an explicit size the recorded one is adopted; a different explicit size is refused.
 */
function resumedBatchSize(
  committed: readonly { batchId: string }[],
  requested: number | undefined,
  loadId: string,
  defaultSize: number,
): number {
  const sizes = new Set<number>();
  for (const b of committed) {
    const size = BATCH_ID.exec(b.batchId)?.[1];
    if (size === undefined)
      throw new ConfigError(
        `load id ${JSON.stringify(loadId)} was used by another kind of load (a pipeline run); choose another`,
        'loadId',
      );
    sizes.add(Number(size));
  }
  if (sizes.size > 1)
    throw new ConfigError(
      `load id ${JSON.stringify(loadId)} has batches of several sizes in the ledger`,
      'loadId',
    );
  const recorded = [...sizes][0];
  if (recorded === undefined) return requested ?? defaultSize;
  if (requested !== undefined && requested !== recorded)
    throw new ConfigError(
      `load id ${JSON.stringify(loadId)} was started with batches of ${recorded} rows; resume it with that batch size`,
      'batchSize',
    );
  return recorded;
}

/**
 * The columns a load reads from a file into a table shaped like `live`, without loading anything: for a
 * CSV the header typed by the live table (columns it lacks as text, nothing inferred, so it is cheap and
 * `live` may be omitted to learn just the names); for the other formats the file's own schema.
 */
export async function readLoadColumns(
  input: string,
  opts: { format?: FileFormat; displayName?: string; live?: TableSchema; dialect: Dialect },
): Promise<TableSchema> {
  const source = await openFileSource(
    input,
    detectFormat(input, opts.format),
    opts.displayName ?? input,
    opts.live ?? { columns: [] },
    opts.dialect,
  );
  return source.schema;
}

async function openFileSource(
  path: string,
  format: FileFormat,
  file: string,
  live: TableSchema | undefined,
  dialect: Dialect,
  signal?: AbortSignal,
): Promise<FileSource> {
  switch (format) {
    case 'csv':
      return openCsvFileSource(path, file, live, dialect, signal);
    case 'parquet':
      return openParquetSource(path, file);
    case 'json':
    case 'jsonl': {
      await validateSourceFile(path, format, { displayName: file });
      const table = await readTableFile(path, format, { displayName: file });
      return {
        schema: schemaOf(table),
        totalRows: table.rowCount,
        async *batches(batchSize, firstBatch) {
          for (let k = firstBatch; k * batchSize < table.rowCount; k++) {
            const start = k * batchSize;
            const rows = sliceRows(table, start, Math.min(table.rowCount, start + batchSize));
            yield { batchId: fileBatchId(batchSize, k), startRow: start, rows };
          }
        },
      };
    }
  }
}

async function openCsvFileSource(
  path: string,
  file: string,
  live: TableSchema | undefined,
  dialect: Dialect,
  signal?: AbortSignal,
): Promise<FileSource> {
  const csvOptions = { displayName: file, delimiter: delimiterFor(path), gzip: isGzipped(path) };
  // Ctrl-C stops the type-inference pass and the scan past committed rows too, not only the batch loop.
  const scanOptions = signal ? { ...csvOptions, signal } : csvOptions;
  // The header is read (and checked) by the text reader; the rows go through the byte reader.
  const opened = await openCsvSource(path, csvOptions);
  opened.close();
  const header = opened.header;
  let schema: TableSchema;
  if (live) {
    // An existing table decides how its columns' text is read; a column it lacks is reported by ensureTable.
    const types = new Map(live.columns.map((c) => [columnKey(c.name, dialect), c.type] as const));
    schema = {
      columns: header.map((name) => ({ name, type: types.get(columnKey(name, dialect)) ?? 'string' })),
    };
  } else {
    schema = await inferCsvSchema(path, header, scanOptions);
  }
  const totalBytes = (await stat(path)).size;
  let bytesRead = 0;
  return {
    schema,
    totalBytes,
    bytesRead: () => bytesRead,
    async *batches(batchSize, firstBatch) {
      let k = firstBatch;
      const batches = readCsvRawBatches(path, {
        ...scanOptions,
        columns: schema.columns,
        batchSize,
        startRow: firstBatch * batchSize,
        onRead: (n) => (bytesRead = n),
      });
      for await (const batch of batches) {
        let rows: Table | CsvRows = batch.rows;
        // SQLite binds cells: they are parsed here, while the previous batch loads.
        if (dialect === 'sqlite') {
          try {
            rows = csvRowsToTable(batch.rows, true);
          } catch (err) {
            throw locateInFile(
              err,
              { batchId: '', startRow: batch.startRow, rows, lines: batch.lines },
              file,
            );
          }
        }
        yield { batchId: fileBatchId(batchSize, k), startRow: batch.startRow, rows, lines: batch.lines };
        k += 1;
      }
    },
  };
}

async function openParquetSource(path: string, file: string): Promise<FileSource> {
  const schema = await readParquetSchema(path, file);
  return {
    schema,
    async *batches(batchSize, firstBatch) {
      let k = firstBatch;
      for await (const batch of readParquetBatches(path, { batchSize, startRow: firstBatch * batchSize })) {
        yield { batchId: fileBatchId(batchSize, k), startRow: batch.startRow, rows: batch.table };
        k += 1;
      }
    },
  };
}

function sliceRows(table: Table, start: number, end: number): Table {
  return {
    rowCount: end - start,
    columns: table.columns.map((c) => ({ ...c, values: c.values.slice(start, end) })),
  };
}

/** A DataError about row n of a batch, restated as the file's row (and line) n. */
function locateInFile(err: unknown, batch: FileBatch, file: string): unknown {
  if (!(err instanceof DataError)) return err;
  if (isCsvRows(batch.rows) && batch.rows.copyable) {
    // PostgreSQL parsed the CSV itself; our parser names a structural fault (a ragged row) more exactly.
    try {
      csvRowsToTable(batch.rows);
    } catch (parseError) {
      if (parseError instanceof DataError) err = parseError;
    }
  }
  if (!(err instanceof DataError) || err.location.row === undefined) return err;
  const { row, column } = err.location;
  const fileRow = batch.startRow + row;
  const line = batch.lines?.[row - 1];
  const location: DataLocation = {
    file,
    ...(line !== undefined ? { line } : {}),
    row: fileRow,
    ...(column !== undefined ? { column } : {}),
  };
  return new DataError(reasonOf(err), location, { cause: err });
}

/** The message of a DataError without its location prefix. */
function reasonOf(err: DataError): string {
  const { file, line, row, column } = err.location;
  const parts: string[] = [];
  if (file !== undefined) parts.push(file);
  if (line !== undefined) parts.push(`line ${line}`);
  if (row !== undefined) parts.push(`row ${row}`);
  if (column !== undefined) parts.push(`column ${column}`);
  const prefix = parts.length > 0 ? `${parts.join(', ')}: ` : '';
  return err.message.startsWith(prefix) ? err.message.slice(prefix.length) : err.message;
}
