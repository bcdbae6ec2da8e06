/**
 * Which columns are evaluated and as what (SDMetrics sdtypes), and their values in the forms the
 * metrics read: numbers (NaN for missing; datetimes as epoch milliseconds) or category values.
 */
import { datetimeColumnToMs } from '../synth/datetime-codec.js';
import type { CellValue, ColumnData, Table } from '../table.js';
import { radixSortFloat64 } from './radix-sort.js';
import type { EvaluatedColumn, EvaluationMetadata, EvaluationSdtype } from './types.js';

/** A string column with more distinct values than this (and than half its rows) is free text, not a category. */
const MAX_INFERRED_CATEGORIES = 1000;

/**
 * The sdtype of every real column: from the metadata when given (columns it does not list are
 * left out), otherwise from the physical type — numbers numerical, dates datetime, booleans
 * boolean, strings categorical unless every value is distinct (id) or there are too many distinct
 * values to be categories (other).
 */
export function resolveColumns(real: Table, metadata?: EvaluationMetadata): EvaluatedColumn[] {
  const out: EvaluatedColumn[] = [];
  for (const column of real.columns) {
    if (metadata !== undefined) {
      const meta = Object.hasOwn(metadata.columns, column.name) ? metadata.columns[column.name] : undefined;
      if (meta !== undefined) out.push({ name: column.name, type: column.type, sdtype: meta.sdtype });
      continue;
    }
    out.push({ name: column.name, type: column.type, sdtype: inferSdtype(column) });
  }
  return out;
}

function inferSdtype(column: ColumnData): EvaluationSdtype {
  switch (column.type) {
    case 'integer':
    case 'float':
      return 'numerical';
    case 'date':
    case 'timestamp':
      return 'datetime';
    case 'boolean':
      return 'boolean';
    default: {
      const distinct = new Set<CellValue>();
      let present = 0;
      for (const v of column.values) {
        if (v === null) continue;
        present++;
        distinct.add(v);
      }
      if (present > 1 && distinct.size === present) return 'id';
      if (distinct.size > MAX_INFERRED_CATEGORIES && distinct.size > present / 2) return 'other';
      return 'categorical';
    }
  }
}

/** Whether an sdtype is compared as numbers (KS, correlation, boundaries). */
export function isContinuous(sdtype: EvaluationSdtype): boolean {
  return sdtype === 'numerical' || sdtype === 'datetime';
}

/** Whether an sdtype is compared as categories (TV, contingency, category adherence). */
export function isDiscrete(sdtype: EvaluationSdtype): boolean {
  return sdtype === 'categorical' || sdtype === 'boolean';
}

/**
 * Conversions already made, per values array: every part of the evaluation reads the same columns
 * as numbers, and converting a million cells several times costs more than the metrics. Tables are
 * treated as immutable throughout core/, so a conversion stays valid as long as its array lives.
 */
const numericCache = new WeakMap<
  readonly CellValue[],
  { numerical?: Float64Array; datetime?: Float64Array }
>();
const sortedCache = new WeakMap<Float64Array, Float64Array>();

/** A column's values as numbers: NaN for missing or unparsable, datetimes as epoch ms (cached; do not mutate the result). */
export function numericValues(values: readonly CellValue[], sdtype: EvaluationSdtype): Float64Array {
  const kind = sdtype === 'datetime' ? 'datetime' : 'numerical';
  let entry = numericCache.get(values);
  if (entry === undefined) numericCache.set(values, (entry = {}));
  const cached = entry[kind];
  if (cached !== undefined) return cached;
  const out = kind === 'datetime' ? datetimeColumnToMs(values) : toNumbers(values);
  entry[kind] = out;
  return out;
}

function toNumbers(values: readonly CellValue[]): Float64Array {
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    let x: number;
    if (typeof v === 'number') x = v;
    else if (typeof v === 'boolean') x = v ? 1 : 0;
    else if (typeof v === 'string' && v.trim() !== '') x = Number(v);
    else x = Number.NaN;
    out[i] = Number.isFinite(x) ? x : Number.NaN;
  }
  return out;
}

/** The finite values, sorted ascending (cached per input array; do not mutate the result). */
export function sortedFinite(values: Float64Array): Float64Array {
  const cached = sortedCache.get(values);
  if (cached !== undefined) return cached;
  const sorted = sortFinite(values);
  sortedCache.set(values, sorted);
  return sorted;
}

function sortFinite(values: Float64Array): Float64Array {
  const out = new Float64Array(values.length);
  let k = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (v === v) out[k++] = v;
  }
  return radixSortFloat64(out.subarray(0, k));
}

/** The column of a table by name, or undefined. */
export function columnByName(table: Table, name: string): ColumnData | undefined {
  return table.columns.find((c) => c.name === name);
}

/** NaN (what Python reports as incomputable) as null, for JSON. */
export function finiteOrNull(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}

/** Mean of the values that are not null; null when none. */
export function meanOfPresent(values: readonly (number | null)[]): number | null {
  let sum = 0;
  let n = 0;
  for (const v of values) {
    if (v === null || !Number.isFinite(v)) continue;
    sum += v;
    n++;
  }
  return n === 0 ? null : sum / n;
}

/** `n` evenly spaced row positions of a table with `rowCount` rows (all when it has no more). */
export function evenRows(rowCount: number, n: number): Int32Array {
  if (rowCount <= n) return Int32Array.from({ length: rowCount }, (_, i) => i);
  const step = rowCount / n;
  return Int32Array.from({ length: n }, (_, i) => Math.floor(i * step));
}

/** The rows of a table at the given positions. */
export function pickRows(table: Table, rows: Int32Array): Table {
  if (rows.length === table.rowCount) return table;
  return {
    rowCount: rows.length,
    columns: table.columns.map((c) => ({ ...c, values: Array.from(rows, (r) => c.values[r] ?? null) })),
  };
}
