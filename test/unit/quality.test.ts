import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ColumnProfile, DatasetProfile, SemanticType } from '../../core/profile/index.js';
import {
  columnShapeScores,
  countExactCopies,
  createExactCopyDetector,
  fingerprintTable,
  ksComplement,
  rowFingerprint,
  summarizeQuality,
  tableRowFingerprint,
  tvComplement,
} from '../../core/quality/index.js';
import { rowAt, type CellValue, type PhysicalType, type Table } from '../../core/table.js';

describe('ksComplement', () => {
  it.each<[number[], number[], number]>([
    // Disjoint halves: the CDFs differ by ½ at x = 2.
    [[1, 2, 3, 4], [3, 4, 5, 6], 0.5],
    // Ties move both CDFs together: at x = 1 the gap is 2/3 − 1/3.
    [[1, 1, 2], [1, 2, 2], 2 / 3],
    [[1, 2, 3], [1, 2, 3], 1],
    [[1, 2], [10, 20, 30], 0],
    // Unequal sizes: F_real(2) = 1, F_synth(2) = 1/4.
    [[1, 2], [2, 3, 4, 5], 0.25],
  ])('1 − D for %j vs %j is %d', (real, synthetic, expected) => {
    expect(ksComplement(real, synthetic)).toBeCloseTo(expected, 12);
  });

  it('drops missing values like SDMetrics, and is NaN when a side is empty', () => {
    expect(ksComplement([1, Number.NaN, 2, Infinity], [1, 2])).toBe(1);
    expect(ksComplement([], [1])).toBeNaN();
    expect(ksComplement([Number.NaN], [1])).toBeNaN();
  });

  it('rounds to 14 decimals first, so floating-point noise does not split ties', () => {
    expect(ksComplement([0.1 + 0.2], [0.3])).toBe(1);
  });

  it('is symmetric, bounded and 1 against itself', () => {
    const sample = fc.array(fc.integer({ min: -20, max: 20 }), { minLength: 1, maxLength: 60 });
    fc.assert(
      fc.property(sample, sample, (a, b) => {
        const s = ksComplement(a, b);
        expect(s).toBeGreaterThanOrEqual(0);
        expect(s).toBeLessThanOrEqual(1);
        expect(ksComplement(b, a)).toBeCloseTo(s, 12);
        expect(ksComplement(a, [...a].reverse())).toBe(1);
      }),
    );
  });

  it('agrees with a brute-force sup over all points', () => {
    const sample = fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 1, maxLength: 40 });
    fc.assert(
      fc.property(sample, sample, (a, b) => {
        let d = 0;
        for (const x of [...a, ...b]) {
          const fa = a.filter((v) => v <= x).length / a.length;
          const fb = b.filter((v) => v <= x).length / b.length;
          d = Math.max(d, Math.abs(fa - fb));
        }
        expect(ksComplement(a, b)).toBeCloseTo(1 - d, 12);
      }),
    );
  });
});

describe('tvComplement', () => {
  it('treats null as a category by default', () => {
    // real: a ½, b ¼, null ¼; synthetic: a ¼, b ½, c ¼ (c unseen: SDMetrics' 1e-6 pseudo-count).
    const score = tvComplement(['a', 'a', 'b', null], ['a', 'b', 'b', 'c']);
    expect(score).toBeCloseTo(1 - 0.5 * (0.25 + 0.25 + 0.25 + 0.25), 5);
  });

  it('drops nulls in SDMetrics mode', () => {
    // real: a ⅔, b ⅓; synthetic: a ¼, b ½, c ¼.
    const score = tvComplement(['a', 'a', 'b', null], ['a', 'b', 'b', 'c'], { nulls: 'drop' });
    expect(score).toBeCloseTo(1 - 0.5 * (5 / 12 + 1 / 6 + 1 / 4), 5);
    expect(tvComplement([null], ['a'], { nulls: 'drop' })).toBeNaN();
  });

  it('applies SDMetrics’ pseudo-count exactly', () => {
    // Real counts a 2, b 1, plus c 1e-6 (seen only in the synthetic data): n = 3.000001.
    // TV = |½ − 2/n| + |0 − 1/n| + |½ − 1e-6/n|.
    const n = 3.000001;
    const expected = 1 - 0.5 * (Math.abs(0.5 - 2 / n) + 1 / n + Math.abs(0.5 - 1e-6 / n));
    expect(tvComplement(['a', 'a', 'b'], ['a', 'c'], { nulls: 'drop' })).toBeCloseTo(expected, 14);
  });

  it('is 1 for equal frequencies and 0 for disjoint categories', () => {
    expect(tvComplement(['x', 'y', 'y'], ['y', 'x', 'y', 'x', 'y', 'y'])).toBeCloseTo(1, 12);
    expect(tvComplement(['x', 'x'], ['y', 'z'])).toBeCloseTo(0, 5);
  });

  it('is bounded by 0 and 1', () => {
    const sample = fc.array(fc.option(fc.constantFrom('a', 'b', 'c', 'd')), { minLength: 1, maxLength: 50 });
    fc.assert(
      fc.property(sample, sample, (a, b) => {
        const s = tvComplement(a, b);
        expect(s).toBeGreaterThanOrEqual(-1e-9);
        expect(s).toBeLessThanOrEqual(1 + 1e-12);
      }),
    );
  });
});

