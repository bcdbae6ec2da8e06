/**
 * Loads a committed bench CSV (plain or gzip) into a Table without DuckDB, so the quality-floor unit
 * test and the bench read the very same cells. Types are inferred the way the product's DuckDB reader
 * infers them for these files: every non-empty cell an integer → integer, a number → float,
 * true/false → boolean, YYYY-MM-DD → date, ISO date-time → timestamp, anything else string.
 * An empty unquoted field is null (the committed copies use it for missing values).
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { parse } from 'csv-parse/sync';
import type { CellValue, ColumnData, PhysicalType, Table } from '../../core/table.js';

const INTEGER = /^[+-]?\d+$/;
const FLOAT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;

/** Reads a CSV file with a header row into a typed Table. */
export function loadCsvTable(path: string): Table {
  const raw = readFileSync(path);
  const text = (path.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8');
  const records = parse(text, { relax_column_count: false, skip_empty_lines: true }) as string[][];
  const [header, ...rows] = records;
  if (header === undefined) return { rowCount: 0, columns: [] };
  const columns: ColumnData[] = header.map((name, j) => {
    const cells = rows.map((r) => r[j] ?? '');
    const type = inferType(cells);
    return { name, type, values: cells.map((c) => convert(c, type)) };
  });
  return { rowCount: rows.length, columns };
}

function inferType(cells: readonly string[]): PhysicalType {
  const present = cells.filter((c) => c !== '');
  if (present.length === 0) return 'string';
  const all = (re: RegExp) => present.every((c) => re.test(c));
  if (all(INTEGER) && present.every((c) => Number.isSafeInteger(Number(c)))) return 'integer';
  if (all(FLOAT)) return 'float';
  if (present.every((c) => c === 'true' || c === 'false')) return 'boolean';
  if (all(DATE) && present.every((c) => !Number.isNaN(Date.parse(c)))) return 'date';
  if (all(TIMESTAMP) && present.every((c) => !Number.isNaN(Date.parse(c)))) return 'timestamp';
  return 'string';
}

function convert(cell: string, type: PhysicalType): CellValue {
  if (cell === '') return null;
  switch (type) {
    case 'integer':
    case 'float':
      return Number(cell);
    case 'boolean':
      return cell === 'true';
    case 'timestamp':
      return new Date(
        /[Zz]|[+-]\d{2}:?\d{2}$/.test(cell) ? cell : `${cell.replace(' ', 'T')}Z`,
      ).toISOString();
    default:
      return cell;
  }
}
