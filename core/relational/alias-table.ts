/**
 * Walker's alias method: O(n) to build, O(1) per weighted pick. Used to pick the secondary parent
 * of each child row in proportion to the parent's drawn popularity.
 */
import type { Rng } from '../random/index.js';

/** A prepared weighted picker over indices 0..n−1. */
export interface AliasTable {
  size: number;
  probability: Float64Array;
  alias: Int32Array;
}

/** Builds the alias table of non-negative weights; all-zero weights pick uniformly. */
export function createAliasTable(weights: ArrayLike<number>): AliasTable {
  const n = weights.length;
  const probability = new Float64Array(n);
  const alias = new Int32Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) total += weights[i] as number;
  const scaled = new Float64Array(n);
  for (let i = 0; i < n; i++) scaled[i] = total > 0 ? ((weights[i] as number) * n) / total : 1;
  const small = new Int32Array(n);
  const large = new Int32Array(n);
  let ns = 0;
  let nl = 0;
  for (let i = 0; i < n; i++) {
    if ((scaled[i] as number) < 1) small[ns++] = i;
    else large[nl++] = i;
  }
  while (ns > 0 && nl > 0) {
    const s = small[--ns] as number;
    const l = large[nl - 1] as number;
    probability[s] = scaled[s] as number;
    alias[s] = l;
    scaled[l] = (scaled[l] as number) + (scaled[s] as number) - 1;
    if ((scaled[l] as number) < 1) {
      nl--;
      small[ns++] = l;
    }
  }
  // Leftovers are 1 up to rounding error.
  while (nl > 0) probability[large[--nl] as number] = 1;
  while (ns > 0) probability[small[--ns] as number] = 1;
  return { size: n, probability, alias };
}

/** One weighted pick. */
export function pickAlias(table: AliasTable, rng: Rng): number {
  const i = rng.nextIntLarge(table.size);
  return rng.nextDouble() < (table.probability[i] as number) ? i : (table.alias[i] as number);
}
