import { endianness } from 'node:os';
import type { DuckDBVector } from '@duckdb/node-api';
import type { CellValue } from '../../core/table.js';

/**
 * Fast paths around @duckdb/node-api's per-item vector accessors, whose validity checks allocate BigInts
 * for every item of a column that has nulls (measured at several times the cost of the value itself).
 * Numeric vectors expose a typed array of items and a 64-bit validity mask at runtime; when that shape is
 * present (checked, not assumed) they are read directly, otherwise the public `getItem` is used, so a
 * library upgrade can only make this slower, never wrong.
 */

interface NumericInternals {
  items?: unknown;
  validity?: { data?: unknown; offset?: unknown };
}

const LITTLE_ENDIAN = endianness() === 'LE';

/**
 * Copies items `[from, from + count)` of a vector into `out` from index `at`, mapping non-null values
 * through `map` when given.
 */
export function readVectorInto(
  vector: DuckDBVector,
  count: number,
  out: CellValue[],
  at: number,
  map?: (value: number) => CellValue,
  from = 0,
): void {
  const internals = vector as unknown as NumericInternals;
  const items = internals.items;
  const validity = internals.validity;
  const mask = validity?.data;
  const offset = validity?.offset;
  if (
    LITTLE_ENDIAN &&
    (items instanceof Float64Array || items instanceof Int32Array) &&
    items.length >= from + count &&
    (mask === null || mask instanceof BigUint64Array) &&
    typeof offset === 'number'
  ) {
    const words = mask === null ? null : new Uint32Array(mask.buffer, mask.byteOffset, mask.length * 2);
    let k = at;
    for (let i = from; i < from + count; i++, k++) {
      const bit = offset + i;
      if (words !== null && ((words[bit >>> 5] as number) >>> (bit & 31)) % 2 === 0) out[k] = null;
      else out[k] = map ? map(items[i] as number) : (items[i] as number);
    }
    return;
  }
  let k = at;
  for (let i = from; i < from + count; i++, k++) {
    const value = vector.getItem(i) as CellValue;
    out[k] = value === null || !map ? value : map(value as number);
  }
}
