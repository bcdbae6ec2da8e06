/**
 * Seed derivation: every independent random stream of a run (chunk k, column c of chunk k, …)
 * gets its own 32-bit seed hashed from the run seed, so streams never depend on each other's
 * call counts and chunks can be sampled in any order, on any worker.
 */

const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;
const TWO_POW_32 = 4294967296;

/** Largest accepted seed (seeds are unsigned 32-bit integers). */
export const MAX_SEED = 0xffffffff;

/** A stable, well-spread 32-bit seed for the stream named by `parts` under `seed` (MurmurHash3 x86_32 over the words). */
export function deriveSeed(seed: number, ...parts: number[]): number {
  let h = mixWord(0x5bd1e995, toUint32(seed));
  let words = 1;
  for (const part of parts) {
    // Parts above 2^32 (large row numbers) contribute their high word too, so they never alias.
    const hi = Math.floor(Math.abs(part) / TWO_POW_32) >>> 0;
    h = mixWord(h, toUint32(part));
    h = mixWord(h, hi ^ (part < 0 ? 0x80000000 : 0));
    words += 2;
  }
  return finalizeMix(h ^ words);
}

/** The 32-bit avalanche finaliser of MurmurHash3: every input bit flips each output bit with probability ≈ ½. */
export function finalizeMix(value: number): number {
  let h = value | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function mixWord(h: number, word: number): number {
  let k = Math.imul(word, C1);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, C2);
  h ^= k;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

function toUint32(value: number): number {
  // Non-integers are truncated rather than rejected: seeds come from validated config upstream.
  return Math.trunc(value) >>> 0;
}
