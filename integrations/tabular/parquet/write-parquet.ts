/**
 * A small Parquet writer for our own tables: one optional column per source column, one data page per
 * column chunk, PLAIN values or a dictionary for repetitive strings, no compression.
 *
 * Why hand-written: writing synthetic chunks was the slowest step of the synthesize stage. DuckDB's
 * appender crosses into native code once per string cell (≈1 s per 100,000 × 14-string chunk on
 * 2 cores), and the libraries tried were slower still (hyparquet-writer ≈2.5 s, apache-arrow +
 * parquet-wasm ≈7 s for the same chunk; see docs/benchmarks.md). This writer encodes the same chunk in
 * a fraction of that, and DuckDB reads the result like any other Parquet file (the tests read every
 * type back through DuckDB). Output bytes depend only on the table, so equal chunks hash equal.
 */
import { DataError } from '../../../core/errors.js';
import type { CellValue, ColumnData, PhysicalType, Table } from '../../../core/table.js';
import { isoDateToDays, isoTimestampToMs } from '../iso-datetime.js';
import { ByteSink } from './byte-sink.js';
import { CompactWriter } from './thrift-compact.js';

/** Rows per row group, as DuckDB writes by default; our chunks (≤ 100,000 rows) fit in one. */
export const PARQUET_ROW_GROUP_ROWS = 122_880;

const MAGIC = new Uint8Array([0x50, 0x41, 0x52, 0x31]); // "PAR1"

/** Parquet physical types (parquet.thrift `Type`). */
const ParquetType = { Boolean: 0, Int32: 1, Int64: 2, Double: 5, ByteArray: 6 } as const;
/** Parquet encodings (parquet.thrift `Encoding`). */
const Encoding = { Plain: 0, Rle: 3, RleDictionary: 8 } as const;
/** Parquet page types (parquet.thrift `PageType`). */
const PageType = { Data: 0, Dictionary: 2 } as const;
const OPTIONAL = 1;
const UNCOMPRESSED = 0;
/** Converted types (parquet.thrift `ConvertedType`), still read by older readers. */
const ConvertedType = { Utf8: 0, Date: 6, TimestampMillis: 9 } as const;

/** A string column goes through a dictionary when at most this share of its values are distinct. */
const MAX_DICTIONARY_SHARE = 0.5;
/** Largest dictionary (bit width ≤ 16 keeps the index packer within 32-bit arithmetic). */
const MAX_DICTIONARY_ENTRIES = 65_535;
/** Values looked at before deciding whether a dictionary is worth building. */
const DICTIONARY_PROBE = 4096;

/** How one of our physical types is stored. */
interface ColumnLayout {
  parquetType: number;
  convertedType?: number;
  logicalType?: (w: CompactWriter) => void;
}

const LAYOUTS: Record<PhysicalType, ColumnLayout> = {
  integer: { parquetType: ParquetType.Int64 },
  float: { parquetType: ParquetType.Double },
  boolean: { parquetType: ParquetType.Boolean },
  string: {
    parquetType: ParquetType.ByteArray,
    convertedType: ConvertedType.Utf8,
    logicalType: (w) => w.struct(1, () => {}),
  },
  date: {
    parquetType: ParquetType.Int32,
    convertedType: ConvertedType.Date,
    logicalType: (w) => w.struct(6, () => {}),
  },
  timestamp: {
    parquetType: ParquetType.Int64,
    convertedType: ConvertedType.TimestampMillis,
    // TIMESTAMP(isAdjustedToUTC = true, unit = MILLIS): read back as TIMESTAMPTZ.
    logicalType: (w) => w.struct(8, (t) => t.bool(1, true).struct(2, (u) => u.struct(1, () => {}))),
  },
};

/** Where a written column chunk sits in the file, for the footer. */
interface ChunkInfo {
  column: number;
  fileOffset: number;
  dataPageOffset: number;
  dictionaryPageOffset: number | null;
  encodings: number[];
  numValues: number;
  size: number;
}