/** Inputs and outputs of sdmetrics 0.32.0 (KSComplement.compute, TVComplement.compute), recorded with Python. */
const SDMETRICS_CASES: ['ks' | 'tv', (number | string | null)[], (number | string | null)[], number][] = [
  [
    'ks',
    [
      -2.56, 0.42, -0.57, -0.45, -0.22, -2.02, -0.23, -0.87, 3.32, 0.23, -0.35, -0.28, -0.67, -1.06, -0.39,
      0.48, -0.24, 0.96, -0.2, 0.02, 1.55,
    ],
    [-0.0, -0.0, 1.0, 2.0, -0.0, -0.0],
    0.33333333333333337,
  ],
  [
    'ks',
    [-0.89, -0.29, 0.88, 0.58, 0.09, 0.67, -2.83, 1.02, -0.96, -1.67],
    [1.0, -0.3, -1.0, 0.2, 0.1, 1.7, 1.0, 0.4, 1.4, -0.0, -0.8, 0.8, 0.8, -0.0, -0.7, 0.5, -2.5, 1.0, 0.7],
    0.7052631578947368,
  ],
  [
    'ks',
    [0.1, -1.0, 0.8, -2.0, -0.9],
    [1.0, -2.0, -0.0, 1.0, -0.0, 2.0, -1.0, 1.0, -1.0, 2.0, 0.0, -0.0, -2.0, 2.0, 1.0, 1.0, 1.0, 1.0, -1.0],
    0.4736842105263158,
  ],
  [
    'tv',
    ['a', 'b', 'e', 'd', 'c', 'a', 'd', 'a', 'e', 'e', 'e', 'a', 'd', 'b', 'd', 'e', 'b', 'a', 'c', 'd', 'a'],
    [
      'd',
      null,
      'd',
      'e',
      'e',
      'd',
      'c',
      'e',
      'b',
      'e',
      'd',
      'b',
      'c',
      'b',
      'e',
      'e',
      'c',
      null,
      'c',
      'c',
      null,
      'b',
      'c',
    ],
    0.6761904761904762,
  ],
  ['tv', ['c', 'e', 'c', 'c', 'c'], ['b', 'c', 'd', 'b', null, null], 0.25000039999984003],
  [
    'tv',
    ['e', 'e', 'a', null, 'a', null, 'e', 'e', 'a', 'e', null, 'e', 'e', 'b', 'd', 'c'],
    [
      'c',
      'd',
      'c',
      'd',
      'd',
      'd',
      'c',
      'd',
      'e',
      'b',
      'd',
      'e',
      'b',
      'e',
      'd',
      null,
      'c',
      'c',
      'e',
      null,
      'b',
      'b',
    ],
    0.4307692307692308,
  ],
];

describe('agreement with SDMetrics', () => {
  it.each(SDMETRICS_CASES)('%s case matches sdmetrics to 1e-12', (kind, real, synthetic, expected) => {
    const score =
      kind === 'ks'
        ? ksComplement(real as number[], synthetic as number[])
        : tvComplement(real as (string | null)[], synthetic as (string | null)[], { nulls: 'drop' });
    expect(score).toBeCloseTo(expected, 12);
  });
});

