/**
 * Row fingerprints for the exact-copy check: a 64-bit hash (two 32-bit multiply-xorshift lanes,
 * cross-mixed at the end) over a canonical, type-tagged, length-prefixed encoding of the cells.
 * Numbers hash by value (so 0 and −0 agree), ISO dates and timestamps by instant (so a date read
 * back as `2024-01-02T00:00:00.000Z` still matches `2024-01-02`).
 */
import { parseDatetimeMs } from '../synth/datetime-codec.js';
import type { CellValue, ColumnData, Table } from '../table.js';

const TAG_NULL = 1;
const TAG_FALSE = 2;
const TAG_TRUE = 3;
const TAG_NUMBER = 4;
const TAG_STRING = 5;
const TAG_INSTANT = 6;

const M1 = 0x9e3779b1;
const M2 = 0x5f356495;

const float = new Float64Array(1);
const words = new Uint32Array(float.buffer);

/** Reads one cell of the row being fingerprinted. */
type CellReader = (c: number) => CellValue | undefined;

function fingerprintCells(count: number, read: CellReader): string {
  let a = 0xdeadbeef | 0;
  let b = 0x41c6ce57;
  for (let c = 0; c < count; c++) {
    const v = read(c);
    let tag: number;
    let number = 0;
    let text: string | undefined;
    if (v === null || v === undefined) tag = TAG_NULL;
    else if (typeof v === 'number') {
      tag = TAG_NUMBER;
      number = v;
    } else if (typeof v === 'boolean') tag = v ? TAG_TRUE : TAG_FALSE;
    else {
      const ms =
        v.length >= 10 && v.length <= 40 && v.charCodeAt(4) === 45 && v.charCodeAt(7) === 45
          ? parseDatetimeMs(v)
          : NaN;
      if (ms === ms) {
        tag = TAG_INSTANT;
        number = ms;
      } else {
        tag = TAG_STRING;
        text = v;
      }
    }
    a = Math.imul(a ^ tag, M1);
    a ^= a >>> 15;
    b = Math.imul(b ^ tag, M2);
    b ^= b >>> 13;
    if (tag === TAG_NUMBER || tag === TAG_INSTANT) {
      // 0 and −0 are one value; every NaN is one value.
      float[0] = number === 0 ? 0 : number === number ? number : NaN;
      const w0 = words[0] as number;
      const w1 = words[1] as number;
      a = Math.imul(a ^ w0, M1);
      a ^= a >>> 15;
      b = Math.imul(b ^ w0, M2);
      b ^= b >>> 13;
      a = Math.imul(a ^ w1, M1);
      a ^= a >>> 15;
      b = Math.imul(b ^ w1, M2);
      b ^= b >>> 13;
    } else if (text !== undefined) {
      // Length first, so cell boundaries can never shift between rows with equal concatenations.
      const n = text.length;
      a = Math.imul(a ^ n, M1);
      a ^= a >>> 15;
      b = Math.imul(b ^ n, M2);
      b ^= b >>> 13;
      for (let i = 0; i < n; i++) {
        const ch = text.charCodeAt(i);
        a = Math.imul(a ^ ch, M1);
        a ^= a >>> 15;
        b = Math.imul(b ^ ch, M2);
        b ^= b >>> 13;
      }
    }
  }
  a = Math.imul(a ^ count, M1);
  b = Math.imul(b ^ count, M2);
  let x = Math.imul(a ^ (a >>> 16), 0x85ebca6b);
  x ^= Math.imul(b ^ (b >>> 13), 0xc2b2ae35);
  let y = Math.imul(b ^ (b >>> 16), 0x85ebca6b);
  y ^= Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  x ^= x >>> 16;
  y ^= y >>> 16;
  // One flat 16-character string: Set lookups hash it at once instead of flattening a concatenation.
  return String.fromCharCode(
    hex(x >>> 28),
    hex(x >>> 24),
    hex(x >>> 20),
    hex(x >>> 16),
    hex(x >>> 12),
    hex(x >>> 8),
    hex(x >>> 4),
    hex(x),
    hex(y >>> 28),
    hex(y >>> 24),
    hex(y >>> 20),
    hex(y >>> 16),
    hex(y >>> 12),
    hex(y >>> 8),
    hex(y >>> 4),
    hex(y),
  );
}

/** Character code of the hex digit for the low four bits. */
function hex(v: number): number {
  const d = v & 15;
  return d < 10 ? 48 + d : 87 + d;
}

