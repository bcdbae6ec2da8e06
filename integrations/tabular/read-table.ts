import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import type { DuckDBConnection, DuckDBDataChunk } from '@duckdb/node-api';
import { DataError } from '../../core/errors.js';
import type { CellValue, ColumnData, Table } from '../../core/table.js';
import { delimiterFor, isGzipped, type FileFormat } from './detect-format.js';
import { duckDBErrorCategory, openDuckDBConnection, sqlString, withDuckDBConnection } from './duckdb.js';
import {
  appendChunkRows,
  appendChunks,
  valueMapsFor,
  describeRelation,
  physicalTypeOf,
  projectionFor,
  UNSAFE_INTEGER_MARKER,
  type DescribedColumn,
} from './duckdb-columns.js';
import { notParquet } from './parquet-info.js';
import { ensureValidated } from './validate-source.js';

/** Options of {@link readTableFile}. */
export interface ReadTableOptions {
  /** Name used in error messages instead of the local path, e.g. the URI the user gave. @default the path */
  displayName?: string;
  /** Read at most this many rows (from the start of the file). @default all */
  maxRows?: number;
}

/**
 * Reads a CSV, JSON (array of objects), JSON Lines or Parquet file into a columnar Table with DuckDB.
 * Text formats are first validated strictly (skipped when validateSourceFile already passed the same,
 * unchanged file) while DuckDB reads in parallel; DuckDB infers types from every row. Integers become JS
 * numbers (a Parquet integer beyond ±2^53 is a DataError; in text files such a column is read as text,
 * since it is an identifier such as a card number), floats and decimals numbers, dates ISO `YYYY-MM-DD`,
 * timestamps UTC ISO with `Z`, everything else strings. In CSV an empty unquoted field is null, `""` an empty string.
 */
export async function readTableFile(
  path: string,
  format: FileFormat,
  opts: ReadTableOptions = {},
): Promise<Table> {
  const displayName = opts.displayName ?? path;
  if (format === 'parquet') {
    return readRelation({
      relation: `read_parquet(${sqlString(path)})`,
      displayName,
      maxRows: opts.maxRows,
      format,
    });
  }
  let interruptRead = (): void => undefined;
  const validation = ensureValidated(path, format, displayName, opts.maxRows).catch((error: unknown) => {
    interruptRead(); // no point finishing a read whose input is already known to be bad
    throw error;
  });
  // Observe the rejection now: the read below may settle first, and an unobserved rejection crashes Node.
  validation.catch(() => undefined);

  const bomFree = format === 'csv' ? undefined : await copyWithoutBom(path);
  try {
    const asText = new Set<string>();
    let strict = true;
    for (;;) {
      try {
        const relationFor = (textColumns: readonly string[] = []) =>
          bomFree
            ? textRelation(bomFree.path, format, strict, false, delimiterFor(path), textColumns)
            : textRelation(path, format, strict, isGzipped(path), delimiterFor(path), textColumns);
        const table = await readRelation({
          relation: relationFor(),
          relationScanningText: format === 'csv' ? relationFor : undefined,
          displayName,
          maxRows: opts.maxRows,
          format,
          asText,
          exposeInterrupt: (interrupt) => (interruptRead = interrupt),
        });
        await validation;
        return table;
      } catch (error) {
        await validation; // a validation error is the precise one: it wins over whatever DuckDB said
        if (error instanceof UnsafeIntegerColumn) {
          asText.add(error.column);
          continue;
        }
        if (error instanceof DuckDBReadError && format === 'csv' && strict) {
          // The file passed our stricter validation, so DuckDB's strict mode tripped over something it
          // handles less well (mixed newline styles); with the structure known good, relax it.
          strict = false;
          continue;
        }
        if (error instanceof DuckDBReadError) {
          throw new DataError(`could not be read as ${format.toUpperCase()} (${error.category})`, {
            file: displayName,
          });
        }
        throw error;
      }
    }
  } finally {
    if (bomFree) await rm(bomFree.dir, { recursive: true, force: true });
  }
}

/** Options of {@link readParquetBatches}. */
export interface ReadParquetBatchesOptions {
  /** Rows per batch (the last may be shorter). */
  batchSize: number;
  /** First row to read, 0-based; resuming loads pass `nextBatch * batchSize`. @default 0 */
  startRow?: number;
}

/**
 * Streams a Parquet file as consecutive batches of `batchSize` rows from `startRow`, in file order, using a
 * single streaming query: resumable loads restart from any row without re-reading what came before into JS.
 */
