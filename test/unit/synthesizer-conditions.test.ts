/**
 * Conditional sampling through the facade (core/synthesizer/row-conditions.ts) and generateChunk:
 * exactly N rows, every one matching, for both synthesizers; the same rows for any chunking; with
 * constraints, every row satisfies both; errors name the field, never a value.
 */
import { describe, expect, it } from 'vitest';
import { parseConstraints } from '../../core/constraints/index.js';
import { ConfigError } from '../../core/errors.js';
import { generateChunk, type GenerateChunkOptions } from '../../core/generation/index.js';
import { classifyTable } from '../../core/pii/index.js';
import { profileTable } from '../../core/profile/index.js';
import { createExactCopyDetector } from '../../core/quality/index.js';
import { createRng } from '../../core/random/index.js';
import {
  checkRowConditions,
  compileRowConditions,
  CONDITIONAL_BLOCK_ROWS,
  fitTableSynthesizer,
  sampleConditionalTableChunk,
  type TableModel,
} from '../../core/synthesizer/index.js';
import type { CellValue, Table } from '../../core/table.js';

/** Customers: a key, country and segment that interact, an age tied to the segment, a date. */
function customers(rows: number): Table {
  const rng = createRng(11);
  const countries = ['US', 'US', 'US', 'DE', 'DE', 'FR', 'GB', 'New Zealand'];
  const cols: Record<string, CellValue[]> = {
    id: [],
    country: [],
    segment: [],
    age: [],
    joined: [],
    vip: [],
  };
  for (let i = 0; i < rows; i++) {
    const c = countries[rng.nextInt(countries.length)] as string;
    const s = c === 'DE' ? (rng.nextDouble() < 0.7 ? 'A' : 'C') : (['A', 'B', 'C'][rng.nextInt(3)] as string);
    cols.id?.push(`CUST-${String(i + 1).padStart(6, '0')}`);
    cols.country?.push(c);
    cols.segment?.push(s);
    cols.age?.push(Math.max(18, Math.min(90, Math.round((s === 'A' ? 50 : 35) + 9 * rng.nextNormal()))));
    cols.joined?.push(new Date((18_000 + rng.nextInt(1500)) * 86_400_000).toISOString().slice(0, 10));
    cols.vip?.push(rng.nextDouble() < 0.2);
  }
  const types = {
    id: 'string',
    country: 'string',
    segment: 'string',
    age: 'integer',
    joined: 'date',
    vip: 'boolean',
  } as const;
  return {
    rowCount: rows,
    columns: Object.entries(cols).map(([name, values]) => ({
      name,
      type: types[name as keyof typeof types],
      values,
    })),
  };
}

const sample = customers(3000);

function fit(synthesizer: 'copula' | 'cart'): TableModel {
  const profile = profileTable(sample);
  return fitTableSynthesizer(sample, profile, classifyTable(sample, profile), { synthesizer });
}

function configErrorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

/** Generates `total` rows in chunks of `chunk` and concatenates them column by column. */
function generateAll(model: TableModel, total: number, chunk: number, options: GenerateChunkOptions): Table {
  const columns = new Map<string, CellValue[]>();
  for (let k = 0, start = 0; start < total; k++, start += chunk) {
    const { table } = generateChunk(
      model,
      { seed: 7, chunkIndex: k, startRow: start, rowCount: Math.min(chunk, total - start) },
      options,
    );
    for (const c of table.columns) columns.set(c.name, [...(columns.get(c.name) ?? []), ...c.values]);
  }
  return {
    rowCount: total,
    columns: sample.columns.map((c) => ({ ...c, values: columns.get(c.name) ?? [] })),
  };
}

const valuesOf = (t: Table, name: string) => t.columns.find((c) => c.name === name)?.values ?? [];

describe('checkRowConditions', () => {
  it('normalises values to the column types and keeps the list order', () => {
    const list = checkRowConditions(
      [
        { column: 'country', equals: 'DE' },
        { column: 'segment', in: ['A', 'B'] },
        { column: 'age', equals: '40' },
        { column: 'vip', equals: 'true' },
      ],
      sample,
    );
    expect(list).toEqual([
      { column: 'country', equals: 'DE' },
      { column: 'segment', in: ['A', 'B'] },
      { column: 'age', equals: 40 },
      { column: 'vip', equals: true },
    ]);
  });

  it.each([
    [[{ column: 'nation', equals: 'DE' }], 'conditions[0].column'],
    [
      [
        { column: 'country', equals: 'DE' },
        { column: 'country', equals: 'Atlantis' },
      ],
      'conditions[1].equals',
    ],
    [[{ column: 'segment', in: ['A', 'Secret-Value'] }], 'conditions[0].in[1]'],
    [[{ column: 'segment', in: [] }], 'conditions[0].in'],
    [[{ column: 'age', equals: 'forty' }], 'conditions[0].equals'],
    [[{ column: 'age', equals: 400 }], 'conditions[0].equals'],
    [[{ column: 'country' }], 'conditions[0]'],
    [[{ column: 'country', equals: 'DE', in: ['DE'] }], 'conditions[0]'],
    [[{ column: 'country', eq: 'DE' }], 'conditions[0].eq'],
    [{ column: 'country' }, 'conditions'],
  ])('rejects %j naming %s and no value', (conditions, field) => {
    const error = configErrorOf(() => checkRowConditions(conditions, sample));
    expect(error.field).toBe(field);
    for (const value of ['Atlantis', 'Secret-Value', 'forty', '400'])
      expect(error.message).not.toContain(value);
  });
});

