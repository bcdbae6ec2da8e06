import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Writable, type Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { parse, type CsvError } from 'csv-parse';
import { DataError } from '../../core/errors.js';
import { createUtf8Guard } from './utf8-guard.js';

/** What a successful validation learned: data rows (header excluded) and header names. */
export interface SourceSummary {
  rows: number;
  columns: string[];
}

/** Options of {@link validateCsvFile}. */
export interface ValidateCsvOptions {
  /** Name used in error messages (e.g. the user's URI). */
  displayName: string;
  /** Field delimiter. @default ',' */
  delimiter?: ',' | '\t';
  /** Whether the file is gzip-compressed. @default false */
  gzip?: boolean;
  /** Stop successfully after this many data rows. @default unlimited */
  maxRows?: number;
}

/** A record longer than this is refused: it is almost always an unterminated quote swallowing the file. */
export const MAX_CSV_RECORD_BYTES = 16 * 1024 * 1024;

class EnoughRows extends Error {}

/**
 * Streams a CSV file once through csv-parse in bounded memory and throws a DataError naming the file,
 * line and field number (1-based) for: invalid UTF-8, NUL bytes, no header, no data rows, empty or
 * duplicate header names, ragged rows and quote errors. csv-parse's own messages quote data, so only
 * its error codes and positions are used. A UTF-8 BOM is skipped; LF, CRLF and CR may be mixed.
 * Blank lines are skipped when the header has several columns (a blank line cannot be a row then).
 */
export async function validateCsvFile(path: string, options: ValidateCsvOptions): Promise<SourceSummary> {
  const file = options.displayName;
  const maxRows = options.maxRows ?? Number.POSITIVE_INFINITY;
  let header: string[] | undefined;
  let rows = 0;
  let nextRecordLine = 1;

  const parser = parse({
    bom: true,
    delimiter: options.delimiter ?? ',',
    quote: '"',
    escape: '"',
    record_delimiter: ['\r\n', '\n', '\r'],
    relax_column_count: true, // counted here instead, to skip blank lines and to word the error our way
    relax_quotes: false,
    skip_empty_lines: false,
    max_record_size: MAX_CSV_RECORD_BYTES,
    on_record: (record: string[], context) => {
      const line = nextRecordLine;
      nextRecordLine = context.lines + 1;
      if (header === undefined) {
        header = checkHeaderNames(record, file, line);
        return null;
      }
      if (record.length !== header.length) {
        if (record.length === 1 && record[0] === '') return null; // a blank line
        throw new DataError(`expected ${header.length} fields, found ${record.length}`, {
          file,
          line: context.lines,
          column: Math.min(record.length, header.length) + 1,
        });
      }
      rows += 1;
      if (rows >= maxRows) throw new EnoughRows();
      // Returning null keeps records out of the stream: nothing downstream needs the values.
      return null;
    },
  });

  const stages: Transform[] = [];
  if (options.gzip) stages.push(createGunzip());
  stages.push(createUtf8Guard(file));
  if ((await stat(path)).size === 0) throw new DataError('file is empty (zero bytes)', { file });
  try {
    await pipeline([
      createReadStream(path),
      ...stages,
      parser,
      new Writable({ objectMode: true, write: (_r, _e, cb) => cb() }),
    ]);
  } catch (error) {
    if (!(error instanceof EnoughRows)) throw translateError(error, file, nextRecordLine);
  }
  if (header === undefined) throw new DataError('file has no header row', { file });
  if (rows === 0)
    throw new DataError('no data rows: the file has a header only, so nothing can be learned from it', {
      file,
    });
  return { rows, columns: header };
}

/**
 * Checks a CSV header: not blank, no empty name, no name twice (case-insensitively, as databases and
 * DuckDB compare them). Errors name the file, line and column. Returns the names.
 */
export function checkHeaderNames(record: string[], file: string, line: number): string[] {
  if (record.length === 1 && record[0] === '') throw new DataError('the header row is blank', { file, line });
  const seen = new Map<string, number>();
  record.forEach((name, i) => {
    if (name.trim() === '')
      throw new DataError(`header of column ${i + 1} is empty`, { file, line, column: i + 1 });
    // Databases and DuckDB compare identifiers case-insensitively, so `ID` and `id` would collide there.
    const key = name.toLowerCase();
    const first = seen.get(key);
    if (first !== undefined) {
      throw new DataError(
        `header of column ${i + 1} (${JSON.stringify(name)}) duplicates column ${first + 1} (names compare case-insensitively)`,
        { file, line, column: i + 1 },
      );
    }
    seen.set(key, i);
  });
  return record;
}

function translateError(error: unknown, file: string, recordLine: number): unknown {
  if (error instanceof DataError) return error;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && code.startsWith('Z_')) {
    return new DataError('not valid gzip data (corrupt or truncated)', { file });
  }
  if (
    typeof code !== 'string' ||
    !(error instanceof Error) ||
    (!code.startsWith('CSV_') && code !== 'INVALID_OPENING_QUOTE')
  ) {
    return error;
  }
  // Never pass csv-parse's message on: it can quote the offending field.
  const csv = error as CsvError & { lines?: number; column?: number | string | null };
  const line = typeof csv.lines === 'number' ? csv.lines : undefined;
  const field = typeof csv.column === 'number' ? csv.column + 1 : undefined;
  switch (code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return new DataError('quoted field is never closed (unterminated quote)', {
        file,
        line: recordLine,
        column: field,
      });
    case 'CSV_INVALID_CLOSING_QUOTE':
      return new DataError(
        'unexpected character after a closing quote (a quote inside a quoted field must be doubled)',
        {
          file,
          line,
          column: field,
        },
      );
    case 'INVALID_OPENING_QUOTE':
      return new DataError(
        'stray quote inside an unquoted field (quote the whole field and double inner quotes)',
        {
          file,
          line,
          column: field,
        },
      );
    case 'CSV_MAX_RECORD_SIZE':
      return new DataError(
        `a record exceeds ${MAX_CSV_RECORD_BYTES / 1024 / 1024} MiB (usually an unterminated quote)`,
        { file, line: recordLine, column: field },
      );
    default:
      return new DataError(`malformed CSV (${code})`, { file, line, column: field });
  }
}
