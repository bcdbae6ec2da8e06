/**
 * Column types of a CSV file for a load, inferred from every row (like the pipeline's reader) with strict
 * spellings: a column is integer when every value is an integer within ±2^53 (a longer digit string is an
 * identifier, kept as text), float when every value is a decimal number, boolean for true/false, date for
 * `YYYY-MM-DD`, timestamp for ISO-8601 date-times (and dates), text otherwise. These are spellings that
 * PostgreSQL and MySQL read the same way, so CSV text can go to them as it is.
 */
import { DataError } from '../../core/errors.js';
import { daysInMonth } from '../../core/profile/datetime-parse.js';
import type { PhysicalType, TableSchema } from '../../core/table.js';
import { readCsvRawBatches } from './csv-raw.js';
import type { CsvRows } from './port.js';

const INTEGER = 1;
const FLOAT = 2;
const BOOLEAN = 4;
const DATE = 8;
const TIMESTAMP = 16;
const ANY = INTEGER | FLOAT | BOOLEAN | DATE | TIMESTAMP;

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;
const D0 = 0x30;
const D9 = 0x39;
const PLUS = 0x2b;
const MINUS = 0x2d;
const DOT = 0x2e;
const SAFE_DIGITS = 15;
const TRUE = Buffer.from('true');
const FALSE = Buffer.from('false');
const TIME_PART = /^[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}(:?\d{2})?)?$/i;

function isDigit(c: number): boolean {
  return c >= D0 && c <= D9;
}

/** The types a non-empty field of `buf[start, end)` can have, as a bit set. */
function fieldTypes(buf: Uint8Array, start: number, end: number): number {
  const length = end - start;
  let c = buf[start] as number;
  if (isDigit(c) || c === PLUS || c === MINUS || c === DOT) {
    let p = start;
    if (c === PLUS || c === MINUS) p += 1;
    const intStart = p;
    while (p < end && isDigit(buf[p] as number)) p += 1;
    const intDigits = p - intStart;
    if (p === end && intDigits > 0) {
      // A leading zero before more digits (`00501`, `007`) is a code, not a number: as one it would lose the zeros.
      if (intDigits > 1 && buf[intStart] === D0) return 0;
      // Beyond ±2^53 a digit string is an identifier (a card or account number): JS numbers would drop digits.
      if (intDigits > SAFE_DIGITS && !Number.isSafeInteger(Number(latin1(buf, start, end)))) return 0;
      return INTEGER | FLOAT;
    }
    if (intDigits === 4 && length >= 10 && buf[p] === MINUS) return dateTypes(buf, start, end);
    let fraction = 0;
    if (p < end && buf[p] === DOT) {
      p += 1;
      const f = p;
      while (p < end && isDigit(buf[p] as number)) p += 1;
      fraction = p - f;
    }
    if (intDigits + fraction === 0) return 0;
    if (p < end) {
      c = buf[p] as number;
      if (c !== 0x65 && c !== 0x45) return 0; // e, E
      p += 1;
      if (p < end && (buf[p] === PLUS || buf[p] === MINUS)) p += 1;
      const e = p;
      while (p < end && isDigit(buf[p] as number)) p += 1;
      if (p === e || p !== end) return 0;
    }
    return FLOAT;
  }
  if (isWordIgnoringCase(buf, start, end, TRUE) || isWordIgnoringCase(buf, start, end, FALSE)) return BOOLEAN;
  return 0;
}

/** Whether `buf[start, end)` spells the lower-case ASCII `word` in any case. */
function isWordIgnoringCase(buf: Uint8Array, start: number, end: number, word: Uint8Array): boolean {
  if (end - start !== word.length) return false;
  // ASCII letters differ from their capitals in bit 0x20 only.
  for (let i = 0; i < word.length; i++) if (((buf[start + i] as number) | 0x20) !== word[i]) return false;
  return true;
}

function latin1(buf: Uint8Array, start: number, end: number): string {
  return Buffer.from(buf.buffer, buf.byteOffset + start, end - start).toString('latin1');
}

