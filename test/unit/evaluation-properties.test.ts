/** Properties of the evaluation that hold for any input (fast-check). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluateSynthetic, type EvaluationResult } from '../../core/evaluation/index.js';
import type { CellValue, Table } from '../../core/table.js';

const rowsArb = fc.array(
  fc.record({
    x: fc.option(fc.integer({ min: -1000, max: 1000 }), { nil: null, freq: 8 }),
    f: fc.option(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { nil: null, freq: 8 }),
    c: fc.option(fc.constantFrom('a', 'b', 'c', 'd'), { nil: null, freq: 8 }),
    b: fc.option(fc.boolean(), { nil: null, freq: 8 }),
    d: fc.option(
      fc
        .integer({ min: 0, max: 3000 })
        .map((day) => new Date(Date.UTC(2020, 0, 1) + day * 86_400_000).toISOString().slice(0, 10)),
      { nil: null, freq: 8 },
    ),
  }),
  { minLength: 2, maxLength: 60 },
);

function toTable(rows: readonly Record<string, CellValue>[]): Table {
  const types = { x: 'integer', f: 'float', c: 'string', b: 'boolean', d: 'date' } as const;
  return {
    rowCount: rows.length,
    columns: Object.entries(types).map(([name, type]) => ({
      name,
      type,
      values: rows.map((r) => r[name] ?? null),
    })),
  };
}

const metadata = {
  columns: {
    x: { sdtype: 'numerical' },
    f: { sdtype: 'numerical' },
    c: { sdtype: 'categorical' },
    b: { sdtype: 'boolean' },
    d: { sdtype: 'datetime' },
  },
} as const;

function evaluate(real: Table, synthetic: Table, holdout?: Table): EvaluationResult {
  return evaluateSynthetic({ real, synthetic, ...(holdout ? { holdout } : {}), metadata });
}

function expectUnit(x: number | null | undefined, what: string): void {
  if (x === null || x === undefined) return;
  expect(x, what).toBeGreaterThanOrEqual(0);
  expect(x, what).toBeLessThanOrEqual(1 + 1e-12);
}

describe('evaluation properties', () => {
  it('identical tables score 1 on every column shape and every column pair', () => {
    fc.assert(
      fc.property(rowsArb, (rows) => {
        const t = toTable(rows);
        const r = evaluate(t, toTable(rows));
        for (const c of r.quality.columnShapes.columns)
          if (c.score !== null) expect(c.score).toBeCloseTo(1, 12);
        for (const p of r.quality.columnPairTrends.pairs)
          if (p.score !== null) expect(p.score).toBeCloseTo(1, 12);
        if (r.quality.columnShapes.score !== null) expect(r.quality.columnShapes.score).toBeCloseTo(1, 12);
        if (r.quality.columnPairTrends.score !== null)
          expect(r.quality.columnPairTrends.score).toBeCloseTo(1, 12);
        expect(r.privacy?.newRowSynthesis.score).toBe(0);
      }),
      { numRuns: 60 },
    );
  });

  it('a shuffled column keeps its shape score and loses its pair-trend score', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: -10_000, max: 10_000 }), { minLength: 5, maxLength: 80 }),
        fc.integer({ min: 1, max: 1000 }),
        (xs, shift) => {
          const n = xs.length;
          const k = shift % n === 0 ? 1 : shift % n;
          const y = xs.map((v) => 2 * v + 1);
          const real: Table = {
            rowCount: n,
            columns: [
              { name: 'x', type: 'integer', values: xs },
              { name: 'y', type: 'integer', values: y },
            ],
          };
          const synthetic: Table = {
            rowCount: n,
            columns: [
              { name: 'x', type: 'integer', values: xs },
              { name: 'y', type: 'integer', values: y.map((_, i) => y[(i + k) % n] ?? null) },
            ],
          };
          const r = evaluateSynthetic({ real, synthetic, options: { privacy: false } });
          const shapeOf = (res: EvaluationResult): number | null | undefined =>
            res.quality.columnShapes.columns.find((c) => c.column === 'y')?.score;
          const same = evaluateSynthetic({ real, synthetic: real, options: { privacy: false } });
          expect(shapeOf(r)).toBe(shapeOf(same));
          expect(shapeOf(r)).toBe(1);
          const pair = r.quality.columnPairTrends.pairs[0];
          expect(pair?.metric).toBe('CorrelationSimilarity');
          expect(pair?.score).not.toBeNull();
          expect(pair?.score as number).toBeLessThan(1);
          expect(same.quality.columnPairTrends.pairs[0]?.score).toBe(1);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('every score, share, p-value and divergence stays in [0, 1]', () => {
    fc.assert(
      fc.property(rowsArb, rowsArb, rowsArb, (a, b, h) => {
        const r = evaluate(toTable(a), toTable(b), toTable(h));
        expectUnit(r.quality.score, 'overall');
        expectUnit(r.quality.columnShapes.score, 'shapes');
        expectUnit(r.quality.columnPairTrends.score, 'trends');
        for (const c of r.quality.columnShapes.columns) expectUnit(c.score, `shape ${c.column}`);
        for (const p of r.quality.columnPairTrends.pairs)
          expectUnit(p.score, `pair ${p.column1}/${p.column2}`);
        expectUnit(r.diagnostics.score, 'diagnostics');
        for (const v of r.diagnostics.dataValidity.columns) expectUnit(v.score, `${v.metric} ${v.column}`);
        for (const s of r.statistics) {
          expectUnit(s.ks?.statistic, 'KS D');
          expectUnit(s.ks?.pValue, 'KS p');
          expectUnit(s.chiSquared?.pValue, 'chi² p');
          expectUnit(s.jensenShannonDivergence, 'JS');
          if (s.wassersteinNormalized !== null) expect(s.wassersteinNormalized).toBeGreaterThanOrEqual(0);
        }
        expectUnit(r.privacy?.newRowSynthesis.score, 'NewRowSynthesis');
        expectUnit(r.privacy?.dcr?.overfittingProtection, 'DCROverfittingProtection');
        expectUnit(r.privacy?.dcr?.closerToTrainingShare, 'closer to training');
        expectUnit(r.privacy?.dcr?.dcrTraining.p50, 'DCR');
      }),
      { numRuns: 60 },
    );
  });
});
