import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../core/errors.js';
import { classifyTable } from '../../core/pii/index.js';
import { profileTable } from '../../core/profile/index.js';
import { ksComplement } from '../../core/quality/index.js';
import { createRng, type Rng } from '../../core/random/index.js';
import {
  CDF_TABLE,
  fastNormalCdf,
  fillBlockNormals,
  nextZigguratNormal,
} from '../../core/synth/fast-normal.js';
import { compileCorrelator, MAX_COMPILED_DIMENSIONS } from '../../core/synth/correlator.js';
import {
  BLOCK_ROWS,
  choleskyLower,
  fitSynthModel,
  regularizeCorrelation,
  sampleChunk,
  type Marginal,
} from '../../core/synth/index.js';
import { correlateRows } from '../../core/synth/latent-block.js';
import type { PreparedModel } from '../../core/synth/prepared-model.js';
import {
  fitFamily,
  inverseTable,
  knotsCdf,
  ksDistance,
  selectMarginal,
  truncatedCdf,
} from '../../core/synth/marginal-families.js';
import { normalCdf } from '../../core/synth/normal-distribution.js';
import {
  logGamma,
  regularizedBeta,
  regularizedGammaP,
  studentTCdf,
} from '../../core/synth/special-functions.js';
import type { Table } from '../../core/table.js';

describe('special functions', () => {
  it('match known values', () => {
    expect(logGamma(1)).toBeCloseTo(0, 12);
    expect(logGamma(5)).toBeCloseTo(Math.log(24), 12);
    expect(logGamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 12);
    expect(regularizedBeta(0.5, 2, 3)).toBeCloseTo(0.6875, 12);
    expect(regularizedBeta(0.3, 1, 1)).toBeCloseTo(0.3, 12);
    expect(regularizedBeta(0.2, 0.5, 0.5)).toBeCloseTo((2 / Math.PI) * Math.asin(Math.sqrt(0.2)), 10);
    for (const x of [0.1, 1, 3, 10, 40]) expect(regularizedGammaP(1, x)).toBeCloseTo(1 - Math.exp(-x), 12);
    // P(2, x) = 1 − (1 + x)e^−x.
    for (const x of [0.5, 2, 9]) expect(regularizedGammaP(2, x)).toBeCloseTo(1 - (1 + x) * Math.exp(-x), 12);
    for (const t of [-20, -1, 0, 0.5, 3])
      expect(studentTCdf(t, 1)).toBeCloseTo(0.5 + Math.atan(t) / Math.PI, 10);
    expect(studentTCdf(2.0, 1e6)).toBeCloseTo(normalCdf(2.0), 5);
  });

  it('are monotone CDFs', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.2, max: 30, noNaN: true }),
        fc.double({ min: 0.2, max: 30, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 0.5, noNaN: true }),
        (a, b, x, dx) => {
          const y = Math.min(1, x + dx);
          expect(regularizedBeta(y, a, b)).toBeGreaterThanOrEqual(regularizedBeta(x, a, b) - 1e-12);
          expect(regularizedGammaP(a, 10 * y)).toBeGreaterThanOrEqual(regularizedGammaP(a, 10 * x) - 1e-12);
          expect(studentTCdf(10 * y - 5, b)).toBeGreaterThanOrEqual(studentTCdf(10 * x - 5, b) - 1e-12);
        },
      ),
      { numRuns: 300 },
    );
  });
});

function draws(n: number, seed: number, draw: (rng: Rng) => number): Float64Array {
  const rng = createRng(seed);
  return Float64Array.from({ length: n }, () => draw(rng)).sort();
}

const gammaDraw = (shape: number) => (rng: Rng) => {
  // Marsaglia–Tsang for shape ≥ 1.
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const x = rng.nextNormal();
    const v = (1 + c * x) ** 3;
    if (v > 0 && Math.log(rng.nextDouble()) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
  }
};