const cell = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double({ noNaN: true }),
  fc.string({ maxLength: 12 }),
) as fc.Arbitrary<CellValue>;

describe('rowFingerprint', () => {
  it('is equal for equal rows and differs for different rows', () => {
    fc.assert(
      fc.property(fc.array(cell, { maxLength: 8 }), fc.array(cell, { maxLength: 8 }), (a, b) => {
        expect(rowFingerprint(a)).toBe(rowFingerprint([...a]));
        const same =
          a.length === b.length && a.every((v, i) => Object.is(v === 0 ? 0 : v, b[i] === 0 ? 0 : b[i]));
        if (!same) expect(rowFingerprint(a)).not.toBe(rowFingerprint(b));
      }),
      { numRuns: 2000 },
    );
  });

  it('keeps types and cell boundaries apart', () => {
    expect(rowFingerprint([1])).not.toBe(rowFingerprint(['1']));
    expect(rowFingerprint([true])).not.toBe(rowFingerprint(['true']));
    expect(rowFingerprint([null])).not.toBe(rowFingerprint(['null']));
    expect(rowFingerprint([null])).not.toBe(rowFingerprint(['']));
    expect(rowFingerprint(['ab', 'c'])).not.toBe(rowFingerprint(['a', 'bc']));
    expect(rowFingerprint([])).not.toBe(rowFingerprint([null]));
  });

  it('canonicalises −0 and dates written as timestamps', () => {
    expect(rowFingerprint([-0])).toBe(rowFingerprint([0]));
    expect(rowFingerprint(['2024-01-02'])).toBe(rowFingerprint(['2024-01-02T00:00:00.000Z']));
    expect(rowFingerprint(['2024-01-02T10:00:00+02:00'])).toBe(rowFingerprint(['2024-01-02T08:00:00.000Z']));
    expect(rowFingerprint(['2024-01-02'])).not.toBe(rowFingerprint(['2024-01-03']));
  });

  it('is a 64-bit hex digest', () => {
    expect(rowFingerprint(['x', 1, null])).toMatch(/^[0-9a-f]{16}$/);
  });

  it('gives no collisions over 200,000 similar rows', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200_000; i++)
      seen.add(rowFingerprint([i % 1000, `user${Math.floor(i / 1000)}`, i % 7 === 0]));
    expect(seen.size).toBe(200_000);
  });
});

function table(columns: Record<string, [PhysicalType, CellValue[]]>): Table {
  const entries = Object.entries(columns);
  return {
    rowCount: entries[0]?.[1][1].length ?? 0,
    columns: entries.map(([name, [type, values]]) => ({ name, type, values })),
  };
}

describe('exact copies', () => {
  const real = table({ id: ['integer', [1, 2, 3, 4]], city: ['string', ['a', 'b', null, 'd']] });

  it('fingerprints a table row by row, like rowFingerprint', () => {
    expect(tableRowFingerprint(real, 2)).toBe(rowFingerprint(rowAt(real, 2)));
    expect(fingerprintTable(real).size).toBe(4);
  });

  it('counts synthetic rows identical to a real row', () => {
    const synthetic = table({
      id: ['integer', [3, 1, 9, 2, 2]],
      city: ['string', [null, 'a', 'a', 'x', 'b']],
    });
    expect(countExactCopies(fingerprintTable(real), synthetic)).toBe(3);
    expect(createExactCopyDetector(real).count(synthetic)).toBe(3);
  });

  it('finds exactly the copies a full fingerprint finds, whatever the column mix', () => {
    const cell = fc.oneof(fc.constant(null), fc.integer({ min: 0, max: 3 }), fc.constantFrom('a', 'b'));
    const rows = fc.array(fc.tuple(cell, cell, cell), { minLength: 1, maxLength: 30 });
    fc.assert(
      fc.property(
        rows,
        rows,
        fc.constantFrom<PhysicalType[]>(
          ['integer', 'string', 'string'],
          ['integer', 'float', 'boolean'],
          ['string', 'string', 'string'],
        ),
        (realRows, synthRows, types) => {
          const make = (rs: CellValue[][]): Table => ({
            rowCount: rs.length,
            columns: types.map((type, c) => ({ name: `c${c}`, type, values: rs.map((r) => r[c] ?? null) })),
          });
          const real = make(realRows);
          // Half the synthetic rows copied from real ones, so copies actually occur.
          const synthetic = make(
            synthRows.map((r, i) => (i % 2 === 0 ? (realRows[i % realRows.length] as CellValue[]) : r)),
          );
          const detector = createExactCopyDetector(real);
          expect(detector.count(synthetic)).toBe(countExactCopies(fingerprintTable(real), synthetic));
        },
      ),
    );
  });
});