/**
 * Encodes a table as a Parquet file and returns its bytes as pieces (to write with one `writev`).
 * Cells must match their column's type; a mismatch is a DataError naming the column and row.
 */
export function encodeParquet(table: Table): Uint8Array[] {
  const pieces: Uint8Array[] = [MAGIC];
  let offset = MAGIC.length;
  const rowGroups: { rows: number; chunks: ChunkInfo[] }[] = [];
  // An empty table gets no row group at all, which readers accept as zero rows.
  for (let start = 0; start < table.rowCount; start += PARQUET_ROW_GROUP_ROWS) {
    const rows = Math.min(PARQUET_ROW_GROUP_ROWS, table.rowCount - start);
    const chunks: ChunkInfo[] = [];
    table.columns.forEach((column, index) => {
      const fileOffset = offset;
      let dataPageOffset = offset;
      let dictionaryPageOffset: number | null = null;
      const encoded = encodeColumnChunk(column, start, rows);
      for (const page of encoded.pages) {
        if (page.kind === 'dictionary') dictionaryPageOffset = offset;
        else dataPageOffset = offset;
        pieces.push(page.header, page.body);
        offset += page.header.length + page.body.length;
      }
      chunks.push({
        column: index,
        fileOffset,
        dataPageOffset,
        dictionaryPageOffset,
        encodings: encoded.encodings,
        numValues: rows,
        size: offset - fileOffset,
      });
    });
    rowGroups.push({ rows, chunks });
  }
  const footer = encodeFooter(table, rowGroups);
  const length = new Uint8Array(4);
  new DataView(length.buffer).setUint32(0, footer.length, true);
  pieces.push(footer, length, MAGIC);
  return pieces;
}

interface EncodedPage {
  kind: 'data' | 'dictionary';
  header: Uint8Array;
  body: Uint8Array;
}

function encodeColumnChunk(
  column: ColumnData,
  start: number,
  rows: number,
): { pages: EncodedPage[]; encodings: number[] } {
  const values = column.values;
  const body = new ByteSink(Math.max(64, rows * 2));
  const nonNull = writeDefinitionLevels(body, values, start, rows);
  if (column.type === 'string') {
    const dictionary = buildDictionary(values, start, rows, nonNull);
    if (dictionary !== null) {
      const dictBody = new ByteSink();
      for (const entry of dictionary.entries) dictBody.lengthPrefixedString(entry);
      writeDictionaryIndices(body, dictionary.indices, dictionary.entries.length);
      return {
        pages: [
          page('dictionary', dictBody.bytes(), (w) =>
            w.struct(7, (d) => d.i32(1, dictionary.entries.length).i32(2, Encoding.Plain)),
          ),
          dataPage(body.bytes(), rows, Encoding.RleDictionary),
        ],
        encodings: [Encoding.Plain, Encoding.Rle, Encoding.RleDictionary],
      };
    }
  }
  writePlainValues(body, column, start, rows);
  return { pages: [dataPage(body.bytes(), rows, Encoding.Plain)], encodings: [Encoding.Plain, Encoding.Rle] };
}

function dataPage(body: Uint8Array, rows: number, encoding: number): EncodedPage {
  return page('data', body, (w) =>
    w.struct(5, (d) => d.i32(1, rows).i32(2, encoding).i32(3, Encoding.Rle).i32(4, Encoding.Rle)),
  );
}

function page(kind: EncodedPage['kind'], body: Uint8Array, detail: (w: CompactWriter) => void): EncodedPage {
  const header = new CompactWriter()
    .i32(1, kind === 'data' ? PageType.Data : PageType.Dictionary)
    .i32(2, body.length)
    .i32(3, body.length);
  detail(header);
  header.end();
  // The body is a view of a sink nothing writes to any more: no need to copy it out.
  return { kind, header: header.bytes().slice(), body };
}

/**
 * Definition levels (1 = present, 0 = null) as a length-prefixed RLE/bit-packed hybrid: one RLE run
 * when nothing is null, else bit-packed groups of 8. Returns the number of non-null values.
 */
