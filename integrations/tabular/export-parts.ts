/**
 * Writes synthetic Parquet parts, in order, into one output file. Parts are converted one at a time,
 * so memory stays at one part whatever the total size; the file appears atomically (tmp + rename).
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { sqlIdentifier, sqlString, withDuckDBConnection } from './duckdb.js';
import { PARQUET_WRITE_OPTIONS, readTableFile, writeTableFile, type FileFormat } from './index.js';

/** Result of {@link exportParts}. */
export interface ExportResult {
  rows: number;
  bytes: number;
  sha256: string;
}

/** A column written under another name. */
export interface ExportedColumn {
  from: string;
  to: string;
}

/**
 * Concatenates Parquet parts into `outPath` as CSV, JSON (array), JSONL or Parquet. For Parquet,
 * `columns` picks and renames the columns written (all, as they are, by default).
 */
export async function exportParts(
  partPaths: string[],
  outPath: string,
  format: FileFormat,
  onPart: () => void = () => {},
  columns?: readonly ExportedColumn[],
): Promise<ExportResult> {
  if (columns !== undefined && (format !== 'parquet' || columns.length === 0))
    throw new Error('exportParts: columns are picked only for Parquet output, and at least one');
  await mkdir(path.dirname(outPath), { recursive: true });
  // Random, not the pid: two attempts of one activity can run in the same worker process.
  const tmp = `${outPath}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    const rows =
      format === 'parquet'
        ? await concatParquet(partPaths, tmp, columns)
        : await concatText(partPaths, tmp, format, onPart);
    await rename(tmp, outPath);
    const { bytes, sha256 } = await digest(outPath);
    return { rows, bytes, sha256 };
  } finally {
    await rm(tmp, { force: true });
  }
}

async function concatParquet(
  partPaths: string[],
  tmp: string,
  columns: readonly ExportedColumn[] | undefined,
): Promise<number> {
  // The shared instance and the fixed write options keep the export byte-deterministic, like every Parquet we write.
  return withDuckDBConnection(async (conn) => {
    const list = partPaths.map(sqlString).join(', ');
    const select =
      columns === undefined
        ? '*'
        : columns.map((c) => `${sqlIdentifier(c.from)} AS ${sqlIdentifier(c.to)}`).join(', ');
    await conn.run(
      `COPY (SELECT ${select} FROM read_parquet([${list}])) TO ${sqlString(tmp)} (${PARQUET_WRITE_OPTIONS})`,
    );
    const result = await conn.runAndReadAll(
      `SELECT count(*)::DOUBLE AS n FROM read_parquet(${sqlString(tmp)})`,
    );
    return Number(result.getRowObjects()[0]?.n ?? 0);
  });
}

async function concatText(
  partPaths: string[],
  tmp: string,
  format: Exclude<FileFormat, 'parquet'>,
  onPart: () => void,
): Promise<number> {
  const out = await open(tmp, 'w');
  let rows = 0;
  try {
    if (format === 'json') await out.write('[');
    for (const [k, part] of partPaths.entries()) {
      const table = await readTableFile(part, 'parquet', { displayName: part });
      const partTmp = `${tmp}.part${format === 'csv' ? '.csv' : '.jsonl'}`;
      await writeTableFile(table, partTmp, format === 'csv' ? 'csv' : 'jsonl');
      let text = await readFile(partTmp, 'utf8');
      await rm(partTmp, { force: true });
      if (format === 'csv' && k > 0) text = text.slice(text.indexOf('\n') + 1);
      if (format === 'json') {
        const lines = text.split('\n').filter((l) => l.length > 0);
        text = (rows > 0 && lines.length > 0 ? ',\n' : '\n') + lines.join(',\n');
      }
      await out.write(text);
      rows += table.rowCount;
      onPart();
    }
    if (format === 'json') await out.write('\n]\n');
    await out.sync();
  } finally {
    await out.close();
  }
  return rows;
}

async function digest(file: string): Promise<{ bytes: number; sha256: string }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of createReadStream(file)) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { bytes, sha256: hash.digest('hex') };
}
