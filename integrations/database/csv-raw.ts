/**
 * CSV batches as the file's own bytes: records are found with native byte searches (quote-aware), checked
 * (UTF-8, NUL, quote placement) and handed out unparsed, so PostgreSQL can take them through COPY … FORMAT
 * csv exactly as `psql \copy` sends a file. Each batch says whether it can go as it is (consistent line
 * endings, no blank lines, no `\.` line) or must be parsed cell by cell (csvRowsToTable).
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { setImmediate as nextMacrotask } from 'node:timers/promises';
import { isUtf8 } from 'node:buffer';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { DataError } from '../../core/errors.js';
import type { PhysicalType, Table } from '../../core/table.js';
import type { CsvRows } from './port.js';
import { MAX_CSV_RECORD_CHARS, nextChunk, tokenizeCsvText } from './csv-source.js';
import { csvBatchToTable } from './csv-types.js';

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;
const BACKSLASH = 0x5c;
const DOT = 0x2e;
const READ_CHUNK_BYTES = 4 * 1024 * 1024;
/**
 * Records scanned between yields to the event loop. The next batch is scanned while the current one is
 * being sent; a scan that ran a whole batch in one go (tens of milliseconds) would keep libuv from writing
 * the rest of the current COPY to the socket, and the database would sit idle waiting for bytes. Measured
 * with bench/db-load.ts on PostgreSQL: 1.7–1.9 s per million rows with the yield, 2.1–2.4 s without.
 */
const RECORDS_PER_YIELD = 1024;

/** Record terminators seen in a batch, as bits. */
const EOL_LF = 1;
const EOL_CRLF = 2;
const EOL_CR = 4;

/** A batch of a CSV file, with where each row starts. */
export interface CsvRawBatch {
  /** 0-based index of the first data row. */
  startRow: number;
  rows: CsvRows;
  /** The 1-based line each row starts on. */
  lines: number[];
}

/**
 * The cells of CSV rows as a table (for targets that cannot take CSV text, and for batches that cannot go
 * as they are); a structural problem is a DataError naming the batch row (1-based) and field.
 */
export function csvRowsToTable(rows: CsvRows, booleansInIntegers = false): Table {
  const text = new TextDecoder('utf-8', { fatal: true }).decode(rows.bytes);
  const parsed = tokenizeCsvText(text, rows.columns.length, rows.delimiter.charCodeAt(0));
  return csvBatchToTable(
    { startRow: 0, rowCount: parsed.rowCount, columns: parsed.columns, lines: parsed.lines },
    { columns: rows.columns.map((c) => ({ name: c.name, type: c.type })) },
    booleansInIntegers,
  );
}

/** Options of {@link readCsvRawBatches}. */
export interface CsvRawOptions {
  displayName: string;
  delimiter: ',' | '\t';
  gzip: boolean;
  columns: readonly { name: string; type: PhysicalType }[];
  batchSize: number;
  /** First data row to hand out; the rows before it are scanned and dropped. @default 0 */
  startRow?: number;
  /** Told the bytes of the file read so far, after each batch. */
  onRead?: (bytesRead: number) => void;
  /** Size of the input buffers (small values exercise records cut by buffer ends). @default 4 MiB */
  readChunkBytes?: number;
  /** Stops the scan (checked every {@link RECORDS_PER_YIELD} records, skipped ones included). */
  signal?: AbortSignal;
}

const Found = { Record: 1, NeedInput: 0, End: -1 } as const;
type Found = (typeof Found)[keyof typeof Found];

/**
 * Finds records in a byte buffer that grows by chunks. `mark` is the first byte still needed (the start
 * of the batch being assembled); moving to another slab drops what lies before it and rebases every
 * position on it.
 */
class RawCsvScanner {
  /** The slab holding the input; `buf` is its filled part. */
  slab: Buffer = Buffer.alloc(0);
  buf: Buffer = Buffer.alloc(0);
  final = false;
  pos = 0;
  mark = 0;
  /** Line of `pos` (1-based). */
  line = 1;
  recordStart = 0;
  recordEnd = 0;
  eolKind = 0;
  recordLine = 1;
  private nextLf = -2;
  private nextCr = -2;
  private nextQuote = -2;

  constructor(
    private readonly delimiter: number,
    private readonly file: string,
  ) {}

