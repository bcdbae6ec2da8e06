/**
 * Latent normals of the copula, one block of rows at a time. Block b of a run draws its
 * independent normals from a stream seeded with deriveSeed(seed, b), always the whole block in
 * the same order, and correlates them with the Cholesky factor; a chunk that starts or ends
 * inside a block correlates (and decodes) only its rows. So row n's latent vector is a function of
 * (model, seed, n) alone.
 */
import { deriveSeed, type Rng } from '../random/index.js';
import { fillBlockNormals, fillZigguratNormals } from './fast-normal.js';
import { BLOCK_ROWS, type PreparedModel } from './prepared-model.js';

/** A scratch buffer for one block of latent normals (dimension-major, d × BLOCK_ROWS). */
export function createLatentBuffer(d: number): Float64Array {
  return new Float64Array(Math.max(1, d) * BLOCK_ROWS);
}

/**
 * Fills `z` with block b's latent normals: independent draws for the whole block, then, for rows
 * [lo, hi), correlated in place (z_j = Σ_{k≤j} L_jk·e_k, computed for j from last to first so
 * each e_k is still unmodified when read).
 */
export function latentBlock(
  prepared: PreparedModel,
  seed: number,
  block: number,
  lo: number,
  hi: number,
  z: Float64Array,
): void {
  const d = prepared.d;
  if (d === 0) return;
  fillBlockNormals(deriveSeed(seed, block), z, d * BLOCK_ROWS);
  correlateRows(prepared, z, lo, hi);
}

/** Latent normals of a single row into column 0 of `z`, drawn from `rng` (for redraws). */
export function latentRow(prepared: PreparedModel, rng: Rng, z: Float64Array): void {
  const d = prepared.d;
  for (let j = 0; j < d; j++) z[j * BLOCK_ROWS] = fillOne(rng);
  correlateRows(prepared, z, 0, 1);
}

const one = new Float64Array(1);
function fillOne(rng: Rng): number {
  fillZigguratNormals(rng, one, 0, 1);
  return one[0] as number;
}

/**
 * Applies the Cholesky factor in place to rows [lo, hi) of a dimension-major block. Terms are
 * added eight dimensions at a time (one load and store of z_j per eight products), and exact zeros
 * of the factor (independent groups of columns) are skipped.
 */
export function correlateRows(prepared: PreparedModel, z: Float64Array, lo: number, hi: number): void {
  const compiled = prepared.correlate;
  if (compiled !== undefined) {
    compiled(z, lo, hi);
    return;
  }
  const d = prepared.d;
  const l = prepared.cholesky;
  const terms = prepared.terms;
  for (let j = d - 1; j >= 0; j--) {
    const zj = j * BLOCK_ROWS;
    const diagonal = l[j * d + j] as number;
    if (diagonal !== 1) for (let r = lo; r < hi; r++) z[zj + r] = diagonal * (z[zj + r] as number);
    const list = terms[j] as Int32Array;
    const n = list.length;
    let t = 0;
    for (; t + 7 < n; t += 8) {
      const a0 = (list[t] as number) * BLOCK_ROWS;
      const a1 = (list[t + 1] as number) * BLOCK_ROWS;
      const a2 = (list[t + 2] as number) * BLOCK_ROWS;
      const a3 = (list[t + 3] as number) * BLOCK_ROWS;
      const a4 = (list[t + 4] as number) * BLOCK_ROWS;
      const a5 = (list[t + 5] as number) * BLOCK_ROWS;
      const a6 = (list[t + 6] as number) * BLOCK_ROWS;
      const a7 = (list[t + 7] as number) * BLOCK_ROWS;
      const c0 = l[j * d + (list[t] as number)] as number;
      const c1 = l[j * d + (list[t + 1] as number)] as number;
      const c2 = l[j * d + (list[t + 2] as number)] as number;
      const c3 = l[j * d + (list[t + 3] as number)] as number;
      const c4 = l[j * d + (list[t + 4] as number)] as number;
      const c5 = l[j * d + (list[t + 5] as number)] as number;
      const c6 = l[j * d + (list[t + 6] as number)] as number;
      const c7 = l[j * d + (list[t + 7] as number)] as number;
      for (let r = lo; r < hi; r++) {
        z[zj + r] =
          (z[zj + r] as number) +
          c0 * (z[a0 + r] as number) +
          c1 * (z[a1 + r] as number) +
          c2 * (z[a2 + r] as number) +
          c3 * (z[a3 + r] as number) +
          c4 * (z[a4 + r] as number) +
          c5 * (z[a5 + r] as number) +
          c6 * (z[a6 + r] as number) +
          c7 * (z[a7 + r] as number);
      }
    }
    for (; t + 3 < n; t += 4) {
      const a0 = (list[t] as number) * BLOCK_ROWS;
      const a1 = (list[t + 1] as number) * BLOCK_ROWS;
      const a2 = (list[t + 2] as number) * BLOCK_ROWS;
      const a3 = (list[t + 3] as number) * BLOCK_ROWS;
      const c0 = l[j * d + (list[t] as number)] as number;
      const c1 = l[j * d + (list[t + 1] as number)] as number;
      const c2 = l[j * d + (list[t + 2] as number)] as number;
      const c3 = l[j * d + (list[t + 3] as number)] as number;
      for (let r = lo; r < hi; r++) {
        z[zj + r] =
          (z[zj + r] as number) +
          c0 * (z[a0 + r] as number) +
          c1 * (z[a1 + r] as number) +
          c2 * (z[a2 + r] as number) +
          c3 * (z[a3 + r] as number);
      }
    }
    for (; t < n; t++) {
      const k = list[t] as number;
      const c = l[j * d + k] as number;
      const a = k * BLOCK_ROWS;
      for (let r = lo; r < hi; r++) z[zj + r] = (z[zj + r] as number) + c * (z[a + r] as number);
    }
  }
}
