/**
 * Row fingerprints for the exact-copy check: a 64-bit hash (two 32-bit multiply-xorshift lanes,
 * cross-mixed at the end) over a canonical, type-tagged, length-prefixed encoding of the cells.
 * Numbers hash by value (so 0 and −0 agree), ISO dates and timestamps by instant (so a date read
 * back as `2024-01-02T00:00:00.000Z` still matches `2024-01-02`).
 */
import { daysFromCivil, DAY_MS, parseDatetimeMs } from '../synth/datetime-codec.js';
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
const HEX_BYTE: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

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
          ? instantOf(v)
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
  return (
    (HEX_BYTE[(x >>> 24) & 255] as string) +
    HEX_BYTE[(x >>> 16) & 255] +
    HEX_BYTE[(x >>> 8) & 255] +
    HEX_BYTE[x & 255] +
    HEX_BYTE[(y >>> 24) & 255] +
    HEX_BYTE[(y >>> 16) & 255] +
    HEX_BYTE[(y >>> 8) & 255] +
    HEX_BYTE[y & 255]
  );
}

function digit(s: string, i: number): number {
  return s.charCodeAt(i) - 48;
}

/** Epoch ms of an ISO date/timestamp string; the two canonical layouts are read without a regex. */
function instantOf(s: string): number {
  if (s.length === 10 || (s.length === 24 && s.charCodeAt(10) === 84 && s.charCodeAt(23) === 90)) {
    const year = digit(s, 0) * 1000 + digit(s, 1) * 100 + digit(s, 2) * 10 + digit(s, 3);
    const month = digit(s, 5) * 10 + digit(s, 6);
    const day = digit(s, 8) * 10 + digit(s, 9);
    if (month >= 1 && month <= 12 && day >= 1 && day <= 31 && allDigits(s)) {
      let ms = daysFromCivil(year, month, day) * DAY_MS;
      if (s.length === 24) {
        ms +=
          (digit(s, 11) * 10 + digit(s, 12)) * 3_600_000 +
          (digit(s, 14) * 10 + digit(s, 15)) * 60_000 +
          (digit(s, 17) * 10 + digit(s, 18)) * 1000 +
          digit(s, 20) * 100 +
          digit(s, 21) * 10 +
          digit(s, 22);
      }
      return ms;
    }
  }
  return parseDatetimeMs(s);
}

/** Whether the digit positions of `YYYY-MM-DD[THH:mm:ss.sssZ]` hold digits and the separators are right. */
function allDigits(s: string): boolean {
  const layout = s.length === 10 ? 'dddd-dd-dd' : 'dddd-dd-ddTdd:dd:dd.dddZ';
  for (let i = 0; i < layout.length; i++) {
    const code = s.charCodeAt(i);
    if (layout.charCodeAt(i) === 100) {
      if (code < 48 || code > 57) return false;
    } else if (code !== layout.charCodeAt(i)) return false;
  }
  return true;
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
