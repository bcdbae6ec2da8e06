/**
 * SDMetrics' single-table DiagnosticReport: Data Validity (BoundaryAdherence for numerical and
 * datetime columns, CategoryAdherence for categorical and boolean ones, KeyUniqueness for the
 * primary key) and Data Structure (TableStructure), the report score the mean of the two.
 */
import type { CellValue, ColumnData, Table } from '../table.js';
import { columnByName, isContinuous, isDiscrete, meanOfPresent, numericValues } from './columns.js';
import { categoryCounts } from './statistics.js';
import type { DiagnosticResult, EvaluatedColumn, EvaluationSdtype, ValidityDetail } from './types.js';

/**
 * sdmetrics BoundaryAdherence: share of synthetic values inside the real [min, max]; a missing
 * synthetic value is valid when the real column has missing values and is left out, else it counts
 * as invalid. NaN when nothing is left to check or the real column has no values.
 */
export function boundaryAdherence(real: Float64Array, synthetic: Float64Array): number {
  let min = Infinity;
  let max = -Infinity;
  let realNulls = false;
  for (let i = 0; i < real.length; i++) {
    const v = real[i] as number;
    if (v !== v) {
      realNulls = true;
      continue;
    }
    if (v < min) min = v;
    if (v > max) max = v;
  }
  let valid = 0;
  let checked = 0;
  for (let i = 0; i < synthetic.length; i++) {
    const v = synthetic[i] as number;
    if (v !== v) {
      if (!realNulls) checked++;
      continue;
    }
    checked++;
    if (v >= min && v <= max) valid++;
  }
  return checked === 0 ? Number.NaN : valid / checked;
}

/**
 * sdmetrics CategoryAdherence: share of synthetic rows whose value is a real category, a missing
 * value valid when the real column has missing values; NaN for an empty synthetic column.
 */
export function categoryAdherence(real: readonly CellValue[], synthetic: readonly CellValue[]): number {
  const categories = categoryCounts(real);
  let present = 0;
  for (const n of categories.values()) present += n;
  const realNulls = present < real.length;
  if (synthetic.length === 0) return Number.NaN;
  let valid = 0;
  for (const v of synthetic) {
    if (isMissing(v)) {
      if (realNulls) valid++;
    } else if (categories.has(v)) valid++;
  }
  return valid / synthetic.length;
}

/**
 * sdmetrics KeyUniqueness: 1 − share of synthetic rows whose key repeats an earlier row's or is
 * missing in every key column; NaN for an empty table.
 */
export function keyUniqueness(synthetic: readonly ColumnData[], rowCount: number): number {
  if (rowCount === 0) return Number.NaN;
  const only = synthetic.length === 1 ? synthetic[0] : undefined;
  if (only !== undefined) {
    // One column: its values are the keys (a Set tells 1 from "1" by itself).
    const values = new Set<CellValue>();
    let repeated = 0;
    for (let r = 0; r < rowCount; r++) {
      const v = only.values[r] ?? null;
      if (isMissing(v) || values.has(v)) repeated++;
      else values.add(v);
    }
    return 1 - repeated / rowCount;
  }
  const seen = new Set<string>();
  let bad = 0;
  for (let r = 0; r < rowCount; r++) {
    let allNull = true;
    let key = '';
    for (const c of synthetic) {
      const v = c.values[r] ?? null;
      if (!isMissing(v)) allNull = false;
      // Type-tagged with a separator no tag starts with, so (1,"1") and tuples never collide.
      key += `\u0000${typeof v === 'string' ? 's' : typeof v === 'number' ? 'n' : typeof v === 'boolean' ? 'b' : 'z'}${String(v)}`;
    }
    if (allNull || seen.has(key)) bad++;
    seen.add(key);
  }
  return 1 - bad / rowCount;
}

/**
 * The pandas dtype a column of this physical type would have when read by pandas (integers with
 * missing values become float64, booleans with missing values object), for TableStructure.
 */
export function pandasDtype(column: ColumnData): string {
  const hasNull = column.values.some((v) => v === null);
  switch (column.type) {
    case 'integer':
      return hasNull ? 'float64' : 'int64';
    case 'float':
      return 'float64';
    case 'boolean':
      return hasNull ? 'object' : 'bool';
    case 'date':
    case 'timestamp':
      return 'datetime64[ns]';
    default:
      return 'object';
  }
}

/** sdmetrics TableStructure: |shared (name, dtype)| / |union of (name, dtype)| over both tables' columns. */
export function tableStructure(real: Table, synthetic: Table): DiagnosticResult['dataStructure'] {
  const realPairs = new Set(real.columns.map((c) => `${c.name}\u0000${pandasDtype(c)}`));
  const synthPairs = new Set(synthetic.columns.map((c) => `${c.name}\u0000${pandasDtype(c)}`));
  let shared = 0;
  for (const p of realPairs) if (synthPairs.has(p)) shared++;
  const union = realPairs.size + synthPairs.size - shared;
  const realNames = new Map(real.columns.map((c) => [c.name, c.type]));
  const synthNames = new Map(synthetic.columns.map((c) => [c.name, c.type]));
  return {
    score: union === 0 ? null : shared / union,
    missingColumns: [...realNames.keys()].filter((n) => !synthNames.has(n)),
    extraColumns: [...synthNames.keys()].filter((n) => !realNames.has(n)),
    typeMismatches: [...realNames]
      .filter(([n, t]) => synthNames.has(n) && synthNames.get(n) !== t)
      .map(([n]) => n),
  };
}

/** The DiagnosticReport of a synthetic table (columns missing from the synthetic table are left out of Data Validity). */
export function diagnose(
  real: Table,
  synthetic: Table,
  columns: readonly EvaluatedColumn[],
  primaryKey: readonly string[] | undefined,
): DiagnosticResult {
  const details: ValidityDetail[] = [];
  const pk = primaryKey ?? [];
  if (pk.length > 1) {
    const keyColumns = pk.map((n) => columnByName(synthetic, n));
    if (keyColumns.every((c) => c !== undefined))
      details.push({
        column: pk.join(','),
        metric: 'KeyUniqueness',
        score: nullIfNaN(keyUniqueness(keyColumns as ColumnData[], synthetic.rowCount)),
      });
  }
  for (const column of columns) {
    const r = columnByName(real, column.name);
    const s = columnByName(synthetic, column.name);
    if (r === undefined || s === undefined) continue;
    const metric = validityMetric(column.sdtype, pk.length === 1 && pk[0] === column.name);
    if (metric === undefined) continue;
    let score: number;
    if (metric === 'BoundaryAdherence')
      score = boundaryAdherence(
        numericValues(r.values, column.sdtype),
        numericValues(s.values, column.sdtype),
      );
    else if (metric === 'CategoryAdherence') score = categoryAdherence(r.values, s.values);
    else score = keyUniqueness([s], synthetic.rowCount);
    details.push({ column: column.name, metric, score: nullIfNaN(score) });
  }
  const validity = meanOfPresent(details.map((d) => d.score));
  const structure = tableStructure(real, synthetic);
  return {
    score: meanOfPresent([validity, structure.score]),
    dataValidity: { score: validity, columns: details },
    dataStructure: structure,
  };
}

function validityMetric(sdtype: EvaluationSdtype, isKey: boolean): ValidityDetail['metric'] | undefined {
  if (isKey) return 'KeyUniqueness';
  if (isContinuous(sdtype)) return 'BoundaryAdherence';
  if (isDiscrete(sdtype)) return 'CategoryAdherence';
  return undefined;
}

function isMissing(v: CellValue | undefined): boolean {
  return v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v));
}

function nullIfNaN(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}