/** A canonical 64-bit fingerprint (16 hex digits) of a row's cells, in order. */
export function rowFingerprint(row: ArrayLike<CellValue>): string {
  return fingerprintCells(row.length, (c) => row[c]);
}

/** The fingerprint of row `i` of a table, equal to rowFingerprint(rowAt(table, i)) without building the row. */
export function tableRowFingerprint(table: Table, i: number): string {
  const columns = table.columns;
  return fingerprintCells(columns.length, (c) => (columns[c] as ColumnData).values[i]);
}

/** Fingerprints of every row of a table (the real sample, for the exact-copy check). */
export function fingerprintTable(table: Table): Set<string> {
  const out = new Set<string>();
  for (let i = 0; i < table.rowCount; i++) out.add(tableRowFingerprint(table, i));
  return out;
}

/** Synthetic rows whose fingerprint is among the real ones (columns must be in the same order). */
export function countExactCopies(realFingerprints: Set<string>, synthetic: Table): number {
  let copies = 0;
  for (let i = 0; i < synthetic.rowCount; i++)
    if (realFingerprints.has(tableRowFingerprint(synthetic, i))) copies++;
  return copies;
}

/** Finds synthetic rows equal to a real row, with a cheap first pass over the numeric columns. */
export interface ExactCopyDetector {
  /** Whether row `i` of `synthetic` equals some real row. */
  isCopy(synthetic: Table, i: number): boolean;
  /** How many rows of `synthetic` equal some real row. */
  count(synthetic: Table): number;
}

/**
 * An exact-copy detector for tables with the real table's columns in the same order. Hashing every
 * cell of every synthetic row costs more than sampling it when rows hold long strings, so rows are
 * first hashed over the numeric and boolean columns only: a row whose numbers match no real row
 * cannot be a copy, and only the few that do are fingerprinted in full.
 */
export function createExactCopyDetector(real: Table): ExactCopyDetector {
  const full = fingerprintTable(real);
  const cheap = Int32Array.from(
    real.columns.flatMap((c, i) =>
      c.type === 'integer' || c.type === 'float' || c.type === 'boolean' ? [i] : [],
    ),
  );
  const prefilter =
    cheap.length === 0 || cheap.length === real.columns.length ? null : numericKeys(real, cheap);
  const isCopy = (synthetic: Table, i: number): boolean => {
    if (prefilter !== null) {
      const key = numericKey(synthetic.columns, cheap, i);
      // A cell of another type (key −1) says nothing: such rows get the full check.
      if (key >= 0 && !prefilter.has(key)) return false;
    }
    return full.has(tableRowFingerprint(synthetic, i));
  };
  return {
    isCopy,
    count(synthetic) {
      let copies = 0;
      for (let i = 0; i < synthetic.rowCount; i++) if (isCopy(synthetic, i)) copies++;
      return copies;
    },
  };
}

/** The numeric keys of every real row, or null when some cell is not a number, boolean or null. */
function numericKeys(table: Table, cheap: Int32Array): Set<number> | null {
  const out = new Set<number>();
  for (let i = 0; i < table.rowCount; i++) {
    const key = numericKey(table.columns, cheap, i);
    if (key < 0) return null;
    out.add(key);
  }
  return out;
}

/**
 * A 30-bit hash of row i's numeric and boolean cells (canonical like the full fingerprint: 0 and −0
 * agree, every NaN agrees), or −1 when one of them holds another type. Equal cells give equal keys,
 * so a key absent from the real rows' keys proves the row is no copy; a small integer key needs no
 * string and hashes cheaply in a Set.
 */
function numericKey(columns: readonly ColumnData[], cheap: Int32Array, i: number): number {
  let a = 0x2545f491;
  for (let k = 0; k < cheap.length; k++) {
    const v = (columns[cheap[k] as number] as ColumnData).values[i];
    let tag: number;
    if (typeof v === 'number') {
      tag = TAG_NUMBER;
      float[0] = v === 0 ? 0 : v === v ? v : NaN;
      a = Math.imul(a ^ (words[0] as number), M1);
      a ^= a >>> 15;
      a = Math.imul(a ^ (words[1] as number), M1);
      a ^= a >>> 15;
    } else if (v === null || v === undefined) tag = TAG_NULL;
    else if (typeof v === 'boolean') tag = v ? TAG_TRUE : TAG_FALSE;
    else return -1;
    a = Math.imul(a ^ tag, M2);
    a ^= a >>> 13;
  }
  a = Math.imul(a ^ (a >>> 16), 0x85ebca6b);
  a ^= a >>> 13;
  return a >>> 2;
}