describe.each(['copula', 'cart'] as const)('conditional sampling with the %s synthesizer', (synthesizer) => {
  const model = fit(synthesizer);
  const conditions = compileRowConditions(
    model,
    checkRowConditions(
      [
        { column: 'country', equals: 'DE' },
        { column: 'segment', in: ['A', 'B'] },
      ],
      sample,
    ),
  );

  it('gives exactly N rows, every one matching, with unique keys', () => {
    const n = CONDITIONAL_BLOCK_ROWS + 1500;
    const table = sampleConditionalTableChunk(
      model,
      { seed: 3, chunkIndex: 0, startRow: 0, rowCount: n },
      conditions,
    );
    expect(table.rowCount).toBe(n);
    expect(valuesOf(table, 'country')).toHaveLength(n);
    expect(valuesOf(table, 'country').every((v) => v === 'DE')).toBe(true);
    expect(valuesOf(table, 'segment').every((v) => v === 'A' || v === 'B')).toBe(true);
    // Only A occurs with DE in the sample (were segment independent of country, A would be about 63%
    // of A or B): the relation survives conditioning.
    const a = valuesOf(table, 'segment').filter((v) => v === 'A').length;
    expect(a / n).toBeGreaterThan(0.8);
    expect(new Set(valuesOf(table, 'id')).size).toBe(n);
  });

  it('keeps what is not conditioned: ages follow the conditioned segment', () => {
    const onlyC = compileRowConditions(model, [{ column: 'segment', equals: 'C' }]);
    const onlyA = compileRowConditions(model, [{ column: 'segment', equals: 'A' }]);
    const mean = (t: Table) => {
      const ages = valuesOf(t, 'age').filter((v): v is number => typeof v === 'number');
      return ages.reduce((s, v) => s + v, 0) / ages.length;
    };
    const req = { seed: 5, chunkIndex: 0, startRow: 0, rowCount: 2000 };
    expect(mean(sampleConditionalTableChunk(model, req, onlyA))).toBeGreaterThan(
      mean(sampleConditionalTableChunk(model, req, onlyC)) + 8,
    );
  });

  it('gives the same rows however the run is chunked', () => {
    const options: GenerateChunkOptions = {
      totalRows: 9000,
      conditions,
      copies: createExactCopyDetector(sample),
    };
    const whole = generateAll(model, 9000, 9000, options);
    expect(generateAll(model, 9000, 1777, options)).toEqual(whole);
    expect(generateAll(model, 9000, CONDITIONAL_BLOCK_ROWS, options)).toEqual(whole);
  });

  it('satisfies conditions and constraints together on every row', () => {
    const constraints = parseConstraints([
      { kind: 'range', column: 'age', min: 45 },
      { kind: 'unique', columns: ['id'] },
    ]);
    const options: GenerateChunkOptions = { totalRows: 3000, conditions, constraints };
    const table = generateAll(model, 3000, 1000, options);
    expect(valuesOf(table, 'country').every((v) => v === 'DE')).toBe(true);
    expect(valuesOf(table, 'segment').every((v) => v === 'A' || v === 'B')).toBe(true);
    expect(valuesOf(table, 'age').every((v) => v === null || (v as number) >= 45)).toBe(true);
    expect(generateAll(model, 3000, 1200, options)).toEqual(table);
  });

  it('reports conditions that conflict with the constraints, naming conditions', () => {
    const constraints = parseConstraints([{ kind: 'range', column: 'age', min: 60 }]);
    const young = compileRowConditions(model, [{ column: 'age', in: [20, 21] }]);
    const error = configErrorOf(() =>
      generateChunk(
        model,
        { seed: 1, chunkIndex: 0, startRow: 0, rowCount: 200 },
        { totalRows: 200, conditions: young, constraints },
      ),
    );
    expect(error.field).toBe('conditions');
  });

  it('refuses to condition a key column, naming it by position', () => {
    const error = configErrorOf(() =>
      compileRowConditions(model, [
        { column: 'country', equals: 'DE' },
        { column: 'id', equals: 'CUST-000001' },
      ]),
    );
    expect(error.field).toBe('conditions[1].column');
    expect(error.message).not.toContain('CUST-000001');
  });

  it('refuses a value the model never produces, naming the field', () => {
    const error = configErrorOf(() =>
      compileRowConditions(model, [{ column: 'country', equals: 'Atlantis' }]),
    );
    expect(error.field).toBe('conditions[0].equals');
    expect(error.message).not.toContain('Atlantis');
  });

  it.runIf(synthesizer === 'cart')('says when conditions are too rare to sample, naming conditions', () => {
    // Segment B never occurs with DE in the sample, so no tree leaf produces the pair.
    const rare = compileRowConditions(model, [
      { column: 'country', equals: 'DE' },
      { column: 'segment', equals: 'B' },
    ]);
    const error = configErrorOf(() =>
      sampleConditionalTableChunk(model, { seed: 1, chunkIndex: 0, startRow: 0, rowCount: 100 }, rare),
    );
    expect(error.field).toBe('conditions');
    expect(error.message).not.toMatch(/\bDE\b/);
  });
});
