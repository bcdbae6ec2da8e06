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
  /**
   * Most words in an identifying value (at most {@link MAX_GUARD_WORDS}): runs of up to this many words
   * inside a generated cell are compared too, so a fake `553 Main Avenue` does not carry the sample's
   * `553 Main`, as the leak scan would find.
   */
  maxWords: number;
  /** Columns whose fakes are word runs that can contain a short sample value (street addresses, names). */
  wordRunColumns: ReadonlySet<string>;
  /** The sensitive columns the guard was built for (those present in the sample). */
  columns: ReadonlySet<string>;
}

/** Kinds whose fakes are compared run of words by run of words, not only whole. */
const WORD_RUN_KINDS: ReadonlySet<string> = new Set(['street_address', 'person_name']);

/** Longest run of words compared inside a cell. */
const MAX_GUARD_WORDS = 8;
/** What separates words, as the leak scan splits text. */
const WORD_SEPARATOR = /[\s,;:!?"'()[\]{}<>]+/;

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
  let maxWords = 1;
  for (const normalized of identifyingSampleValues(sample, columns, { kinds: sensitive })) {
    const key = unicodeCompactKey(normalized);
    if (key.length < MIN_KEY_LENGTH) continue;
    keys.add(key);
    hashes.add(hashKey(key));
    maxWords = Math.max(maxWords, Math.min(MAX_GUARD_WORDS, normalized.split(WORD_SEPARATOR).length));
  }
  const wordRunColumns = new Set(columns.filter((name) => WORD_RUN_KINDS.has(sensitive[name] ?? '')));
  return { hashes, keys, maxWords, wordRunColumns, columns: new Set(columns) };
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

/**
 * Whether a generated cell equals an identifying sample value (by compact key), or, with `inWords`,
 * holds one as a run of whole words.
 */
export function carriesSampleValue(guard: SampleValueGuard, value: CellValue, inWords = false): boolean {
  if (value === null || guard.keys.size === 0) return false;
  const text = typeof value === 'string' ? value : String(value);
  const hash = asciiKeyHash(text);
  if (hash === NON_ASCII) {
    const key = unicodeCompactKey(text);
    return key.length >= MIN_KEY_LENGTH && guard.keys.has(key);
  }
  if (guard.hashes.has(hash) && guard.keys.has(asciiCompactKey(text))) return true;
  return inWords && carriesInWords(guard, text);
}

/** Cells of the given columns that carry an identifying sample value (counted, not changed). */
export function countSampleValues(table: Table, guard: SampleValueGuard, columns: readonly number[]): number {
  if (guard.keys.size === 0) return 0;
  let found = 0;
  for (const c of columns) {
    const column = table.columns[c];
    if (column === undefined) continue;
    const inWords = guard.wordRunColumns.has(column.name);
    for (const value of column.values) if (carriesSampleValue(guard, value, inWords)) found++;
  }
  return found;
}

/** Whether a run of words inside ASCII `text` has the compact key of an identifying sample value. */
function carriesInWords(guard: SampleValueGuard, text: string): boolean {
  const words = text.split(WORD_SEPARATOR).filter((w) => w.length > 0);
  if (words.length < 2) return false;
  for (let i = 0; i < words.length; i++) {
    let h = 0x811c9dc5;
    let length = 0;
    for (let j = i; j < words.length && j < i + guard.maxWords; j++) {
      const word = words[j] as string;
      for (let k = 0; k < word.length; k++) {
        let c = word.charCodeAt(k);
        if (c >= 65 && c <= 90) c += 32;
        else if (!((c >= 97 && c <= 122) || (c >= 48 && c <= 57))) continue;
        h = Math.imul(h ^ c, 16777619);
        length++;
      }
      if (length < MIN_KEY_LENGTH || (i === 0 && j === words.length - 1)) continue;
      if (!guard.hashes.has((Math.imul(h ^ length, 0x85ebca6b) >>> 1) | 0)) continue;
      if (guard.keys.has(asciiCompactKey(words.slice(i, j + 1).join(' ')))) return true;
    }
  }
  return false;
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
    const inWords = guard.wordRunColumns.has(table.columns[c]?.name ?? '');
    for (let i = 0; i < values.length; i++) {
      if (!carriesSampleValue(guard, values[i] as CellValue, inWords)) continue;
      report.redrawn++;
      let value: CellValue = values[i] as CellValue;
      for (
        let attempt = 0;
        attempt < MAX_SENSITIVE_REDRAWS && carriesSampleValue(guard, value, inWords);
        attempt++
      )
        value = redraw(c, startRow + i, attempt);
      values[i] = value;
      if (carriesSampleValue(guard, value, inWords)) report.remaining++;
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
  const inWords = columns.map((c) => guard.wordRunColumns.has(table.columns[c]?.name ?? ''));
  const carries = (i: number): boolean =>
    columns.some((c, k) =>
      carriesSampleValue(guard, (table.columns[c]?.values[i] ?? null) as CellValue, inWords[k]),
    );
  for (let i = 0; i < table.rowCount; i++) {
    if (!carries(i)) continue;
    report.redrawn++;
    for (let attempt = 0; attempt < MAX_SENSITIVE_REDRAWS && carries(i); attempt++)
      redrawRow(i, startRow + i, attempt);
    if (carries(i)) report.remaining++;
  }
  return report;
}
