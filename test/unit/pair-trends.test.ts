import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ColumnProfile, DatasetProfile, SemanticType } from '../../core/profile/index.js';
import {
  columnPairTrendScores,
  pairKindsFromProfile,
  type PairColumnKind,
} from '../../core/quality/index.js';
import { createRng } from '../../core/random/index.js';
import type { CellValue, PhysicalType, Table } from '../../core/table.js';

function table(columns: Record<string, { type: PhysicalType; values: CellValue[] }>): Table {
  const list = Object.entries(columns).map(([name, c]) => ({ name, type: c.type, values: c.values }));
  return { rowCount: list[0]?.values.length ?? 0, columns: list };
}

// A small table scored by the Python sdmetrics 0.32 QualityReport (pandas 2.3); the expected
// numbers below are its "Column Pair Trends" details, so this pins our metric to the reference.
const REAL = table({
  x: { type: 'float', values: [1, 2, 3, 4, 5, 6, 7, 8, null, 10, 11, 12] },
  y: { type: 'float', values: [2.1, 3.9, 6.2, 8.1, 9.7, 12.5, 13.8, 16.1, 18, null, 22.3, 23.9] },
  c: { type: 'string', values: ['a', 'a', 'b', 'b', 'a', 'c', 'c', 'b', 'a', null, 'c', 'c'] },
  d: { type: 'string', values: ['p', 'q', 'p', 'q', 'p', 'q', 'p', 'q', 'p', 'q', 'p', 'q'] },
  z: { type: 'float', values: [5, 1, 4, 2, 3, 5, 1, 4, 2, 3, 5, 1] },
});
const SYNTHETIC = table({
  x: { type: 'float', values: [1.5, 2.5, 3, 9, 5.5, 6, 2, 8, 10, 12] },
  y: { type: 'float', values: [3, 5, 5.5, 17, 12, 11, 20, 15, null, 24] },
  c: { type: 'string', values: ['a', 'b', 'b', 'c', 'a', 'c', 'a', 'b', 'c', 'c'] },
  d: { type: 'string', values: ['p', 'p', 'q', 'q', 'p', 'q', 'p', 'p', 'q', 'q'] },
  z: { type: 'float', values: [1, 2, 3, 4, 5, 1, 2, 3, 4, 5] },
});
const KINDS: Record<string, PairColumnKind> = {
  x: 'numerical',
  y: 'numerical',
  c: 'categorical',
  d: 'categorical',
  z: 'numerical',
};

