/**
 * Tables encoded for Gower distance: numeric and date columns as values scaled by the range of the
 * real data (so each contributes |a − b| ∈ [0, 1]; synthetic values beyond the real range are
 * clamped to it), every other column as category codes (contributing 0 when equal, 1 otherwise).
 * A null equals a null and differs from any value by 1. The distance of two rows is the mean
 * contribution over the columns.
 */
import { parseDatetimeMs } from '../synth/datetime-codec.js';
import type { CellValue, ColumnData, PhysicalType, Table } from '../table.js';

/** How the columns are compared, shared by every table encoded for one comparison. */
export interface GowerLayout {
  /** Column names, numeric ones first, then categorical ones. */
  numeric: string[];
  categorical: string[];
  /** Per numeric column: minimum and range of the real data (range 0 when constant or empty). */
  min: Float64Array;
  range: Float64Array;
  /** Per categorical column: code of each value (null has code 0). */
  dictionaries: Map<string, number>[];
}

/** One table in a layout: row-major numbers (NaN for null) and category codes. */
export interface GowerRows {
  rowCount: number;
  /** rowCount × numeric.length, scaled into [0, 1]. */
  numbers: Float64Array;
  /** rowCount × categorical.length. */
  codes: Int32Array;
}

const NUMERIC_TYPES: ReadonlySet<PhysicalType> = new Set(['integer', 'float', 'date', 'timestamp']);
const NULL_CODE = 0;

function numberOf(v: CellValue | undefined, type: PhysicalType): number {
  if (v === null || v === undefined) return Number.NaN;
  if (type === 'date' || type === 'timestamp') return parseDatetimeMs(v);
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  return v.trim() === '' ? Number.NaN : Number(v);
}

function categoryKey(v: CellValue | undefined): string | undefined {
  if (v === null || v === undefined) return undefined;
  // Type-tagged so that 1 and "1" stay different categories.
  return typeof v === 'string' ? `s${v}` : typeof v === 'number' ? `n${v}` : `b${v}`;
}

function columnOf(table: Table, name: string): ColumnData {
  const c = table.columns.find((x) => x.name === name);
  if (c === undefined) throw new RangeError(`column ${name} is missing from a table`);
  return c;
}

/**
 * The layout for comparing tables on `columns`: numeric/date columns (by the first real table's
 * physical types) scaled by the range over the `real` tables.
 */
export function createGowerLayout(real: readonly Table[], columns: readonly string[]): GowerLayout {
  const first = real[0];
  if (first === undefined) throw new RangeError('needs at least one real table');
  const numeric = columns.filter((name) => NUMERIC_TYPES.has(columnOf(first, name).type));
  const categorical = columns.filter((name) => !NUMERIC_TYPES.has(columnOf(first, name).type));
  const min = new Float64Array(numeric.length);
  const range = new Float64Array(numeric.length);
  numeric.forEach((name, j) => {
    let lo = Number.POSITIVE_INFINITY;
    let hi = Number.NEGATIVE_INFINITY;
    for (const t of real) {
      const c = columnOf(t, name);
      for (const v of c.values) {
        const x = numberOf(v, c.type);
        if (x < lo) lo = x;
        if (x > hi) hi = x;
      }
    }
    min[j] = Number.isFinite(lo) ? lo : 0;
    range[j] = Number.isFinite(lo) && Number.isFinite(hi) ? hi - lo : 0;
  });
  return { numeric, categorical, min, range, dictionaries: categorical.map(() => new Map()) };
}

/** Encodes a table in a layout; categories first seen here get new codes (they match nothing real). */
export function encodeGowerRows(table: Table, layout: GowerLayout): GowerRows {
  const n = table.rowCount;
  const m = layout.numeric.length;
  const k = layout.categorical.length;
  const numbers = new Float64Array(n * m);
  const codes = new Int32Array(n * k);
  layout.numeric.forEach((name, j) => {
    const c = columnOf(table, name);
    const lo = layout.min[j] as number;
    const range = layout.range[j] as number;
    for (let i = 0; i < n; i++) {
      const x = numberOf(c.values[i], c.type);
      let scaled: number;
      if (Number.isNaN(x)) scaled = Number.NaN;
      else if (range > 0) scaled = Math.min(1, Math.max(0, (x - lo) / range));
      // A constant real column: its value maps to 0, anything else to the far end.
      else scaled = x === lo ? 0 : 1;
      numbers[i * m + j] = scaled;
    }
  });
  layout.categorical.forEach((name, j) => {
    const c = columnOf(table, name);
    const dict = layout.dictionaries[j] as Map<string, number>;
    for (let i = 0; i < n; i++) {
      const key = categoryKey(c.values[i]);
      let code = NULL_CODE;
      if (key !== undefined) {
        const known = dict.get(key);
        if (known === undefined) {
          code = dict.size + 1;
          dict.set(key, code);
        } else code = known;
      }
      codes[i * k + j] = code;
    }
  });
  return { rowCount: n, numbers, codes };
}

/** The Gower distance of row i of `a` and row j of `b` (mean contribution over all columns). */
export function gowerDistance(a: GowerRows, i: number, b: GowerRows, j: number, layout: GowerLayout): number {
  const m = layout.numeric.length;
  const k = layout.categorical.length;
  if (m + k === 0) return 0;
  let sum = 0;
  for (let c = 0; c < m; c++)
    sum += numericContribution(a.numbers[i * m + c] as number, b.numbers[j * m + c] as number);
  for (let c = 0; c < k; c++) if (a.codes[i * k + c] !== b.codes[j * k + c]) sum += 1;
  return sum / (m + k);
}

/** |a − b| for scaled values; a null against a null is 0, against a value 1. */
export function numericContribution(a: number, b: number): number {
  if (a === a && b === b) return Math.abs(a - b);
  return a !== a && b !== b ? 0 : 1;
}
