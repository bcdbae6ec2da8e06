import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../core/errors.js';
import { classifyTable } from '../../core/pii/index.js';
import { profileTable } from '../../core/profile/index.js';
import { ksComplement, tvComplementOf } from '../../core/quality/index.js';
import { createRng } from '../../core/random/index.js';
import {
  fitSynthModel,
  sampleChunk,
  sampleConditional,
  sampleConditionalDetailed,
  type ColumnCondition,
} from '../../core/synth/index.js';
import type { CellValue, Table } from '../../core/table.js';

/** Customers whose age and income depend on country and segment, with nulls and a European date column. */
function buildSample(rows: number): Table {
  const rng = createRng(42);
  const countries = ['US', 'US', 'US', 'DE', 'DE', 'FR', 'GB', 'NL'];
  const segments = ['A', 'B', 'C'];
  const id: CellValue[] = [];
  const country: CellValue[] = [];
  const segment: CellValue[] = [];
  const age: CellValue[] = [];
  const income: CellValue[] = [];
  const joined: CellValue[] = [];
  const vip: CellValue[] = [];
  for (let i = 0; i < rows; i++) {
    const c = countries[rng.nextInt(countries.length)] as string;
    const s = segments[Math.min(2, Math.floor(-Math.log(rng.nextDouble()) * 1.2))] as string;
    const z = rng.nextNormal();
    const a = Math.max(18, Math.min(90, Math.round(40 + (s === 'A' ? 8 : s === 'B' ? 0 : -8) + 10 * z)));
    id.push(`CUST-${String(i + 1).padStart(6, '0')}`);
    country.push(c);
    segment.push(s);
    age.push(a);
    income.push(
      rng.nextDouble() < 0.1 ? null : Math.round((20_000 + a * 900 + 8000 * rng.nextNormal()) * 100) / 100,
    );
    const day = 1 + rng.nextInt(28);
    const month = 1 + rng.nextInt(12);
    joined.push(`${String(day).padStart(2, '0')}/${String(month).padStart(2, '0')}/${2015 + rng.nextInt(9)}`);
    vip.push(rng.nextDouble() < 0.2);
  }
  return {
    rowCount: rows,
    columns: [
      { name: 'customer_id', type: 'string', values: id },
      { name: 'country', type: 'string', values: country },
      { name: 'segment', type: 'string', values: segment },
      { name: 'age', type: 'integer', values: age },
      { name: 'income', type: 'float', values: income },
      { name: 'joined', type: 'string', values: joined },
      { name: 'vip', type: 'boolean', values: vip },
    ],
  };
}

const sample = buildSample(6000);
const profile = profileTable(sample);
const model = fitSynthModel(sample, profile, classifyTable(sample, profile));

function column(table: Table, name: string): CellValue[] {
  const c = table.columns.find((x) => x.name === name);
  if (c === undefined) throw new Error(`no column ${name}`);
  return c.values;
}

/** Day number of a DD/MM/YYYY text, for range checks. */
function dayOf(text: string): number {
  const [d, m, y] = text.split('/').map(Number) as [number, number, number];
  return Date.UTC(y, m - 1, d);
}

