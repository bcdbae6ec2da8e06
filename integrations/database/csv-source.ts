/**
 * A streaming CSV reader for bulk loads: one pass, bounded memory, fields handed out as the file's own
 * text (no number parsing; the dialect encoders check each cell against its column type). The generic
 * readers (csv-parse for validation, DuckDB for typed reads) cost 4–6× the time PostgreSQL needs to COPY
 * the same file, which a load that should keep pace with `psql \copy` cannot afford.
 *
 * Syntax as the rest of the project reads CSV (integrations/tabular/validate-csv.ts): a header row, `"`
 * quotes with `""` inside, LF, CRLF or a lone CR ending records, a UTF-8 BOM skipped, blank lines skipped
 * when there are several columns, an empty unquoted field is NULL and `""` the empty string. Malformed
 * input is a DataError naming file, line and field number, never the content.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { ConfigError, DataError } from '../../core/errors.js';
import { checkHeaderNames } from '../tabular/validate-csv.js';

/** A record longer than this (in characters) is refused: it is almost always an unterminated quote. */
export const MAX_CSV_RECORD_CHARS = 16 * 1024 * 1024;

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;
const READ_CHUNK_BYTES = 1024 * 1024;

/** Options of {@link openCsvSource}. */
export interface CsvSourceOptions {
  /** Name used in error messages instead of the local path. @default the path */
  displayName?: string;
  /** Field delimiter. @default ',' */
  delimiter?: ',' | '\t';
  /** Whether the file is gzip-compressed. @default false */
  gzip?: boolean;
  /** Bytes per read (small values exercise records cut by chunk ends). @default 1 MiB */
  readChunkBytes?: number;
}

/** Consecutive data rows of a CSV file, column by column, as the file spells them. */
export interface CsvBatch {
  /** 0-based index of the batch's first data row in the file. */
  startRow: number;
  rowCount: number;
  /** One array per header column: the field's text, or null for an empty unquoted field. */
  columns: (string | null)[][];
  /** The 1-based line each row starts on (quoted fields may span lines). */
  lines: number[];
}

/** Per-field view of one record: positions in the tokenizer's text. */
interface RecordView {
  text: string;
  count: number;
  starts: Int32Array;
  ends: Int32Array;
  /** Bit 1: quoted; bit 2: holds doubled quotes. */
  flags: Uint8Array;
  line: number;
}

const Step = { Record: 1, NeedInput: 0, End: -1 } as const;
type Step = (typeof Step)[keyof typeof Step];

const QUOTED = 1;
const ESCAPED = 2;

/**
 * The record scanner: finds field boundaries in the current text without copying anything. Text arrives
 * in pieces; a record cut by the end of a piece is scanned again once the next piece is appended.
 */
class CsvTokenizer implements RecordView {
  text = '';
  count = 0;
  starts = new Int32Array(64);
  ends = new Int32Array(64);
  flags = new Uint8Array(64);
  line = 1;
  private pos = 0;
  private nextLine = 1;
  private final = false;

  constructor(
    private readonly delimiter: number,
    private readonly file: string,
  ) {}

  /** Appends decoded text; `final` says no more will come. */
  push(text: string, final: boolean): void {
    const rest = this.pos < this.text.length ? this.text.slice(this.pos) : '';
    if (rest.length > MAX_CSV_RECORD_CHARS) {
      throw new DataError(
        `a record exceeds ${MAX_CSV_RECORD_CHARS / 1024 / 1024} Mi characters (usually an unterminated quote)`,
        {
          file: this.file,
          line: this.nextLine,
        },
      );
    }
    const nul = text.indexOf('\u0000');
    if (nul !== -1) {
      throw new DataError('file contains a NUL byte', {
        file: this.file,
        line: this.lineAt(rest, text, nul),
      });
    }
    this.text = rest.length > 0 ? rest + text : text;
    this.pos = 0;
    this.final = final;
  }

