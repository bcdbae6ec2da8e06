/** Encoding one row for a dialect's writer, shared by COPY, MySQL INSERT and SQLite INSERT. */
import type { CellValue, ColumnData } from '../../core/table.js';
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
