import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  applyConstraints,
  createUniquenessState,
  UniquenessTracker,
  type Constraint,
  type ResampleRows,
} from '../../core/constraints/index.js';
import { ConfigError } from '../../core/errors.js';
import type { CellValue, Table } from '../../core/table.js';

const cellArb: fc.Arbitrary<CellValue> = fc.oneof(
  fc.integer({ min: -5, max: 5 }),
  fc.constantFrom(0, -0, 1.5),
  fc.string({ maxLength: 3 }),
  fc.boolean(),
  fc.constant(null),
);

describe('UniquenessTracker', () => {
  it('behaves like a set of keys (type-aware: 1 and "1" differ, 0 and −0 agree)', () => {
    fc.assert(
      fc.property(fc.array(fc.array(cellArb, { minLength: 1, maxLength: 3 }), { maxLength: 300 }), (keys) => {
        const tracker = new UniquenessTracker();
        const reference = new Set<string>();
        const canonical = (key: CellValue[]) =>
          JSON.stringify(key.map((v) => (typeof v === 'number' ? ['n', v === 0 ? 0 : v] : [typeof v, v])));
        for (const key of keys) {
          const fresh = !reference.has(canonical(key));
          expect(tracker.has(key)).toBe(!fresh);
          expect(tracker.add(key)).toBe(fresh);
          reference.add(canonical(key));
        }
        expect(tracker.size).toBe(reference.size);
      }),
    );
  });

  it('grows past its initial table and keeps every key', () => {
    const tracker = new UniquenessTracker();
    let added = 0;
    let found = 0;
    for (let i = 0; i < 50_000; i++) if (tracker.add([i])) added++;
    for (let i = 0; i < 50_000; i++) if (tracker.has([i])) found++;
    expect([added, found]).toEqual([50_000, 50_000]);
    expect(tracker.has([50_000])).toBe(false);
    expect(tracker.size).toBe(50_000);
  });

  it('refuses keys beyond its cap with a ConfigError naming the limit', () => {
    const tracker = new UniquenessTracker({ maxKeys: 3 });
    tracker.add(['a']);
    tracker.add(['b']);
    tracker.add(['c']);
    expect(tracker.add(['a'])).toBe(false);
    try {
      tracker.add(['d']);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      expect((e as ConfigError).field).toBe('maxUniqueKeys');
    }
  });

  it('records emitted tables, skipping keys with a null, and counts duplicates', () => {
    const tracker = new UniquenessTracker();
    const t: Table = {
      rowCount: 4,
      columns: [
        { name: 'a', type: 'integer', values: [1, 1, null, 2] },
        { name: 'b', type: 'string', values: ['x', 'x', 'y', 'z'] },
      ],
    };
    expect(tracker.addTable(t, ['a', 'b'])).toBe(1);
    expect(tracker.size).toBe(2);
    expect(tracker.has([2, 'z'])).toBe(true);
    expect(tracker.has([null, 'y'])).toBe(false);
  });
});

describe('applyConstraints across chunks', () => {
  const constraints: Constraint[] = [{ kind: 'primaryKey', columns: ['id'] }];
  const chunk = (ids: CellValue[]): Table => ({
    rowCount: ids.length,
    columns: [{ name: 'id', type: 'integer', values: ids }],
  });

  it('a resumed run that records the emitted chunks continues exactly like an uninterrupted one', () => {
    const chunks = [chunk([1, 2, 3, 3]), chunk([3, 4, 9, 1]), chunk([5, 5, null, 2])];
    const straight = createUniquenessState(constraints);
    const outputs = chunks.map(
      (c, k) => applyConstraints(c, constraints, { seed: 1, startRow: 4 * k, uniqueness: straight }).table,
    );
    const resumed = createUniquenessState(constraints);
    resumed.recordEmitted(outputs[0] as Table);
    resumed.recordEmitted(outputs[1] as Table);
    const third = applyConstraints(chunks[2] as Table, constraints, {
      seed: 1,
      startRow: 8,
      uniqueness: resumed,
    }).table;
    expect(third).toEqual(outputs[2]);
    const all = outputs.flatMap((t) => t.columns[0]?.values ?? []);
    expect(new Set(all).size).toBe(12);
    expect(all).not.toContain(null);
  });

  it('bumps a duplicate number above the highest key emitted so far', () => {
    const state = createUniquenessState(constraints);
    applyConstraints(chunk([10, 20, 30]), constraints, { seed: 1, uniqueness: state });
    const out = applyConstraints(chunk([20, 5]), constraints, {
      seed: 1,
      startRow: 3,
      uniqueness: state,
    }).table;
    expect(out.columns[0]?.values).toEqual([31, 5]);
  });

  it('stops resampling a row whose replacement keeps the same taken key', () => {
    const calls: number[] = [];
    const resample: ResampleRows = (count, attempt, rows) => {
      calls.push(attempt);
      // A keyed synthesizer: the key of row r is always r.
      return chunk(rows.map((r) => r));
    };
    const { report, table } = applyConstraints(chunk([0, 0, 2]), constraints, {
      seed: 1,
      resample,
      maxAttempts: 5,
    });
    expect(table.columns[0]?.values).toEqual([0, 1, 2]);
    expect(report.rowsResampled).toBe(1);
    expect(calls.length).toBeLessThanOrEqual(2);
  });
});

describe('custom constraints', () => {
  const t: Table = { rowCount: 3, columns: [{ name: 'x', type: 'integer', values: [1, 2, 3] }] };

  it('repairs with the caller’s function, giving it the global row and the seed', () => {
    const seen: number[] = [];
    const out = applyConstraints(
      t,
      [
        {
          kind: 'custom',
          name: 'odd',
          predicate: (row) => (row['x'] as number) % 2 === 1,
          repair: (row, { row: r }) => {
            seen.push(r);
            return { x: (row['x'] as number) + 1 };
          },
        },
      ],
      { seed: 4, startRow: 100 },
    ).table;
    expect(out.columns[0]?.values).toEqual([1, 3, 3]);
    expect(seen).toEqual([101]);
  });

  it('without a repair, fails with its path once resampling is exhausted', () => {
    expect(() =>
      applyConstraints(t, [{ kind: 'custom', name: 'never', predicate: () => false }], { seed: 1 }),
    ).toThrow(/^constraints\[0\]: cannot hold/);
  });
});
