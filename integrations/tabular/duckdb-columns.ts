import type { DuckDBConnection, DuckDBDataChunk, DuckDBResult } from '@duckdb/node-api';
import type { CellValue, ColumnData, PhysicalType, TableSchema } from '../../core/table.js';
import { sqlIdentifier } from './duckdb.js';
import { readVectorInto } from './duckdb-vectors.js';

/** A source column as DuckDB describes it. */
export interface DescribedColumn {
  name: string;
  duckdbType: string;
}

/** Marker in the `error()` raised for a 64/128-bit integer beyond ±2^53; followed by the column index. */
export const UNSAFE_INTEGER_MARKER = 'understudy-unsafe-integer:';

const SMALL_INTEGERS = new Set(['TINYINT', 'SMALLINT', 'INTEGER', 'UTINYINT', 'USMALLINT', 'UINTEGER']);
const LARGE_INTEGERS = new Set(['BIGINT', 'UBIGINT', 'HUGEINT', 'UHUGEINT']);
const FLOATS = new Set(['FLOAT', 'DOUBLE']);
const NAIVE_TIMESTAMPS = new Set(['TIMESTAMP', 'TIMESTAMP_S', 'TIMESTAMP_MS', 'TIMESTAMP_NS', 'DATETIME']);
const ISO_TIMESTAMP = `'%Y-%m-%dT%H:%M:%S.%gZ'`;

/** The physical type a DuckDB column type maps to: integers, floats, booleans, dates and timestamps keep theirs, the rest is text. */
export function physicalTypeOf(duckdbType: string): PhysicalType {
  const base = duckdbType.toUpperCase();
  if (SMALL_INTEGERS.has(base) || LARGE_INTEGERS.has(base)) return 'integer';
  if (FLOATS.has(base) || base.startsWith('DECIMAL')) return 'float';
  if (base === 'BOOLEAN') return 'boolean';
  if (base === 'DATE') return 'date';
  if (NAIVE_TIMESTAMPS.has(base) || base === 'TIMESTAMP WITH TIME ZONE') return 'timestamp';
  return 'string';
}

/** The schema of described columns. */
export function schemaFromDescribed(columns: DescribedColumn[]): TableSchema {
  return { columns: columns.map((c) => ({ name: c.name, type: physicalTypeOf(c.duckdbType) })) };
}

/**
 * The SQL expression that turns a column into what the JS side reads cheaply: DOUBLE for every number,
 * BOOLEAN, and VARCHAR for everything else (ISO dates, UTC ISO timestamps with `Z`, JSON for nested values).
 * Integers beyond ±2^53 would silently lose precision as JS numbers, so they raise an error naming the column index.
 * `scannedAsText` marks a column DuckDB typed DOUBLE that the scan reads as VARCHAR (see readTableFile).
 */
