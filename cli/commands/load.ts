/**
 * `understudy load --input FILE --to URL --table NAME [--strategy S] [--key COLS] [--batch-size N]
 * [--load-id ID]`: loads one file into a database table without Temporal, through the same target
 * operations and ledger as the pipeline's distribute stage, so a re-run with the same load id skips the
 * batches already committed. `understudy load --metadata FILE --input-dir DIR --to URL …` loads every
 * table of a relational metadata file the same way, parents before children.
 */
import cliProgress from 'cli-progress';
import { ConfigError } from '../../core/errors.js';
import { LoadStrategy } from '../../integrations/database/index.js';
import {
  createLoadId,
  loadFile,
  type LoadFileResult,
  type LoadProgress,
} from '../../integrations/database/load-file.js';
import { loadTables, type LoadTablesResult } from '../../integrations/database/load-tables.js';
import type { FileFormat } from '../../integrations/tabular/index.js';

/** Options of {@link loadCommand}, as commander parses them. */
export interface LoadCommandOptions {
  /** Single-table mode: the file (with `table`). */
  input?: string;
  to: string;
  /** Single-table mode: the target table. */
  table?: string;
  /** Multi-table mode: the relational metadata JSON (with `inputDir`). */
  metadata?: string;
  /** Multi-table mode: the folder with one file per table. */
  inputDir?: string;
  strategy?: string;
  /** Key columns, comma-separated, possibly given several times. */
  key?: string[];
  batchSize?: number;
  loadId?: string;
  format?: string;
  json?: boolean;
  /** Show the progress bar even when stderr is not a terminal. @default only on a terminal */
  progress?: boolean;
}

/** How the command's options are named on the command line, for errors raised below it. */
const OPTION_NAMES: Readonly<Record<string, string>> = {
  batchSize: '--batch-size',
  loadId: '--load-id',
  key: '--key',
  strategy: '--strategy',
  format: '--format',
  table: '--table',
  url: '--to',
  input: '--input',
  metadata: '--metadata',
  inputDir: '--input-dir',
};

/**
 * Runs the command: prints what was loaded and skipped, and rows/s; Ctrl-C stops between batches. With
 * `metadata` and `inputDir` it loads every table of the metadata (see {@link loadTables}).
 */
export async function loadCommand(opts: LoadCommandOptions): Promise<LoadFileResult | LoadTablesResult> {
  const strategy = opts.strategy ?? LoadStrategy.Append;
  if (!(Object.values(LoadStrategy) as string[]).includes(strategy))
    throw new ConfigError(`expected one of ${Object.values(LoadStrategy).join(', ')}`, '--strategy');
  const single = opts.input !== undefined || opts.table !== undefined;
  const multi = opts.metadata !== undefined || opts.inputDir !== undefined;
  if (single && multi)
    throw new ConfigError(
      'load one file with --input and --table, or every table of --metadata from --input-dir, not both',
      opts.metadata !== undefined ? '--metadata' : '--input-dir',
    );
  if (multi) {
    if (opts.metadata === undefined) throw new ConfigError('is required with --input-dir', '--metadata');
    if (opts.inputDir === undefined) throw new ConfigError('is required with --metadata', '--input-dir');
    if (opts.key !== undefined)
      throw new ConfigError(
        'is not used with --metadata: each table is keyed by its primaryKey there',
        '--key',
      );
    return loadSetCommand(
      { ...opts, metadata: opts.metadata, inputDir: opts.inputDir },
      strategy as LoadStrategy,
    );
  }
  if (opts.input === undefined)
    throw new ConfigError('is required (or --metadata and --input-dir to load several tables)', '--input');
  if (opts.table === undefined) throw new ConfigError('is required with --input', '--table');
  const input = opts.input;
  const table = opts.table;
  const key = (opts.key ?? []).flatMap((k) => k.split(',')).map((k) => k.trim());
  if (key.some((k) => k.length === 0)) throw new ConfigError('names an empty column', '--key');
  const loadId = opts.loadId ?? createLoadId();
  const showBar = opts.progress ?? (process.stderr.isTTY === true && !opts.json);
  const bar = showBar ? createBar() : undefined;
  let progress: LoadProgress = { loadedRows: 0, skippedRows: 0, phase: 'inspecting' };
  const result = await runResumable(
    loadId,
    () => progress.loadedRows,
    () => bar?.stop(),
    (signal) =>
      loadFile({
        input,
        url: opts.to,
        table,
        strategy: strategy as LoadStrategy,
        ...(key.length > 0 ? { key } : {}),
        ...(opts.batchSize !== undefined ? { batchSize: opts.batchSize } : {}),
        loadId,
        ...(opts.format !== undefined ? { format: opts.format as FileFormat } : {}),
        signal,
        onProgress: (p) => {
          progress = p;
          bar?.update(p);
        },
      }),
  );
  bar?.stop();
  printResult(result, opts.json === true);
  return result;
}