export async function* readParquetBatches(
  path: string,
  opts: ReadParquetBatchesOptions,
): AsyncGenerator<{ startRow: number; table: Table }> {
  const { batchSize } = opts;
  const startRow = opts.startRow ?? 0;
  if (!Number.isSafeInteger(batchSize) || batchSize < 1)
    throw new RangeError('batchSize must be a positive integer');
  if (!Number.isSafeInteger(startRow) || startRow < 0)
    throw new RangeError('startRow must be a non-negative integer');
  const relation = `read_parquet(${sqlString(path)})`;
  const connection = await openDuckDBConnection();
  try {
    let described: DescribedColumn[];
    try {
      described = await describeRelation(connection, relation);
    } catch (error) {
      throw notParquet(error, path);
    }
    const sql = `SELECT ${described.map((c, i) => projectionFor(c, i)).join(', ')} FROM ${relation} OFFSET ${startRow}`;
    let result;
    try {
      result = await connection.stream(sql);
    } catch (error) {
      throw translateReadError(error, described, path, 'parquet');
    }
    const maps = valueMapsFor(emptyColumns(described));
    let chunk: DuckDBDataChunk | null = null;
    let offset = 0;
    let next = startRow;
    for (;;) {
      const columns = emptyColumns(described);
      let rows = 0;
      while (rows < batchSize) {
        if (!chunk || offset >= chunk.rowCount) {
          try {
            chunk = await result.fetchChunk();
          } catch (error) {
            throw translateReadError(error, described, path, 'parquet');
          }
          offset = 0;
          if (!chunk || chunk.rowCount === 0) break;
        }
        const take = Math.min(batchSize - rows, chunk.rowCount - offset);
        appendChunkRows(chunk, columns, maps, offset, take, rows);
        offset += take;
        rows += take;
      }
      if (rows === 0) return;
      yield { startRow: next, table: { columns, rowCount: rows } };
      next += rows;
      if (rows < batchSize) return;
    }
  } finally {
    connection.closeSync();
  }
}

class UnsafeIntegerColumn extends Error {
  constructor(readonly column: string) {
    super('unsafe integer column');
  }
}

class DuckDBReadError extends Error {
  constructor(readonly category: string) {
    super(category);
  }
}

interface ReadRelationInput {
  relation: string;
  displayName: string;
  maxRows: number | undefined;
  format: FileFormat;
  /** Columns to read as text: identifiers such as card numbers that DuckDB typed as too-large integers. */
  asText?: ReadonlySet<string>;
  /** The relation again with these columns scanned as VARCHAR (CSV only), for the lossless-number check. */
  relationScanningText?: (columns: readonly string[]) => string;
  exposeInterrupt?: (interrupt: () => void) => void;
}

async function readRelation(input: ReadRelationInput): Promise<Table> {
  const { relation, displayName, maxRows, format, asText, exposeInterrupt, relationScanningText } = input;
  return withDuckDBConnection(async (connection) => {
    exposeInterrupt?.(() => connection.interrupt());
    try {
      let described: DescribedColumn[];
      try {
        described = await describeRelation(connection, relation);
      } catch (error) {
        throw translateReadError(error, [], displayName, format);
      }
      const limit = maxRows === undefined ? '' : ` LIMIT ${Math.max(0, Math.floor(maxRows))}`;
      // DuckDB's CSV sniffer types integers beyond BIGINT as DOUBLE, which would drop digits; scanning those
      // columns as text lets the projection check (and convert) each value itself.
      const doubles = relationScanningText
        ? described.filter((c) => c.duckdbType.toUpperCase() === 'DOUBLE').map((c) => c.name)
        : [];
      const scanned = doubles.length > 0 && relationScanningText ? relationScanningText(doubles) : relation;
      const projection = described.map((c, i) =>
        projectionFor(c, i, asText?.has(c.name), doubles.includes(c.name)),
      );
      const columns = emptyColumns(described, asText);
      try {
        // Parquet knows its row count from the footer: preallocating the column arrays avoids regrowing them.
        const expected = format === 'parquet' ? await countRows(connection, relation, maxRows) : 0;
        const result = await connection.stream(`SELECT ${projection.join(', ')} FROM ${scanned}${limit}`);
        const rowCount = await appendChunks(result, columns, expected);
        return { columns, rowCount };
      } catch (error) {
        throw translateReadError(error, described, displayName, format);
      }
    } finally {
      exposeInterrupt?.(() => undefined);
    }
  });
}

