/**
 * A 64-bit hash (two 32-bit multiply-xorshift lanes) of a key made of cells, computed without
 * building strings: uniqueness checks hash every row of every chunk. Cells are type-tagged and
 * strings length-prefixed, so `1` and `"1"` differ and cell boundaries cannot shift; 0 and −0 agree.
 */
import type { CellValue } from '../table.js';

const TAG_NULL = 1;
const TAG_FALSE = 2;
const TAG_TRUE = 3;
const TAG_NUMBER = 4;
const TAG_STRING = 5;
const M1 = 0x9e3779b1;
const M2 = 0x5f356495;

const float = new Float64Array(1);
const words = new Uint32Array(float.buffer);

/** Running state of a key hash; `lo`/`hi` hold the result after {@link finishKeyHash}. */
export interface KeyHash {
  a: number;
  b: number;
  lo: number;
  hi: number;
}

/** A fresh hash state (reuse one per loop to avoid allocation). */
export function createKeyHash(): KeyHash {
  return { a: 0, b: 0, lo: 0, hi: 0 };
}

/** Resets the state before hashing a new key. */
export function startKeyHash(h: KeyHash): void {
  h.a = 0x2545f491;
  h.b = 0x41c6ce57;
}

function mix(h: KeyHash, word: number): void {
  let a = Math.imul(h.a ^ word, M1);
  a ^= a >>> 15;
  let b = Math.imul(h.b ^ word, M2);
  b ^= b >>> 13;
  h.a = a;
  h.b = b;
}

/** Adds one cell to the key being hashed. */
export function addCellToKeyHash(h: KeyHash, v: CellValue | undefined): void {
  if (v === null || v === undefined) mix(h, TAG_NULL);
  else if (typeof v === 'number') {
    mix(h, TAG_NUMBER);
    float[0] = v === 0 ? 0 : v;
    mix(h, words[0] as number);
    mix(h, words[1] as number);
  } else if (typeof v === 'boolean') mix(h, v ? TAG_TRUE : TAG_FALSE);
  else {
    mix(h, TAG_STRING);
    mix(h, v.length);
    for (let i = 0; i < v.length; i++) mix(h, v.charCodeAt(i));
  }
}

/** Finalises the hash into `lo`/`hi` (cross-mixed so that both words depend on both lanes). */
export function finishKeyHash(h: KeyHash): void {
  let x = Math.imul(h.a ^ (h.a >>> 16), 0x85ebca6b);
  x ^= Math.imul(h.b ^ (h.b >>> 13), 0xc2b2ae35);
  let y = Math.imul(h.b ^ (h.b >>> 16), 0x85ebca6b);
  y ^= Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  h.lo = (x ^ (x >>> 16)) >>> 0;
  h.hi = (y ^ (y >>> 16)) >>> 0;
}