  /** Scans the next record into the view, or says more input is needed or the input has ended. */
  next(): Step {
    const s = this.text;
    const n = s.length;
    const delimiter = this.delimiter;
    let p = this.pos;
    if (p >= n) return this.final ? Step.End : Step.NeedInput;
    let line = this.nextLine;
    let f = 0;
    for (;;) {
      if (f === this.starts.length) this.grow();
      let c: number;
      if (p < n && s.charCodeAt(p) === QUOTE) {
        const start = p + 1;
        let q = start;
        let flags = QUOTED;
        for (;;) {
          if (q >= n) {
            if (!this.final) return Step.NeedInput;
            throw new DataError('quoted field is never closed (unterminated quote)', {
              file: this.file,
              line: this.nextLine,
              column: f + 1,
            });
          }
          c = s.charCodeAt(q);
          if (c === QUOTE) {
            if (q + 1 >= n && !this.final) return Step.NeedInput;
            if (q + 1 < n && s.charCodeAt(q + 1) === QUOTE) {
              flags |= ESCAPED;
              q += 2;
              continue;
            }
            break;
          }
          if (c === LF) line += 1;
          else if (c === CR && !(q + 1 < n && s.charCodeAt(q + 1) === LF)) {
            if (q + 1 >= n && !this.final) return Step.NeedInput;
            line += 1;
          }
          q += 1;
        }
        this.starts[f] = start;
        this.ends[f] = q;
        this.flags[f] = flags;
        p = q + 1;
        c = p < n ? s.charCodeAt(p) : -1;
        if (c !== delimiter && c !== LF && c !== CR && c !== -1) {
          throw new DataError(
            'unexpected character after a closing quote (a quote inside a quoted field must be doubled)',
            { file: this.file, line, column: f + 1 },
          );
        }
      } else {
        let e = p;
        c = -1;
        while (e < n) {
          c = s.charCodeAt(e);
          if (c === delimiter || c === LF || c === CR) break;
          if (c === QUOTE) {
            throw new DataError(
              'stray quote inside an unquoted field (quote the whole field and double inner quotes)',
              { file: this.file, line, column: f + 1 },
            );
          }
          e += 1;
        }
        if (e >= n) c = -1;
        this.starts[f] = p;
        this.ends[f] = e;
        this.flags[f] = 0;
        p = e;
      }
      f += 1;
      if (c === delimiter) {
        p += 1;
        continue;
      }
      if (c === -1) {
        if (!this.final) return Step.NeedInput;
        break;
      }
      // The record ends at LF, CRLF or a lone CR.
      if (c === CR) {
        if (p + 1 >= n && !this.final) return Step.NeedInput;
        p += p + 1 < n && s.charCodeAt(p + 1) === LF ? 2 : 1;
      } else p += 1;
      line += 1;
      break;
    }
    this.count = f;
    this.line = this.nextLine;
    this.nextLine = line;
    this.pos = p;
    return Step.Record;
  }

  /** Field `i` of the current record as a string, quotes undone. */
  field(i: number): string {
    const value = this.text.slice(this.starts[i], this.ends[i]);
    return (this.flags[i] as number) & ESCAPED ? value.replaceAll('""', '"') : value;
  }

  private grow(): void {
    const size = this.starts.length * 2;
    const starts = new Int32Array(size);
    const ends = new Int32Array(size);
    const flags = new Uint8Array(size);
    starts.set(this.starts);
    ends.set(this.ends);
    flags.set(this.flags);
    this.starts = starts;
    this.ends = ends;
    this.flags = flags;
  }

  /** The line of position `at` of `text`, which follows `rest` (the unscanned text). */
  private lineAt(rest: string, text: string, at: number): number {
    return this.nextLine + countLineBreaks(rest + text.slice(0, at));
  }
}

function countLineBreaks(s: string): number {
  let lines = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === LF || (c === CR && s.charCodeAt(i + 1) !== LF)) lines += 1;
  }
  return lines;
}

/** A CSV file opened for reading: its header, then its data rows in batches or record by record. */
export interface CsvSource {
  /** Column names from the header row. */
  readonly header: readonly string[];
  /** Bytes of the (possibly compressed) file consumed so far, for progress reporting. */
  readonly bytesRead: number;
  /** Size of the file in bytes. */
  readonly totalBytes: number;
  /** The data rows in batches of `batchSize` (the last may be shorter), from `startRow` on. */
  batches(batchSize: number, startRow?: number): AsyncGenerator<CsvBatch>;
  /** Stops reading and releases the file. */
  close(): void;
}

/**
 * Opens a CSV file and reads its header. Each source reads the file once: call `batches` once (or only
 * read the header and close it). A missing file is a ConfigError; an empty file, a blank or duplicate header name (names compare
 * case-insensitively) and a file without data rows are DataErrors.
 */
