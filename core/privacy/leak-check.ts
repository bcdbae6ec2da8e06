/**
 * The leak check: after synthesis, no value of a sensitive sample column may appear anywhere in the
 * output — in any column, as a whole cell or inside free text. The index stores only truncated
 * keyed hashes (HMAC-SHA256) of normalized sample values, so it can be kept as a run artifact
 * without holding personal data, and the scan reports columns and rows, never values.
 *
 * Values that identify nobody on their own are not indexed, and the index says how many were left
 * out per column: values shorter than `minLength`; single words of letters (a given name, a
 * surname, a city — shared by thousands and drawn from the same public lists the fakes use); ISO
 * dates (a date of birth collides by chance: there are only ~25,000 days in 70 years); values
 * shared by `maxRepeats` or more sample rows (boilerplate notes, cities: a value many people share
 * points at none of them); and, when kinds are given, whole columns of quasi-identifier kinds
 * (names split in parts, city, state, postcode, country, date of birth), whose chance collisions
 * with fakes are certain and whose protection is generalization and the distance metrics instead.
 */
import { createHmac } from 'node:crypto';
import { z } from 'zod';
import { ConfigError } from '../errors.js';
import type { CellValue, Table } from '../table.js';

/** Serializable leak index: truncated keyed hashes per sensitive column, and no values. */
export interface LeakIndex {
  version: 1;
  /** HMAC-SHA256 truncated to 128 bits, base64. */
  algorithm: 'hmac-sha256-128';
  /** Word count of the longest indexed value: the longest token n-gram the scan must try. */
  maxWords: number;
  /** Distinct lengths of the indexed normalized forms (lets the scan skip candidates without hashing). */
  lengths: number[];
  columns: LeakIndexColumn[];
}

/** The hashes of one sensitive column and what was left out of it. */
export interface LeakIndexColumn {
  name: string;
  /** Sorted base64 hashes of the normalized forms of the column's distinct values. */
  hashes: string[];
  /** Non-null values indexed. */
  indexed: number;
  /** Non-null values left out as not identifying on their own (see the module notes). */
  skipped: number;
}

/** Options of {@link createLeakIndex}. */
export interface LeakIndexOptions {
  /** Shortest normalized value indexed. @default 5 */
  minLength?: number;
  /** Index single words of letters (names, cities) too. @default false */
  includeSingleWords?: boolean;
  /** Index ISO dates and timestamps too. @default false */
  includeDates?: boolean;
  /** Values found in at least this many sample rows are not indexed. @default 3 */
  maxRepeats?: number;
  /** Kind of each sensitive column (from the sensitivity report); columns of {@link QUASI_IDENTIFIER_KINDS} are not indexed. */
  kinds?: Readonly<Record<string, string>>;
}

/** Kinds whose values identify nobody alone and collide with fakes by chance; left out of the index when kinds are given. */
export const QUASI_IDENTIFIER_KINDS: ReadonlySet<string> = new Set([
  'first_name',
  'last_name',
  'city',
  'state',
  'postal_code',
  'country',
  'date_of_birth',
  'gender',
]);

/** Options of {@link scanForLeaks}. */
export interface LeakScanOptions {
  /** The key the index was built with (the same configured secret). */
  key: Uint8Array;
  /** Global index of the table's first row, so reported rows are global. @default 0 */
  startRow?: number;
  /** Leaks listed at most (all are counted). @default 1000 */
  maxLeaks?: number;
}

/** One leaked value: where it is in the output, and which sensitive sample column it comes from. */
export interface Leak {
  column: string;
  row: number;
  sensitiveColumn: string;
}

/** What {@link scanForLeaks} found. */
export interface LeakScanResult {
  leaks: Leak[];
  /** All leaks found, also those beyond `maxLeaks`. */
  total: number;
  /** Whether `leaks` was cut at `maxLeaks`. */
  truncated: boolean;
}

