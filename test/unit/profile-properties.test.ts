import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { profileTable, type ColumnProfile, type NumericSummary } from '../../core/profile/index.js';
import type { CellValue, ColumnData, Table } from '../../core/table.js';

const numberCell = fc.oneof(
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 4, arbitrary: fc.integer({ min: -1000, max: 1000 }) },
  { weight: 4, arbitrary: fc.double() },
);
const stringCell = fc.oneof(
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 3, arbitrary: fc.constantFrom('red', 'green', 'blue', 'yes', 'no', '2023-01-05', 'AB-12') },
  { weight: 3, arbitrary: fc.string({ maxLength: 12 }) },
);
const booleanCell = fc.option(fc.boolean(), { nil: null });

/** A table of 1–5 columns of mixed physical types and equal length. */
const tables: fc.Arbitrary<Table> = fc.integer({ min: 0, max: 80 }).chain((rows) => {
  const col = (i: number) =>
    fc.oneof(
      fc
        .array(numberCell, { minLength: rows, maxLength: rows })
        .map((values): ColumnData => ({ name: `f${i}`, type: 'float', values })),
      fc
        .array(fc.option(fc.integer({ min: -50, max: 50 }), { nil: null }), {
          minLength: rows,
          maxLength: rows,
        })
        .map((values): ColumnData => ({ name: `i${i}`, type: 'integer', values })),
      fc
        .array(stringCell, { minLength: rows, maxLength: rows })
        .map((values): ColumnData => ({ name: `s${i}`, type: 'string', values })),
      fc
        .array(booleanCell, { minLength: rows, maxLength: rows })
        .map((values): ColumnData => ({ name: `b${i}`, type: 'boolean', values })),
    );
  return fc
    .array(fc.nat(), { minLength: 1, maxLength: 5 })
    .chain((ids) => fc.tuple(...ids.map((_, i) => col(i))))
    .map((columns) => ({ rowCount: rows, columns }));
});

function isNullCell(column: ColumnData, v: CellValue): boolean {
  if (v === null) return true;
  if (column.type === 'float' || column.type === 'integer')
    return typeof v === 'number' && !Number.isFinite(v);
  return false;
}

function checkNumeric(n: NumericSummary): void {
  const q = n.quantiles;
  const ordered = [n.min, q.p01, q.p05, q.p25, q.p50, q.p75, q.p95, q.p99, n.max];
  for (let i = 1; i < ordered.length; i++) expect(ordered[i - 1]).toBeLessThanOrEqual(ordered[i] as number);
  expect(n.min).toBeLessThanOrEqual(n.mean);
  expect(n.mean).toBeLessThanOrEqual(n.max);
  expect(n.std).toBeGreaterThanOrEqual(0);
  for (const v of [...ordered, n.mean, n.std]) expect(Number.isFinite(v)).toBe(true);
}

describe('profile invariants', () => {
  it('hold for arbitrary tables', () => {
    fc.assert(
      fc.property(tables, (table) => {
        const profile = profileTable(table);
        expect(profile.rowCount).toBe(table.rowCount);
        expect(profile.columns.map((c) => c.name)).toEqual(table.columns.map((c) => c.name));
        table.columns.forEach((column, i) => {
          const p = profile.columns[i] as ColumnProfile;
          const nonNull = column.values.filter((v) => !isNullCell(column, v)).length;
          expect(p.count).toBe(table.rowCount);
          expect(p.nullCount + nonNull).toBe(table.rowCount);
          expect(p.nullRate).toBeGreaterThanOrEqual(0);
          expect(p.nullRate).toBeLessThanOrEqual(1);
          expect(p.distinctCount).toBeLessThanOrEqual(p.count - p.nullCount);
          expect(p.unique).toBe(nonNull > 0 && p.distinctCount === nonNull);
          if (column.type === 'string') {
            expect(p.distinctCount).toBe(new Set(column.values.filter((v) => v !== null)).size);
          }
          if (p.numeric !== undefined) checkNumeric(p.numeric);
          if (p.topCategories !== undefined) {
            const counts = p.topCategories.map((c) => c.count);
            for (let k = 1; k < p.topCategories.length; k++) {
              const a = p.topCategories[k - 1] as { value: string; count: number };
              const b = p.topCategories[k] as { value: string; count: number };
              expect(a.count > b.count || (a.count === b.count && a.value < b.value)).toBe(true);
            }
            expect(counts.reduce((s, c) => s + c, 0)).toBeLessThanOrEqual(nonNull);
          }
          if (p.text !== undefined) {
            expect(p.text.minLength).toBeLessThanOrEqual(p.text.meanLength);
            expect(p.text.meanLength).toBeLessThanOrEqual(p.text.maxLength);
          }
        });
      }),
      { numRuns: 300 },
    );
  });

  it('are deterministic: the same table gives the same JSON', () => {
    fc.assert(
      fc.property(tables, (table) => {
        const copy: Table = {
          rowCount: table.rowCount,
          columns: table.columns.map((c) => ({ ...c, values: [...c.values] })),
        };
        expect(JSON.stringify(profileTable(copy))).toBe(JSON.stringify(profileTable(table)));
      }),
      { numRuns: 100 },
    );
  });

  it('numeric and categorical statistics do not depend on row order', () => {
    const column = fc.oneof(
      fc
        .array(fc.option(fc.double({ noNaN: true, min: -1e6, max: 1e6 }), { nil: null }), {
          minLength: 1,
          maxLength: 60,
        })
        .map((values): ColumnData => ({ name: 'x', type: 'float', values })),
      fc
        .array(fc.option(fc.constantFrom('a', 'b', 'c', 'd'), { nil: null }), { minLength: 1, maxLength: 60 })
        .map((values): ColumnData => ({ name: 'x', type: 'string', values })),
    );
    fc.assert(
      fc.property(column, fc.nat(), (col, shift) => {
        const k = shift % col.values.length;
        const rotated: ColumnData = {
          ...col,
          values: [...col.values.slice(k), ...col.values.slice(0, k)].reverse(),
        };
        const a = profileTable({ rowCount: col.values.length, columns: [col] });
        const b = profileTable({ rowCount: col.values.length, columns: [rotated] });
        expect(b).toEqual(a);
      }),
    );
  });

  it('quantiles match a naive sort-and-interpolate reference', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -1e6, max: 1e6 }), { minLength: 1, maxLength: 200 }),
        (values) => {
          const p = profileTable({
            rowCount: values.length,
            columns: [{ name: 'v', type: 'integer', values }],
          }).columns[0];
          const sorted = [...values].sort((x, y) => x - y);
          const ref = (q: number) => {
            const h = (sorted.length - 1) * q;
            const lo = Math.floor(h);
            const hi = Math.min(lo + 1, sorted.length - 1);
            return (sorted[lo] as number) + ((sorted[hi] as number) - (sorted[lo] as number)) * (h - lo);
          };
          expect(p?.numeric?.quantiles.p50).toBeCloseTo(ref(0.5), 6);
          expect(p?.numeric?.quantiles.p05).toBeCloseTo(ref(0.05), 6);
          expect(p?.numeric?.quantiles.p99).toBeCloseTo(ref(0.99), 6);
          expect(p?.numeric?.mean).toBeCloseTo(values.reduce((s, v) => s + v, 0) / values.length, 6);
        },
      ),
    );
  });
});