export async function openCsvSource(path: string, opts: CsvSourceOptions = {}): Promise<CsvSource> {
  const file = opts.displayName ?? path;
  let totalBytes: number;
  try {
    totalBytes = (await stat(path)).size;
  } catch {
    throw new ConfigError(`cannot read ${file}`, 'input');
  }
  if (totalBytes === 0) throw new DataError('file is empty (zero bytes)', { file });
  const raw = createReadStream(path, { highWaterMark: opts.readChunkBytes ?? READ_CHUNK_BYTES });
  const stream: Readable = opts.gzip ? raw.pipe(createGunzip()) : raw;
  if (opts.gzip) raw.on('error', (err) => stream.destroy(err));
  const chunks = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const tokenizer = new CsvTokenizer((opts.delimiter ?? ',').charCodeAt(0), file);
  let ended = false;
  let used = false;

  /** Feeds the next piece of text; false once the input is exhausted. */
  const feed = async (): Promise<boolean> => {
    if (ended) return false;
    const result = await nextChunk(chunks, file);
    let text: string;
    try {
      text = result.done ? decoder.decode() : decoder.decode(result.value, { stream: true });
    } catch {
      throw new DataError('not valid UTF-8 text', { file, line: tokenizer.line });
    }
    ended = result.done === true;
    tokenizer.push(text, ended);
    return true;
  };

  /** Scans the next record, feeding input as needed; false at the end of the file. */
  const nextRecord = async (): Promise<boolean> => {
    for (;;) {
      const step = tokenizer.next();
      if (step === Step.Record) return true;
      if (step === Step.End || !(await feed())) return false;
    }
  };

  const close = (): void => {
    stream.destroy();
    raw.destroy();
  };

  let header: string[];
  try {
    if (!(await nextRecord())) throw new DataError('file has no header row', { file });
    header = readHeader(tokenizer, file);
  } catch (err) {
    close();
    throw err;
  }
  const width = header.length;

  /** Steps to the next data row, skipping blank lines; false at the end of the file. */
  const nextRow = async (): Promise<boolean> => {
    for (;;) {
      if (!(await nextRecord())) return false;
      const count = tokenizer.count;
      if (count === width) return true;
      if (count === 1 && tokenizer.flags[0] === 0 && tokenizer.starts[0] === tokenizer.ends[0]) continue;
      throw new DataError(`expected ${width} fields, found ${count}`, {
        file,
        line: tokenizer.line,
        column: Math.min(count, width) + 1,
      });
    }
  };

  const claim = (): void => {
    if (used) throw new Error('a CsvSource is read once');
    used = true;
  };

  return {
    header,
    get bytesRead() {
      return raw.bytesRead;
    },
    totalBytes,
    close,
    async *batches(batchSize: number, startRow = 0): AsyncGenerator<CsvBatch> {
      claim();
      if (!Number.isSafeInteger(batchSize) || batchSize < 1)
        throw new RangeError('batchSize must be a positive integer');
      try {
        let row = 0;
        for (;;) {
          const columns: (string | null)[][] = Array.from({ length: width }, () => []);
          const lines: number[] = [];
          const first = row;
          let r = 0;
          while (r < batchSize && (await nextRow())) {
            // Rows before startRow (committed by an earlier run) are scanned, not copied out.
            if (row++ < startRow) continue;
            const text = tokenizer.text;
            const { starts, ends, flags } = tokenizer;
            for (let j = 0; j < width; j++) {
              const start = starts[j] as number;
              const end = ends[j] as number;
              const flag = flags[j] as number;
              (columns[j] as (string | null)[])[r] =
                flag === 0
                  ? start === end
                    ? null
                    : text.slice(start, end)
                  : flag & ESCAPED
                    ? text.slice(start, end).replaceAll('""', '"')
                    : text.slice(start, end);
            }
            lines[r] = tokenizer.line;
            r += 1;
          }
          if (r === 0) {
            if (first === 0 && row === 0)
              throw new DataError('no data rows: the file has a header only', { file });
            return;
          }
          yield { startRow: row - r, rowCount: r, columns, lines };
          if (r < batchSize) return;
        }
      } finally {
        close();
      }
    },
  };
}

function readHeader(tokenizer: CsvTokenizer, file: string): string[] {
  const names = Array.from({ length: tokenizer.count }, (_, i) => tokenizer.field(i));
  return checkHeaderNames(names, file, tokenizer.line);
}

/**
 * Parses complete CSV text (records only, no header) of `width` columns into column arrays, skipping blank
 * lines when there are several columns. A record with another number of fields is a DataError naming its
 * row (1-based, within the text) and field.
 */
export function tokenizeCsvText(
  text: string,
  width: number,
  delimiter: number,
): { rowCount: number; columns: (string | null)[][]; lines: number[] } {
  const tokenizer = new CsvTokenizer(delimiter, '');
  tokenizer.push(text, true);
  const columns: (string | null)[][] = Array.from({ length: width }, () => []);
  const lines: number[] = [];
  let r = 0;
  while (tokenizer.next() === Step.Record) {
    const count = tokenizer.count;
    if (count !== width) {
      if (count === 1 && tokenizer.flags[0] === 0 && tokenizer.starts[0] === tokenizer.ends[0]) continue;
      throw new DataError(`expected ${width} fields, found ${count}`, {
        row: r + 1,
        column: Math.min(count, width) + 1,
      });
    }
    for (let j = 0; j < width; j++) {
      const flag = tokenizer.flags[j] as number;
      (columns[j] as (string | null)[])[r] =
        flag === 0 && tokenizer.starts[j] === tokenizer.ends[j] ? null : tokenizer.field(j);
    }
    lines[r] = tokenizer.line;
    r += 1;
  }
  return { rowCount: r, columns, lines };
}

/** The next chunk of a file stream; zlib's errors (a gunzipped file) become a DataError naming the file. */
export async function nextChunk(
  chunks: AsyncIterator<Buffer>,
  file: string,
): Promise<IteratorResult<Buffer>> {
  try {
    return await chunks.next();
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('Z_'))
      throw new DataError('not valid gzip data (corrupt or truncated)', { file });
    throw err;
  }
}