describe('sampleConditional: exact counts, every row matching', () => {
  it('returns exactly rowCount rows that all satisfy eq, in and range conditions', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 0xffffffff }),
        fc.nat({ max: 1500 }),
        fc.constantFrom('US', 'DE', 'FR', 'GB', 'NL'),
        fc.subarray(['A', 'B', 'C'], { minLength: 1 }),
        // Ages where every segment is plausible: a combination the model makes very rare (segment C is
        // young; C aged 70+ has probability ~1e-5) runs into the candidate budget by design.
        fc.integer({ min: 20, max: 50 }),
        fc.integer({ min: 0, max: 20 }),
        (seed, rowCount, country, segments, minAge, span) => {
          const conditions: Record<string, ColumnCondition> = {
            country: { eq: country },
            segment: { in: segments },
            age: { gte: minAge, lte: minAge + span },
          };
          const out = sampleConditional(model, { seed, rowCount, conditions });
          expect(out.rowCount).toBe(rowCount);
          for (const c of out.columns) expect(c.values).toHaveLength(rowCount);
          for (let i = 0; i < rowCount; i++) {
            expect(column(out, 'country')[i]).toBe(country);
            expect(segments).toContain(column(out, 'segment')[i]);
            const a = column(out, 'age')[i] as number;
            expect(Number.isInteger(a) && a >= minAge && a <= minAge + span).toBe(true);
          }
        },
      ),
      { numRuns: 12 },
    );
  });

  it('handles strict bounds, datetimes in the column’s own layout, nulls and booleans', () => {
    const out = sampleConditional(model, {
      seed: 3,
      rowCount: 800,
      conditions: {
        income: { gt: 40_000, lt: 60_000 },
        joined: { gte: '01/01/2018', lt: '2020-01-01' },
        vip: { eq: true },
      },
    });
    for (let i = 0; i < out.rowCount; i++) {
      const income = column(out, 'income')[i] as number;
      expect(income > 40_000 && income < 60_000).toBe(true);
      const joined = column(out, 'joined')[i] as string;
      expect(joined).toMatch(/^\d{2}\/\d{2}\/\d{4}$/);
      expect(dayOf(joined) >= Date.UTC(2018, 0, 1) && dayOf(joined) < Date.UTC(2020, 0, 1)).toBe(true);
      expect(column(out, 'vip')[i]).toBe(true);
    }
    const nulls = sampleConditional(model, { seed: 4, rowCount: 300, conditions: { income: { eq: null } } });
    expect(column(nulls, 'income').every((v) => v === null)).toBe(true);
    const either = sampleConditional(model, {
      seed: 5,
      rowCount: 2000,
      conditions: { income: { in: [null] }, segment: { in: ['C', null] } },
    });
    expect(column(either, 'income').every((v) => v === null)).toBe(true);
    expect(column(either, 'segment').every((v) => v === 'C' || v === null)).toBe(true);
  });

  it('is a pure function of (model, request) and keeps keys in their pattern from startRow', () => {
    const req = { seed: 9, rowCount: 500, startRow: 1000, conditions: { country: { eq: 'FR' } } };
    const a = sampleConditional(model, req);
    const b = sampleConditional(JSON.parse(JSON.stringify(model)), req);
    expect(b).toEqual(a);
    expect(column(a, 'customer_id')[0]).toMatch(/^CUST-\d{6}$/);
    expect(new Set(column(a, 'customer_id')).size).toBe(500);
    expect(sampleConditional(model, { ...req, seed: 10 })).not.toEqual(a);
  });
});

