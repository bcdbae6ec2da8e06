/**
 * One pass over a column that counts each distinct value. Everything else about a string column
 * (lengths, pattern, dates, top categories) is then computed over the distinct values weighted by
 * their counts, which is far cheaper than revisiting every row when values repeat.
 */
import type { CellValue } from '../table.js';
import { ScratchBuffers } from './scratch-buffers.js';
import type { CategoryCount } from './types.js';

/** Distinct values in first-seen order with their counts. */
export interface StringTally {
  keys: string[];
  counts: Int32Array;
  nullCount: number;
}

/**
 * Beyond this many distinct values the tally leaves the built-in Map for an open-addressing table:
 * on a million unique keys the Map's rehashing and per-entry allocation cost about three times
 * more, while for few distinct values the Map (which caches string hashes) is faster.
 */
const MAP_LIMIT = 1 << 15;

/** FNV-1a over UTF-16 code units. */
function hashString(key: string): number {
  let h = 0x811c9dc5 | 0;
  for (let j = 0; j < key.length; j++) h = Math.imul(h ^ key.charCodeAt(j), 0x01000193);
  return h;
}

/** Counts the distinct values of a column, reading numbers and booleans as their string form. */
export function tallyStrings(values: readonly CellValue[], scratch = new ScratchBuffers()): StringTally {
  const index = new Map<string, number>();
  const keys: string[] = [];
  let counts: Int32Array = new Int32Array(64);
  let nullCount = 0;
  let i = 0;
  for (; i < values.length && keys.length < MAP_LIMIT; i++) {
    const v = values[i];
    if (v === null || v === undefined) {
      nullCount++;
      continue;
    }
    const key = typeof v === 'string' ? v : String(v);
    const at = index.get(key);
    if (at !== undefined) {
      counts[at] = (counts[at] as number) + 1;
      continue;
    }
    if (keys.length === counts.length) counts = grow(counts);
    index.set(key, keys.length);
    counts[keys.length] = 1;
    keys.push(key);
  }
  if (i === values.length) return { keys, counts: counts.subarray(0, keys.length), nullCount };

  // High cardinality: sized for every remaining row being new, so the table never rehashes.
  let capacity = 1 << 16;
  while (capacity < 2 * (keys.length + values.length - i)) capacity *= 2;
  const mask = capacity - 1;
  const table = scratch.int32(capacity, -1);
  let hashes: Int32Array = new Int32Array(counts.length);
  for (let k = 0; k < keys.length; k++) {
    const h = hashString(keys[k] as string);
    hashes[k] = h;
    let slot = h & mask;
    while (table[slot] !== -1) slot = (slot + 1) & mask;
    table[slot] = k;
  }
  for (; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === undefined) {
      nullCount++;
      continue;
    }
    const key = typeof v === 'string' ? v : String(v);
    const h = hashString(key);
    let slot = h & mask;
    for (;;) {
      const k = table[slot] as number;
      if (k === -1) {
        const n = keys.length;
        if (n === counts.length) {
          counts = grow(counts);
          hashes = grow(hashes);
        }
        table[slot] = n;
        hashes[n] = h;
        counts[n] = 1;
        keys.push(key);
        break;
      }
      if (hashes[k] === h && keys[k] === key) {
        counts[k] = (counts[k] as number) + 1;
        break;
      }
      slot = (slot + 1) & mask;
    }
  }
  return { keys, counts: counts.subarray(0, keys.length), nullCount };
}

function grow(a: Int32Array): Int32Array {
  const b = new Int32Array(a.length * 2);
  b.set(a);
  return b;
}

function before(aCount: number, aValue: string, bCount: number, bValue: string): boolean {
  return aCount > bCount || (aCount === bCount && aValue < bValue);
}

/**
 * The `limit` most frequent values, by count descending then value ascending (code-unit order, so
 * the result does not depend on the machine's locale). A bounded insertion list keeps this linear
 * for columns with a million distinct values.
 */
export function topCounts(
  keys: readonly string[],
  counts: ArrayLike<number>,
  limit: number,
): CategoryCount[] {
  const top: CategoryCount[] = [];
  if (limit <= 0) return top;
  for (let i = 0; i < keys.length; i++) {
    const value = keys[i] as string;
    const count = counts[i] as number;
    const last = top[top.length - 1];
    if (top.length === limit && last !== undefined && !before(count, value, last.count, last.value)) continue;
    let at = top.length;
    while (at > 0) {
      const prev = top[at - 1] as CategoryCount;
      if (!before(count, value, prev.count, prev.value)) break;
      at--;
    }
    top.splice(at, 0, { value, count });
    if (top.length > limit) top.pop();
  }
  return top;
}
