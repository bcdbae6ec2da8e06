/**
 * Sensitive columns never carry a sample value. Fakes are drawn from public word lists and digit
 * patterns, so now and then one equals a real sample value by chance (an email `anna.smith@…`, a
 * street, an SSN: about 50 cells per 300,000 demo rows). The guard knows the identifying values of
 * the sample's sensitive columns — the same values the leak scan looks for, by the same rules (see
 * core/privacy/leak-check.ts) — and redraws each generated sensitive cell equal to one of them,
 * attempt by attempt from a stream of its own, so the result still depends only on the seed and the
 * global row number. The guard lives in the worker's memory next to the sample and is never stored.
 */
import { identifyingSampleValues } from '../privacy/index.js';
import type { TableModel } from '../synthesizer/index.js';
import type { CellValue, Table } from '../table.js';

/** Redraw attempts per cell before the cell is reported as still equal to a sample value. */
export const MAX_SENSITIVE_REDRAWS = 8;

/** Shortest compact key compared (the leak index's shortest identifying value). */
const MIN_KEY_LENGTH = 5;

/**
 * The identifying sample values of the sensitive columns, by compact key: letters and digits only,
 * lower-cased (`DE89 3704 …` and `de893704…`, `(555) 123-4567` and `555.123.4567` are one key), so
 * a fake matches a sample value however it is spaced, punctuated or cased. A generated cell is
 * first looked up by a 32-bit hash of its key computed without building a string; only hash hits
 * build the key and compare it.
 */
export interface SampleValueGuard {
  hashes: ReadonlySet<number>;
  keys: ReadonlySet<string>;
}

/** What {@link redrawSampleValues} did. */
export interface SampleValueGuardReport {
  /** Cells that equalled a sample value and were redrawn. */
  redrawn: number;
  /** Cells still equal to a sample value after every attempt (a privacy finding when not 0). */
  remaining: number;
}

/**
 * The guard for a sample: `sensitive` maps each sensitive column to its PII kind (kinds that identify
 * nobody alone, such as city or date of birth, are left out, as in the leak index).
 */
export function createSampleValueGuard(
  sample: Table,
  sensitive: Readonly<Record<string, string>>,
): SampleValueGuard {
  const present = new Set(sample.columns.map((c) => c.name));
  const columns = Object.keys(sensitive).filter((name) => present.has(name));
  const hashes = new Set<number>();
  const keys = new Set<string>();
  for (const normalized of identifyingSampleValues(sample, columns, { kinds: sensitive })) {
    const key = unicodeCompactKey(normalized);
    if (key.length < MIN_KEY_LENGTH) continue;
    keys.add(key);
    hashes.add(hashKey(key));
  }
  return { hashes, keys };
}

/** The model's sensitive columns (fakes, keys with a PII kind) and their kinds, for {@link createSampleValueGuard}. */
export function sensitiveColumnKinds(model: TableModel): Record<string, string> {
  const kinds: Record<string, string> = {};
  for (const column of model.columns) {
    if (column.kind === 'fake') kinds[column.name] = column.piiKind;
    else if (column.kind === 'identifier' && column.piiKind !== null) kinds[column.name] = column.piiKind;
  }
  return kinds;
}

/** Whether a generated cell equals an identifying sample value (by compact key). */
export function carriesSampleValue(guard: SampleValueGuard, value: CellValue): boolean {
  if (value === null || guard.keys.size === 0) return false;
  const text = typeof value === 'string' ? value : String(value);
  const hash = asciiKeyHash(text);
  if (hash === NON_ASCII) {
    const key = unicodeCompactKey(text);
    return key.length >= MIN_KEY_LENGTH && guard.keys.has(key);
  }
  if (!guard.hashes.has(hash)) return false;
  return guard.keys.has(asciiCompactKey(text));
}

/** Returned by {@link asciiKeyHash} for text with non-ASCII characters (compared the slow way). */
const NON_ASCII = -1;

/** FNV-1a over the compact key's characters, folded with its length; never NON_ASCII. */
function hashKey(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 16777619);
  return (Math.imul(h ^ key.length, 0x85ebca6b) >>> 1) | 0;
}

/** {@link hashKey} of the ASCII compact key of `text`, without building it; NON_ASCII when text is not ASCII. */
function asciiKeyHash(text: string): number {
  let h = 0x811c9dc5;
  let length = 0;
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (c > 0x7f) return NON_ASCII;
    if (c >= 65 && c <= 90) c += 32;
    else if (!((c >= 97 && c <= 122) || (c >= 48 && c <= 57))) continue;
    h = Math.imul(h ^ c, 16777619);
    length++;
  }
  if (length < MIN_KEY_LENGTH) return NON_ASCII - 1; // too short to compare: a hash no key has
  return (Math.imul(h ^ length, 0x85ebca6b) >>> 1) | 0;
}

function asciiCompactKey(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]/g, '');
}

function unicodeCompactKey(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]/gu, '');
}

/**
 * Redraws, in place, the cells of `columns` (indices into `table`) that equal a sample value.
 * `redraw(column, row, attempt)` gives attempt `attempt` for global row `row` and must depend on
 * nothing else, so the table stays independent of chunking.
 */
export function redrawSampleValues(
  table: Table,
  startRow: number,
  guard: SampleValueGuard,
  columns: readonly number[],
  redraw: (column: number, row: number, attempt: number) => CellValue,
): SampleValueGuardReport {
  const report: SampleValueGuardReport = { redrawn: 0, remaining: 0 };
  if (guard.keys.size === 0) return report;
  for (const c of columns) {
    const values = table.columns[c]?.values as CellValue[] | undefined;
    if (values === undefined) continue;
    for (let i = 0; i < values.length; i++) {
      if (!carriesSampleValue(guard, values[i] as CellValue)) continue;
      report.redrawn++;
      let value: CellValue = values[i] as CellValue;
      for (let attempt = 0; attempt < MAX_SENSITIVE_REDRAWS && carriesSampleValue(guard, value); attempt++)
        value = redraw(c, startRow + i, attempt);
      values[i] = value;
      if (carriesSampleValue(guard, value)) report.remaining++;
    }
  }
  return report;
}

/**
 * Like {@link redrawSampleValues}, for values that must be redrawn a row at a time (replacement fakes
 * that stay coherent within a row, such as an email built from the row's names): `redrawRow(index,
 * row, attempt)` rewrites row `index` (global row `row`) of `table` in place. Counts rows.
 */
export function redrawRowsWithSampleValues(
  table: Table,
  startRow: number,
  guard: SampleValueGuard,
  columns: readonly number[],
  redrawRow: (index: number, row: number, attempt: number) => void,
): SampleValueGuardReport {
  const report: SampleValueGuardReport = { redrawn: 0, remaining: 0 };
  if (guard.keys.size === 0 || columns.length === 0) return report;
  const carries = (i: number): boolean =>
    columns.some((c) => carriesSampleValue(guard, (table.columns[c]?.values[i] ?? null) as CellValue));
  for (let i = 0; i < table.rowCount; i++) {
    if (!carries(i)) continue;
    report.redrawn++;
    for (let attempt = 0; attempt < MAX_SENSITIVE_REDRAWS && carries(i); attempt++)
      redrawRow(i, startRow + i, attempt);
    if (carries(i)) report.remaining++;
  }
  return report;
}