describe('sampleConditional: distributed as the model conditional', () => {
  // Reference: the model's own unconditional rows, filtered (plain rejection sampling).
  const big = sampleChunk(model, { seed: 77, chunkIndex: 0, startRow: 0, rowCount: 150_000 });

  function filtered(keep: (i: number) => boolean): Table {
    const rows: number[] = [];
    for (let i = 0; i < big.rowCount; i++) if (keep(i)) rows.push(i);
    return {
      rowCount: rows.length,
      columns: big.columns.map((c) => ({ ...c, values: rows.map((r) => c.values[r] ?? null) })),
    };
  }

  it('matches rejection sampling for a categorical equality', () => {
    const country = column(big, 'country');
    const reference = filtered((i) => country[i] === 'DE');
    const out = sampleConditional(model, {
      seed: 1,
      rowCount: 20_000,
      conditions: { country: { eq: 'DE' } },
    });
    const numbers = (t: Table, name: string) =>
      column(t, name).filter((v): v is number => typeof v === 'number');
    expect(ksComplement(numbers(reference, 'age'), numbers(out, 'age'))).toBeGreaterThan(0.97);
    expect(ksComplement(numbers(reference, 'income'), numbers(out, 'income'))).toBeGreaterThan(0.97);
    expect(tvComplementOf(column(reference, 'segment'), column(out, 'segment'))).toBeGreaterThan(0.97);
    expect(
      tvComplementOf(
        column(reference, 'income').map((v) => v === null),
        column(out, 'income').map((v) => v === null),
      ),
    ).toBeGreaterThan(0.98);
  });

  it('matches rejection sampling for a numeric range together with a category set', () => {
    const age = column(big, 'age');
    const segment = column(big, 'segment');
    const reference = filtered((i) => (age[i] as number) >= 50 && segment[i] !== 'A');
    const out = sampleConditional(model, {
      seed: 2,
      rowCount: 10_000,
      conditions: { age: { gte: 50 }, segment: { in: ['B', 'C'] } },
    });
    const numbers = (t: Table, name: string) =>
      column(t, name).filter((v): v is number => typeof v === 'number');
    expect(ksComplement(numbers(reference, 'age'), numbers(out, 'age'))).toBeGreaterThan(0.97);
    expect(ksComplement(numbers(reference, 'income'), numbers(out, 'income'))).toBeGreaterThan(0.96);
    expect(tvComplementOf(column(reference, 'segment'), column(out, 'segment'))).toBeGreaterThan(0.97);
    expect(tvComplementOf(column(reference, 'country'), column(out, 'country'))).toBeGreaterThan(0.97);
  });

  it('draws few candidates for a single category, even a rare one (the latent is sampled in its slice)', () => {
    const detailed = sampleConditionalDetailed(model, {
      seed: 3,
      rowCount: 5000,
      conditions: { segment: { eq: 'C' }, vip: { eq: false } },
    });
    expect(detailed.table.rowCount).toBe(5000);
    expect(detailed.candidates).toBeLessThan(5000 * 2);
  });
});

describe('sampleConditional: impossible or unknown conditions', () => {
  const expectConfigError = (conditions: Record<string, ColumnCondition>, field: RegExp, secret?: string) => {
    let error: unknown;
    try {
      sampleConditional(model, { seed: 1, rowCount: 10, conditions });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).field).toMatch(field);
    if (secret !== undefined) expect((error as Error).message).not.toContain(secret);
  };

  it('names the column, never the value', () => {
    expectConfigError({ nope: { eq: 'x' } }, /^conditions\.nope$/);
    expectConfigError({ country: { eq: 'Atlantis' } }, /^conditions\.country\.eq$/, 'Atlantis');
    expectConfigError({ segment: { in: ['Q', 'R'] } }, /^conditions\.segment\.in$/, 'Q');
    expectConfigError({ age: { gte: 200 } }, /^conditions\.age$/, '200');
    expectConfigError({ age: { gte: 40, lt: 40 } }, /^conditions\.age$/);
    expectConfigError({ age: { eq: 'forty' } }, /^conditions\.age\.eq$/, 'forty');
    expectConfigError({ joined: { gte: 'yesterday' } }, /^conditions\.joined\.gte$/, 'yesterday');
    expectConfigError({ country: { gte: 3 } }, /^conditions\.country\.gte$/);
    expectConfigError({ country: { like: 'D%' } as ColumnCondition }, /^conditions\.country\.like$/);
    expectConfigError({ customer_id: { eq: 'CUST-000001' } }, /^conditions\.customer_id$/, 'CUST-000001');
    expectConfigError({ age: { eq: null } }, /^conditions\.age$/);
  });

  it('gives up with a ConfigError when the conditions are possible but too rare for the budget', () => {
    // Incomes are rounded to cents, so 50000.125 is never produced, though it is within the sample's range.
    let error: unknown;
    try {
      sampleConditional(model, { seed: 1, rowCount: 10, conditions: { income: { eq: 50_000.125 } } });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).field).toBe('conditions');
    expect((error as Error).message).toMatch(/too rare.*0 matching rows in 100000 candidates.*income/);
  });

  it('validates the request', () => {
    expect(() => sampleConditional(model, { seed: -1, rowCount: 1, conditions: {} })).toThrow(/seed/);
    expect(() => sampleConditional(model, { seed: 1, rowCount: 1.5, conditions: {} })).toThrow(/rowCount/);
    expect(sampleConditional(model, { seed: 1, rowCount: 3, conditions: {} }).rowCount).toBe(3);
  });
});
