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
 *
 * Speed (index version 2): one HMAC per candidate made the scan ~1,000 rows/s, so the index also
 * holds a keyed prefilter — a sorted set of 32-bit fast hashes of the same forms — and the scan
 * computes an HMAC only for candidates the prefilter admits (≈ indexed forms / 2³² of the others).
 * The fast hash is keyed, never plain: an unkeyed filter would let anyone holding the artifact test
 * guesses against it. Its key (two secret polynomial bases below 2²⁶ and three 32-bit finalizer
 * words, ≈ 148 bits) is derived from the leak-check key by one HMAC with a fixed label, so the
 * artifact alone still reveals nothing. It is a fast mix, not a cryptographic PRF: someone who
 * holds the artifact AND knows many sample values could in principle attack the fast key, and then
 * test guesses with a false-positive rate of ≈ indexed forms / 2³² — the HMAC hashes still need
 * the real key. The hash is polynomial over UTF-16 code units (two primes near 2²⁶, exact in
 * doubles) folded with the length by a keyed murmur3-style finalizer; being polynomial, the hash
 * of every token n-gram and every digit run is read off prefix hashes in O(1), so candidate
 * strings are built only for prefilter hits (and for the digit forms of n-grams with ≥ 7 digits).
 */
import { createHmac } from 'node:crypto';
import { z } from 'zod';
import { ConfigError } from '../errors.js';
import type { CellValue, Table } from '../table.js';

/** Serializable leak index: truncated keyed hashes per sensitive column, and no values. */
export interface LeakIndex {
  version: typeof LEAK_INDEX_VERSION;
  /** HMAC-SHA256 truncated to 128 bits, base64. */
  algorithm: 'hmac-sha256-128';
  /** Keyed fast hashes of every indexed form: the scan computes HMACs only for candidates found here. */
  prefilter: LeakPrefilter;
  /** Word count of the longest indexed value: the longest token n-gram the scan must try. */
  maxWords: number;
  /** Distinct lengths of the indexed normalized forms (lets the scan skip candidates without hashing). */
  lengths: number[];
  columns: LeakIndexColumn[];
}

/** The keyed 32-bit prefilter of a leak index (see the module notes). */
export interface LeakPrefilter {
  /** Two keyed polynomial hashes (mod primes near 2²⁶) folded with the length by a keyed murmur3-style finalizer. */
  algorithm: 'keyed-poly26x2-fmix32';
  /** Sorted distinct 32-bit hashes, big-endian, base64. */
  hashes: string;
}

/** Version of the leak index format this build writes and reads. */
export const LEAK_INDEX_VERSION = 2 as const;

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
/** Distinct candidates whose HMAC lookups (and cells whose results) are remembered per scan. */
const MEMO_LIMIT = 1_000_000;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/;
const NUMBER_LIKE = /^[A-Za-z]{0,2}[\d\s().+\-/]+$/;
const SINGLE_WORD = /^\p{L}+(?:['’-]\p{L}+)*$/u;
const EDGE_PUNCTUATION = /^[.,;:!?"'`()[\]{}<>«»“”‘’]+|[.,;:!?"'`()[\]{}<>«»“”‘’]+$/g;
const EDGE_PUNCTUATION_CHARS = new Set('.,;:!?"\'`()[]{}<>«»“”‘’');
const TOKEN_SEPARATOR = /[\s,;:!?"'()[\]{}<>]/;
const UNUSUAL_SPACE = /\s\s|[\t\n\v\f\r]/;

/** Trimmed, NFKC, case-folded, inner whitespace collapsed: how values are compared. */
export function normalizeForLeaks(value: string): string {
  return value.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();
}

/** {@link normalizeForLeaks}, skipping the steps that cannot change ASCII text with single spaces. */
function normalizeQuickly(value: string): string {
  for (let i = 0; i < value.length; i++) {
    if (value.charCodeAt(i) > 0x7f) return normalizeForLeaks(value);
  }
  const collapsed = UNUSUAL_SPACE.test(value) ? value.replace(/\s+/g, ' ') : value;
  return collapsed.trim().toLowerCase();
}

/** Letters and digits only (`DE89 3704…` → `de893704…`, `(555) 123-4567` → `5551234567`). */
function compactForm(normalized: string): string {
  let out = '';
  for (let i = 0; i < normalized.length; i++) {
    const c = normalized.charCodeAt(i);
    if (c > 0x7f) return normalized.replace(/[^\p{L}\p{N}]/gu, '');
    // Normalized text is lower-case: ASCII letters and digits are a–z and 0–9.
    if ((c >= 48 && c <= 57) || (c >= 97 && c <= 122)) out += normalized[i];
  }
  return out;
}

function onlyDigitsOf(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) out += s[i];
  }
  return out;
}

function digitCount(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) n++;
  }
  return n;
}

