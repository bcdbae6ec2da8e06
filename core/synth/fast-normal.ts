/**
 * The two normal-distribution primitives the sampling loop calls per cell, made cheap: standard
 * normal deviates by Marsaglia and Tsang's ziggurat (one 32-bit draw and a table lookup for 98.8%
 * of values, against four draws, a log and a square root per pair for the polar method), and Φ by
 * linear interpolation in a fine table (absolute error below 3e-8).
 */
import { createRng, type Rng } from '../random/index.js';
import { normalCdf } from './normal-distribution.js';

// ---------------------------------------------------------------------------------------------
// Ziggurat (Marsaglia & Tsang 2000, 128 layers)
// ---------------------------------------------------------------------------------------------

const LAYERS = 128;
const R = 3.442619855899;
const INV_R = 1 / R;
const KN = new Int32Array(LAYERS);
const WN = new Float64Array(LAYERS);
const FN = new Float64Array(LAYERS);

(function buildZigguratTables(): void {
  const m1 = 2147483648;
  const vn = 9.91256303526217e-3;
  let dn = R;
  let tn = dn;
  const q = vn / Math.exp(-0.5 * dn * dn);
  KN[0] = Math.floor((dn / q) * m1);
  KN[1] = 0;
  WN[0] = q / m1;
  WN[LAYERS - 1] = dn / m1;
  FN[0] = 1;
  FN[LAYERS - 1] = Math.exp(-0.5 * dn * dn);
  for (let i = LAYERS - 2; i >= 1; i--) {
    dn = Math.sqrt(-2 * Math.log(vn / dn + Math.exp(-0.5 * dn * dn)));
    KN[i + 1] = Math.floor((dn / tn) * m1);
    tn = dn;
    FN[i] = Math.exp(-0.5 * dn * dn);
    WN[i] = dn / m1;
  }
})();

/** The slow path of the ziggurat: the wedge of layer `iz`, or the tail beyond R for layer 0. */
function zigguratFix(rng: Rng, hz: number, iz: number): number {
  for (;;) {
    const x = hz * (WN[iz] as number);
    if (iz === 0) {
      let tx: number;
      let ty: number;
      do {
        tx = -Math.log(rng.nextDouble()) * INV_R;
        ty = -Math.log(rng.nextDouble());
      } while (ty + ty < tx * tx);
      return hz > 0 ? R + tx : -R - tx;
    }
    const f1 = FN[iz] as number;
    if (f1 + rng.nextDouble() * ((FN[iz - 1] as number) - f1) < Math.exp(-0.5 * x * x)) return x;
    hz = rng.nextUint32() | 0;
    iz = hz & (LAYERS - 1);
    if (Math.abs(hz) < (KN[iz] as number)) return hz * (WN[iz] as number);
  }
}

/** One standard normal deviate from `rng`. */
export function nextZigguratNormal(rng: Rng): number {
  const hz = rng.nextUint32() | 0;
  const iz = hz & (LAYERS - 1);
  return Math.abs(hz) < (KN[iz] as number) ? hz * (WN[iz] as number) : zigguratFix(rng, hz, iz);
}

/** Fills out[from..to) with standard normal deviates from `rng`. */
export function fillZigguratNormals(rng: Rng, out: Float64Array, from: number, to: number): void {
  for (let i = from; i < to; i++) {
    const hz = rng.nextUint32() | 0;
    const iz = hz & (LAYERS - 1);
    out[i] = Math.abs(hz) < (KN[iz] as number) ? hz * (WN[iz] as number) : zigguratFix(rng, hz, iz);
  }
}

/** State of {@link fillBlockNormals}' generator between its fast loop and its slow path. */
const state = new Int32Array(4);

/** Next xoshiro128** output from `state`, as an unsigned 32-bit integer. */
function stateNext(): number {
  const s0 = state[0] as number;
  const s1 = state[1] as number;
  const s2 = state[2] as number;
  const s3 = state[3] as number;
  let r = Math.imul(s1, 5);
  r = Math.imul((r << 7) | (r >>> 25), 9);
  const t = s1 << 9;
  const n2 = s2 ^ s0;
  const n3 = s3 ^ s1;
  state[1] = s1 ^ n2;
  state[0] = s0 ^ n3;
  state[2] = n2 ^ t;
  state[3] = (n3 << 11) | (n3 >>> 21);
  return r >>> 0;
}

