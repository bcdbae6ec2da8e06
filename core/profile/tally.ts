/**
 * One pass over a column that counts each distinct value. Everything else about a string column
 * (lengths, pattern, dates, top categories) is then computed over the distinct values weighted by
 * their counts, which is far cheaper than revisiting every row when values repeat.
 */
import type { CellValue } from '../table.js';
import type { CategoryCount } from './types.js';

/** Distinct values in first-seen order with their counts. */
export interface StringTally {
  keys: string[];
  counts: number[];
  nullCount: number;
}

/** Counts the distinct values of a column, reading numbers and booleans as their string form. */
export function tallyStrings(values: readonly CellValue[]): StringTally {
  const index = new Map<string, number>();
  const keys: string[] = [];
  const counts: number[] = [];
  let nullCount = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === undefined) {
      nullCount++;
      continue;
    }
    const key = typeof v === 'string' ? v : String(v);
    const at = index.get(key);
    if (at === undefined) {
      index.set(key, keys.length);
      keys.push(key);
      counts.push(1);
    } else {
      counts[at] = (counts[at] as number) + 1;
    }
  }
  return { keys, counts, nullCount };
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
  counts: readonly number[],
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