function writeDefinitionLevels(
  sink: ByteSink,
  values: readonly CellValue[],
  start: number,
  rows: number,
): number {
  let nulls = 0;
  for (let r = start; r < start + rows; r++) if (values[r] === null || values[r] === undefined) nulls++;
  const lengthAt = sink.length;
  sink.u32(0);
  if (nulls === 0 || nulls === rows) {
    sink.varint(rows * 2);
    sink.u8(nulls === 0 ? 1 : 0);
  } else {
    const groups = Math.ceil(rows / 8);
    sink.varint(groups * 2 + 1);
    sink.ensure(groups);
    for (let g = 0; g < groups; g++) {
      let byte = 0;
      const base = start + g * 8;
      const end = Math.min(8, start + rows - base);
      for (let b = 0; b < end; b++) {
        const v = values[base + b];
        if (v !== null && v !== undefined) byte |= 1 << b;
      }
      sink.u8(byte);
    }
  }
  sink.patchU32(lengthAt, sink.length - lengthAt - 4);
  return rows - nulls;
}

/** A dictionary for a repetitive string column, or null when most values are distinct. */
function buildDictionary(
  values: readonly CellValue[],
  start: number,
  rows: number,
  nonNull: number,
): { entries: string[]; indices: Uint16Array } | null {
  if (nonNull === 0) return null;
  const limit = Math.min(MAX_DICTIONARY_ENTRIES, Math.floor(nonNull * MAX_DICTIONARY_SHARE));
  const probeLimit = Math.floor(Math.min(DICTIONARY_PROBE, nonNull) * MAX_DICTIONARY_SHARE);
  const ids = new Map<string, number>();
  const entries: string[] = [];
  const indices = new Uint16Array(nonNull);
  let k = 0;
  for (let r = start; r < start + rows; r++) {
    const v = values[r];
    if (v === null || v === undefined) continue;
    const text = typeof v === 'string' ? v : String(v);
    let id = ids.get(text);
    if (id === undefined) {
      id = entries.length;
      // Give up early on mostly-distinct columns (names, emails): a dictionary would only add work.
      if (id >= limit || (k < DICTIONARY_PROBE && id >= probeLimit && probeLimit > 0)) return null;
      ids.set(text, id);
      entries.push(text);
    }
    indices[k++] = id;
  }
  return { entries, indices };
}

/** Dictionary indices: bit width byte, then one bit-packed run (zero-padded to a multiple of 8). */
function writeDictionaryIndices(sink: ByteSink, indices: Uint16Array, size: number): void {
  const width = Math.max(1, Math.ceil(Math.log2(Math.max(2, size))));
  const groups = Math.ceil(indices.length / 8);
  sink.u8(width);
  if (groups === 0) return;
  sink.varint(groups * 2 + 1);
  sink.ensure(groups * width);
  let acc = 0;
  let bits = 0;
  const padded = groups * 8;
  for (let i = 0; i < padded; i++) {
    acc |= (i < indices.length ? (indices[i] as number) : 0) << bits;
    bits += width;
    while (bits >= 8) {
      sink.u8(acc & 0xff);
      acc >>>= 8;
      bits -= 8;
    }
  }
}

