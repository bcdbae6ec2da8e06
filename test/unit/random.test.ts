import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRng, deriveSeed, MAX_SEED, Rng } from '../../core/random/index.js';

describe('deriveSeed', () => {
  it('is stable across releases (fixed vectors)', () => {
    // Changing these values changes every synthetic dataset ever generated from a seed.
    expect([
      deriveSeed(0),
      deriveSeed(1),
      deriveSeed(42, 0),
      deriveSeed(42, 1),
      deriveSeed(42, 1, 3),
    ]).toEqual([1758491446, 1178400785, 3126140292, 984791299, 38475010]);
  });

  it('returns an unsigned 32-bit integer and is deterministic', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: MAX_SEED }),
        fc.array(fc.nat(), { maxLength: 4 }),
        (seed, parts) => {
          const a = deriveSeed(seed, ...parts);
          expect(Number.isInteger(a) && a >= 0 && a <= MAX_SEED).toBe(true);
          expect(deriveSeed(seed, ...parts)).toBe(a);
        },
      ),
    );
  });

  it('separates streams: no collisions over a grid of seeds × chunks × columns', () => {
    const seen = new Set<number>();
    for (let seed = 0; seed < 20; seed++)
      for (let chunk = 0; chunk < 50; chunk++)
        for (let column = 0; column < 20; column++) seen.add(deriveSeed(seed, chunk, column));
    // 20,000 draws from 2^32: the birthday bound expects ~0.05 collisions.
    expect(seen.size).toBeGreaterThanOrEqual(19_998);
  });

  it('distinguishes arity, order and large parts', () => {
    expect(deriveSeed(7, 0)).not.toBe(deriveSeed(7));
    expect(deriveSeed(7, 0, 0)).not.toBe(deriveSeed(7, 0));
    expect(deriveSeed(7, 1, 2)).not.toBe(deriveSeed(7, 2, 1));
    expect(deriveSeed(7, 2 ** 32 + 5)).not.toBe(deriveSeed(7, 5));
  });

  it('avalanches: flipping one input bit flips about half the output bits', () => {
    let flipped = 0;
    let trials = 0;
    for (let seed = 0; seed < 200; seed++) {
      for (let bit = 0; bit < 32; bit++) {
        const a = deriveSeed(seed * 7919, 3);
        const b = deriveSeed((seed * 7919) ^ (1 << bit), 3);
        flipped += popcount((a ^ b) >>> 0);
        trials++;
      }
    }
    expect(flipped / trials).toBeGreaterThan(15);
    expect(flipped / trials).toBeLessThan(17);
  });
});

function popcount(x: number): number {
  let n = 0;
  for (let v = x; v !== 0; v >>>= 1) n += v & 1;
  return n;
}

describe('Rng', () => {
  it('implements xoshiro128** (reference vector from the C implementation)', () => {
    const rng = Rng.fromState(1, 2, 3, 4);
    const out = Array.from({ length: 8 }, () => rng.nextUint32());
    expect(out).toEqual([11520, 0, 5927040, 70819200, 2031721883, 1637235492, 1287239034, 3734860849]);
  });

  it('is a pure function of its seed', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: MAX_SEED }), (seed) => {
        const a = createRng(seed);
        const b = createRng(seed);
        for (let i = 0; i < 20; i++) expect(a.nextDouble()).toBe(b.nextDouble());
      }),
    );
  });

  it('draws doubles strictly inside (0, 1) with mean ½ and variance 1/12', () => {
    const rng = createRng(123);
    const n = 200_000;
    let sum = 0;
    let squares = 0;
    let outside = 0;
    for (let i = 0; i < n; i++) {
      const u = rng.nextDouble();
      if (!(u > 0 && u < 1)) outside++;
      sum += u;
      squares += u * u;
    }
    expect(outside).toBe(0);
    const mean = sum / n;
    expect(mean).toBeCloseTo(0.5, 2);
    expect(squares / n - mean * mean).toBeCloseTo(1 / 12, 3);
  });

  it('draws standard normals (mean 0, variance 1, symmetric tails) by single calls and in bulk', () => {
    const rng = createRng(99);
    const n = 200_000;
    const bulk = new Float64Array(n);
    rng.fillNormals(bulk);
    for (const sample of [bulk, Float64Array.from({ length: n }, () => rng.nextNormal())]) {
      let sum = 0;
      let squares = 0;
      let beyond2 = 0;
      for (const z of sample) {
        sum += z;
        squares += z * z;
        if (Math.abs(z) > 1.959964) beyond2++;
      }
      expect(sum / n).toBeCloseTo(0, 1);
      expect(squares / n).toBeCloseTo(1, 1);
      // P(|Z| > 1.96) = 5%; the standard error at n = 200,000 is 0.05%.
      expect(beyond2 / n).toBeGreaterThan(0.048);
      expect(beyond2 / n).toBeLessThan(0.052);
    }
  });

  it('draws unbiased small integers', () => {
    const rng = createRng(5);
    const counts = new Array<number>(6).fill(0);
    for (let i = 0; i < 60_000; i++) {
      const k = rng.nextInt(6);
      counts[k] = (counts[k] as number) + 1;
    }
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(400);
  });

  it('gives unrelated streams for neighbouring seeds', () => {
    const a = createRng(1000);
    const b = createRng(1001);
    let same = 0;
    for (let i = 0; i < 1000; i++) if (a.nextInt(2) === b.nextInt(2)) same++;
    expect(same).toBeGreaterThan(430);
    expect(same).toBeLessThan(570);
  });
});