export function projectionFor(
  column: DescribedColumn,
  index: number,
  asText = false,
  scannedAsText = false,
): string {
  const c = sqlIdentifier(column.name);
  const base = column.duckdbType.toUpperCase();
  let expr: string;
  if (asText) expr = `CAST(${c} AS VARCHAR)`;
  else if (scannedAsText) {
    // A DOUBLE column of a text file, scanned as its original text: digit strings beyond ±2^53 (20-digit
    // identifiers such as SIM card numbers) would silently lose digits as doubles, so they flag the column.
    expr =
      `CASE WHEN ${c} IS NULL THEN NULL WHEN length(${c}) > 15 AND regexp_full_match(${c}, '[+-]?[0-9]+') ` +
      `AND coalesce(abs(TRY_CAST(${c} AS HUGEINT)) > 9007199254740991, true) ` +
      `THEN error('${UNSAFE_INTEGER_MARKER}${index}') ELSE CAST(${c} AS DOUBLE) END`;
  } else if (SMALL_INTEGERS.has(base) || FLOATS.has(base) || base.startsWith('DECIMAL'))
    expr = `CAST(${c} AS DOUBLE)`;
  else if (LARGE_INTEGERS.has(base)) {
    // NULL must take the first branch: `NULL BETWEEN …` is NULL, which would fall through to error().
    expr = `CASE WHEN ${c} IS NULL OR ${c} BETWEEN -9007199254740991 AND 9007199254740991 THEN CAST(${c} AS DOUBLE) ELSE error('${UNSAFE_INTEGER_MARKER}${index}') END`;
  } else if (base === 'BOOLEAN' || base === 'VARCHAR') expr = c;
  // Dates travel as day numbers (four bytes, no string decoding) and become ISO text through a memo in JS.
  else if (base === 'DATE') expr = `CAST(${c} - DATE '1970-01-01' AS INTEGER)`;
  else if (NAIVE_TIMESTAMPS.has(base)) expr = `strftime(CAST(${c} AS TIMESTAMP), ${ISO_TIMESTAMP})`;
  else if (base === 'TIMESTAMP WITH TIME ZONE') expr = `strftime(timezone('UTC', ${c}), ${ISO_TIMESTAMP})`;
  else if (base === 'JSON') expr = `(${c} ->> '$')`;
  else if (base === 'BLOB') expr = `base64(${c})`;
  else if (/^(STRUCT|MAP|UNION)\(|\[\d*\]$/.test(base)) expr = `CAST(to_json(${c}) AS VARCHAR)`;
  else expr = `CAST(${c} AS VARCHAR)`;
  return `${expr} AS ${c}`;
}

/** Column names and DuckDB types of a relation (a table function call or subquery). */
export async function describeRelation(
  connection: DuckDBConnection,
  relation: string,
): Promise<DescribedColumn[]> {
  const reader = await connection.runAndReadAll(`DESCRIBE SELECT * FROM ${relation}`);
  return reader
    .getRowObjectsJS()
    .map((row) => ({ name: String(row.column_name), duckdbType: String(row.column_type) }));
}

/** Per-column converters of the raw numbers a {@link projectionFor} query yields (day numbers for dates). */
export type ValueMaps = (((value: number) => CellValue) | undefined)[];

/** The value maps for columns of these types. */
export function valueMapsFor(columns: { type: PhysicalType }[]): ValueMaps {
  return columns.map((c) => (c.type === 'date' ? createDaysToIsoDate() : undefined));
}

/**
 * Reads all chunks of a {@link projectionFor} query into column arrays, which may be preallocated to
 * `expectedRows` (saves regrowing arrays of a million cells); returns the row count read.
 */
export async function appendChunks(
  result: DuckDBResult,
  target: ColumnData[],
  expectedRows = 0,
): Promise<number> {
  const maps = valueMapsFor(target);
  if (expectedRows > 0) for (const column of target) column.values = new Array<CellValue>(expectedRows);
  let rows = 0;
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) break;
    appendChunkRows(chunk, target, maps, 0, chunk.rowCount, rows);
    rows += chunk.rowCount;
  }
  for (const column of target) column.values.length = rows;
  return rows;
}

/** Copies rows `[from, from + count)` of one chunk into column arrays from row index `at`. */
export function appendChunkRows(
  chunk: DuckDBDataChunk,
  target: ColumnData[],
  maps: ValueMaps,
  from: number,
  count: number,
  at: number,
): void {
  for (let j = 0; j < target.length; j++) {
    readVectorInto(chunk.getColumnVector(j), count, (target[j] as ColumnData).values, at, maps[j], from);
  }
}

/** A memoised converter from days since 1970-01-01 to `YYYY-MM-DD`: real columns repeat dates heavily. */
export function createDaysToIsoDate(): (days: number) => string {
  const memo = new Map<number, string>();
  return (days) => {
    let text = memo.get(days);
    if (text === undefined) {
      text = isoDateFromDays(days);
      if (memo.size < 1_000_000) memo.set(days, text);
    }
    return text;
  };
}

/** `YYYY-MM-DD` of a day number, years zero-padded to four digits like DuckDB's strftime. */
export function isoDateFromDays(days: number): string {
  const date = new Date(days * 86_400_000);
  const y = date.getUTCFullYear();
  const year = y < 0 ? `-${String(-y).padStart(4, '0')}` : String(y).padStart(4, '0');
  return `${year}-${String(date.getUTCMonth() + 1).padStart(2, '0')}-${String(date.getUTCDate()).padStart(2, '0')}`;
}