describe('columnPairTrendScores', () => {
  it('reproduces the sdmetrics QualityReport pair details and property score', () => {
    const result = columnPairTrendScores(REAL, SYNTHETIC, KINDS);
    const byPair = Object.fromEntries(result.pairs.map((p) => [`${p.column1}/${p.column2}`, p]));
    const expected: [string, number, boolean, number][] = [
      // pair, score, counts in the property score, real correlation or Cramér's V
      ['x/y', 0.855871, true, 0.999461],
      ['x/c', 0.583333, true, 0.957427],
      ['x/d', 0.416667, true, 0.816497],
      ['x/z', Number.NaN, false, -0.087102],
      ['y/c', 0.266667, true, 0.889757],
      ['y/d', 0.416667, true, 0.912871],
      ['y/z', Number.NaN, false, -0.109411],
      ['c/d', 0.6, true, 0.440959],
      ['c/z', 0.533333, true, 0.687184],
      ['d/z', Number.NaN, false, 0.235702],
    ];
    expect(result.pairs.map((p) => `${p.column1}/${p.column2}`)).toEqual(expected.map((e) => e[0]));
    for (const [pair, score, contributes, association] of expected) {
      const p = byPair[pair];
      expect(p?.contributes, pair).toBe(contributes);
      // sdmetrics reports NaN for pairs below the threshold; we score them anyway, for allPairsScore.
      if (contributes) expect(p?.score, pair).toBeCloseTo(score, 6);
      expect(p?.real ?? p?.realAssociation, pair).toBeCloseTo(association, 6);
    }
    expect(result.score).toBeCloseTo(0.5246482973428322, 12);
  });

  it('scores identical tables 1 on every pair', () => {
    const result = columnPairTrendScores(REAL, REAL, KINDS);
    for (const p of result.pairs) expect(p.score, `${p.column1}/${p.column2}`).toBeCloseTo(1, 12);
    expect(result.score).toBeCloseTo(1, 12);
    expect(result.allPairsScore).toBeCloseTo(1, 12);
  });

  it('drops when the dependence between columns is destroyed by shuffling one of them', () => {
    const rng = createRng(4);
    const n = 2000;
    const x: number[] = [];
    const y: number[] = [];
    const c: string[] = [];
    for (let i = 0; i < n; i++) {
      const z = rng.nextNormal();
      x.push(z);
      y.push(z + 0.3 * rng.nextNormal());
      c.push(z > 0.5 ? 'high' : z < -0.5 ? 'low' : 'mid');
    }
    const real = table({
      x: { type: 'float', values: x },
      y: { type: 'float', values: y },
      c: { type: 'string', values: c },
    });
    const shuffledX = [...x];
    for (let i = n - 1; i > 0; i--) {
      const j = rng.nextInt(i + 1);
      [shuffledX[i], shuffledX[j]] = [shuffledX[j] as number, shuffledX[i] as number];
    }
    const broken = table({
      x: { type: 'float', values: shuffledX },
      y: { type: 'float', values: y },
      c: { type: 'string', values: c },
    });
    const kinds = { x: 'numerical', y: 'numerical', c: 'categorical' } as const;
    const same = columnPairTrendScores(real, real, kinds);
    const result = columnPairTrendScores(real, broken, kinds);
    const pair = (name: string) => result.pairs.find((p) => `${p.column1}/${p.column2}` === name);
    expect(pair('x/y')?.score).toBeLessThan(0.6);
    expect(pair('x/c')?.score).toBeLessThan(0.8);
    // The untouched pair keeps its trend.
    expect(pair('y/c')?.score).toBeCloseTo(1, 12);
    expect(result.score).toBeLessThan(same.score - 0.15);
  });

  it('keeps every score in [0, 1] and the averages consistent, for any mix of kinds and nulls', () => {
    const cell = fc.oneof(fc.constant(null), fc.integer({ min: -3, max: 3 }));
    const column = fc.array(cell, { minLength: 1, maxLength: 30 });
    const kind = fc.constantFrom<PairColumnKind>('numerical', 'categorical', 'boolean', 'datetime');
    fc.assert(
      fc.property(fc.array(fc.tuple(kind, column, column), { minLength: 2, maxLength: 4 }), (specs) => {
        const n = Math.min(...specs.map((s) => s[1].length));
        const m = Math.min(...specs.map((s) => s[2].length));
        const kinds: Record<string, PairColumnKind> = {};
        const toCells = (k: PairColumnKind, v: (number | null)[]): CellValue[] =>
          v.map((x) => (x === null ? null : k === 'datetime' ? x * 86_400_000 : k === 'boolean' ? x > 0 : x));
        const real: Table = { rowCount: n, columns: [] };
        const synthetic: Table = { rowCount: m, columns: [] };
        specs.forEach(([k, a, b], i) => {
          kinds[`c${i}`] = k;
          real.columns.push({ name: `c${i}`, type: 'float', values: toCells(k, a.slice(0, n)) });
          synthetic.columns.push({ name: `c${i}`, type: 'float', values: toCells(k, b.slice(0, m)) });
        });
        const result = columnPairTrendScores(real, synthetic, kinds);
        expect(result.pairs).toHaveLength((specs.length * (specs.length - 1)) / 2);
        for (const p of result.pairs) {
          if (Number.isNaN(p.score)) continue;
          expect(p.score).toBeGreaterThanOrEqual(-1e-12);
          expect(p.score).toBeLessThanOrEqual(1 + 1e-12);
        }
        const finite = result.pairs.filter((p) => Number.isFinite(p.score));
        if (finite.length === 0) expect(result.allPairsScore).toBeNaN();
        else
          expect(result.allPairsScore).toBeCloseTo(
            finite.reduce((a, p) => a + p.score, 0) / finite.length,
            12,
          );
      }),
      { numRuns: 200 },
    );
  });

  it('leaves out constant columns (sdmetrics: correlation undefined) and puts the maximum in the missing-value bin', () => {
    const real = table({
      k: { type: 'float', values: [1, 1, 1, 1, 1] },
      x: { type: 'float', values: [0, 1, 2, 10, 10] },
      c: { type: 'string', values: ['a', 'b', 'a', 'b', 'b'] },
    });
    const synthetic = table({
      k: { type: 'float', values: [1, 2, 1, 2, 1] },
      x: { type: 'float', values: [0, 1, 2, 10, null] },
      c: { type: 'string', values: ['a', 'b', 'a', 'b', 'b'] },
    });
    const result = columnPairTrendScores(real, synthetic, {
      k: 'numerical',
      x: 'numerical',
      c: 'categorical',
    });
    expect(result.pairs.find((p) => p.column1 === 'k' && p.column2 === 'x')?.score).toBeNaN();
    // np.digitize puts the maximum and a missing value both in bin 11, so the joint tables agree
    // exactly even though the last synthetic value is missing.
    expect(result.pairs.find((p) => p.column1 === 'x' && p.column2 === 'c')?.score).toBe(1);
  });

  it('offers Spearman over ranks as well as the report’s Pearson', () => {
    const x = Array.from({ length: 50 }, (_, i) => i + 1);
    const real = table({
      x: { type: 'float', values: x },
      y: { type: 'float', values: x.map((v) => v ** 5) },
    });
    const kinds = { x: 'numerical', y: 'numerical' } as const;
    const pearson = columnPairTrendScores(real, real, kinds).pairs[0];
    const spearman = columnPairTrendScores(real, real, kinds, { coefficient: 'spearman' }).pairs[0];
    expect(spearman?.real).toBeCloseTo(1, 12);
    expect(pearson?.real).toBeLessThan(0.9);
  });

  it('takes pair kinds from a profile, leaving out keys, text and sensitive columns', () => {
    const col = (name: string, semanticType: SemanticType): ColumnProfile => ({
      name,
      physicalType: 'string',
      semanticType,
      count: 1,
      nullCount: 0,
      nullRate: 0,
      distinctCount: 1,
      unique: false,
    });
    const profile: DatasetProfile = {
      rowCount: 1,
      columns: [
        col('id', 'identifier'),
        col('n', 'integer'),
        col('f', 'float'),
        col('t', 'datetime'),
        col('c', 'categorical'),
        col('b', 'boolean'),
        col('note', 'text'),
        col('city', 'categorical'),
      ],
    };
    const field = (column: string, sensitive: boolean) => ({
      column,
      kind: sensitive ? ('city' as const) : ('none' as const),
      confidence: 1,
      sensitive,
      evidence: [],
    });
    const sensitivity = {
      fields: profile.columns.map((c) => field(c.name, c.name === 'city')),
    } as unknown as Parameters<typeof pairKindsFromProfile>[1];
    expect(pairKindsFromProfile(profile, sensitivity)).toEqual({
      n: 'numerical',
      f: 'numerical',
      t: 'datetime',
      c: 'categorical',
      b: 'boolean',
    });
  });
});
