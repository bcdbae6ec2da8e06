/**
 * Writes a run's synthetic parts, in order, into one output through a sink (local file or S3 object).
 * Parts are read and encoded one at a time and the bytes flow through a stream with backpressure, so
 * memory stays at one part (plus one upload part for S3) whatever the size of the run.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PassThrough, Readable, Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { DataError } from '../../core/errors.js';
import type { TableSchema } from '../../core/table.js';
import { sqlString, withDuckDBConnection } from '../tabular/duckdb.js';
import { PARQUET_WRITE_OPTIONS, readParquetSchema, readTableFile } from '../tabular/index.js';
import type { OutputFormat } from './output-format.js';
import type { OutputSink } from './output-sink.js';
import {
  createCsvEncoder,
  createJsonEncoder,
  createSqlEncoder,
  type SqlEncoderOptions,
  type TextEncoder,
} from './text-encoders.js';
import { createXlsxWriter, type XlsxWriterOptions } from './xlsx-writer.js';

/** The parts to write: how many, and a local Parquet file for each (downloaded first for remote stores). */
export interface PartSource {
  count: number;
  localPath(k: number): Promise<string>;
}

/** Options of {@link writeParts}. */
export interface WritePartsOptions {
  format: OutputFormat;
  /** gzip the output (text formats only). */
  gzip: boolean;
  /** Output columns; read from the first part when absent. */
  schema?: TableSchema;
  /** Prefix cells that spreadsheets would run as formulas (CSV, TSV, Excel). @default true */
  neutralizeFormulas?: boolean;
  /** Required for the `sql` format. */
  sql?: SqlEncoderOptions;
  xlsx?: Omit<XlsxWriterOptions, 'neutralizeFormulas'>;
  /** Directory for the Parquet concatenation's temporary file. @default the OS temp directory */
  scratchDir?: string;
  /** Called after each part is encoded (heartbeat here). */
  onPart?(k: number, rowsSoFar: number): void | Promise<void>;
}

/** What was written: rows, and the size and SHA-256 of the bytes as stored. */
export interface WrittenOutput {
  uri: string;
  rows: number;
  bytes: number;
  sha256: string;
}

/** Encodes every part into the sink and commits it; on any failure the sink is aborted and nothing appears. */
export async function writeParts(
  parts: PartSource,
  sink: OutputSink,
  options: WritePartsOptions,
): Promise<WrittenOutput> {
  const digest = new DigestStream();
  try {
    const schema =
      options.schema ??
      (parts.count > 0 ? await readParquetSchema(await parts.localPath(0)) : { columns: [] });
    let rows: number;
    if (options.format === 'parquet') rows = await writeParquet(parts, sink, digest, options);
    else if (options.format === 'xlsx') rows = await writeXlsx(parts, sink, digest, schema, options);
    else rows = await writeText(parts, sink, digest, schema, options);
    await sink.commit();
    return { uri: sink.uri, rows, bytes: digest.bytes, sha256: digest.hex() };
  } catch (error) {
    await sink.abort(error instanceof Error ? error : new Error(String(error)));
    throw error;
  }
}

async function writeText(
  parts: PartSource,
  sink: OutputSink,
  digest: DigestStream,
  schema: TableSchema,
  options: WritePartsOptions,
): Promise<number> {
  const encoder = textEncoder(schema, sink.uri, options);
  let rows = 0;
  async function* chunks(): AsyncGenerator<Buffer> {
    yield Buffer.from(encoder.head(), 'utf8');
    for (let k = 0; k < parts.count; k++) {
      const table = await readTableFile(await parts.localPath(k), 'parquet', { displayName: `part ${k}` });
      for (const text of encoder.part(table, rows)) yield Buffer.from(text, 'utf8');
      rows += table.rowCount;
      await options.onPart?.(k, rows);
    }
    yield Buffer.from(encoder.tail(), 'utf8');
  }
  const source = Readable.from(chunks(), { objectMode: false });
  if (options.gzip) await pipeline(source, createGzip({ level: 6 }), digest, sink.stream);
  else await pipeline(source, digest, sink.stream);
  return rows;
}

function textEncoder(schema: TableSchema, file: string, options: WritePartsOptions): TextEncoder {
  switch (options.format) {
    case 'csv':
    case 'tsv':
      return createCsvEncoder(schema, file, {
        delimiter: options.format === 'tsv' ? '\t' : ',',
        neutralizeFormulas: options.neutralizeFormulas ?? true,
      });
    case 'json':
    case 'jsonl':
      return createJsonEncoder(schema, file, options.format === 'jsonl');
    case 'sql':
      if (options.sql === undefined) throw new Error('the sql format needs sql options');
      return createSqlEncoder(schema, file, options.sql);
    default:
      throw new Error(`not a text format: ${options.format}`);
  }
}

async function writeXlsx(
  parts: PartSource,
  sink: OutputSink,
  digest: DigestStream,
  schema: TableSchema,
  options: WritePartsOptions,
): Promise<number> {
  const zipped = new PassThrough();
  const flowing = pipeline(zipped, digest, sink.stream);
  // The writer's errors end the pipeline too; the pipeline's own error wins when the sink failed first.
  flowing.catch(() => {});
  let rows = 0;
  try {
    const writer = createXlsxWriter(zipped, schema, sink.uri, {
      ...options.xlsx,
      neutralizeFormulas: options.neutralizeFormulas ?? true,
    });
    for (let k = 0; k < parts.count; k++) {
      const table = await readTableFile(await parts.localPath(k), 'parquet', { displayName: `part ${k}` });
      await writer.writePart(table, rows);
      rows += table.rowCount;
      await options.onPart?.(k, rows);
    }
    await writer.finish();
  } catch (error) {
    zipped.destroy(error instanceof Error ? error : new Error(String(error)));
    await flowing.catch(() => {});
    throw error;
  }
  await flowing;
  return rows;
}

async function writeParquet(
  parts: PartSource,
  sink: OutputSink,
  digest: DigestStream,
  options: WritePartsOptions,
): Promise<number> {
  const paths: string[] = [];
  for (let k = 0; k < parts.count; k++) paths.push(await parts.localPath(k));
  if (paths.length === 0) throw new DataError('there are no parts to write as Parquet', { file: sink.uri });
  const tmp = path.join(options.scratchDir ?? os.tmpdir(), `.tmp-${randomBytes(6).toString('hex')}.parquet`);
  try {
    // DuckDB streams the concatenation; the fixed write options keep it byte-deterministic like every Parquet we write.
    const rows = await withDuckDBConnection(async (conn) => {
      const list = paths.map(sqlString).join(', ');
      await conn.run(
        `COPY (SELECT * FROM read_parquet([${list}])) TO ${sqlString(tmp)} (${PARQUET_WRITE_OPTIONS})`,
      );
      const result = await conn.runAndReadAll(
        `SELECT count(*)::DOUBLE AS n FROM read_parquet(${sqlString(tmp)})`,
      );
      return Number(result.getRowObjects()[0]?.n ?? 0);
    });
    for (let k = 0; k < parts.count; k++) await options.onPart?.(k, rows);
    await pipeline(createReadStream(tmp), digest, sink.stream);
    return rows;
  } finally {
    await rm(tmp, { force: true });
  }
}

/** Passes bytes through while counting them and hashing them with SHA-256. */
class DigestStream extends Transform {
  bytes = 0;
  private readonly hash = createHash('sha256');
  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.hash.update(chunk);
    this.bytes += chunk.length;
    callback(null, chunk);
  }
  hex(): string {
    return this.hash.digest('hex');
  }
}
