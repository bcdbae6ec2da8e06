/**
 * A small, fast, seeded pseudo-random generator (xoshiro128**, 32-bit words) with the
 * distributions the synthesizer needs. Hand-written rather than pure-rand's generator because
 * sampling calls it tens of millions of times per chunk (see bench/synth-core.ts for the numbers).
 */

const TWO_POW_26 = 67108864;
const TWO_POW_32 = 4294967296;
const TWO_POW_MINUS_53 = 1 / 9007199254740992;

/** Mutable PRNG state plus cached normal deviate; create one per independent stream. */
export class Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  private spareNormal = 0;
  private hasSpareNormal = false;

  /** Seeds the four state words from a 32-bit seed via splitmix32, so nearby seeds give unrelated streams. */
  constructor(seed: number) {
    let x = seed >>> 0;
    const next = (): number => {
      x = (x + 0x9e3779b9) | 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) | 0;
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
    // xoshiro's all-zero state is a fixed point; splitmix32 cannot produce four zeros, but be explicit.
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** A generator with the given raw xoshiro128** state words (for reference vectors in tests). */
  static fromState(s0: number, s1: number, s2: number, s3: number): Rng {
    const rng = new Rng(0);
    rng.s0 = s0 | 0;
    rng.s1 = s1 | 0;
    rng.s2 = s2 | 0;
    rng.s3 = s3 | 0;
    return rng;
  }

  /** Next uniformly distributed unsigned 32-bit integer. */
  nextUint32(): number {
    const s0 = this.s0;
    const s1 = this.s1;
    const s2 = this.s2;
    const s3 = this.s3;
    let r = Math.imul(s1, 5);
    r = Math.imul((r << 7) | (r >>> 25), 9);
    const t = s1 << 9;
    const n2 = s2 ^ s0;
    const n3 = s3 ^ s1;
    this.s1 = s1 ^ n2;
    this.s0 = s0 ^ n3;
    this.s2 = n2 ^ t;
    this.s3 = (n3 << 11) | (n3 >>> 21);
    return r >>> 0;
  }

  /** Uniform double strictly inside (0, 1) with 53 bits of resolution (never 0, so logs and Φ⁻¹ stay finite). */
  nextDouble(): number {
    const hi = this.nextUint32() >>> 6;
    const lo = this.nextUint32() >>> 5;
    return (hi * 134217728 + lo + 0.5) * TWO_POW_MINUS_53;
  }

  /** Uniform integer in [0, n) for 1 ≤ n ≤ 2^26 (bias below 2^-6 relative at the limit, far below for small n). */
  nextInt(n: number): number {
    return Math.floor((this.nextUint32() / TWO_POW_32) * n);
  }

  /** Uniform integer in [0, n) for any n up to 2^53, without modulo bias worth measuring. */
  nextIntLarge(n: number): number {
    if (n <= TWO_POW_26) return this.nextInt(n);
    return Math.floor(this.nextDouble() * n);
  }

  /** True with probability `p`. */
  nextBoolean(p: number): boolean {
    return this.nextUint32() < p * TWO_POW_32;
  }

  /** Standard normal deviate by the Marsaglia polar method; the second deviate of each pair is cached. */
  nextNormal(): number {
    if (this.hasSpareNormal) {
      this.hasSpareNormal = false;
      return this.spareNormal;
    }
    let u: number;
    let v: number;
    let s: number;
    do {
      u = this.nextDouble() * 2 - 1;
      v = this.nextDouble() * 2 - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const m = Math.sqrt((-2 * Math.log(s)) / s);
    this.spareNormal = v * m;
    this.hasSpareNormal = true;
    return u * m;
  }

  /** Fills `out` with standard normal deviates (cheaper per value than repeated nextNormal calls). */
  fillNormals(out: Float64Array): void {
    const n = out.length;
    let i = 0;
    if (this.hasSpareNormal && n > 0) {
      out[i++] = this.spareNormal;
      this.hasSpareNormal = false;
    }
    while (i < n) {
      let u: number;
      let v: number;
      let s: number;
      do {
        u = this.nextDouble() * 2 - 1;
        v = this.nextDouble() * 2 - 1;
        s = u * u + v * v;
      } while (s >= 1 || s === 0);
      const m = Math.sqrt((-2 * Math.log(s)) / s);
      out[i++] = u * m;
      if (i < n) out[i++] = v * m;
      else {
        this.spareNormal = v * m;
        this.hasSpareNormal = true;
      }
    }
  }
}

/** A generator for one stream, seeded with a 32-bit integer (use deriveSeed to name streams). */
export function createRng(seed: number): Rng {
  return new Rng(seed);
}
