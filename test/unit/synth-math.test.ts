import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { choleskyLower, pearsonMatrix, regularizeCorrelation } from '../../core/synth/linear-algebra.js';
import { normalCdf, normalQuantile } from '../../core/synth/normal-distribution.js';
import { normalScores, normalScoresOf } from '../../core/synth/normal-scores.js';
import { interpolateKnots, quantileKnots } from '../../core/synth/marginals.js';

describe('normalCdf', () => {
  it.each([
    [0, 0.5],
    [-1, 0.15865525393145705],
    [1.96, 0.9750021048517795],
    [-3, 0.0013498980316300946],
    [-5, 2.866515718791939e-7],
    [-10, 7.61985302416047e-24],
  ])('Φ(%d) matches the reference to 1e-8 relative', (x, p) => {
    expect(Math.abs(normalCdf(x) - p) / p).toBeLessThan(1e-8);
  });

  it('is monotone and symmetric', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -30, max: 30, noNaN: true }),
        fc.double({ min: 0, max: 5, noNaN: true }),
        (x, dx) => {
          expect(normalCdf(x + dx)).toBeGreaterThanOrEqual(normalCdf(x));
          expect(Math.abs(normalCdf(x) + normalCdf(-x) - 1)).toBeLessThan(1e-15);
        },
      ),
    );
  });
});

describe('normalQuantile', () => {
  it.each([
    [0.5, 0],
    [0.975, 1.959963984540054],
    [0.001, -3.090232306167813],
    [1e-10, -6.361340902404056],
  ])('Φ⁻¹(%d) matches the reference', (p, x) => {
    expect(normalQuantile(p)).toBeCloseTo(x, 12);
  });

  it('inverts Φ: Φ⁻¹(Φ(x)) ≈ x', () => {
    fc.assert(
      fc.property(fc.double({ min: -8, max: 5, noNaN: true }), (x) => {
        // Above 5, 1 − Φ(x) is below 3e-7 and the double 1 − tail keeps too few digits to invert.
        expect(Math.abs(normalQuantile(normalCdf(x)) - x)).toBeLessThan(1e-8);
      }),
    );
  });

  it('inverts Φ in the far lower tail', () => {
    for (const x of [-10, -20, -30, -37]) expect(normalQuantile(normalCdf(x)) / x).toBeCloseTo(1, 8);
  });

  it('returns ±∞ at 0 and 1 and NaN outside', () => {
    expect(normalQuantile(0)).toBe(-Infinity);
    expect(normalQuantile(1)).toBe(Infinity);
    expect(normalQuantile(1.5)).toBeNaN();
    expect(normalQuantile(Number.NaN)).toBeNaN();
  });
});

describe('choleskyLower', () => {
  it('factorises a positive-definite matrix: L·Lᵀ = A', () => {
    const a = [4, 2, 0.4, 2, 5, 1, 0.4, 1, 3];
    const l = choleskyLower(a, 3) as Float64Array;
    for (let i = 0; i < 3; i++)
      for (let j = 0; j < 3; j++) {
        let sum = 0;
        for (let k = 0; k < 3; k++) sum += (l[i * 3 + k] as number) * (l[j * 3 + k] as number);
        expect(sum).toBeCloseTo(a[i * 3 + j] as number, 12);
      }
  });

  it('refuses a matrix that is not positive-definite', () => {
    expect(choleskyLower([1, 0.9, -0.9, 0.9, 1, 0.9, -0.9, 0.9, 1], 3)).toBeUndefined();
  });
});

