import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildNeighbourIndex,
  computeDcr,
  createGowerLayout,
  encodeGowerRows,
  findNearest,
} from '../../core/privacy/index.js';
import type { CellValue, PhysicalType, Table } from '../../core/table.js';

// ---------------------------------------------------------------------------------------------
// A brute-force reference written from the definition: Gower distance = mean over columns of
// |a − b| / range (numbers and dates; range over the real tables; synthetic values clamped into it)
// or [a ≠ b] (everything else); null vs null 0, null vs value 1.

const NUMERIC: PhysicalType[] = ['integer', 'float', 'date', 'timestamp'];

function asNumber(v: CellValue, type: PhysicalType): number {
  if (v === null) return NaN;
  if (type === 'date' || type === 'timestamp')
    return Date.parse(String(v).length === 10 ? `${String(v)}T00:00:00Z` : String(v));
  return v as number;
}

function referenceDistances(query: Table, real: Table, realForRange: Table[], neighbours: 1 | 2): number[][] {
  const names = real.columns.map((c) => c.name);
  const stats = names.map((name) => {
    const type = (real.columns.find((c) => c.name === name) as { type: PhysicalType }).type;
    if (!NUMERIC.includes(type)) return { type, numeric: false, lo: 0, range: 0 };
    const xs = realForRange
      .flatMap((t) =>
        (t.columns.find((c) => c.name === name) as { values: CellValue[] }).values.map((v) =>
          asNumber(v, type),
        ),
      )
      .filter((x) => !Number.isNaN(x));
    const lo = xs.length > 0 ? Math.min(...xs) : 0;
    const hi = xs.length > 0 ? Math.max(...xs) : 0;
    return { type, numeric: true, lo, range: hi - lo };
  });
  const cell = (t: Table, name: string, i: number) =>
    (t.columns.find((c) => c.name === name) as { values: CellValue[] }).values[i] ?? null;
  const scaled = (x: number, s: { lo: number; range: number }) =>
    Number.isNaN(x) ? NaN : s.range > 0 ? Math.min(1, Math.max(0, (x - s.lo) / s.range)) : x === s.lo ? 0 : 1;
  const out: number[][] = [];
  for (let i = 0; i < query.rowCount; i++) {
    const ds: number[] = [];
    for (let r = 0; r < real.rowCount; r++) {
      let sum = 0;
      names.forEach((name, j) => {
        const s = stats[j] as (typeof stats)[number];
        const a = cell(query, name, i);
        const b = cell(real, name, r);
        if (s.numeric) {
          const x = scaled(asNumber(a, s.type), s);
          const y = scaled(asNumber(b, s.type), s);
          sum +=
            Number.isNaN(x) && Number.isNaN(y) ? 0 : Number.isNaN(x) || Number.isNaN(y) ? 1 : Math.abs(x - y);
        } else sum += a === b ? 0 : 1;
      });
      ds.push(names.length === 0 ? 0 : sum / names.length);
    }
    ds.sort((p, q) => p - q);
    out.push([ds[0] ?? Infinity, ...(neighbours === 2 ? [ds[1] ?? Infinity] : [])]);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Small random tables over a random mix of column kinds, with nulls, few categories (so buckets
// and near neighbours abound) and synthetic values beyond the real range.

const kindArb = fc.constantFrom(
  'integer',
  'float',
  'date',
  'timestamp',
  'string',
  'boolean',
  'code',
) as fc.Arbitrary<string>;

function valueArb(kind: string, wide: boolean): fc.Arbitrary<CellValue> {
  const v: fc.Arbitrary<CellValue> = (() => {
    switch (kind) {
      case 'integer':
        return fc.integer({ min: wide ? -20 : 0, max: wide ? 30 : 10 });
      case 'float':
        return fc.integer({ min: 0, max: 400 }).map((x) => x / 40);
      case 'date':
        return fc
          .integer({ min: 0, max: 60 })
          .map((d) => new Date(Date.UTC(2024, 0, 1) + d * 86_400_000).toISOString().slice(0, 10));
      case 'timestamp':
        return fc
          .integer({ min: 0, max: 10_000 })
          .map((s) => new Date(Date.UTC(2024, 0, 1) + s * 60_000).toISOString());
      case 'boolean':
        return fc.boolean();
      case 'code':
        return fc.integer({ min: 0, max: 3 });
      default:
        return fc.constantFrom('a', 'b', 'c', wide ? 'z' : 'a');
    }
  })();
  return fc.option(v, { freq: 6, nil: null });
}

const physical = (kind: string): PhysicalType => (kind === 'code' ? 'string' : (kind as PhysicalType));

const scenarioArb = fc.array(kindArb, { minLength: 0, maxLength: 8 }).chain((kinds) => {
  const rows = (n: number, wide: boolean) =>
    fc.array(fc.tuple(...kinds.map((k) => valueArb(k, wide))), { minLength: 0, maxLength: n });
  return fc.record({
    kinds: fc.constant(kinds),
    training: rows(40, false),
    holdout: rows(25, false),
    synthetic: rows(25, true),
  });
});

function toTable(kinds: string[], rows: CellValue[][]): Table {
  return {
    rowCount: rows.length,
    columns: kinds.map((k, j) => ({
      name: `c${j}`,
      type: physical(k),
      // Code columns hold numbers in a string column: 1 and "1" must stay different categories.
      values: rows.map((r) =>
        k === 'code' && r[j] !== null && (r[j] as number) % 2 === 0 ? String(r[j]) : (r[j] ?? null),
      ),
    })),
  };
}

describe('findNearest', () => {
  it('equals a brute-force scan (nearest and second nearest), whatever the index budget', () => {
    fc.assert(
      fc.property(scenarioArb, fc.constantFrom(0, 50, 4_000_000), (s, budget) => {
        const training = toTable(s.kinds, s.training);
        const synthetic = toTable(s.kinds, s.synthetic);
        const layout = createGowerLayout(
          [training],
          training.columns.map((c) => c.name),
        );
        const index = buildNeighbourIndex(encodeGowerRows(training, layout), layout, {
          wildcardBudget: budget,
        });
        const queries = encodeGowerRows(synthetic, layout);
        const got2 = findNearest(index, queries, 2);
        const got1 = findNearest(index, queries, 1);
        const want = referenceDistances(synthetic, training, [training], 2);
        want.forEach(([d1, d2], i) => {
          expect(got2.first[i]).toBeCloseTo(d1 as number, 12);
          expect(got1.first[i]).toBeCloseTo(d1 as number, 12);
          if (d2 === Infinity) expect(got2.second[i]).toBe(Infinity);
          else expect(got2.second[i]).toBeCloseTo(d2 as number, 12);
          expect(Number.isNaN(got1.second[i])).toBe(true);
        });
      }),
      { numRuns: 300 },
    );
  });

  it('equals a brute-force scan on larger tables with deep trees (numeric-only and mixed)', () => {
    let x = 17;
    const next = () => (x = (Math.imul(x, 1103515245) + 12345) >>> 0) / 2 ** 32;
    for (const kinds of [
      ['float', 'integer', 'float', 'date'],
      ['float', 'integer', 'code', 'string', 'float'],
    ]) {
      const rows = (n: number) =>
        Array.from({ length: n }, () =>
          kinds.map((k): CellValue => {
            if (next() < 0.05) return null;
            if (k === 'float') return Math.round(next() * 1000) / 10;
            if (k === 'integer') return Math.floor(next() * 50);
            if (k === 'date')
              return new Date(Date.UTC(2020, 0, 1) + Math.floor(next() * 900) * 86_400_000)
                .toISOString()
                .slice(0, 10);
            if (k === 'code') return Math.floor(next() * 3);
            return ['a', 'b'][Math.floor(next() * 2)] as string;
          }),
        );
      const training = toTable(kinds, rows(600));
      const synthetic = toTable(kinds, rows(80));
      const layout = createGowerLayout(
        [training],
        training.columns.map((c) => c.name),
      );
      const got = findNearest(
        buildNeighbourIndex(encodeGowerRows(training, layout), layout),
        encodeGowerRows(synthetic, layout),
        2,
      );
      referenceDistances(synthetic, training, [training], 2).forEach(([d1, d2], i) => {
        expect(got.first[i]).toBeCloseTo(d1 as number, 12);
        expect(got.second[i]).toBeCloseTo(d2 as number, 12);
      });
    }
  });

  it('finds rows far from every real row (past the shallow bucket levels)', () => {
    // Eight categorical columns: the query disagrees with the only real row on all of them.
    const names = Array.from({ length: 8 }, (_, j) => `k${j}`);
    const table = (v: string): Table => ({
      rowCount: 1,
      columns: names.map((name) => ({ name, type: 'string', values: [v] })),
    });
    const layout = createGowerLayout([table('a')], names);
    const index = buildNeighbourIndex(encodeGowerRows(table('a'), layout), layout);
    expect(index.wildcardLevels).toBe(3);
    expect(findNearest(index, encodeGowerRows(table('b'), layout), 1).first[0]).toBe(1);
  });
});

describe('computeDcr', () => {
  it('matches the reference quantiles, shares and exact copies', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        fc.pre(s.training.length > 1 && s.holdout.length > 0 && s.synthetic.length > 0 && s.kinds.length > 0);
        const training = toTable(s.kinds, s.training);
        const holdout = toTable(s.kinds, s.holdout);
        const synthetic = toTable(s.kinds, s.synthetic);
        const report = computeDcr(
          { synthetic, training, holdout },
          { columns: training.columns.map((c) => c.name) },
        );
        const toTraining = referenceDistances(synthetic, training, [training, holdout], 2);
        const toHoldout = referenceDistances(synthetic, holdout, [training, holdout], 1);
        const quantile = (xs: number[], q: number) => {
          const sorted = [...xs].sort((a, b) => a - b);
          const at = q * (sorted.length - 1);
          const lo = Math.floor(at);
          const hi = Math.min(sorted.length - 1, lo + 1);
          return (sorted[lo] as number) + ((sorted[hi] as number) - (sorted[lo] as number)) * (at - lo);
        };
        const d1 = toTraining.map((d) => d[0] as number);
        const h1 = toHoldout.map((d) => d[0] as number);
        expect(report.dcrTraining.p05).toBeCloseTo(quantile(d1, 0.05), 10);
        expect(report.dcrTraining.p50).toBeCloseTo(quantile(d1, 0.5), 10);
        expect(report.dcrHoldout.p50).toBeCloseTo(quantile(h1, 0.5), 10);
        expect(report.exactCopies).toBe(d1.filter((d) => d === 0).length);
        const closer = d1.reduce(
          (n, d, i) =>
            n + (d < (h1[i] as number) - 1e-12 ? 1 : Math.abs(d - (h1[i] as number)) <= 1e-12 ? 0.5 : 0),
          0,
        );
        expect(report.closerToTrainingShare).toBeCloseTo(closer / d1.length, 10);
        expect(report.expectedCloserToTrainingShare).toBeCloseTo(
          s.training.length / (s.training.length + s.holdout.length),
          12,
        );
        const ratios = toTraining.map(([a, b]) => ((b as number) > 0 ? (a as number) / (b as number) : 1));
        expect(report.nndr.p50).toBeCloseTo(quantile(ratios, 0.5), 10);
      }),
      { numRuns: 200 },
    );
  });

  it('flags memorised rows: copies of training rows are exact copies, nearer to training than to holdout', () => {
    const make = (seed: number, n: number): Table => {
      let x = seed;
      const next = () => (x = (Math.imul(x, 1103515245) + 12345) >>> 0) / 2 ** 32;
      const rows = Array.from({ length: n }, () => [
        Math.round(next() * 80),
        ['x', 'y', 'z'][Math.floor(next() * 3)] as string,
        Math.round(next() * 1e6) / 100,
      ]);
      return {
        rowCount: n,
        columns: [
          { name: 'age', type: 'integer', values: rows.map((r) => r[0] as number) },
          { name: 'group', type: 'string', values: rows.map((r) => r[1] as string) },
          { name: 'amount', type: 'float', values: rows.map((r) => r[2] as number) },
        ],
      };
    };
    const training = make(1, 400);
    const holdout = make(2, 400);
    const leaked = computeDcr({ synthetic: training, training, holdout });
    expect(leaked.exactCopies).toBe(400);
    expect(leaked.closerToTrainingShare).toBe(1);
    expect(leaked.dcrTraining.p50).toBe(0);
    expect(leaked.nndr.p50).toBe(0);
    const fresh = computeDcr({ synthetic: make(3, 400), training, holdout });
    expect(fresh.exactCopies).toBe(0);
    expect(Math.abs(fresh.closerToTrainingShare - 0.5)).toBeLessThan(0.1);
    expect(fresh.dcrTraining.p50).toBeGreaterThan(0);
  });

  it('compares only the shared columns by default, or the ones given', () => {
    const t = (extra: boolean): Table => ({
      rowCount: 2,
      columns: [
        { name: 'a', type: 'integer', values: [1, 2] },
        ...(extra ? [{ name: 'id', type: 'string' as const, values: ['u1', 'u2'] }] : []),
      ],
    });
    expect(computeDcr({ synthetic: t(false), training: t(true), holdout: t(true) }).columns).toEqual(['a']);
    // A key column is left out unless asked for.
    const byDefault = computeDcr({ synthetic: t(true), training: t(true), holdout: t(true) });
    expect(byDefault.columns).toEqual(['a']);
    expect(byDefault.excludedColumns).toEqual(['id']);
    expect(
      computeDcr({ synthetic: t(true), training: t(true), holdout: t(true) }, { columns: ['a', 'id'] })
        .columns,
    ).toEqual(['a', 'id']);
    const onlyA = computeDcr({ synthetic: t(true), training: t(true), holdout: t(true) }, { columns: ['a'] });
    expect(onlyA.columns).toEqual(['a']);
    expect(onlyA.exactCopies).toBe(2);
  });
});