describe('marginal families', () => {
  it('recover the parameters of their own samples', () => {
    const normal = fitFamily(
      'normal',
      draws(20_000, 1, (r) => 10 + 3 * r.nextNormal()),
    ) as Extract<Marginal, { family: 'normal' }>;
    expect(normal.mean).toBeCloseTo(10, 1);
    expect(normal.std).toBeCloseTo(3, 1);
    const beta = fitFamily(
      'beta',
      draws(20_000, 2, (r) => r.nextDouble() ** 2),
    ) as Extract<Marginal, { family: 'beta' }>;
    // U² is Beta(½, 1).
    expect(beta.alpha).toBeCloseTo(0.5, 1);
    expect(beta.beta).toBeCloseTo(1, 1);
    const gamma = fitFamily('gamma', draws(40_000, 3, gammaDraw(3))) as Extract<
      Marginal,
      { family: 'gamma' }
    >;
    expect(gamma.shape).toBeGreaterThan(2.3);
    expect(gamma.shape).toBeLessThan(3.8);
    const t = fitFamily(
      'student_t',
      draws(40_000, 4, (r) => r.nextNormal() / Math.sqrt(gammaDraw(5)(r) / 5)),
    ) as Extract<Marginal, { family: 'student_t' }>;
    expect(t.df).toBeGreaterThan(6);
    expect(t.df).toBeLessThan(20);
    const truncated = fitFamily(
      'truncated_normal',
      draws(20_000, 5, (r) => {
        for (;;) {
          const x = r.nextNormal();
          if (x > -0.5) return x;
        }
      }),
    ) as Extract<Marginal, { family: 'truncated_normal' }>;
    expect(truncated.mean).toBeCloseTo(0, 1);
    expect(truncated.std).toBeCloseTo(1, 1);
  });

  it('decline data they cannot describe', () => {
    expect(
      fitFamily(
        'gamma',
        draws(1000, 6, (r) => -Math.exp(r.nextNormal())),
      ),
    ).toBeUndefined();
    expect(
      fitFamily(
        'student_t',
        draws(1000, 7, (r) => r.nextDouble()),
      ),
    ).toBeUndefined();
    expect(fitFamily('normal', Float64Array.from([3, 3, 3]))).toBeUndefined();
  });

  it('auto-select the true family when the sample cannot tell it from its own quantiles', () => {
    // Families that contain the truth are all right answers (Beta(1, 1) is the uniform).
    const cases: [string[], Float64Array][] = [
      [['uniform', 'beta'], draws(5000, 8, (r) => 2 + 5 * r.nextDouble())],
      [['normal', 'truncated_normal', 'student_t'], draws(5000, 9, (r) => 50 + 7 * r.nextNormal())],
      [['gamma'], draws(5000, 10, gammaDraw(2))],
    ];
    for (const [families, sorted] of cases) {
      const chosen = selectMarginal(sorted, 0, 'auto');
      expect(families).toContain(chosen.marginal.family);
      expect(chosen.fitStatistic).toBeLessThan(1.5 / Math.sqrt(sorted.length));
    }
  });

  it('fall back to the empirical marginal for shapes no family has (bimodal, atoms)', () => {
    const bimodal = draws(5000, 11, (r) => (r.nextDouble() < 0.5 ? -4 : 4) + r.nextNormal());
    expect(selectMarginal(bimodal, 0, 'auto').marginal.family).toBe('empirical');
    const zeroes = draws(5000, 12, (r) => (r.nextDouble() < 0.7 ? 0 : Math.round(r.nextDouble() * 1000)));
    const chosen = selectMarginal(zeroes, 0.5, 'auto');
    expect(chosen.marginal.family).toBe('empirical');
    expect(chosen.candidates.normal).toBeGreaterThan(0.3);
  });

  it('honour a named family, scoring it', () => {
    const sorted = draws(3000, 13, (r) => r.nextNormal());
    const forced = selectMarginal(sorted, 0, 'uniform');
    expect(forced.marginal.family).toBe('uniform');
    expect(forced.fitStatistic).toBeGreaterThan(0.1);
  });

  it('compile into monotone inverse-CDF tables from min to max that invert the truncated CDF', () => {
    const sorted = draws(4000, 14, gammaDraw(2));
    const min = sorted[0] as number;
    const max = sorted[sorted.length - 1] as number;
    for (const family of ['normal', 'beta', 'gamma', 'student_t', 'uniform', 'truncated_normal'] as const) {
      const m = fitFamily(family, sorted);
      if (m === undefined) continue;
      const table = inverseTable(m, min, max);
      expect(table[0]).toBe(min);
      expect(table[table.length - 1]).toBe(max);
      for (let k = 1; k < table.length; k++) expect(table[k]).toBeGreaterThanOrEqual(table[k - 1] as number);
      const cdf = truncatedCdf(m, min, max) as (x: number) => number;
      for (const u of [0.01, 0.25, 0.5, 0.9, 0.999]) {
        const x = table[Math.round(u * (table.length - 1))] as number;
        expect(cdf(x)).toBeCloseTo(u, 3);
      }
    }
  });

  it('measure KS after rounding: an integer sample fits its own knots exactly', () => {
    const ints = draws(5000, 15, (r) => Math.round(20 + 5 * r.nextNormal()));
    const knots = (fitFamily('empirical', ints) as Extract<Marginal, { family: 'empirical' }>).knots;
    expect(ksDistance(ints, knotsCdf(knots), 0.5)).toBeLessThan(0.002);
    // Without accounting for rounding, the same fit looks poor.
    expect(ksDistance(ints, knotsCdf(knots), 0)).toBeGreaterThan(0.02);
  });
});