  /**
   * Makes room for and reads more input: into the free end of the current slab, or, when that is full,
   * into another slab after the bytes still needed (from `mark`). `inUse(slab)` says whether a slab
   * still holds bytes of a batch handed out and not yet done with.
   */
  async refill(source: ByteSource, slabs: SlabPool): Promise<void> {
    // A scan that asked for input restarts at its record: searches cached past that point are stale.
    this.nextLf = this.nextCr = this.nextQuote = -2;
    if (this.final) return;
    let slab = this.slab;
    let length = this.buf.length;
    if (length === slab.length) {
      const keep = length - this.mark;
      const next = slabs.take(keep);
      slab.copy(next, 0, this.mark, length);
      slab = next;
      length = keep;
      this.pos -= this.mark;
      this.mark = 0;
      if (keep > MAX_CSV_RECORD_CHARS * 3 && this.pos === 0) {
        throw new DataError(
          `a record exceeds ${(MAX_CSV_RECORD_CHARS * 3) / 1024 / 1024} MiB (usually an unterminated quote)`,
          { file: this.file, line: this.line },
        );
      }
    }
    const read = await source.readInto(slab, length, slab.length - length);
    if (read === 0) this.final = true;
    this.slab = slab;
    this.buf = slab.subarray(0, length + read);
  }

  private findLf(from: number): number {
    return this.nextLf === -1 || this.nextLf >= from
      ? this.nextLf
      : (this.nextLf = this.buf.indexOf(LF, from));
  }

  private findCr(from: number): number {
    return this.nextCr === -1 || this.nextCr >= from
      ? this.nextCr
      : (this.nextCr = this.buf.indexOf(CR, from));
  }

  private findQuote(from: number): number {
    return this.nextQuote === -1 || this.nextQuote >= from
      ? this.nextQuote
      : (this.nextQuote = this.buf.indexOf(QUOTE, from));
  }

  /** Finds the record at `pos` and steps past it (and its terminator). */
  scan(): Found {
    const buf = this.buf;
    const n = buf.length;
    const final = this.final;
    const delimiter = this.delimiter;
    const start = this.pos;
    if (start >= n) return final ? Found.End : Found.NeedInput;
    let inner = 0; // line breaks inside quoted fields
    let p = start;
    for (;;) {
      const lf = this.findLf(p);
      const cr = this.findCr(p);
      const eol = lf === -1 ? cr : cr === -1 ? lf : Math.min(lf, cr);
      const q = this.findQuote(p);
      if (q !== -1 && (eol === -1 || q < eol)) {
        if (q !== start && buf[q - 1] !== delimiter) {
          throw new DataError(
            'stray quote inside an unquoted field (quote the whole field and double inner quotes)',
            { file: this.file, line: this.line + inner, column: fieldNumber(buf, start, q, delimiter) },
          );
        }
        let c = q + 1;
        for (;;) {
          c = this.findQuote(c);
          if (c === -1) {
            if (!final) return Found.NeedInput;
            throw new DataError('quoted field is never closed (unterminated quote)', {
              file: this.file,
              line: this.line,
              column: fieldNumber(buf, start, q, delimiter),
            });
          }
          if (c + 1 >= n && !final) return Found.NeedInput;
          if (buf[c + 1] === QUOTE) {
            c += 2;
            continue;
          }
          break;
        }
        if ((lf !== -1 && lf < c) || (cr !== -1 && cr < c)) inner += countLineBreaks(buf, q + 1, c);
        const after = c + 1;
        if (after < n) {
          const b = buf[after];
          if (b !== delimiter && b !== LF && b !== CR) {
            throw new DataError(
              'unexpected character after a closing quote (a quote inside a quoted field must be doubled)',
              { file: this.file, line: this.line + inner, column: fieldNumber(buf, start, q, delimiter) },
            );
          }
        }
        p = after;
        continue;
      }
      let next: number;
      if (eol === -1) {
        if (!final) return Found.NeedInput;
        this.recordEnd = n;
        this.eolKind = 0;
        next = n;
      } else if (eol === cr) {
        if (eol + 1 >= n && !final) return Found.NeedInput;
        this.recordEnd = eol;
        if (buf[eol + 1] === LF) {
          this.eolKind = EOL_CRLF;
          next = eol + 2;
        } else {
          this.eolKind = EOL_CR;
          next = eol + 1;
        }
      } else {
        this.recordEnd = eol;
        this.eolKind = EOL_LF;
        next = eol + 1;
      }
      this.recordStart = start;
      this.recordLine = this.line;
      this.line += inner + (this.eolKind === 0 ? 0 : 1);
      this.pos = next;
      return Found.Record;
    }
  }
}