describe('regularizeCorrelation', () => {
  it('leaves a positive-definite correlation untouched', () => {
    const r = [
      [1, 0.5],
      [0.5, 1],
    ];
    expect(regularizeCorrelation(r)).toEqual({ matrix: r, shrinkage: 0 });
  });

  it('shrinks a non-PD matrix toward the identity just enough for Cholesky to succeed', () => {
    // Pairwise-complete correlations can be mutually impossible like this one.
    const r = [
      [1, 0.9, -0.9],
      [0.9, 1, 0.9],
      [-0.9, 0.9, 1],
    ];
    const { matrix, shrinkage } = regularizeCorrelation(r);
    expect(shrinkage).toBeGreaterThan(0);
    expect(shrinkage).toBeLessThan(1);
    expect(choleskyLower(matrix.flat(), 3)).toBeDefined();
    for (let i = 0; i < 3; i++) expect(matrix[i]?.[i]).toBe(1);
    expect(matrix[0]?.[1]).toBeCloseTo(0.9 * (1 - shrinkage), 12);
    // Just enough: noticeably less shrinkage is not positive-definite.
    const less = r.map((row, i) => row.map((v, j) => (i === j ? 1 : v * (1 - shrinkage + 0.001))));
    expect(choleskyLower(less.flat(), 3)).toBeUndefined();
  });

  it('repairs asymmetric, out-of-range and non-finite entries', () => {
    const { matrix } = regularizeCorrelation([
      [7, 0.2, Number.NaN],
      [0.4, 1, 3],
      [Number.NaN, 3, 1],
    ]);
    expect(matrix[0]?.[0]).toBe(1);
    expect(matrix[0]?.[1]).toBe(matrix[1]?.[0]);
    expect(matrix[0]?.[2]).toBe(0);
    expect(Math.abs(matrix[1]?.[2] as number)).toBeLessThanOrEqual(1);
    expect(choleskyLower(matrix.flat(), 3)).toBeDefined();
  });
});

describe('pearsonMatrix', () => {
  it('uses pairwise-complete rows when values are missing', () => {
    const a = Float64Array.from([1, 2, 3, 4, Number.NaN, 6]);
    const b = Float64Array.from([2, 4, 6, 8, 100, Number.NaN]);
    expect(pearsonMatrix([a, b])[0]?.[1]).toBeCloseTo(1, 12);
  });

  it('gives 0 for a constant column', () => {
    expect(pearsonMatrix([Float64Array.from([1, 1, 1, 1]), Float64Array.from([1, 2, 3, 4])])[1]?.[0]).toBe(0);
  });
});

describe('normalScores', () => {
  const phi = (x: number) => Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);

  it('gives each group of equal values the normal mean over its probability slice; missing stays missing', () => {
    const { scores, attenuation } = normalScoresOf(Float64Array.from([10, 20, 20, Number.NaN, 5]));
    // Present values 5, 10, 20, 20 take the slices (0, ¼), (¼, ½), (½, 1) of m = 4.
    const q1 = normalQuantile(0.25);
    expect(scores[4]).toBeCloseTo((0 - phi(q1)) / 0.25, 12);
    expect(scores[0]).toBeCloseTo((phi(q1) - phi(0)) / 0.25, 12);
    expect(scores[1]).toBe(scores[2]);
    expect(scores[1]).toBeCloseTo(phi(0) / 0.5, 12);
    expect(scores[3]).toBeNaN();
    // Scores have mean 0 and standard deviation = attenuation.
    const present = [scores[0], scores[1], scores[2], scores[4]] as number[];
    expect(present.reduce((a, b) => a + b, 0)).toBeCloseTo(0, 12);
    expect(Math.sqrt(present.reduce((a, b) => a + b * b, 0) / 4)).toBeCloseTo(attenuation, 12);
  });

  it('attenuates only tied columns: near 1 for distinct values, √(2/π) for a fair coin', () => {
    const distinct = Float64Array.from({ length: 10_000 }, (_, i) => i);
    expect(normalScoresOf(distinct).attenuation).toBeGreaterThan(0.99);
    const coin = Float64Array.from({ length: 10_000 }, (_, i) => i % 2);
    expect(normalScoresOf(coin).attenuation).toBeCloseTo(Math.sqrt(2 / Math.PI), 10);
    expect(normalScores(Float64Array.from([Number.NaN]))[0]).toBeNaN();
  });
});

describe('quantile knots', () => {
  it('start at the minimum, end at the maximum and invert the empirical CDF', () => {
    const sorted = Float64Array.from({ length: 101 }, (_, i) => i * 2);
    const knots = quantileKnots(sorted, 11);
    expect(knots).toEqual([0, 20, 40, 60, 80, 100, 120, 140, 160, 180, 200]);
    expect(interpolateKnots(knots, 0.25)).toBeCloseTo(50, 12);
    expect(interpolateKnots(knots, 1)).toBe(200);
    expect(interpolateKnots(knots, 0)).toBe(0);
  });
});