/**
 * Kinds whose digits alone identify someone however they are grouped (phones, cards, SSNs, IBANs,
 * national ids). The digits of an IP or MAC address, a coordinate or a street address do not, and as
 * 7-to-12-digit strings they collide by chance with the digit runs of unrelated fakes.
 */
const DIGIT_FORM_KINDS: ReadonlySet<string> = new Set([
  'phone',
  'credit_card',
  'ssn',
  'iban',
  'uk_nino',
  'national_id',
  'identifier',
  'none',
]);

/** The forms under which a value is indexed and looked up: itself, and compacted when it carries enough digits. */
function formsOf(normalized: string, digitForms = true): string[] {
  const forms = [normalized];
  const digits = digitCount(normalized);
  if (digits >= MIN_DIGITS) {
    const compact = compactForm(normalized);
    // A compact form of digits only is a digit form too (`10.123.45.67` → `101234567`).
    if (compact !== normalized && (digitForms || compact.length > digitCount(compact))) forms.push(compact);
    // Phones, cards, SSNs and numeric IBANs also match by their digits alone, however they are grouped.
    if (digitForms && NUMBER_LIKE.test(normalized)) {
      const onlyDigits = onlyDigitsOf(normalized);
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

// Primes below 2²⁶: a hash times a base stays below 2⁵², so polynomial steps are exact in doubles.
const P1 = 67_108_859;
const P2 = 67_108_837;
const PREFILTER_LABEL = 'understudy leak-check prefilter v2';

/** The secret parameters of the prefilter's fast hash, derived from the leak-check key. */
interface FastKey {
  b1: number;
  b2: number;
  k1: number;
  k2: number;
  k3: number;
}

function deriveFastKey(key: Uint8Array): FastKey {
  const d = createHmac('sha256', key).update(PREFILTER_LABEL).digest();
  // Bases above every UTF-16 code unit, so no short string hashes to its own code units.
  const base = (word: number, p: number): number => 65_536 + (word % (p - 65_536));
  return {
    b1: base(d.readUInt32BE(0), P1),
    b2: base(d.readUInt32BE(4), P2),
    k1: d.readInt32BE(8),
    k2: d.readInt32BE(12),
    k3: d.readInt32BE(16),
  };
}

function mixBlock(h: number, block: number): number {
  let c = Math.imul(block, 0xcc9e2d51);
  c = (c << 15) | (c >>> 17);
  c = Math.imul(c, 0x1b873593);
  h ^= c;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

/** The keyed 32-bit fold of two polynomial hashes and a length (murmur3 blocks and finalizer). */
function foldFast(k: FastKey, h1: number, h2: number, length: number): number {
  let h = mixBlock(k.k1, h1);
  h = mixBlock(h, h2);
  h = mixBlock(h, length ^ k.k2);
  h = mixBlock(h, k.k3);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** `x mod p` for an integer `0 ≤ x < 2⁵³`: a float division and a correction, much cheaper than `%` on doubles. */
function reduce(x: number, p: number): number {
  const r = x - Math.floor(x / p) * p;
  return r < 0 ? r + p : r >= p ? r - p : r;
}

function fastHashOf(k: FastKey, s: string): number {
  let h1 = 0;
  let h2 = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = reduce(h1 * k.b1 + c, P1);
    h2 = reduce(h2 * k.b2 + c, P2);
  }
  return foldFast(k, h1, h2, s.length);
}

function encodePrefilter(hashes: Iterable<number>): string {
  const sorted = Uint32Array.from(new Set(hashes)).sort();
  const bytes = Buffer.alloc(sorted.length * 4);
  sorted.forEach((h, i) => bytes.writeUInt32BE(h, i * 4));
  return bytes.toString('base64');
}

/**
 * The normalized distinct values of a sensitive sample column that identify someone on their own
 * (the index's rules: see the module notes), and how many non-null values were kept and left out.
 * @throws ConfigError naming a column the sample does not have.
 */
function identifyingValuesOf(
  sample: Table,
  name: string,
  options: LeakIndexOptions,
): { distinct: Set<string>; indexed: number; skipped: number } {
  const column = sample.columns.find((c) => c.name === name);
  if (column === undefined) throw new ConfigError('no column of that name in the sample', name);
  const minLength = options.minLength ?? 5;
  const maxRepeats = options.maxRepeats ?? 3;
  const quasi = QUASI_IDENTIFIER_KINDS.has(options.kinds?.[name] ?? '');
  const repeats = new Map<string, number>();
  const normalizedValues: (string | null)[] = column.values.map((value) => {
    const text = cellText(value);
    if (text === null) return null;
    const normalized = normalizeForLeaks(text);
    repeats.set(normalized, (repeats.get(normalized) ?? 0) + 1);
    return normalized;
  });
  const distinct = new Set<string>();
  let indexed = 0;
  let skipped = 0;
  for (const normalized of normalizedValues) {
    if (normalized === null) continue;
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
    distinct.add(normalized);
  }
  return { distinct, indexed, skipped };
}

/**
 * The identifying values of a sample's sensitive columns (normalized with {@link normalizeForLeaks}),
 * chosen by the leak index's rules: for a check that runs where the sample itself is at hand and keeps
 * nothing, such as redrawing fakes that happen to equal a sample value during generation.
 * @throws ConfigError naming a column the sample does not have.
 */
export function identifyingSampleValues(
  sample: Table,
  sensitiveColumns: readonly string[],
  options: LeakIndexOptions = {},
): Set<string> {
  const values = new Set<string>();
  for (const name of sensitiveColumns)
    for (const normalized of identifyingValuesOf(sample, name, options).distinct) values.add(normalized);
  return values;
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
  const fastKey = deriveFastKey(key);
  const fastHashes: number[] = [];
  let maxWords = 1;
  const lengths = new Set<number>();
  const columns = sensitiveColumns.map((name): LeakIndexColumn => {
    const hashes = new Set<string>();
    const { indexed, skipped, distinct } = identifyingValuesOf(sample, name, options);
    const digitForms = options.kinds === undefined || DIGIT_FORM_KINDS.has(options.kinds[name] ?? 'none');
    for (const normalized of distinct) {
      maxWords = Math.max(maxWords, normalized.split(' ').length);
      for (const form of formsOf(normalized, digitForms)) {
        if (form.length < minLength) continue;
        lengths.add(form.length);
        hashes.add(hashOf(key, form));
        fastHashes.push(fastHashOf(fastKey, form));
      }
    }
    return { name, hashes: [...hashes].sort(), indexed, skipped };
  });
  return {
    version: LEAK_INDEX_VERSION,
    algorithm: 'hmac-sha256-128',
    prefilter: { algorithm: 'keyed-poly26x2-fmix32', hashes: encodePrefilter(fastHashes) },
    maxWords,
    lengths: [...lengths].sort((a, b) => a - b),
    columns,
  };
}

const leakIndexSchema = z.strictObject({
  version: z.literal(LEAK_INDEX_VERSION),
  algorithm: z.literal('hmac-sha256-128'),
  prefilter: z.strictObject({
    algorithm: z.literal('keyed-poly26x2-fmix32'),
    // Whole 32-bit hashes: base64 of a multiple of 4 bytes, 16 characters per 3 hashes.
    hashes: z
      .string()
      .regex(
        /^(?:[A-Za-z0-9+/]{16})*(?:[A-Za-z0-9+/]{6}==|[A-Za-z0-9+/]{11}=)?$/,
        'is not a list of 32-bit hashes',
      ),
  }),
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
 * @throws ConfigError naming the field at fault when the document is not a leak index of this
 * build's version (an index of another version must be rebuilt from the sample).
 */
export function parseLeakIndex(input: unknown): LeakIndex {
  if (typeof input === 'object' && input !== null && 'version' in input) {
    const version = (input as { version: unknown }).version;
    if (version !== LEAK_INDEX_VERSION) {
      throw new ConfigError(
        `unsupported leak index version (this build reads version ${LEAK_INDEX_VERSION}; rebuild the index from the sample)`,
        'leakIndex.version',
      );
    }
  }
  const parsed = leakIndexSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = ['leakIndex', ...(issue?.path ?? []).map(String)].join('.');
  throw new ConfigError(issue?.message ?? 'is not a leak index', field);
}

/** What a scan needs from an index and key, built once per index and key and shared by chunks. */
interface PreparedIndex {
  key: Uint8Array;
  fastKey: FastKey;
  owners: Map<string, number[]>;
  /** One bit per low 22 bits of a prefilter hash: rejects most candidates before the set lookup. */
  bits: Uint32Array;
  prefilter: Set<number>;
  /** `hasLength[n]` is 1 when some indexed form has `n` code units. */
  hasLength: Uint8Array;
  minLength: number;
}

const FILTER_BITS = 22;
const FILTER_MASK = (1 << FILTER_BITS) - 1;
const prepared = new WeakMap<LeakIndex, PreparedIndex[]>();

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function prepareIndex(index: LeakIndex, key: Uint8Array): PreparedIndex {
  const cached = prepared.get(index) ?? [];
  const hit = cached.find((p) => sameBytes(p.key, key));
  if (hit !== undefined) return hit;
  const owners = new Map<string, number[]>();
  index.columns.forEach((c, i) => {
    for (const h of c.hashes) {
      const list = owners.get(h);
      if (list === undefined) owners.set(h, [i]);
      else if (!list.includes(i)) list.push(i);
    }
  });
  const bytes = Buffer.from(index.prefilter.hashes, 'base64');
  const bits = new Uint32Array(1 << (FILTER_BITS - 5));
  const set = new Set<number>();
  for (let i = 0; i + 4 <= bytes.length; i += 4) {
    const h = bytes.readUInt32BE(i);
    set.add(h);
    const low = h & FILTER_MASK;
    bits[low >>> 5] = (bits[low >>> 5] as number) | (1 << (low & 31));
  }
  const maxLength = index.lengths.reduce((a, b) => Math.max(a, b), 0);
  const hasLength = new Uint8Array(maxLength + 1);
  for (const n of index.lengths) hasLength[n] = 1;
  const result: PreparedIndex = {
    key: Uint8Array.from(key),
    fastKey: deriveFastKey(key),
    owners,
    bits,
    prefilter: set,
    hasLength,
    minLength: index.lengths[0] ?? Number.POSITIVE_INFINITY,
  };
  prepared.set(index, [...cached, result]);
  return result;
}

const NONE: readonly number[] = [];

/**
 * Every place in `table` where a value of a sensitive sample column appears: whole cells (any
 * column, any type), token n-grams of free text up to the longest indexed value's word count, and
 * digit runs however they are grouped. Reports column, row and the sensitive column only.
 */
export function scanForLeaks(index: LeakIndex, table: Table, options: LeakScanOptions): LeakScanResult {
  const startRow = options.startRow ?? 0;
  const maxLeaks = options.maxLeaks ?? 1000;
  const leaks: Leak[] = [];
  let total = 0;
  const scanner = createCellScanner(prepareIndex(index, options.key), index.maxWords);
  // Results per distinct cell text, shared by all columns: categorical columns repeat a lot.
  const cells = new Map<string, readonly number[]>();

  for (const column of table.columns) {
    for (let r = 0; r < column.values.length; r++) {
      const text = cellText(column.values[r] ?? null);
      if (text === null || text.length === 0) continue;
      let found = cells.get(text);
      if (found === undefined) {
        found = scanner(text);
        if (cells.size < MEMO_LIMIT) cells.set(text, found);
      }
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

/** Polynomial prefix hashes of a string fed one code unit at a time: the fast hash of any slice in O(1). */
class PrefixHashes {
  pre1: Float64Array = new Float64Array(257);
  pre2: Float64Array = new Float64Array(257);
  length = 0;

  constructor(
    private readonly k: FastKey,
    private readonly powers: Powers,
  ) {}

  reset(): void {
    this.length = 0;
  }

  push(c: number): void {
    const n = this.length;
    if (n + 1 >= this.pre1.length) {
      const grow = (a: Float64Array): Float64Array => {
        const b = new Float64Array(a.length * 2);
        b.set(a);
        return b;
      };
      this.pre1 = grow(this.pre1);
      this.pre2 = grow(this.pre2);
    }
    this.pre1[n + 1] = reduce((this.pre1[n] as number) * this.k.b1 + c, P1);
    this.pre2[n + 1] = reduce((this.pre2[n] as number) * this.k.b2 + c, P2);
    this.length = n + 1;
  }

  /** The fast hash of the slice `[from, to)` of what was pushed. */
  slice(from: number, to: number): number {
    const len = to - from;
    this.powers.ensure(len);
    let h1 =
      (this.pre1[to] as number) - reduce((this.pre1[from] as number) * (this.powers.p1[len] as number), P1);
    let h2 =
      (this.pre2[to] as number) - reduce((this.pre2[from] as number) * (this.powers.p2[len] as number), P2);
    if (h1 < 0) h1 += P1;
    if (h2 < 0) h2 += P2;
    return foldFast(this.k, h1, h2, len);
  }
}

/** Powers of the two secret bases, grown on demand. */
class Powers {
  p1: Float64Array = new Float64Array(1).fill(1);
  p2: Float64Array = new Float64Array(1).fill(1);

  constructor(private readonly k: FastKey) {}

  ensure(n: number): void {
    if (n < this.p1.length) return;
    const size = Math.max(n + 1, this.p1.length * 2);
    const p1 = new Float64Array(size);
    const p2 = new Float64Array(size);
    p1.set(this.p1);
    p2.set(this.p2);
    for (let i = this.p1.length; i < size; i++) {
      p1[i] = reduce((p1[i - 1] as number) * this.k.b1, P1);
      p2[i] = reduce((p2[i - 1] as number) * this.k.b2, P2);
    }
    this.p1 = p1;
    this.p2 = p2;
  }
}

const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isLowerAscii = (c: number): boolean => c >= 97 && c <= 122;
/** The separators NUMBER_LIKE and DIGIT_RUN allow between digits: space ( ) . + - / */
const isNumberSeparator = (c: number): boolean =>
  c === 32 || c === 40 || c === 41 || c === 46 || c === 43 || c === 45 || c === 47;

/** The owners (sensitive column positions) of every indexed form found in one cell's text. */
function createCellScanner(p: PreparedIndex, maxWords: number): (text: string) => readonly number[] {
  const { fastKey: k, hasLength, bits, prefilter } = p;
  const hmacs = new Map<string, readonly number[] | null>();
  const powers = new Powers(k);
  const words = new PrefixHashes(k, powers);
  const compacts = new PrefixHashes(k, powers);
  const digitsOnly = new PrefixHashes(k, powers);
  let found: number[] = [];

  const lengthIndexed = (n: number): boolean => n < hasLength.length && hasLength[n] === 1;
  const admits = (h: number): boolean => {
    const low = h & FILTER_MASK;
    return ((bits[low >>> 5] as number) & (1 << (low & 31))) !== 0 && prefilter.has(h);
  };
  const confirm = (form: string): void => {
    let hit = hmacs.get(form);
    if (hit === undefined) {
      hit = p.owners.get(hashOf(p.key, form)) ?? null;
      if (hmacs.size < MEMO_LIMIT) hmacs.set(form, hit);
    }
    if (hit !== null) for (const o of hit) if (!found.includes(o)) found.push(o);
  };
  const probe = (form: string): void => {
    if (lengthIndexed(form.length) && admits(fastHashOf(k, form))) confirm(form);
  };

  // Per-token facts of the current cell, reused across cells.
  const starts: number[] = [];
  const ends: number[] = [];
  const compactStarts: number[] = [];
  const digitStarts: number[] = [];
  /** Whether the token may open a NUMBER_LIKE n-gram alone / followed by more tokens; whether it may continue one. */
  const opensAlone: boolean[] = [];
  const opensBefore: boolean[] = [];
  const continues: boolean[] = [];

  /** Splits `joined` (tokens separated by single spaces) and feeds the three prefix hashes. */
  const readTokens = (joined: string, withDigitForms: boolean): number => {
    words.reset();
    compacts.reset();
    digitsOnly.reset();
    let count = 0;
    let i = 0;
    while (i <= joined.length) {
      starts[count] = i;
      compactStarts[count] = compacts.length;
      digitStarts[count] = digitsOnly.length;
      let letters = 0;
      let wide = false;
      let leading = true;
      let numeric = true;
      for (; i < joined.length; i++) {
        const c = joined.charCodeAt(i);
        if (c === 32) break;
        words.push(c);
        if (withDigitForms) {
          if (isDigit(c)) {
            compacts.push(c);
            digitsOnly.push(c);
          } else if (isLowerAscii(c)) {
            compacts.push(c);
          } else if (c > 0x7f) {
            wide = true;
          }
          if (leading && isLowerAscii(c)) letters++;
          else {
            leading = false;
            if (!isDigit(c) && !isNumberSeparator(c)) numeric = false;
          }
        }
      }
      ends[count] = i;
      if (wide) {
        // Non-ASCII letters and digits (any plane): redo this token's compact form as formsOf does.
        compacts.length = compactStarts[count] as number;
        const compact = compactForm(joined.slice(starts[count], i));
        for (let u = 0; u < compact.length; u++) compacts.push(compact.charCodeAt(u));
      }
      // Leading letters (at most two) may only open an n-gram, and then need something after them.
      opensAlone[count] = numeric && letters <= 2 && letters < i - (starts[count] as number);
      opensBefore[count] = numeric && letters <= 2;
      continues[count] = numeric && letters === 0;
      count++;
      if (i < joined.length) words.push(32);
      i++;
    }
    compactStarts[count] = compacts.length;
    digitStarts[count] = digitsOnly.length;
    return count;
  };

  const scanTokens = (normalized: string): void => {
    // Token n-grams: the tokens joined by single spaces, so every n-gram is a slice of `joined`.
    const tokens: string[] = [];
    for (const w of normalized.split(' ')) {
      const t =
        w.length > 0 &&
        (EDGE_PUNCTUATION_CHARS.has(w[0] as string) || EDGE_PUNCTUATION_CHARS.has(w[w.length - 1] as string))
          ? w.replace(EDGE_PUNCTUATION, '')
          : w;
      if (t.length > 0) tokens.push(t);
    }
    if (tokens.length === 0) return;
    const joined = tokens.join(' ');
    const withDigitForms = digitCount(joined) >= MIN_DIGITS;
    const count = readTokens(joined, withDigitForms);
    for (let i = 0; i < count; i++) {
      const last = Math.min(count, i + maxWords) - 1;
      let numberLike = false;
      for (let j = i; j <= last; j++) {
        const from = starts[i] as number;
        const to = ends[j] as number;
        if (lengthIndexed(to - from) && admits(words.slice(from, to))) confirm(joined.slice(from, to));
        if (!withDigitForms) continue;
        const digitFrom = digitStarts[i] as number;
        const digitTo = digitStarts[j + 1] as number;
        // The compact and digit-only forms exist only for n-grams with enough digits (as in formsOf).
        if (digitTo - digitFrom < MIN_DIGITS) continue;
        const compactFrom = compactStarts[i] as number;
        const compactTo = compactStarts[j + 1] as number;
        if (lengthIndexed(compactTo - compactFrom) && admits(compacts.slice(compactFrom, compactTo))) {
          confirm(compactForm(joined.slice(from, to)));
        }
        // NUMBER_LIKE n-grams: at most two leading letters, then digits and separators only.
        numberLike =
          j === i
            ? (opensAlone[i] as boolean)
            : (opensBefore[i] as boolean) && (j === i + 1 || numberLike) && (continues[j] as boolean);
        if (
          numberLike &&
          lengthIndexed(digitTo - digitFrom) &&
          admits(digitsOnly.slice(digitFrom, digitTo))
        ) {
          confirm(onlyDigitsOf(joined.slice(from, to)));
        }
      }
    }
  };
  // Numbers written with any grouping ("+1 (555) 123 4567", "5555 4444 3333 1111"): every run of
  // up to MAX_RUN_GROUPS digit groups, the groups of a run separated by number separators only.
  const groupStarts: number[] = [];
  const groupEnds: number[] = [];
  const bounds: number[] = [];
  const scanDigitRuns = (normalized: string): void => {
    let i = 0;
    const n = normalized.length;
    while (i < n) {
      while (i < n && !isDigit(normalized.charCodeAt(i))) i++;
      if (i >= n) break;
      digitsOnly.reset();
      let groups = 0;
      bounds[0] = 0;
      // One run: digit groups joined by separators; it ends at a character that is neither.
      while (i < n) {
        const start = i;
        while (i < n && isDigit(normalized.charCodeAt(i))) {
          if (groups < MAX_RUN_GROUPS) digitsOnly.push(normalized.charCodeAt(i));
          i++;
        }
        if (groups < MAX_RUN_GROUPS) {
          groupStarts[groups] = start;
          groupEnds[groups] = i;
          groups++;
          bounds[groups] = digitsOnly.length;
        }
        let j = i;
        while (j < n && isNumberSeparator(normalized.charCodeAt(j))) j++;
        if (j < n && isDigit(normalized.charCodeAt(j))) i = j;
        else {
          i = j;
          break;
        }
      }
      for (let a = 0; a < groups; a++) {
        for (let b = a + 1; b <= groups; b++) {
          const from = bounds[a] as number;
          const to = bounds[b] as number;
          if (lengthIndexed(to - from) && admits(digitsOnly.slice(from, to))) {
            let run = '';
            for (let g = a; g < b; g++) run += normalized.slice(groupStarts[g], groupEnds[g]);
            confirm(run);
          }
        }
      }
    }
  };

  return (text: string): readonly number[] => {
    const normalized = normalizeQuickly(text);
    if (normalized.length === 0) return NONE;
    found = [];
    for (const form of formsOf(normalized)) probe(form);
    // One token: its whole-cell forms were probed above, unless punctuation clings to it (an address that ends a sentence: `…@example.com.`)
    const edged =
      EDGE_PUNCTUATION_CHARS.has(normalized[0] as string) ||
      EDGE_PUNCTUATION_CHARS.has(normalized[normalized.length - 1] as string);
    if (!edged && !TOKEN_SEPARATOR.test(normalized)) return found.length === 0 ? NONE : found;
    scanTokens(normalized);
    if (digitCount(normalized) >= p.minLength) scanDigitRuns(normalized);
    return found.length === 0 ? NONE : found;
  };
}