/** DATE (and TIMESTAMP) for a valid `YYYY-MM-DD`, TIMESTAMP for an ISO date-time, else nothing. */
function dateTypes(buf: Uint8Array, start: number, end: number): number {
  if (
    !isDigit(buf[start + 5] as number) ||
    !isDigit(buf[start + 6] as number) ||
    buf[start + 7] !== MINUS ||
    !isDigit(buf[start + 8] as number) ||
    !isDigit(buf[start + 9] as number)
  )
    return 0;
  const year =
    ((buf[start] as number) - D0) * 1000 +
    ((buf[start + 1] as number) - D0) * 100 +
    ((buf[start + 2] as number) - D0) * 10 +
    ((buf[start + 3] as number) - D0);
  const month = ((buf[start + 5] as number) - D0) * 10 + (buf[start + 6] as number) - D0;
  const day = ((buf[start + 8] as number) - D0) * 10 + (buf[start + 9] as number) - D0;
  // Year 0 does not exist in PostgreSQL's calendar (1 BC is written 0001 BC there).
  if (year === 0 || month < 1 || month > 12 || day < 1) return 0;
  if (day > daysInMonth(year, month)) return 0;
  if (end - start === 10) return DATE | TIMESTAMP;
  return TIME_PART.test(latin1(buf, start + 10, end)) ? TIMESTAMP : 0;
}

function typeOf(mask: number, seen: boolean): PhysicalType {
  if (!seen) return 'string';
  if (mask & INTEGER) return 'integer';
  if (mask & FLOAT) return 'float';
  if (mask & BOOLEAN) return 'boolean';
  if (mask & DATE) return 'date';
  if (mask & TIMESTAMP) return 'timestamp';
  return 'string';
}

/** Where {@link inferCsvSchema} reads. */
export interface InferCsvOptions {
  displayName: string;
  delimiter: ',' | '\t';
  gzip: boolean;
  /** Input buffer size (tests). @default 4 MiB */
  readChunkBytes?: number;
  /** Stops the pass (Ctrl-C during `understudy load`). */
  signal?: AbortSignal;
}

/**
 * Reads the whole file once, field by field in its bytes (no strings per cell), and returns the type of each
 * header column; a column with no values is text. A record with another number of fields than the header is
 * a DataError naming file, line and field; so is a file with no data rows.
 */
export async function inferCsvSchema(
  path: string,
  header: readonly string[],
  opts: InferCsvOptions,
): Promise<TableSchema> {
  const width = header.length;
  const masks = new Array<number>(width).fill(ANY);
  const seen = new Array<boolean>(width).fill(false);
  let rows = 0;
  for await (const batch of readCsvRawBatches(path, {
    ...opts,
    columns: header.map((name) => ({ name, type: 'string' as const })),
    batchSize: 10_000,
  })) {
    classifyBatch(batch.rows, batch.lines, masks, seen, opts.displayName);
    rows += batch.rows.rowCount;
  }
  if (rows === 0) throw new DataError('no data rows: the file has a header only', { file: opts.displayName });
  return {
    columns: header.map((name, j) => ({ name, type: typeOf(masks[j] as number, seen[j] as boolean) })),
  };
}

/** Narrows each column's possible types by the fields of one batch (whose quoting the reader checked). */
function classifyBatch(
  rows: CsvRows,
  lines: readonly number[],
  masks: number[],
  seen: boolean[],
  file: string,
): void {
  const src = rows.bytes;
  const n = src.length;
  const width = masks.length;
  const delimiter = rows.delimiter.charCodeAt(0);
  let p = 0;
  let r = 0;
  while (p < n) {
    const first = src[p];
    if (width > 1 && (first === LF || first === CR)) {
      p += first === CR && src[p + 1] === LF ? 2 : 1;
      continue;
    }
    let column = 0;
    for (;;) {
      let start: number;
      let end: number;
      let quoted = false;
      let escaped = false;
      if (src[p] === QUOTE) {
        quoted = true;
        start = p + 1;
        let q = start;
        for (;;) {
          q = src.indexOf(QUOTE, q);
          if (src[q + 1] === QUOTE) {
            escaped = true;
            q += 2;
            continue;
          }
          break;
        }
        end = q;
        p = q + 1;
      } else {
        start = p;
        while (p < n) {
          const b = src[p];
          if (b === delimiter || b === LF || b === CR) break;
          p += 1;
        }
        end = p;
      }
      if (column < width) {
        const mask = masks[column] as number;
        if (mask !== 0) {
          // An empty unquoted field is NULL; `""` is an empty string, which only text can hold.
          if (start === end) {
            if (quoted) masks[column] = 0;
          } else {
            seen[column] = true;
            masks[column] = escaped ? 0 : mask & fieldTypes(src, start, end);
          }
        }
      }
      column += 1;
      const b = p < n ? src[p] : -1;
      if (b === delimiter) {
        p += 1;
        continue;
      }
      if (b === CR) p += src[p + 1] === LF ? 2 : 1;
      else if (b === LF) p += 1;
      break;
    }
    if (column !== width) {
      throw new DataError(`expected ${width} fields, found ${column}`, {
        file,
        line: lines[r],
        column: Math.min(column, width) + 1,
      });
    }
    r += 1;
  }
}
