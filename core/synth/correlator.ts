/**
 * The Cholesky product of the copula compiled to straight-line code for the model at hand.
 */
import { BLOCK_ROWS } from './block-rows.js';

/** Largest dimension count compiled into straight-line code (d(d+1)/2 terms). */
export const MAX_COMPILED_DIMENSIONS = 64;

/**
 * The product z = L·e for rows [lo, hi) of a dimension-major block, compiled into straight-line
 * code with the factor's entries as constants: each row's e_k are read into locals once and every
 * z_j is one expression, so a row costs d loads, d stores and the multiply-adds (about three times
 * faster than the general loop of latent-block.ts). Only numbers produced by our own Cholesky factorisation
 * (finite doubles, written with round-trip precision) and integer offsets enter the source, so the
 * generated function is exactly the product in a fixed order, on every machine.
 */
export function compileCorrelator(
  cholesky: Float64Array,
  d: number,
): ((z: Float64Array, lo: number, hi: number) => void) | undefined {
  if (d === 0 || d > MAX_COMPILED_DIMENSIONS) return undefined;
  const lines: string[] = ['for (let r = lo; r < hi; r++) {'];
  for (let k = 0; k < d; k++) lines.push(`const e${k} = z[${k * BLOCK_ROWS} + r];`);
  for (let j = 0; j < d; j++) {
    const terms: string[] = [];
    for (let k = 0; k <= j; k++) {
      const c = cholesky[j * d + k] as number;
      if (!Number.isFinite(c)) return undefined;
      if (c !== 0) terms.push(`${String(c)} * e${k}`);
    }
    lines.push(`z[${j * BLOCK_ROWS} + r] = ${terms.length > 0 ? terms.join(' + ') : '0'};`);
  }
  lines.push('}');
  return new Function('z', 'lo', 'hi', lines.join('\n')) as (z: Float64Array, lo: number, hi: number) => void;
}
