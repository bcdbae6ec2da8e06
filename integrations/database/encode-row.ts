/** Encoding one row for a dialect's writer, shared by COPY, MySQL INSERT and SQLite INSERT. */
import type { CellValue, ColumnData, Table } from '../../core/table.js';
import { cellDataError, type ErrorContext } from './errors.js';
import { CellRejected } from './value-encoding.js';

/**
 * Encodes row `r` into `out` (one slot per column). A cell the dialect cannot store becomes a DataError
 * naming the row (1-based) and column, never the value.
 */
export function encodeRow<T>(
  columns: readonly ColumnData[],
  encoders: readonly ((value: CellValue | undefined) => T)[],
  r: number,
  out: T[],
  ctx: ErrorContext,
): void {
  for (let c = 0; c < columns.length; c++) {
    const column = columns[c]!;
    try {
      out[c] = encoders[c]!(column.values[r]);
    } catch (err) {
      if (err instanceof CellRejected) throw cellDataError(ctx, err.message, r + 1, column.name);
      throw err;
    }
  }
}

/** Characters of tab-separated text gathered before a chunk is handed to the socket. */
const CHUNK_CHARS = 256 * 1024;

/**
 * Every row of `rows` as tab-separated lines (the cells already escaped by `encoders`), in chunks of about
 * 256 K characters: PostgreSQL's COPY text format and MySQL's LOAD DATA default format share this shape.
 */
export function* encodeTabSeparatedChunks(
  rows: Table,
  encoders: readonly ((value: CellValue | undefined) => string)[],
  ctx: ErrorContext,
): Generator<string> {
  const columns = rows.columns;
  const fields = new Array<string>(columns.length);
  let lines: string[] = [];
  let size = 0;
  for (let r = 0; r < rows.rowCount; r++) {
    encodeRow(columns, encoders, r, fields, ctx);
    const line = fields.join('\t') + '\n';
    lines.push(line);
    size += line.length;
    if (size >= CHUNK_CHARS) {
      yield lines.join('');
      lines = [];
      size = 0;
    }
  }
  if (lines.length > 0) yield lines.join('');
}