describe('fitted models sample the chosen marginal', () => {
  function table(): Table {
    const rng = createRng(21);
    const uniform: number[] = [];
    const normal: number[] = [];
    const skewed: number[] = [];
    for (let i = 0; i < 8000; i++) {
      uniform.push(Math.round((10 + 90 * rng.nextDouble()) * 1000) / 1000);
      normal.push(Math.round((100 + 15 * rng.nextNormal()) * 100) / 100);
      skewed.push(Math.round(Math.exp(rng.nextNormal()) * 100) / 100);
    }
    return {
      rowCount: 8000,
      columns: [
        { name: 'u', type: 'float', values: uniform },
        { name: 'n', type: 'float', values: normal },
        { name: 's', type: 'float', values: skewed },
      ],
    };
  }

  it('reproduces each marginal whatever family it was given, within the sample range', () => {
    const t = table();
    const profile = profileTable(t);
    const sensitivity = classifyTable(t, profile);
    for (const defaultDistribution of [
      'auto',
      'empirical',
      'normal',
      'beta',
      'gamma',
      'student_t',
      'truncated_normal',
      'uniform',
    ] as const) {
      const model = fitSynthModel(t, profile, sensitivity, { defaultDistribution });
      const out = sampleChunk(model, { seed: 1, chunkIndex: 0, startRow: 0, rowCount: 8000 });
      t.columns.forEach((c, i) => {
        const real = c.values as number[];
        const synth = out.columns[i]?.values as number[];
        expect(Math.min(...synth)).toBeGreaterThanOrEqual(Math.min(...real));
        expect(Math.max(...synth)).toBeLessThanOrEqual(Math.max(...real));
        const col = model.columns[i];
        if (col?.kind !== 'numeric') throw new Error('expected numeric');
        // A good fit samples close to the data; any fit samples close to its own claimed KS distance.
        const score = ksComplement(real, synth);
        expect(score).toBeGreaterThan(1 - col.fitStatistic - 0.04);
        if (defaultDistribution === 'auto' || defaultDistribution === 'empirical')
          expect(score).toBeGreaterThan(0.97);
      });
    }
  });

  it('takes families per column and rejects unknown ones naming the option', () => {
    const t = table();
    const profile = profileTable(t);
    const sensitivity = classifyTable(t, profile);
    const model = fitSynthModel(t, profile, sensitivity, {
      numericalDistributions: { s: 'gamma', n: 'normal' },
    });
    const families = model.columns.map((c) => (c.kind === 'numeric' ? c.marginal.family : c.kind));
    expect(families[1]).toBe('normal');
    expect(families[2]).toBe('gamma');
    expect(() =>
      fitSynthModel(t, profile, sensitivity, { numericalDistributions: { s: 'cauchy' as 'gamma' } }),
    ).toThrow(/numericalDistributions\.s/);
    expect(() =>
      fitSynthModel(t, profile, sensitivity, { numericalDistributions: { nope: 'beta' } }),
    ).toThrow(ConfigError);
    expect(() => fitSynthModel(t, profile, sensitivity, { defaultDistribution: 'kde' as 'beta' })).toThrow(
      /defaultDistribution/,
    );
  });
});