/** The multi-table mode: every table of the metadata, parents first, under one load id. */
async function loadSetCommand(
  opts: LoadCommandOptions & { metadata: string; inputDir: string },
  strategy: LoadStrategy,
): Promise<LoadTablesResult> {
  const loadId = opts.loadId ?? createLoadId();
  const showBar = opts.progress ?? (process.stderr.isTTY === true && !opts.json);
  let bar: ReturnType<typeof createBar> | undefined;
  let barTable: string | undefined;
  let loadedRows = 0;
  let tableRows = 0;
  const result = await runResumable(
    loadId,
    () => loadedRows + tableRows,
    () => bar?.stop(),
    (signal) =>
      loadTables({
        metadata: opts.metadata,
        inputDir: opts.inputDir,
        url: opts.to,
        strategy,
        ...(opts.batchSize !== undefined ? { batchSize: opts.batchSize } : {}),
        loadId,
        ...(opts.format !== undefined ? { format: opts.format as FileFormat } : {}),
        signal,
        onProgress: (p) => {
          tableRows = p.loadedRows;
          if (!showBar) return;
          if (barTable !== p.table) {
            // One bar per table, labelled with it: the tables differ in size and format.
            bar?.stop();
            bar = createBar(`${p.table} (${p.index + 1}/${p.tables})`);
            barTable = p.table;
          }
          bar?.update(p);
        },
        onTable: (t) => {
          loadedRows += t.loadedRows;
          tableRows = 0;
        },
      }),
  );
  bar?.stop();
  printSetResult(result, opts.json === true);
  return result;
}

/**
 * Runs a load with Ctrl-C wired to its abort signal. When it fails, stops the progress bars and says how
 * many rows were committed and how to resume (exit code 130 after Ctrl-C).
 */
async function runResumable<T>(
  loadId: string,
  committedRows: () => number,
  stopBars: () => void,
  load: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const abort = new AbortController();
  const onSigint = (): void => abort.abort();
  process.once('SIGINT', onSigint);
  try {
    return await load(abort.signal);
  } catch (err) {
    stopBars();
    const resume = `run the same command with --load-id ${loadId} to resume`;
    const committed = committedRows();
    if (abort.signal.aborted) {
      console.error(`understudy: interrupted after ${committed} rows; committed batches are kept; ${resume}`);
      process.exitCode = 130;
    } else if (committed > 0) {
      console.error(`understudy: ${committed} rows were committed before the error; ${resume}`);
    }
    throw renamed(err);
  } finally {
    process.off('SIGINT', onSigint);
  }
}

function printSetResult(r: LoadTablesResult, json: boolean): void {
  if (json) {
    console.log(JSON.stringify(r, null, 2));
    return;
  }
  for (const t of r.tables)
    console.log(
      `${t.table}: loaded ${t.loadedRows.toLocaleString('en')} rows, skipped ${t.skippedRows.toLocaleString('en')} rows` +
        ` (${t.skippedBatches} of ${t.batches} batches committed by an earlier run)${t.createdTable ? ' (table created)' : ''}`,
    );
  const rate = r.seconds > 0 ? Math.round(r.loadedRows / r.seconds) : 0;
  console.log(
    `total: loaded ${r.loadedRows.toLocaleString('en')} rows into ${r.tables.length} tables at ${r.target}` +
      `${r.cleared ? ' (emptied first)' : ''} in ${r.seconds.toFixed(2)} s: ${rate.toLocaleString('en')} rows/s` +
      `; skipped ${r.skippedRows.toLocaleString('en')} rows`,
  );
  console.log(`load id ${r.loadId} (run again with --load-id to resume or re-check)`);
}

function createBar(label?: string): { update(p: LoadProgress): void; stop(): void } {
  const bar = new cliProgress.SingleBar(
    {
      format: `${label !== undefined ? ' {label}' : ''} {phase} [{bar}] {percentage}% | {rows} rows | {rate} rows/s`,
      stream: process.stderr,
      hideCursor: true,
      clearOnComplete: true,
      etaBuffer: 20,
    },
    cliProgress.Presets.shades_classic,
  );
  const started = performance.now();
  let running = false;
  return {
    update(p) {
      // CSV progress is measured in bytes read; the other formats know their row count up front.
      const total = p.totalBytes ?? p.totalRows ?? 1;
      const value = p.totalBytes !== undefined ? (p.bytesRead ?? 0) : p.loadedRows + p.skippedRows;
      const rows = p.loadedRows + p.skippedRows;
      const seconds = (performance.now() - started) / 1000;
      const payload = {
        label,
        phase: p.phase === 'inspecting' ? 'reading column types' : 'loading',
        rows: rows.toLocaleString('en'),
        rate: seconds > 0 ? Math.round(p.loadedRows / seconds).toLocaleString('en') : '0',
      };
      if (!running) {
        bar.start(total, value, payload);
        running = true;
      } else {
        bar.setTotal(total);
        bar.update(value, payload);
      }
    },
    stop() {
      if (running) bar.stop();
      running = false;
    },
  };
}

function printResult(r: LoadFileResult, json: boolean): void {
  if (json) {
    console.log(JSON.stringify(r, null, 2));
    return;
  }
  const rate = r.loadSeconds > 0 ? Math.round(r.loadedRows / r.loadSeconds) : 0;
  console.log(
    `loaded ${r.loadedRows.toLocaleString('en')} rows into table ${JSON.stringify(r.table)} at ${r.target}` +
      `${r.createdTable ? ' (table created)' : ''} in ${r.seconds.toFixed(2)} s: ${rate.toLocaleString('en')} rows/s`,
  );
  console.log(
    `skipped ${r.skippedRows.toLocaleString('en')} rows (${r.skippedBatches} of ${r.batches} batches committed by an earlier run)`,
  );
  console.log(
    `load id ${r.loadId} (batches of ${r.batchSize} rows; run again with --load-id to resume or re-check)`,
  );
}

/** A ConfigError about a loadFile option, restated with the command-line option's name. */
function renamed(err: unknown): unknown {
  if (!(err instanceof ConfigError) || err.field === undefined) return err;
  const option = OPTION_NAMES[err.field];
  if (option === undefined) return err;
  const message = err.message.startsWith(`${err.field}: `)
    ? err.message.slice(err.field.length + 2)
    : err.message;
  return new ConfigError(message, option, { cause: err });
}