/** Non-null values, PLAIN-encoded for the column's Parquet type, converted and checked per cell. */
function writePlainValues(sink: ByteSink, column: ColumnData, start: number, rows: number): void {
  const values = column.values;
  const end = start + rows;
  switch (column.type) {
    case 'string':
      writePlainStrings(sink, values, start, end);
      return;
    case 'integer':
      for (let r = start; r < end; r++) {
        const v = values[r];
        if (v === null || v === undefined) continue;
        if (typeof v !== 'number' || !Number.isSafeInteger(v))
          throw cellError('an integer (within ±2^53)', column.name, r);
        sink.i64(v);
      }
      return;
    case 'float':
      for (let r = start; r < end; r++) {
        const v = values[r];
        if (v === null || v === undefined) continue;
        if (typeof v !== 'number') throw cellError('a number', column.name, r);
        sink.f64(v);
      }
      return;
    case 'boolean': {
      let byte = 0;
      let bit = 0;
      for (let r = start; r < end; r++) {
        const v = values[r];
        if (v === null || v === undefined) continue;
        if (typeof v !== 'boolean') throw cellError('a boolean', column.name, r);
        if (v) byte |= 1 << bit;
        if (++bit === 8) {
          sink.u8(byte);
          byte = 0;
          bit = 0;
        }
      }
      if (bit > 0) sink.u8(byte);
      return;
    }
    case 'date':
      for (let r = start; r < end; r++) {
        const v = values[r];
        if (v === null || v === undefined) continue;
        const days = typeof v === 'string' ? isoDateToDays(v) : undefined;
        if (days === undefined) throw cellError('an ISO date (YYYY-MM-DD)', column.name, r);
        sink.i32(days);
      }
      return;
    case 'timestamp':
      for (let r = start; r < end; r++) {
        const v = values[r];
        if (v === null || v === undefined) continue;
        const ms = typeof v === 'string' ? isoTimestampToMs(v) : undefined;
        if (ms === undefined)
          throw cellError('an ISO timestamp (YYYY-MM-DDTHH:mm:ss[.sss]Z)', column.name, r);
        sink.i64(ms);
      }
      return;
  }
}

/**
 * Strings are joined and encoded to UTF-8 in one call straight into the page (see
 * ByteSink.asciiLengthPrefixedStrings): much faster than encoding each one, since generated strings
 * are often concatenations that V8 would otherwise flatten one by one. When the column holds
 * non-ASCII text, each string is encoded on its own.
 */
function writePlainStrings(sink: ByteSink, values: readonly CellValue[], start: number, end: number): void {
  // texts[0] = '': the joined text then starts with a length placeholder.
  const texts: string[] = [''];
  for (let r = start; r < end; r++) {
    const v = values[r];
    if (v !== null && v !== undefined) texts.push(typeof v === 'string' ? v : String(v));
  }
  if (texts.length === 1 || sink.asciiLengthPrefixedStrings(texts)) return;
  for (let i = 1; i < texts.length; i++) sink.lengthPrefixedString(texts[i] as string);
}

function cellError(expected: string, column: string, row: number): DataError {
  return new DataError(`value is not ${expected}`, { column, row: row + 1 });
}

function encodeFooter(table: Table, rowGroups: { rows: number; chunks: ChunkInfo[] }[]): Uint8Array {
  const w = new CompactWriter();
  w.i32(1, 1);
  w.structList(2, [null, ...table.columns], (s, column) => {
    if (column === null) {
      s.binary(4, 'schema').i32(5, table.columns.length);
      return;
    }
    const layout = LAYOUTS[column.type];
    s.i32(1, layout.parquetType).i32(3, OPTIONAL).binary(4, column.name);
    if (layout.convertedType !== undefined) s.i32(6, layout.convertedType);
    if (layout.logicalType) s.struct(10, layout.logicalType);
  });
  w.i64(3, table.rowCount);
  w.structList(4, rowGroups, (g, group) => {
    g.structList(1, group.chunks, (c, chunk) => {
      const column = table.columns[chunk.column] as ColumnData;
      c.i64(2, chunk.fileOffset);
      c.struct(3, (m) => {
        m.i32(1, LAYOUTS[column.type].parquetType)
          .i32List(2, chunk.encodings)
          .stringList(3, [column.name])
          .i32(4, UNCOMPRESSED)
          .i64(5, chunk.numValues)
          .i64(6, chunk.size)
          .i64(7, chunk.size)
          .i64(9, chunk.dataPageOffset);
        if (chunk.dictionaryPageOffset !== null) m.i64(11, chunk.dictionaryPageOffset);
      });
    });
    const bytes = group.chunks.reduce((sum, c) => sum + c.size, 0);
    g.i64(2, bytes).i64(3, group.rows);
  });
  w.binary(6, 'understudy');
  w.end();
  return w.bytes().slice();
}
