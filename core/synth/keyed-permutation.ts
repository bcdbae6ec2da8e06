/**
 * A keyed bijection of [0, n) for any n ≤ 2^50: a four-round Feistel network over the smallest
 * even number of bits that covers n, with cycle-walking back into range. Unique keys that must
 * not look sequential (a phone number used as a key) are perm(rowNumber): distinct rows give
 * distinct values, and neighbouring rows give unrelated ones.
 */
import { finalizeMix } from '../random/index.js';

/** Largest domain supported (halves of at most 25 bits keep every round in 32-bit arithmetic). */
export const MAX_PERMUTATION_DOMAIN = 2 ** 50;

/** Maps x in [0, n) to a distinct value in [0, n). */
export type Permutation = (x: number) => number;

/** A permutation of [0, n) keyed by a 32-bit key; the same (n, key) always gives the same permutation. */
export function createPermutation(n: number, key: number): Permutation {
  if (!(n >= 1 && n <= MAX_PERMUTATION_DOMAIN && Number.isInteger(n)))
    throw new RangeError('domain must be an integer in 1..2^50');
  if (n === 1) return () => 0;
  let bits = Math.ceil(Math.log2(n));
  if (bits % 2 === 1) bits++;
  const half = bits / 2;
  const size = 2 ** half;
  const mask = size - 1;
  const keys = [0, 1, 2, 3].map((i) => finalizeMix((key ^ Math.imul(i + 1, 0x9e3779b1)) >>> 0));
  const k0 = keys[0] as number;
  const k1 = keys[1] as number;
  const k2 = keys[2] as number;
  const k3 = keys[3] as number;
  const round = (left: number, right: number, k: number): number =>
    (left ^ (finalizeMix((right ^ k) >>> 0) & mask)) >>> 0;
  // Domains up to 2^30 fit 32-bit integer arithmetic; larger ones split with floating-point division.
  const encrypt =
    bits <= 30
      ? (x: number): number => {
          let l = x >>> half;
          let r = x & mask;
          let t = round(l, r, k0);
          l = r;
          r = t;
          t = round(l, r, k1);
          l = r;
          r = t;
          t = round(l, r, k2);
          l = r;
          r = t;
          t = round(l, r, k3);
          return ((r << half) | t) >>> 0;
        }
      : (x: number): number => {
          // Unrolled like the 32-bit path: a loop over the key array kept this path several times slower.
          let l = Math.floor(x / size);
          let r = x - l * size;
          let t = round(l, r, k0);
          l = r;
          r = t;
          t = round(l, r, k1);
          l = r;
          r = t;
          t = round(l, r, k2);
          l = r;
          r = t;
          t = round(l, r, k3);
          return r * size + t;
        };
  return (x) => {
    // Cycle-walking: the covering domain is at most 4n, so a few steps reach [0, n) on average.
    let y = encrypt(x);
    while (y >= n) y = encrypt(y);
    return y;
  };
}