async function countRows(
  connection: DuckDBConnection,
  relation: string,
  maxRows: number | undefined,
): Promise<number> {
  const reader = await connection.runAndReadAll(`SELECT count(*) AS n FROM ${relation}`);
  const n = Number(reader.getRowObjectsJS()[0]?.n ?? 0);
  return maxRows === undefined ? n : Math.min(n, Math.max(0, Math.floor(maxRows)));
}

function translateReadError(
  error: unknown,
  described: DescribedColumn[],
  file: string,
  format: FileFormat,
): Error {
  if (error instanceof DataError || error instanceof UnsafeIntegerColumn || error instanceof DuckDBReadError)
    return error;
  const message = error instanceof Error ? error.message : '';
  const marker = message.indexOf(UNSAFE_INTEGER_MARKER);
  if (marker !== -1) {
    const index = Number.parseInt(message.slice(marker + UNSAFE_INTEGER_MARKER.length), 10);
    const column = described[index]?.name ?? `#${index + 1}`;
    if (format !== 'parquet') return new UnsafeIntegerColumn(column);
    return new DataError(
      `column ${JSON.stringify(column)} holds integers beyond ±2^53, which JavaScript numbers cannot represent exactly`,
      { file, column },
    );
  }
  if (format === 'parquet') return notParquet(error, file);
  return new DuckDBReadError(duckDBErrorCategory(error));
}

function textRelation(
  path: string,
  format: Exclude<FileFormat, 'parquet'>,
  strict: boolean,
  gzip: boolean,
  delimiter: string,
  textColumns: readonly string[] = [],
): string {
  // The two readers spell "no compression" differently.
  const compression = `compression = ${gzip ? `'gzip'` : format === 'csv' ? `'none'` : `'uncompressed'`}`;
  if (format === 'csv') {
    const types =
      textColumns.length === 0
        ? ''
        : `, types = {${textColumns.map((name) => `${sqlString(name)}: 'VARCHAR'`).join(', ')}}`;
    return (
      `read_csv(${sqlString(path)}, header = true, delim = ${sqlString(delimiter)}, quote = '"', escape = '"', ` +
      `strict_mode = ${strict}, null_padding = false, ignore_errors = false, allow_quoted_nulls = false, ` +
      `sample_size = -1, encoding = 'utf-8', ${compression}${types})`
    );
  }
  const layout = format === 'json' ? 'array' : 'newline_delimited';
  return `read_json(${sqlString(path)}, format = '${layout}', records = true, sample_size = -1, ${compression})`;
}

/**
 * DuckDB's JSON reader rejects a byte-order mark, so a file that starts with one is copied (decompressed,
 * for gzip) to a temp directory without it; returns undefined, and copies nothing, for the usual BOM-less file.
 */
async function copyWithoutBom(path: string): Promise<{ dir: string; path: string } | undefined> {
  const gzip = isGzipped(path);
  const head = await readHead(path, gzip, 3);
  if (!(head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf)) return undefined;
  const dir = await mkdtemp(join(tmpdir(), 'understudy-bom-'));
  const out = join(dir, 'source.json');
  let skipped = 0;
  const strip = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      const skip = Math.min(3 - skipped, chunk.length);
      skipped += skip;
      callback(null, skip > 0 ? chunk.subarray(skip) : chunk);
    },
  });
  try {
    await pipeline([
      createReadStream(path),
      ...(gzip ? [createGunzip()] : []),
      strip,
      createWriteStream(out),
    ]);
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  return { dir, path: out };
}

async function readHead(path: string, gzip: boolean, n: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  let have = 0;
  const source = createReadStream(path, gzip ? {} : { start: 0, end: n - 1 });
  const stream = gzip ? source.pipe(createGunzip()) : source;
  try {
    for await (const chunk of stream) {
      parts.push(chunk as Buffer);
      have += (chunk as Buffer).length;
      if (have >= n) break;
    }
  } catch {
    // A corrupt gzip stream is reported by validation with the file name; here it just has no BOM.
  } finally {
    source.destroy();
    stream.destroy();
  }
  return Buffer.concat(parts).subarray(0, n);
}

function emptyColumns(described: DescribedColumn[], asText?: ReadonlySet<string>): ColumnData[] {
  return described.map((c) => ({
    name: c.name,
    type: asText?.has(c.name) ? 'string' : physicalTypeOf(c.duckdbType),
    values: [] as CellValue[],
  }));
}
