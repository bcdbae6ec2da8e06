/** Key tuples as map keys: one string per tuple, equal for equal keys whatever their storage type. */
import type { CellValue, ColumnData } from '../table.js';

const SEPARATOR = '\u001f';

/**
 * The map key of row `row` over `columns`, or undefined when any part is null (SQL's MATCH SIMPLE:
 * a reference with a null part is not checked). Numbers and strings compare by their text, so an
 * integer parent key 42 matches a child key read from CSV as "42".
 */
export function tupleKey(columns: readonly ColumnData[], row: number): string | undefined {
  if (columns.length === 1) return partKey((columns[0] as ColumnData).values[row] ?? null);
  let out = '';
  for (let i = 0; i < columns.length; i++) {
    const part = partKey((columns[i] as ColumnData).values[row] ?? null);
    if (part === undefined) return undefined;
    out = i === 0 ? part : out + SEPARATOR + part;
  }
  return out;
}

function partKey(value: CellValue): string | undefined {
  if (value === null) return undefined;
  return typeof value === 'string' ? value : String(value);
}