/** 1-based number of the field of `buf[start..]` that holds position `at`. */
function fieldNumber(buf: Buffer, start: number, at: number, delimiter: number): number {
  let field = 1;
  let quoted = false;
  for (let i = start; i < at; i++) {
    const b = buf[i];
    if (b === QUOTE) quoted = !quoted;
    else if (b === delimiter && !quoted) field += 1;
  }
  return field;
}

function countLineBreaks(buf: Buffer, from: number, to: number): number {
  let lines = 0;
  for (let i = from; i < to; i++) {
    const b = buf[i];
    if (b === LF || (b === CR && buf[i + 1] !== LF)) lines += 1;
  }
  return lines;
}

/** The line of the first row whose bytes are not valid UTF-8. */
function firstBadLine(
  bytes: Buffer,
  starts: readonly number[],
  lines: readonly number[],
): number | undefined {
  for (let i = 0; i < starts.length; i++) {
    const end = i + 1 < starts.length ? (starts[i + 1] as number) : bytes.length;
    if (!isUtf8(bytes.subarray(starts[i], end))) return lines[i];
  }
  return lines[0];
}

/** Where a scanner's bytes come from. */
interface ByteSource {
  /** Reads up to `max` bytes into `target` at `offset`; 0 at the end of the input. */
  readInto(target: Buffer, offset: number, max: number): Promise<number>;
  /** Bytes of the file consumed so far. */
  readonly bytesRead: number;
  close(): Promise<void>;
}

async function openPlainSource(path: string): Promise<ByteSource> {
  const handle = await open(path, 'r');
  let position = 0;
  return {
    async readInto(target, offset, max) {
      if (max === 0) return 0;
      const { bytesRead } = await handle.read(target, offset, max, position);
      position += bytesRead;
      return bytesRead;
    },
    get bytesRead() {
      return position;
    },
    close: () => handle.close(),
  };
}

function openGzipSource(path: string, file: string): ByteSource {
  const raw = createReadStream(path);
  const stream: Readable = raw.pipe(createGunzip());
  raw.on('error', (err) => stream.destroy(err));
  const chunks = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  let pending: Buffer | undefined;
  let done = false;
  return {
    async readInto(target, offset, max) {
      if (max === 0) return 0;
      while (!pending || pending.length === 0) {
        if (done) return 0;
        const result = await nextChunk(chunks, file);
        if (result.done) done = true;
        else pending = result.value;
      }
      const n = pending.copy(target, offset, 0, Math.min(max, pending.length));
      pending = pending.subarray(n);
      return n;
    },
    get bytesRead() {
      return raw.bytesRead;
    },
    close: async () => {
      stream.destroy();
      raw.destroy();
    },
  };
}

/**
 * Reusable input slabs. Batches are views of a slab, so a slab is reused only when no batch that may
 * still be loading lies in it; new, larger ones are made when a batch does not fit. Reusing them keeps
 * megabytes of fresh buffers from being promoted by the garbage collector with every batch (measured:
 * about twenty full collections per million rows, with the loader stalled in each).
 */
class SlabPool {
  private readonly free: Buffer[] = [];
  private readonly busy: { slab: Buffer; lastBatch: number }[] = [];

  constructor(private readonly size: number) {}

  /** A slab with room for `keep` bytes and at least as much again to read into. */
  take(keep: number): Buffer {
    const index = this.free.findIndex((s) => s.length >= keep * 2 && s.length >= this.size);
    if (index !== -1) return this.free.splice(index, 1)[0] as Buffer;
    return Buffer.allocUnsafe(Math.max(this.size, keep * 2));
  }

  /** Records that batch `batch` was handed out from `slab`. */
  used(slab: Buffer, batch: number): void {
    const entry = this.busy.find((b) => b.slab === slab);
    if (entry) entry.lastBatch = batch;
    else this.busy.push({ slab, lastBatch: batch });
  }

  /** Frees the slabs whose batches all come before `batch` (the consumer is done with those). */
  release(before: number, current: Buffer): void {
    for (let i = this.busy.length - 1; i >= 0; i--) {
      const entry = this.busy[i] as { slab: Buffer; lastBatch: number };
      if (entry.lastBatch < before && entry.slab !== current) {
        this.busy.splice(i, 1);
        this.free.push(entry.slab);
      }
    }
  }
}

