import { faker } from '@faker-js/faker/locale/en';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DataError } from '../../core/errors.js';
import { classifyTable } from '../../core/pii/index.js';
import { profileTable } from '../../core/profile/index.js';
import { createRng } from '../../core/random/index.js';
import {
  assertModel,
  BLOCK_ROWS,
  fitSynthModel,
  MODEL_VERSION,
  sampleChunk,
  sampleIndependentColumn,
  type SampleRequest,
  type SynthModel,
} from '../../core/synth/index.js';
import type { CellValue, Table } from '../../core/table.js';

/** A mixed table: keys, personal data, numbers with nulls, categories, dates in two layouts, text. */
function buildSample(rows: number): Table {
  faker.seed(3);
  const rng = createRng(3);
  const cols: Record<string, { type: Table['columns'][number]['type']; values: CellValue[] }> = {};
  const add = (name: string, type: Table['columns'][number]['type']): CellValue[] => {
    const values: CellValue[] = [];
    cols[name] = { type, values };
    return values;
  };
  const id = add('order_id', 'string');
  const uuid = add('uuid', 'string');
  const email = add('email', 'string');
  const name = add('full_name', 'string');
  const amount = add('amount', 'float');
  const qty = add('qty', 'integer');
  const status = add('status', 'string');
  const placed = add('placed_at', 'string');
  const due = add('due', 'string');
  const note = add('note', 'string');
  const code = add('code', 'string');
  for (let i = 0; i < rows; i++) {
    const z = rng.nextNormal();
    id.push(`ORD-${String(i + 1).padStart(7, '0')}`);
    uuid.push(faker.string.uuid());
    email.push(faker.internet.email().toLowerCase());
    name.push(faker.person.fullName());
    amount.push(rng.nextDouble() < 0.08 ? null : Math.round(Math.exp(4 + 0.7 * z) * 100) / 100);
    qty.push(1 + Math.floor(-Math.log(rng.nextDouble()) * (2 + z)));
    status.push(
      ['new', 'paid', 'shipped', 'returned'][Math.min(3, Math.floor(-Math.log(rng.nextDouble())))] as string,
    );
    const ms = Date.UTC(2023, 0, 1) + rng.nextInt(365 * 86_400) * 1000;
    placed.push(new Date(ms).toISOString().replace('T', ' ').slice(0, 19));
    const d = new Date(ms + 14 * 86_400_000);
    due.push(
      `${String(d.getUTCDate()).padStart(2, '0')}.${String(d.getUTCMonth() + 1).padStart(2, '0')}.${d.getUTCFullYear()}`,
    );
    note.push(rng.nextDouble() < 0.3 ? null : faker.lorem.sentence());
    code.push(
      `${faker.string.alpha({ length: 2, casing: 'upper' })}-${faker.string.numeric(4)}/${faker.string.alpha({ length: 1, casing: 'lower' })}`,
    );
  }
  return {
    rowCount: rows,
    columns: Object.entries(cols).map(([n, c]) => ({ name: n, type: c.type, values: c.values })),
  };
}

const sample = buildSample(3000);
const profile = profileTable(sample);
const classified = classifyTable(sample, profile);
// A reviewer decided the notes and codes hold no personal data: they are generated as text.
const model = fitSynthModel(sample, profile, {
  ...classified,
  fields: classified.fields.map((f) =>
    f.column === 'note' || f.column === 'code'
      ? { ...f, override: { sensitive: false, by: 'reviewer', at: '2024-01-01T00:00:00Z' } }
      : f,
  ),
});

/** Concatenates chunks sampled with the given sizes from startRow 0. */
function sampleInChunks(m: SynthModel, seed: number, sizes: number[]): Table {
  const parts: Table[] = [];
  let start = 0;
  sizes.forEach((rowCount, k) => {
    parts.push(sampleChunk(m, { seed, chunkIndex: k, startRow: start, rowCount }));
    start += rowCount;
  });
  return {
    rowCount: start,
    columns: m.columns.map((c, i) => ({
      name: c.name,
      type: c.physicalType,
      values: parts.flatMap((p) => p.columns[i]?.values ?? []),
    })),
  };
}