/** Uniform in (0, 1) from `state` (53 bits, never 0). */
function stateDouble(): number {
  const hi = stateNext() >>> 6;
  const lo = stateNext() >>> 5;
  return (hi * 134217728 + lo + 0.5) / 9007199254740992;
}

/** The ziggurat's slow path drawing from `state`. */
function stateFix(hz: number, iz: number): number {
  for (;;) {
    const x = hz * (WN[iz] as number);
    if (iz === 0) {
      let tx: number;
      let ty: number;
      do {
        tx = -Math.log(stateDouble()) * INV_R;
        ty = -Math.log(stateDouble());
      } while (ty + ty < tx * tx);
      return hz > 0 ? R + tx : -R - tx;
    }
    const f1 = FN[iz] as number;
    if (f1 + stateDouble() * ((FN[iz - 1] as number) - f1) < Math.exp(-0.5 * x * x)) return x;
    hz = stateNext() | 0;
    iz = hz & (LAYERS - 1);
    if (Math.abs(hz) < (KN[iz] as number)) return hz * (WN[iz] as number);
  }
}

/**
 * Fills out[0..count) with standard normal deviates from a xoshiro128** stream whose state is
 * the first four words of createRng(seed): the same (seed, count) always gives the same values.
 * The generator runs in local variables (no property access per draw), which is what makes a
 * block of latent normals cheap.
 */
export function fillBlockNormals(seed: number, out: Float64Array, count: number): void {
  const seeder = createRng(seed);
  let s0 = seeder.nextUint32() | 0;
  let s1 = seeder.nextUint32() | 0;
  let s2 = seeder.nextUint32() | 0;
  let s3 = seeder.nextUint32() | 0;
  if ((s0 | s1 | s2 | s3) === 0) s0 = 1;
  for (let i = 0; i < count; i++) {
    let r = Math.imul(s1, 5);
    r = Math.imul((r << 7) | (r >>> 25), 9);
    const t = s1 << 9;
    const n2 = s2 ^ s0;
    const n3 = s3 ^ s1;
    s1 ^= n2;
    s0 ^= n3;
    s2 = n2 ^ t;
    s3 = (n3 << 11) | (n3 >>> 21);
    const hz = r | 0;
    const iz = hz & (LAYERS - 1);
    if (Math.abs(hz) < (KN[iz] as number)) {
      out[i] = hz * (WN[iz] as number);
      continue;
    }
    state[0] = s0;
    state[1] = s1;
    state[2] = s2;
    state[3] = s3;
    out[i] = stateFix(hz, iz);
    s0 = state[0] as number;
    s1 = state[1] as number;
    s2 = state[2] as number;
    s3 = state[3] as number;
  }
}

// ---------------------------------------------------------------------------------------------
// Φ by table
// ---------------------------------------------------------------------------------------------

/** Table range: beyond ±8.5, Φ is computed exactly (a few cells in 10^16). */
const CDF_LIMIT = 8.5;
/** Points per unit of z: the interpolation error h²/8 · max|φ′| is then below 3e-8. */
const CDF_RESOLUTION = 1024;
/** Φ at z = −CDF_LIMIT + i / CDF_RESOLUTION. */
export const CDF_TABLE: Float64Array = (() => {
  const n = 2 * CDF_LIMIT * CDF_RESOLUTION + 2;
  const t = new Float64Array(n);
  for (let i = 0; i < n; i++) t[i] = normalCdf(-CDF_LIMIT + i / CDF_RESOLUTION);
  return t;
})();
/** Offset that maps z to a table position: (z + CDF_LIMIT) · CDF_RESOLUTION. */
export const CDF_TABLE_OFFSET = CDF_LIMIT * CDF_RESOLUTION;
/** See {@link CDF_TABLE}. */
export const CDF_TABLE_SCALE = CDF_RESOLUTION;
const CDF_TABLE_LAST = CDF_TABLE.length - 2;

/** Φ(z) by table interpolation (exact beyond the table). */
export function fastNormalCdf(z: number): number {
  const pos = z * CDF_TABLE_SCALE + CDF_TABLE_OFFSET;
  if (pos >= 0 && pos < CDF_TABLE_LAST) {
    const i = pos | 0;
    const a = CDF_TABLE[i] as number;
    return a + (pos - i) * ((CDF_TABLE[i + 1] as number) - a);
  }
  return normalCdf(z);
}
