import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { gzip as gzipCallback } from 'node:zlib';
import type { ColumnData, Table } from '../../core/table.js';
import { delimiterFor, isGzipped, type FileFormat } from './detect-format.js';
import { encodeParquet } from './parquet/write-parquet.js';

/** What was written: row count, file size and the SHA-256 of the file's bytes. */
export interface WrittenFile {
  rows: number;
  bytes: number;
  sha256: string;
}

/** Parquet settings fixed so that equal tables always produce equal bytes (DuckDB ≥ 1.5; other versions may differ). */
export const PARQUET_WRITE_OPTIONS = `FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 122880`;

const gzip = promisify(gzipCallback);

/**
 * Writes a Table atomically (temp file in the same directory, fsync, rename) as:
 * - `parquet`: byte-deterministic (same table → same bytes in any process; see parquet/write-parquet.ts);
 *   integer → BIGINT, float → DOUBLE, date → DATE, timestamp → TIMESTAMPTZ (UTC);
 * - `csv`: RFC 4180 (CRLF, header row, fields quoted only when needed, null → empty, empty string → `""`),
 *   tab-delimited for `.tsv`, gzip for `.gz`; string cells starting with `=`, `+`, `-`, `@`, tab or CR that
 *   are not numbers get a leading apostrophe so spreadsheets do not run them as formulas (CSV injection);
 * - `json`: one array of objects; `jsonl`: one object per line.
 * Cells must match their column's type (ISO `YYYY-MM-DD` dates, ISO timestamps); a mismatch is a DataError
 * naming the column and row, never the value.
 */
export async function writeTableFile(table: Table, path: string, format: FileFormat): Promise<WrittenFile> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true });
  const tmpPath = join(dir, `.tmp-${randomBytes(6).toString('hex')}-${basename(path)}`);
  try {
    const digest =
      format === 'parquet'
        ? await writeBytesDurably(tmpPath, encodeParquet(table))
        : await writeText(table, tmpPath, format, path).then(async () => {
            await syncFile(tmpPath);
            return digestFile(tmpPath);
          });
    await rename(tmpPath, path);
    return { rows: table.rowCount, ...digest };
  } catch (error) {
    await rm(tmpPath, { force: true });
    throw error;
  }
}

// ------------------------------------------------------------------------------------------------- Text

const TEXT_FLUSH_CHARS = 1 << 20;

async function writeText(
  table: Table,
  tmpPath: string,
  format: Exclude<FileFormat, 'parquet'>,
  finalPath: string,
): Promise<void> {
  const compress = isGzipped(finalPath);
  const handle = await open(tmpPath, 'wx');
  try {
    // Gzip output is built whole (compression needs the stream); plain output is flushed in slices.
    const pieces: Buffer[] = [];
    const emit = async (text: string): Promise<void> => {
      if (compress) pieces.push(Buffer.from(text, 'utf8'));
      else await handle.write(text);
    };
    if (format === 'csv') await emitCsv(table, delimiterFor(finalPath), emit);
    else await emitJson(table, format === 'jsonl', emit);
    if (compress) await handle.write(await gzip(Buffer.concat(pieces), { level: 6 }));
  } finally {
    await handle.close();
  }
}

async function emitCsv(
  table: Table,
  delimiter: string,
  emit: (text: string) => Promise<void>,
): Promise<void> {
  const cols = table.columns;
  let text = cols.map((c) => csvField(c.name, delimiter, false)).join(delimiter) + '\r\n';
  for (let r = 0; r < table.rowCount; r++) {
    for (let j = 0; j < cols.length; j++) {
      if (j > 0) text += delimiter;
      const value = (cols[j] as ColumnData).values[r] ?? null;
      if (value === null) continue;
      text += typeof value === 'string' ? csvField(value, delimiter, true) : String(value);
    }
    text += '\r\n';
    if (text.length >= TEXT_FLUSH_CHARS) {
      await emit(text);
      text = '';
    }
  }
  await emit(text);
}

const NUMERIC_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** One CSV field: formula-neutralised (for cells), and quoted when it holds a delimiter, quote or newline or is empty. */
function csvField(value: string, delimiter: string, isCell: boolean): string {
  let text = value;
  if (isCell && text.length > 0) {
    const first = text.charCodeAt(0);
    // = + - @ TAB CR: spreadsheet formula triggers (OWASP CSV injection); plain numbers like "-12" stay as they are.
    if (
      (first === 0x3d ||
        first === 0x2b ||
        first === 0x2d ||
        first === 0x40 ||
        first === 0x09 ||
        first === 0x0d) &&
      !NUMERIC_TEXT.test(text)
    ) {
      text = `'${text}`;
    }
  }
  if (
    text === '' ||
    text.includes('"') ||
    text.includes(delimiter) ||
    text.includes('\n') ||
    text.includes('\r')
  ) {
    return `"${text.replaceAll('"', '""')}"`;
  }
  return text;
}

async function emitJson(table: Table, lines: boolean, emit: (text: string) => Promise<void>): Promise<void> {
  const cols = table.columns;
  const keys = cols.map((c) => JSON.stringify(c.name));
  let text = lines ? '' : '[';
  for (let r = 0; r < table.rowCount; r++) {
    let row = '{';
    for (let j = 0; j < cols.length; j++) {
      const value = (cols[j] as ColumnData).values[r] ?? null;
      row += `${j > 0 ? ',' : ''}${keys[j] as string}:${JSON.stringify(value) ?? 'null'}`;
    }
    row += '}';
    text += lines ? `${row}\n` : `${r > 0 ? ',' : ''}\n${row}`;
    if (text.length >= TEXT_FLUSH_CHARS) {
      await emit(text);
      text = '';
    }
  }
  if (!lines) text += table.rowCount > 0 ? '\n]\n' : ']\n';
  await emit(text);
}

/** Writes `pieces` to a new file, fsyncs it, and returns its size and SHA-256 (hashed from memory). */
async function writeBytesDurably(
  path: string,
  pieces: Uint8Array[],
): Promise<{ bytes: number; sha256: string }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for (const piece of pieces) {
    hash.update(piece);
    bytes += piece.length;
  }
  const handle = await open(path, 'wx');
  try {
    await handle.writev(pieces);
    await handle.sync();
  } finally {
    await handle.close();
  }
  return { bytes, sha256: hash.digest('hex') };
}

async function syncFile(path: string): Promise<void> {
  const handle = await open(path, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function digestFile(path: string): Promise<{ bytes: number; sha256: string }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of createReadStream(path)) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { bytes, sha256: hash.digest('hex') };
}