/**
 * Streams the data rows of a CSV file as byte batches of `batchSize` records (the last may be shorter),
 * skipping the header; blank lines are left out of the count (and the batch parsed) when there are several
 * columns. Ragged rows are reported by whatever parses the batch (the database, or csvRowsToTable).
 * A batch's bytes are a view of a reused buffer: they stay valid until the batch after the next one is
 * requested (so a consumer may load batch k while it reads batch k+1, as loadBatches does).
 */
export async function* readCsvRawBatches(path: string, opts: CsvRawOptions): AsyncGenerator<CsvRawBatch> {
  const file = opts.displayName;
  const startRow = opts.startRow ?? 0;
  const source = opts.gzip ? openGzipSource(path, file) : await openPlainSource(path);
  const slabs = new SlabPool(opts.readChunkBytes ?? READ_CHUNK_BYTES);
  const scanner = new RawCsvScanner(opts.delimiter.charCodeAt(0), file);

  const next = async (): Promise<boolean> => {
    for (;;) {
      const found = scanner.scan();
      if (found === Found.Record) return true;
      if (found === Found.End) return false;
      await scanner.refill(source, slabs);
    }
  };

  try {
    while (scanner.buf.length < 3 && !scanner.final) await scanner.refill(source, slabs);
    const b = scanner.buf;
    if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) scanner.pos = 3;
    // The header record; its names were read (and checked) by openCsvSource.
    scanner.mark = scanner.pos;
    if (!(await next())) return;
    let row = 0;
    let scanned = 0;
    for (let batch = 0; ; batch++) {
      // The consumer asked for this batch, so it is done with all but the one before it (see the contract above).
      slabs.release(batch - 1, scanner.slab);
      scanner.mark = scanner.pos;
      const lines: number[] = [];
      const starts: number[] = []; // relative to the batch start
      let eols = 0;
      let blank = false;
      let dotLine = false;
      let count = 0;
      while (count < opts.batchSize && (await next())) {
        // Skipped records count too: a resume may scan millions of rows before its first batch.
        if (++scanned % RECORDS_PER_YIELD === 0) {
          await nextMacrotask();
          opts.signal?.throwIfAborted();
        }
        const { buf, recordStart, recordEnd } = scanner;
        if (row < startRow) {
          // Counted as batches count them: with several columns a blank line is no row.
          if (recordEnd !== recordStart || opts.columns.length === 1) row += 1;
          scanner.mark = scanner.pos;
          continue;
        }
        if (recordEnd === recordStart) {
          blank = true;
          // With several columns a blank line is no row (parsing skips it); with one it is a NULL.
          if (opts.columns.length > 1) continue;
        } else if (
          recordEnd - recordStart === 2 &&
          buf[recordStart] === BACKSLASH &&
          buf[recordStart + 1] === DOT
        )
          dotLine = true;
        starts.push(recordStart - scanner.mark);
        lines.push(scanner.recordLine);
        eols |= scanner.eolKind;
        row += 1;
        count += 1;
      }
      if (count === 0) return;
      const bytes = scanner.buf.subarray(scanner.mark, scanner.pos);
      const nul = bytes.indexOf(0);
      if (nul !== -1) {
        let i = 0;
        while (i + 1 < starts.length && (starts[i + 1] as number) <= nul) i += 1;
        throw new DataError('file contains a NUL byte', { file, line: lines[i] });
      }
      if (!isUtf8(bytes))
        throw new DataError('not valid UTF-8 text', { file, line: firstBadLine(bytes, starts, lines) });
      // PostgreSQL fixes the line-ending style at a COPY's first line and rejects blank lines in multi-column CSV.
      const copyable = !blank && !dotLine && (eols & EOL_CR) === 0 && eols !== (EOL_LF | EOL_CRLF);
      slabs.used(scanner.slab, batch);
      opts.onRead?.(source.bytesRead);
      yield {
        startRow: row - count,
        lines,
        rows: {
          kind: 'csv',
          columns: opts.columns,
          rowCount: count,
          bytes,
          delimiter: opts.delimiter,
          copyable,
        },
      };
      if (count < opts.batchSize) return;
    }
  } finally {
    await source.close();
  }
}