const HASH_BYTES = 16;
/** A digit-only form is kept for number-like values with at least this many digits. */
const MIN_DIGITS = 7;
/** Digit runs in text with more groups than this are only checked in their first groups. */
const MAX_RUN_GROUPS = 12;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/;
const NUMBER_LIKE = /^[A-Za-z]{0,2}[\d\s().+\-/]+$/;
const SINGLE_WORD = /^\p{L}+(?:['’-]\p{L}+)*$/u;
const EDGE_PUNCTUATION = /^[.,;:!?"'`()[\]{}<>«»“”‘’]+|[.,;:!?"'`()[\]{}<>«»“”‘’]+$/g;

/** Trimmed, NFKC, case-folded, inner whitespace collapsed: how values are compared. */
export function normalizeForLeaks(value: string): string {
  return value.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();
}

/** Letters and digits only (`DE89 3704…` → `de893704…`, `(555) 123-4567` → `5551234567`). */
function compactForm(normalized: string): string {
  return normalized.replace(/[^\p{L}\p{N}]/gu, '');
}

function digitCount(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) n++;
  }
  return n;
}

/** The forms under which a value is indexed and looked up: itself, and compacted when it carries enough digits. */
function formsOf(normalized: string): string[] {
  const forms = [normalized];
  const digits = digitCount(normalized);
  if (digits >= MIN_DIGITS) {
    const compact = compactForm(normalized);
    if (compact !== normalized) forms.push(compact);
    // Phones, cards, SSNs and numeric IBANs also match by their digits alone, however they are grouped.
    if (NUMBER_LIKE.test(normalized)) {
      const onlyDigits = normalized.replace(/\D/g, '');
      if (onlyDigits !== compact) forms.push(onlyDigits);
    }
  }
  return forms;
}

function cellText(value: CellValue): string | null {
  return value === null ? null : String(value);
}

function hashOf(key: Uint8Array, form: string): string {
  return createHmac('sha256', key).update(form).digest().subarray(0, HASH_BYTES).toString('base64');
}

/**
 * The leak index of the sensitive columns of a sample, holding only keyed hashes.
 * @throws ConfigError naming a requested column the sample does not have, or when the key is empty.
 */
export function createLeakIndex(
  sample: Table,
  sensitiveColumns: readonly string[],
  key: Uint8Array,
  options: LeakIndexOptions = {},
): LeakIndex {
  if (key.length === 0) throw new ConfigError('the leak-check key is empty', 'leakCheck.key');
  const minLength = options.minLength ?? 5;
  const maxRepeats = options.maxRepeats ?? 3;
  let maxWords = 1;
  const lengths = new Set<number>();
  const columns = sensitiveColumns.map((name): LeakIndexColumn => {
    const column = sample.columns.find((c) => c.name === name);
    if (column === undefined) throw new ConfigError('no column of that name in the sample', name);
    const hashes = new Set<string>();
    let indexed = 0;
    let skipped = 0;
    const seen = new Set<string>();
    const quasi = QUASI_IDENTIFIER_KINDS.has(options.kinds?.[name] ?? '');
    const repeats = new Map<string, number>();
    for (const value of column.values) {
      const text = cellText(value);
      if (text === null) continue;
      const normalized = normalizeForLeaks(text);
      repeats.set(normalized, (repeats.get(normalized) ?? 0) + 1);
    }
    for (const value of column.values) {
      const text = cellText(value);
      if (text === null) continue;
      const normalized = normalizeForLeaks(text);
      const identifying =
        !quasi &&
        (repeats.get(normalized) ?? 0) < maxRepeats &&
        normalized.length >= minLength &&
        (options.includeSingleWords === true || !SINGLE_WORD.test(normalized)) &&
        (options.includeDates === true || !ISO_DATE.test(normalized));
      if (!identifying) {
        skipped++;
        continue;
      }
      indexed++;
      if (seen.has(normalized)) continue;
      seen.add(normalized);
      maxWords = Math.max(maxWords, normalized.split(' ').length);
      for (const form of formsOf(normalized)) {
        if (form.length < minLength) continue;
        lengths.add(form.length);
        hashes.add(hashOf(key, form));
      }
    }
    return { name, hashes: [...hashes].sort(), indexed, skipped };
  });
  return {
    version: 1,
    algorithm: 'hmac-sha256-128',
    maxWords,
    lengths: [...lengths].sort((a, b) => a - b),
    columns,
  };
}

const leakIndexSchema = z.strictObject({
  version: z.literal(1),
  algorithm: z.literal('hmac-sha256-128'),
  maxWords: z.number().int().min(1),
  lengths: z.array(z.number().int().min(1)),
  columns: z.array(
    z.strictObject({
      name: z.string(),
      hashes: z.array(z.string().regex(/^[A-Za-z0-9+/]{22}==$/)),
      indexed: z.number().int().min(0),
      skipped: z.number().int().min(0),
    }),
  ),
});

/**
 * A leak index read back from its JSON artifact.
 * @throws ConfigError naming the field at fault when the document is not a leak index.
 */
export function parseLeakIndex(input: unknown): LeakIndex {
  const parsed = leakIndexSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = ['leakIndex', ...(issue?.path ?? []).map(String)].join('.');
  throw new ConfigError(issue?.message ?? 'is not a leak index', field);
}

/**
 * Every place in `table` where a value of a sensitive sample column appears: whole cells (any
 * column, any type), token n-grams of free text up to the longest indexed value's word count, and
 * digit runs however they are grouped. Reports column, row and the sensitive column only.
 */
export function scanForLeaks(index: LeakIndex, table: Table, options: LeakScanOptions): LeakScanResult {
  const owners = new Map<string, number[]>();
  index.columns.forEach((c, i) => {
    for (const h of c.hashes) {
      const list = owners.get(h);
      if (list === undefined) owners.set(h, [i]);
      else if (!list.includes(i)) list.push(i);
    }
  });
  const lengths = new Set(index.lengths);
  const startRow = options.startRow ?? 0;
  const maxLeaks = options.maxLeaks ?? 1000;
  const leaks: Leak[] = [];
  let total = 0;
  // Hash lookups per distinct candidate, shared by all cells: categorical columns repeat a lot.
  const memo = new Map<string, readonly number[] | null>();
  const lookup = (form: string): readonly number[] | null => {
    if (!lengths.has(form.length)) return null;
    let hit = memo.get(form);
    if (hit === undefined) {
      hit = owners.get(hashOf(options.key, form)) ?? null;
      if (memo.size < 1_000_000) memo.set(form, hit);
    }
    return hit;
  };

  for (const column of table.columns) {
    for (let r = 0; r < column.values.length; r++) {
      const text = cellText(column.values[r] ?? null);
      if (text === null || text.length === 0) continue;
      const found = new Set<number>();
      collectMatches(text, index.maxWords, lookup, found);
      for (const owner of found) {
        total++;
        if (leaks.length < maxLeaks) {
          leaks.push({
            column: column.name,
            row: startRow + r,
            sensitiveColumn: (index.columns[owner] as LeakIndexColumn).name,
          });
        }
      }
    }
  }
  return { leaks, total, truncated: total > leaks.length };
}

function collectMatches(
  text: string,
  maxWords: number,
  lookup: (form: string) => readonly number[] | null,
  found: Set<number>,
): void {
  const add = (hit: readonly number[] | null): void => {
    if (hit !== null) for (const o of hit) found.add(o);
  };
  const check = (normalized: string): void => {
    for (const form of formsOf(normalized)) add(lookup(form));
  };
  const normalized = normalizeForLeaks(text);
  check(normalized);
  if (!/[\s,;:!?"'()[\]{}<>]/.test(normalized)) return;

  const tokens = normalized
    .split(' ')
    .map((t) => t.replace(EDGE_PUNCTUATION, ''))
    .filter((t) => t.length > 0);
  for (let i = 0; i < tokens.length; i++) {
    let gram = '';
    for (let n = 1; n <= maxWords && i + n <= tokens.length; n++) {
      gram = n === 1 ? (tokens[i] as string) : `${gram} ${tokens[i + n - 1] as string}`;
      check(gram);
    }
  }
  // Numbers written with any grouping ("+1 (555) 123 4567", "5555 4444 3333 1111"): every run of groups.
  for (const m of normalized.matchAll(/\d[\d\s().+\-/]*\d/g)) {
    const groups = m[0]
      .split(/\D+/)
      .filter((g) => g.length > 0)
      .slice(0, MAX_RUN_GROUPS);
    for (let i = 0; i < groups.length; i++) {
      let run = '';
      for (let j = i; j < groups.length; j++) {
        run += groups[j] as string;
        add(lookup(run));
      }
    }
  }
}
