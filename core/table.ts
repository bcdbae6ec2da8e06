/**
 * The in-memory table model shared by every core module: columnar, so that profiling,
 * fitting and sampling walk one typed array per column instead of objects per row.
 */

/** One cell. Dates are ISO strings: `YYYY-MM-DD` for dates, `YYYY-MM-DDTHH:mm:ss.sssZ` for timestamps. */
export type CellValue = string | number | boolean | null;

/** Physical storage type of a column, as read from (and written back to) Parquet/DuckDB. */
export const PhysicalType = {
  Integer: 'integer',
  Float: 'float',
  Boolean: 'boolean',
  String: 'string',
  Date: 'date',
  Timestamp: 'timestamp',
} as const;
/** One of {@link PhysicalType}. */
export type PhysicalType = (typeof PhysicalType)[keyof typeof PhysicalType];

/** A named column with its physical type and one value per row. */
export interface ColumnData {
  name: string;
  type: PhysicalType;
  values: CellValue[];
}

/** A table held column by column; every column has exactly `rowCount` values. */
export interface Table {
  columns: ColumnData[];
  rowCount: number;
}

/** Column names and types without the data: what travels in payloads and artifacts. */
export interface TableSchema {
  columns: { name: string; type: PhysicalType }[];
}

/** The schema of a table. */
export function schemaOf(table: Table): TableSchema {
  return { columns: table.columns.map((c) => ({ name: c.name, type: c.type })) };
}

/** Row `i` of a table as an array of cells, in column order. */
export function rowAt(table: Table, i: number): CellValue[] {
  return table.columns.map((c) => c.values[i] ?? null);
}

/** The first `n` rows (or all, if fewer) as a new table sharing no arrays with the input. */
export function headRows(table: Table, n: number): Table {
  const rowCount = Math.min(n, table.rowCount);
  return {
    rowCount,
    columns: table.columns.map((c) => ({ ...c, values: c.values.slice(0, rowCount) })),
  };
}

/** `n` rows taken at evenly spaced positions (all rows if the table has no more than `n`). */
export function takeEvenly(table: Table, n: number): Table {
  if (table.rowCount <= n) return table;
  const step = table.rowCount / n;
  const idx = Array.from({ length: n }, (_, i) => Math.floor(i * step));
  return {
    rowCount: n,
    columns: table.columns.map((c) => ({ ...c, values: idx.map((i) => c.values[i] ?? null) })),
  };
}

/** The rows of several tables with the same columns, one after the other. */
export function concatTables(tables: Table[]): Table {
  const first = tables[0];
  if (!first) return { rowCount: 0, columns: [] };
  return {
    rowCount: tables.reduce((n, t) => n + t.rowCount, 0),
    columns: first.columns.map((c, j) => ({
      ...c,
      values: tables.flatMap((t) => t.columns[j]?.values ?? []),
    })),
  };
}
