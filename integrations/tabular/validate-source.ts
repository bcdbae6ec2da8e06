import { stat } from 'node:fs/promises';
import { ConfigError, DataError } from '../../core/errors.js';
import { delimiterFor, isGzipped, type FileFormat } from './detect-format.js';
import { validateCsvFile, type SourceSummary } from './validate-csv.js';
import { validateJsonFile } from './validate-json.js';
import { readParquetSchema, countParquetRows } from './parquet-info.js';

/** Options of {@link validateSourceFile}. */
export interface ValidateSourceOptions {
  /** Name used in error messages instead of the local path, e.g. the URI the user gave. @default the path */
  displayName?: string;
}

// Files already validated, keyed by path and format, with the identity of the bytes that passed:
// readTableFile skips its own pass when validateSourceFile has just checked the same, unchanged file.
const validated = new Map<string, { identity: string; summary: SourceSummary }>();
const MAX_REMEMBERED = 64;

/**
 * Checks a source file in one streaming pass, in bounded memory, before anything is learned from it, and
 * throws a DataError naming the file, line and column (never the content) for malformed input: empty
 * files, files without data rows, invalid UTF-8, NUL bytes, duplicate or empty CSV headers, ragged rows,
 * quote errors, JSON syntax errors, JSON that is not an array of objects, JSONL lines that are not objects.
 * Parquet files are checked by reading their footer. A missing file is a ConfigError.
 */
export async function validateSourceFile(
  path: string,
  format: FileFormat,
  opts: ValidateSourceOptions = {},
): Promise<SourceSummary> {
  const displayName = opts.displayName ?? path;
  const identity = await fileIdentity(path, displayName);
  const summary = await runValidation(path, format, displayName);
  remember(`${format}\0${path}`, identity, summary);
  return summary;
}

/** Validates unless the same unchanged file already passed; with `maxRows`, checks only that many rows. */
export async function ensureValidated(
  path: string,
  format: FileFormat,
  displayName: string,
  maxRows?: number,
): Promise<void> {
  const identity = await fileIdentity(path, displayName);
  const key = `${format}\0${path}`;
  if (validated.get(key)?.identity === identity) return;
  const summary = await runValidation(path, format, displayName, maxRows);
  if (maxRows === undefined) remember(key, identity, summary);
}

async function runValidation(
  path: string,
  format: FileFormat,
  displayName: string,
  maxRows?: number,
): Promise<SourceSummary> {
  switch (format) {
    case 'csv':
      return validateCsvFile(path, {
        displayName,
        delimiter: delimiterFor(path),
        gzip: isGzipped(path),
        maxRows,
      });
    case 'json':
    case 'jsonl':
      return validateJsonFile(path, {
        displayName,
        mode: format === 'json' ? 'array' : 'lines',
        gzip: isGzipped(path),
        maxRows,
      });
    case 'parquet': {
      const schema = await readParquetSchema(path, displayName);
      const rows = await countParquetRows(path, displayName);
      if (rows === 0) throw new DataError('no data rows: the Parquet file is empty', { file: displayName });
      return { rows, columns: schema.columns.map((c) => c.name) };
    }
    default:
      throw new ConfigError(`unknown format ${JSON.stringify(format)}`, 'format');
  }
}

async function fileIdentity(path: string, displayName: string): Promise<string> {
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new ConfigError(`${displayName} is not a regular file`, 'source.uri');
    return `${info.dev}:${info.ino}:${info.size}:${info.mtimeMs}`;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new ConfigError(`file not found: ${displayName}`, 'source.uri', { cause: error });
    }
    throw error;
  }
}

function remember(key: string, identity: string, summary: SourceSummary): void {
  validated.delete(key);
  validated.set(key, { identity, summary });
  if (validated.size > MAX_REMEMBERED) validated.delete(validated.keys().next().value as string);
}