describe('output independent of chunk size (rows depend only on model, seed and global row)', () => {
  it('has both copula and independently generated columns', () => {
    const kinds = new Set(model.columns.map((c) => c.kind));
    for (const k of ['identifier', 'fake', 'numeric', 'categorical', 'datetime', 'text'])
      expect(kinds).toContain(k);
  });

  it('gives 1 × 10,000 rows = 3,000 + 7,000 = 997-row chunks, cell by cell', () => {
    const whole = sampleInChunks(model, 2024, [10_000]);
    const two = sampleInChunks(model, 2024, [3000, 7000]);
    const small = sampleInChunks(model, 2024, [...Array.from({ length: 10 }, () => 997), 30]);
    expect(two).toEqual(whole);
    expect(small).toEqual(whole);
  });

  it('gives [a, b) followed by [b, c) = [a, c) for any a ≤ b ≤ c, and ignores the chunk number', () => {
    fc.assert(
      fc.property(
        fc.nat({ max: 5 * BLOCK_ROWS }),
        fc.nat({ max: 2 * BLOCK_ROWS + 5 }),
        fc.nat({ max: 2 * BLOCK_ROWS + 5 }),
        fc.nat({ max: 1000 }),
        (a, first, second, chunkIndex) => {
          const req = (startRow: number, rowCount: number): SampleRequest => ({
            seed: 7,
            chunkIndex,
            startRow,
            rowCount,
          });
          const joined = sampleChunk(model, req(a, first + second));
          const left = sampleChunk(model, req(a, first));
          const right = sampleChunk(model, { ...req(a + first, second), chunkIndex: chunkIndex + 1 });
          joined.columns.forEach((c, i) => {
            expect([...(left.columns[i]?.values ?? []), ...(right.columns[i]?.values ?? [])]).toEqual(
              c.values,
            );
          });
        },
      ),
      { numRuns: 20 },
    );
  });

  it('applies the same rule to sampleIndependentColumn, which other synthesizers share', () => {
    model.columns.forEach((column, index) => {
      if (!['identifier', 'fake', 'text', 'empty'].includes(column.kind)) return;
      const whole = new Array<CellValue>(3000);
      sampleIndependentColumn(
        column,
        index,
        { seed: 5, chunkIndex: 0, startRow: 500, rowCount: 3000 },
        whole,
      );
      const parts: CellValue[] = [];
      for (const [start, count] of [
        [500, 1],
        [501, 1500],
        [2001, 1499],
      ] as const) {
        const out = new Array<CellValue>(count);
        sampleIndependentColumn(
          column,
          index,
          { seed: 5, chunkIndex: 99, startRow: start, rowCount: count },
          out,
        );
        parts.push(...out);
      }
      expect(parts).toEqual(whole);
      // …and equals what sampleChunk writes for that column.
      const chunk = sampleChunk(model, { seed: 5, chunkIndex: 0, startRow: 500, rowCount: 3000 });
      expect(chunk.columns[index]?.values).toEqual(whole);
    });
  });

  it('keeps keys unique across chunks of any size', () => {
    const t = sampleInChunks(model, 1, [1000, 1, 2047, 952]);
    expect(new Set(t.columns[0]?.values).size).toBe(4000);
    expect(new Set(t.columns[1]?.values).size).toBe(4000);
  });
});

describe('the model is a versioned, serialisable artifact', () => {
  it('survives JSON: stringify → parse → assertModel → sample gives identical output', () => {
    const restored = assertModel(JSON.parse(JSON.stringify(model)));
    expect(restored.version).toBe(MODEL_VERSION);
    const req = { seed: 99, chunkIndex: 3, startRow: 12_345, rowCount: 2500 };
    expect(sampleChunk(restored, req)).toEqual(sampleChunk(model, req));
  });

  it('rejects models of other versions with a DataError naming the field', () => {
    for (const version of [1, MODEL_VERSION + 1, '2', undefined]) {
      const m = { ...JSON.parse(JSON.stringify(model)), version };
      expect(() => assertModel(m)).toThrow(DataError);
      expect(() => assertModel(m)).toThrow(/version/);
    }
    const v1 = { ...JSON.parse(JSON.stringify(model)), version: 1 };
    expect(() => assertModel(v1)).toThrow(/version 1: fit it again/);
  });

  it('stays small for a table with a high-cardinality categorical column', () => {
    const rows = 60_000;
    const rng = createRng(8);
    const city: CellValue[] = [];
    const x: CellValue[] = [];
    for (let i = 0; i < rows; i++) {
      // ~2,900 distinct values, Zipf-like: categorical by the profiler's 5% rule.
      city.push(`b-${Math.floor(3000 * rng.nextDouble() ** 3)}`);
      x.push(rng.nextNormal());
    }
    const t: Table = {
      rowCount: rows,
      columns: [
        { name: 'bucket', type: 'string', values: city },
        { name: 'x', type: 'float', values: x },
      ],
    };
    const p = profileTable(t);
    const m = fitSynthModel(t, p, classifyTable(t, p));
    expect(m.columns[0]?.kind).toBe('categorical');
    expect(JSON.stringify(m).length).toBeLessThan(400_000);
    const out = sampleChunk(m, { seed: 1, chunkIndex: 0, startRow: 0, rowCount: 60_000 });
    const real = new Map<CellValue, number>();
    const synth = new Map<CellValue, number>();
    for (const v of city) real.set(v, (real.get(v) ?? 0) + 1);
    for (const v of out.columns[0]?.values ?? []) synth.set(v, (synth.get(v) ?? 0) + 1);
    let tv = 0;
    for (const [k, n] of real) tv += Math.abs(n / rows - (synth.get(k) ?? 0) / rows);
    // Two independent samples of this size differ by about as much (many cells of a few rows each).
    expect(1 - tv / 2).toBeGreaterThan(0.9);
  });
});

describe('source formats survive', () => {
  const out = sampleChunk(model, { seed: 11, chunkIndex: 0, startRow: 0, rowCount: 3000 });
  const values = (name: string) => out.columns.find((c) => c.name === name)?.values ?? [];

  it('writes datetimes in the sample’s own layouts', () => {
    for (const v of values('placed_at')) expect(v).toMatch(/^2023-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    for (const v of values('due')) expect(v).toMatch(/^\d{2}\.\d{2}\.202[34]$/);
  });

  it('keeps key patterns and the letter case of UUIDs', () => {
    for (const v of values('order_id')) expect(v).toMatch(/^ORD-\d{7}$/);
    for (const v of values('uuid'))
      expect(v).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('keeps cents and never writes a sample’s free text', () => {
    for (const v of values('amount'))
      if (v !== null)
        expect(Math.abs((v as number) * 100 - Math.round((v as number) * 100))).toBeLessThan(1e-6);
    const realNotes = new Set(sample.columns.find((c) => c.name === 'note')?.values);
    expect(values('note').filter((v) => v !== null && realNotes.has(v))).toEqual([]);
  });
});