describe('compiled Cholesky product', () => {
  it('equals the general loop and is used up to 64 dimensions', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 70 }), fc.integer({ min: 0, max: 0xffffffff }), (d, seed) => {
        const rng = createRng(seed);
        // A random correlation: normalised Gram matrix of random vectors.
        const v = Array.from({ length: d }, () => Array.from({ length: d }, () => rng.nextNormal()));
        const gram = v.map((a) => v.map((b) => a.reduce((s, x, k) => s + x * (b[k] as number), 0)));
        const corr = gram.map((row, i) =>
          row.map((g, j) => g / Math.sqrt((gram[i]?.[i] as number) * (gram[j]?.[j] as number))),
        );
        const { matrix } = regularizeCorrelation(corr);
        const l = choleskyLower(matrix.flat(), d) as Float64Array;
        const compiled = compileCorrelator(l, d);
        expect(compiled === undefined).toBe(d > MAX_COMPILED_DIMENSIONS);
        if (compiled === undefined) return;
        const a = new Float64Array(d * BLOCK_ROWS);
        fillBlockNormals(seed, a, a.length);
        const b = a.slice();
        const lo = rng.nextInt(BLOCK_ROWS);
        const hi = lo + rng.nextInt(BLOCK_ROWS - lo + 1);
        compiled(a, lo, hi);
        const general = { d, cholesky: l, terms: [] as Int32Array[], correlate: undefined };
        general.terms = Array.from({ length: d }, (_, j) =>
          Int32Array.from({ length: j }, (_, k) => k).filter((k) => l[j * d + k] !== 0),
        );
        correlateRows(general as unknown as PreparedModel, b, lo, hi);
        for (let i = 0; i < a.length; i++)
          expect(Math.abs((a[i] as number) - (b[i] as number))).toBeLessThan(1e-12);
      }),
      { numRuns: 40 },
    );
  });
});

describe('fast normal primitives', () => {
  it('Φ by table is within 3e-8 of the exact Φ', () => {
    let worst = 0;
    for (let x = -9; x <= 9; x += 0.000731)
      worst = Math.max(worst, Math.abs(fastNormalCdf(x) - normalCdf(x)));
    expect(worst).toBeLessThan(3e-8);
    expect(CDF_TABLE.length).toBeGreaterThan(17_000);
  });

  it('ziggurat deviates are standard normal (moments, KS, tails)', () => {
    const n = 200_000;
    const values = new Float64Array(n);
    fillBlockNormals(123, values, n);
    let mean = 0;
    let m2 = 0;
    let m4 = 0;
    let tail = 0;
    for (const v of values) {
      mean += v;
      m2 += v * v;
      m4 += v ** 4;
      if (Math.abs(v) > 3.442619855899) tail++;
    }
    mean /= n;
    expect(Math.abs(mean)).toBeLessThan(0.01);
    expect(m2 / n).toBeCloseTo(1, 1);
    expect(m4 / n).toBeCloseTo(3, 0);
    // P(|Z| > R) = 5.76e-4: the tail beyond the base layer is sampled too.
    expect(tail / n).toBeGreaterThan(4e-4);
    expect(tail / n).toBeLessThan(8e-4);
    const sorted = values.slice().sort();
    expect(ksDistance(sorted, normalCdf, 0)).toBeLessThan(0.005);
    const rng = createRng(5);
    const single = Float64Array.from({ length: 50_000 }, () => nextZigguratNormal(rng)).sort();
    expect(ksDistance(single, normalCdf, 0)).toBeLessThan(0.01);
  });

  it('fills the same block for the same seed, a different one for another', () => {
    const a = new Float64Array(100);
    const b = new Float64Array(100);
    fillBlockNormals(9, a, 100);
    fillBlockNormals(9, b, 100);
    expect(b).toEqual(a);
    fillBlockNormals(10, b, 100);
    expect(b).not.toEqual(a);
  });
});