function profile(columns: [string, SemanticType][]): DatasetProfile {
  return {
    rowCount: 0,
    columns: columns.map(([name, semanticType]): ColumnProfile => ({
      name,
      semanticType,
      physicalType: 'string',
      count: 0,
      nullCount: 0,
      nullRate: 0,
      distinctCount: 0,
      unique: false,
    })),
  };
}

describe('columnShapeScores', () => {
  const real = table({
    id: ['integer', [1, 2, 3, 4]],
    amount: ['float', [1, 2, 3, 4]],
    day: ['date', ['2024-01-01', '2024-01-02', '2024-01-03', '2024-01-04']],
    kind: ['string', ['a', 'a', 'b', null]],
    flag: ['boolean', [true, false, true, true]],
    note: ['string', ['x', 'y', 'z', 'w']],
  });
  const p = profile([
    ['id', 'identifier'],
    ['amount', 'float'],
    ['day', 'datetime'],
    ['kind', 'categorical'],
    ['flag', 'boolean'],
    ['note', 'text'],
  ]);

  it('scores numbers and datetimes with KS, categories and booleans with TV, and skips keys and text', () => {
    const synthetic = table({
      id: ['integer', [9, 9, 9, 9]],
      amount: ['float', [3, 4, 5, 6]],
      day: ['date', ['2024-01-03', '2024-01-04', '2024-01-05', '2024-01-06']],
      kind: ['string', ['a', 'b', 'b', 'c']],
      flag: ['boolean', [true, false, true, true]],
      note: ['string', ['q', 'q', 'q', 'q']],
    });
    const scores = columnShapeScores(real, synthetic, p);
    expect(scores.map((s) => [s.column, s.metric])).toEqual([
      ['amount', 'ks_complement'],
      ['day', 'ks_complement'],
      ['kind', 'tv_complement'],
      ['flag', 'tv_complement'],
    ]);
    expect(scores[0]?.score).toBeCloseTo(0.5, 12);
    expect(scores[1]?.score).toBeCloseTo(0.5, 12);
    expect(scores[2]?.score).toBeCloseTo(0.5, 5);
    expect(scores[3]?.score).toBeCloseTo(1, 12);
  });

  it('keeps booleans, numbers and strings apart as categories', () => {
    const r = table({ v: ['string', ['1', '1']] });
    const s = table({ v: ['string', [1, 1]] });
    expect(columnShapeScores(r, s, profile([['v', 'categorical']]))[0]?.score).toBeCloseTo(0, 5);
  });

  it('scores 0 for a column missing from, or empty in, the synthetic data', () => {
    const synthetic = table({ amount: ['float', [null, null]] });
    const scores = columnShapeScores(real, synthetic, p);
    expect(scores.map((s) => [s.column, s.score])).toEqual([
      ['amount', 0],
      ['day', 0],
      ['kind', 0],
      ['flag', 0],
    ]);
  });
});

describe('summarizeQuality', () => {
  it('averages the column scores and computes the exact-copy rate', () => {
    const report = summarizeQuality(
      [
        { column: 'a', metric: 'ks_complement', score: 0.9 },
        { column: 'b', metric: 'tv_complement', score: 0.7 },
      ],
      5,
      1000,
    );
    expect(report.score).toBeCloseTo(0.8, 12);
    expect(report.exactCopyRate).toBe(0.005);
    expect(report.syntheticRowsChecked).toBe(1000);
  });

  it('is 1 (nothing found wrong) with no scorable column, and rate 0 with no rows', () => {
    expect(summarizeQuality([], 0, 0)).toEqual({
      score: 1,
      columns: [],
      exactCopies: 0,
      syntheticRowsChecked: 0,
      exactCopyRate: 0,
    });
  });
});
