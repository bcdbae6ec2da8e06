import { faker } from '@faker-js/faker/locale/en';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigError, DataError } from '../../core/errors.js';
import type { FieldSensitivity, PiiKind, SensitivityReport } from '../../core/pii/index.js';
import type { ColumnProfile, DatasetProfile, SemanticType } from '../../core/profile/index.js';
import { ksComplement, tvComplement } from '../../core/quality/index.js';
import { createRng } from '../../core/random/index.js';
import {
  assertModel,
  fitSynthModel,
  pearsonComplete,
  sampleChunk,
  type SynthModel,
} from '../../core/synth/index.js';
import type { CellValue, ColumnData, PhysicalType, Table } from '../../core/table.js';

// ---------------------------------------------------------------------------------------------
// Fixture: a sample with keys, personal data, correlated numbers, categories, dates, text, nulls.
// ---------------------------------------------------------------------------------------------

interface Spec {
  type: PhysicalType;
  semantic: SemanticType;
  pii?: PiiKind;
  values: CellValue[];
}

function buildSample(rows: number, seed = 1): { table: Table; specs: Record<string, Spec> } {
  faker.seed(seed);
  const rng = createRng(seed);
  const specs: Record<string, Spec> = {
    order_id: { type: 'string', semantic: 'identifier', values: [] },
    seq: { type: 'integer', semantic: 'identifier', values: [] },
    email: { type: 'string', semantic: 'text', pii: 'email', values: [] },
    full_name: { type: 'string', semantic: 'text', pii: 'person_name', values: [] },
    birth_date: { type: 'date', semantic: 'datetime', pii: 'date_of_birth', values: [] },
    x: { type: 'float', semantic: 'float', values: [] },
    y: { type: 'float', semantic: 'float', values: [] },
    income: { type: 'float', semantic: 'float', values: [] },
    age: { type: 'integer', semantic: 'integer', values: [] },
    color: { type: 'string', semantic: 'categorical', values: [] },
    flag: { type: 'boolean', semantic: 'boolean', values: [] },
    joined: { type: 'date', semantic: 'datetime', values: [] },
    seen_at: { type: 'timestamp', semantic: 'datetime', values: [] },
    score: { type: 'float', semantic: 'float', values: [] },
    note: { type: 'string', semantic: 'text', values: [] },
    nothing: { type: 'string', semantic: 'text', values: [] },
  };
  const push = (name: string, v: CellValue) => (specs[name] as Spec).values.push(v);
  for (let i = 0; i < rows; i++) {
    const z1 = rng.nextNormal();
    const z2 = 0.7 * z1 + Math.sqrt(1 - 0.49) * rng.nextNormal();
    const first = faker.person.firstName();
    const last = faker.person.lastName();
    push('order_id', `ORD-${String(100 + i * 3).padStart(6, '0')}`);
    push('seq', 1000 + i);
    // Tagged with "Q" so that no real value can coincide with a fake drawn from the same word lists.
    push('email', `${first}.${last}Q${i}@example.org`.toLowerCase());
    push('full_name', `${first}Q ${last}Q`);
    push('birth_date', `19${50 + rng.nextInt(50)}-0${1 + rng.nextInt(9)}-1${rng.nextInt(9)}`);
    push('x', 50 + 10 * z1);
    push('y', -3 + 2 * z2);
    push('income', Math.round(Math.exp(10 + 0.6 * rng.nextNormal()) * 100) / 100);
    push('age', 18 + Math.floor(rng.nextDouble() * 70));
    const c = rng.nextDouble();
    push('color', c < 0.5 ? 'red' : c < 0.8 ? 'green' : 'blue');
    push('flag', rng.nextDouble() < 0.3);
    push(
      'joined',
      new Date(Date.UTC(2020, 0, 1) + rng.nextInt(1400) * 86_400_000).toISOString().slice(0, 10),
    );
    push(
      'seen_at',
      rng.nextDouble() < 0.2 ? null : new Date(Date.UTC(2023, 0, 1) + rng.nextInt(3e7) * 1000).toISOString(),
    );
    // Missing exactly when x is high: the missingness dimension should carry that dependence.
    push('score', 50 + 10 * z1 > 60 ? null : Math.round(rng.nextDouble() * 1000) / 10);
    push('note', rng.nextDouble() < 0.1 ? null : faker.lorem.sentence());
    push('nothing', null);
  }
  const table: Table = {
    rowCount: rows,
    columns: Object.entries(specs).map(([name, s]) => ({ name, type: s.type, values: s.values })),
  };
  return { table, specs };
}

/** A profile with just what the synthesizer reads, computed here so these tests do not depend on core/profile's heuristics. */
function profileOf(table: Table, specs: Record<string, Spec>): DatasetProfile {
  return {
    rowCount: table.rowCount,
    columns: table.columns.map((c) => columnProfile(c, (specs[c.name] as Spec).semantic)),
  };
}

function columnProfile(c: ColumnData, semanticType: SemanticType): ColumnProfile {
  const present = c.values.filter((v) => v !== null);
  const distinct = new Set(present).size;
  const p: ColumnProfile = {
    name: c.name,
    physicalType: c.type,
    semanticType,
    count: c.values.length,
    nullCount: c.values.length - present.length,
    nullRate: 1 - present.length / c.values.length,
    distinctCount: distinct,
    unique: present.length > 0 && distinct === present.length,
  };
  if (present.length > 0 && typeof present[0] === 'number') {
    const nums = present as number[];
    p.numeric = {
      min: Math.min(...nums),
      max: Math.max(...nums),
      mean: 0,
      std: 0,
      quantiles: { p01: 0, p05: 0, p25: 0, p50: 0, p75: 0, p95: 0, p99: 0 },
    };
  }
  if (present.length > 0 && typeof present[0] === 'string') {
    const lengths = (present as string[]).map((s) => s.length);
    p.text = {
      minLength: Math.min(...lengths),
      maxLength: Math.max(...lengths),
      meanLength: lengths.reduce((a, b) => a + b, 0) / lengths.length,
    };
  }
  if (semanticType === 'datetime') {
    const sorted = (present as string[]).slice().sort();
    p.datetime = {
      min: sorted[0] as string,
      max: sorted[sorted.length - 1] as string,
      format: c.type === 'date' ? 'date' : 'timestamp',
    };
  }
  if (c.name === 'order_id') p.pattern = 'ORD-999999';
  return p;
}

function sensitivityOf(table: Table, specs: Record<string, Spec>): SensitivityReport {
  return {
    threshold: 0.7,
    sampledValuesPerColumn: 1000,
    fields: table.columns.map((c): FieldSensitivity => {
      const pii = (specs[c.name] as Spec).pii;
      return {
        column: c.name,
        kind: pii ?? 'none',
        confidence: pii ? 0.95 : 0.1,
        sensitive: pii !== undefined,
        reasons: [],
      };
    }),
  };
}

const fixture = buildSample(5000);
const profile = profileOf(fixture.table, fixture.specs);
const sensitivity = sensitivityOf(fixture.table, fixture.specs);
const model = fitSynthModel(fixture.table, profile, sensitivity);

function column(table: Table, name: string): CellValue[] {
  const c = table.columns.find((x) => x.name === name);
  if (c === undefined) throw new Error(`no column ${name}`);
  return c.values;
}

function numbers(values: CellValue[]): number[] {
  return values.filter((v): v is number => typeof v === 'number');
}

// ---------------------------------------------------------------------------------------------

describe('sampleChunk: determinism and shape', () => {
  it('is a pure function of (model, request)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 0xffffffff }),
        fc.nat({ max: 1000 }),
        fc.nat({ max: 1e9 }),
        fc.nat({ max: 300 }),
        (seed, chunkIndex, startRow, rowCount) => {
          const req = { seed, chunkIndex, startRow, rowCount };
          const fresh = assertModel(JSON.parse(JSON.stringify(model)));
          expect(sampleChunk(fresh, req)).toEqual(sampleChunk(model, req));
        },
      ),
      { numRuns: 25 },
    );
  });

  it('gives chunk k the same rows whether or not chunk k−1 was sampled first', () => {
    const a = assertModel(JSON.parse(JSON.stringify(model)));
    const b = assertModel(JSON.parse(JSON.stringify(model)));
    sampleChunk(a, { seed: 9, chunkIndex: 0, startRow: 0, rowCount: 700 });
    sampleChunk(a, { seed: 9, chunkIndex: 1, startRow: 700, rowCount: 700 });
    const after = sampleChunk(a, { seed: 9, chunkIndex: 2, startRow: 1400, rowCount: 700 });
    const alone = sampleChunk(b, { seed: 9, chunkIndex: 2, startRow: 1400, rowCount: 700 });
    expect(alone).toEqual(after);
  });

  it('differs between seeds and between row ranges, but not with the chunk number', () => {
    const base = sampleChunk(model, { seed: 1, chunkIndex: 0, startRow: 0, rowCount: 50 });
    const otherSeed = sampleChunk(model, { seed: 2, chunkIndex: 0, startRow: 0, rowCount: 50 });
    const otherRows = sampleChunk(model, { seed: 1, chunkIndex: 0, startRow: 50, rowCount: 50 });
    const otherBlock = sampleChunk(model, { seed: 1, chunkIndex: 0, startRow: 5000, rowCount: 50 });
    const otherChunkNumber = sampleChunk(model, { seed: 1, chunkIndex: 7, startRow: 0, rowCount: 50 });
    for (const name of ['x', 'email', 'color', 'note']) {
      expect(column(otherSeed, name)).not.toEqual(column(base, name));
      expect(column(otherRows, name)).not.toEqual(column(base, name));
      expect(column(otherBlock, name)).not.toEqual(column(base, name));
    }
    expect(otherChunkNumber).toEqual(base);
  });

  it('returns exactly rowCount rows with the source columns and physical types', () => {
    fc.assert(
      fc.property(fc.nat({ max: 2500 }), (rowCount) => {
        const out = sampleChunk(model, { seed: 3, chunkIndex: 0, startRow: 0, rowCount });
        expect(out.rowCount).toBe(rowCount);
        expect(out.columns.map((c) => [c.name, c.type])).toEqual(
          fixture.table.columns.map((c) => [c.name, c.type]),
        );
        for (const c of out.columns) expect(c.values.length).toBe(rowCount);
      }),
      { numRuns: 15 },
    );
  });

  it('writes cells of the physical type of their column', () => {
    const out = sampleChunk(model, { seed: 4, chunkIndex: 0, startRow: 0, rowCount: 2000 });
    const expected: Record<PhysicalType, string> = {
      integer: 'number',
      float: 'number',
      boolean: 'boolean',
      string: 'string',
      date: 'string',
      timestamp: 'string',
    };
    for (const c of out.columns) {
      for (const v of c.values) if (v !== null) expect(typeof v).toBe(expected[c.type]);
    }
    for (const v of numbers(column(out, 'age'))) expect(Number.isInteger(v)).toBe(true);
    for (const v of column(out, 'joined')) expect(v).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    for (const v of column(out, 'seen_at'))
      if (v !== null) expect(new Date(v as string).toISOString()).toBe(v);
    expect(column(out, 'nothing').every((v) => v === null)).toBe(true);
  });

  it('rejects a malformed request naming the field', () => {
    expect(() => sampleChunk(model, { seed: -1, chunkIndex: 0, startRow: 0, rowCount: 1 })).toThrow(
      ConfigError,
    );
    expect(() => sampleChunk(model, { seed: 2 ** 32, chunkIndex: 0, startRow: 0, rowCount: 1 })).toThrow(
      /seed/,
    );
    expect(() => sampleChunk(model, { seed: 1, chunkIndex: 0.5, startRow: 0, rowCount: 1 })).toThrow(
      /chunkIndex/,
    );
    expect(() => sampleChunk(model, { seed: 1, chunkIndex: 0, startRow: 0, rowCount: -3 })).toThrow(
      /rowCount/,
    );
  });
});

describe('identifiers', () => {
  it('are unique across all chunks of a run and follow the profiled pattern', () => {
    const ids = new Set<CellValue>();
    const seqs = new Set<CellValue>();
    const chunk = 1000;
    for (let k = 0; k < 5; k++) {
      const out = sampleChunk(model, { seed: 11, chunkIndex: k, startRow: k * chunk, rowCount: chunk });
      for (const v of column(out, 'order_id')) {
        expect(v).toMatch(/^ORD-\d{6}$/);
        ids.add(v);
      }
      for (const v of column(out, 'seq')) seqs.add(v);
    }
    expect(ids.size).toBe(5 * chunk);
    expect(seqs.size).toBe(5 * chunk);
    // Integer keys continue from the sample's smallest key: offset + global row number.
    expect(Math.min(...(seqs as Set<number>))).toBe(1000);
  });

  it('widen instead of wrapping when the counter outgrows the pattern', () => {
    const out = sampleChunk(model, { seed: 1, chunkIndex: 0, startRow: 999_998, rowCount: 3 });
    expect(column(out, 'order_id')).toEqual(['ORD-999999', 'ORD-1000000', 'ORD-1000001']);
  });
});

describe('privacy of sensitive columns', () => {
  const sensitiveNames = ['email', 'full_name', 'birth_date'];
  const realValues = new Set(
    sensitiveNames.flatMap((n) => column(fixture.table, n)).filter((v) => v !== null),
  );

  it('keeps no raw value of a sensitive column in the model', () => {
    const json = JSON.stringify(model);
    const strings: string[] = [];
    JSON.parse(json, (_key, value: unknown) => {
      if (typeof value === 'string') strings.push(value);
      return value;
    });
    for (const s of strings) expect(realValues.has(s)).toBe(false);
    for (const name of sensitiveNames) {
      for (const v of column(fixture.table, name).slice(0, 500)) {
        if (typeof v === 'string' && v.length > 12) expect(json.includes(v)).toBe(false);
      }
    }
    for (const c of model.columns.filter((c) => sensitiveNames.includes(c.name))) {
      expect(Object.keys(c).sort()).toEqual([
        'dateFormat',
        'dateRange',
        'kind',
        'length',
        'name',
        'nullRate',
        'pattern',
        'physicalType',
        'piiKind',
      ]);
    }
  });

  it('never outputs a real value of a sensitive column', () => {
    const out = sampleChunk(model, { seed: 5, chunkIndex: 0, startRow: 0, rowCount: 20_000 });
    for (const name of ['email', 'full_name']) {
      const leaked = column(out, name).filter((v) => realValues.has(v as string));
      expect(leaked).toEqual([]);
    }
  });

  it('generates plausible fakes of the classified kind, in the profiled date range', () => {
    const out = sampleChunk(model, { seed: 6, chunkIndex: 0, startRow: 0, rowCount: 2000 });
    for (const v of column(out, 'email')) expect(v).toMatch(/^[a-z0-9._]+@[a-z0-9.-]+\.[a-z]+$/);
    for (const v of column(out, 'full_name')) expect(v).toMatch(/^\S+ \S+$/);
    const dates = column(out, 'birth_date') as string[];
    const realDates = (column(fixture.table, 'birth_date') as string[]).slice().sort();
    for (const v of dates) {
      expect(v).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(v >= (realDates[0] as string) && v <= (realDates[realDates.length - 1] as string)).toBe(true);
    }
  });

  it('writes lorem, not sample words, into free-text columns', () => {
    const realNotes = new Set(column(fixture.table, 'note'));
    const out = sampleChunk(model, { seed: 7, chunkIndex: 0, startRow: 0, rowCount: 3000 });
    const notes = column(out, 'note');
    expect(notes.filter((v) => v !== null && realNotes.has(v))).toEqual([]);
    const lengths = notes.filter((v): v is string => v !== null).map((s) => s.length);
    const text = profile.columns.find((c) => c.name === 'note')?.text;
    expect(Math.min(...lengths)).toBeGreaterThanOrEqual(text?.minLength ?? 0);
    expect(Math.max(...lengths)).toBeLessThanOrEqual(text?.maxLength ?? 0);
  });
});

describe('statistical fidelity', () => {
  const out = sampleChunk(model, { seed: 2024, chunkIndex: 0, startRow: 0, rowCount: 5000 });
  const big = sampleChunk(model, { seed: 2025, chunkIndex: 0, startRow: 0, rowCount: 30_000 });

  it.each(['x', 'y', 'income', 'age', 'score'])(
    'preserves the marginal of %s (KS complement ≥ 0.9)',
    (name) => {
      expect(
        ksComplement(numbers(column(fixture.table, name)), numbers(column(out, name))),
      ).toBeGreaterThanOrEqual(0.9);
    },
  );

  it.each(['color', 'flag'])('preserves the frequencies of %s (TV complement ≥ 0.9)', (name) => {
    const keys = (vs: CellValue[]) => vs.map((v) => (v === null ? null : String(v)));
    expect(tvComplement(keys(column(fixture.table, name)), keys(column(out, name)))).toBeGreaterThanOrEqual(
      0.9,
    );
  });

  it('preserves datetime marginals', () => {
    const ms = (vs: CellValue[]) => vs.filter((v): v is string => v !== null).map((v) => Date.parse(v));
    for (const name of ['joined', 'seen_at']) {
      expect(ksComplement(ms(column(fixture.table, name)), ms(column(out, name)))).toBeGreaterThanOrEqual(
        0.9,
      );
    }
  });

  it('respects each numeric column’s min and max', () => {
    for (const name of ['x', 'y', 'income', 'age']) {
      const real = numbers(column(fixture.table, name));
      const synth = numbers(column(big, name));
      expect(Math.min(...synth)).toBeGreaterThanOrEqual(Math.min(...real));
      expect(Math.max(...synth)).toBeLessThanOrEqual(Math.max(...real));
    }
  });

  it('keeps the decimals of the source (cents stay cents)', () => {
    for (const v of numbers(column(out, 'income')))
      expect(Math.abs(v * 100 - Math.round(v * 100))).toBeLessThan(1e-6);
  });

  it('preserves the correlation of a correlated pair (|Δ Pearson| < 0.05)', () => {
    const real = pearsonComplete(numbers(column(fixture.table, 'x')), numbers(column(fixture.table, 'y')));
    const synth = pearsonComplete(numbers(column(big, 'x')), numbers(column(big, 'y')));
    expect(real).toBeGreaterThan(0.6);
    expect(Math.abs(synth - real)).toBeLessThan(0.05);
  });

  it('keeps independent columns independent', () => {
    expect(Math.abs(pearsonComplete(numbers(column(big, 'x')), numbers(column(big, 'age'))))).toBeLessThan(
      0.05,
    );
  });

  it('preserves null rates', () => {
    for (const name of ['seen_at', 'score', 'note']) {
      const rate = (t: Table) => column(t, name).filter((v) => v === null).length / t.rowCount;
      expect(Math.abs(rate(big) - rate(fixture.table))).toBeLessThan(0.02);
    }
  });

  it('carries the dependence of missingness on other columns (the null dimension)', () => {
    // In the sample, score is null exactly when x > 60.
    const x = column(big, 'x') as number[];
    const score = column(big, 'score');
    let nullWhenHigh = 0;
    let high = 0;
    let nullWhenLow = 0;
    let low = 0;
    for (let i = 0; i < big.rowCount; i++) {
      if ((x[i] as number) > 65) {
        high++;
        if (score[i] === null) nullWhenHigh++;
      } else if ((x[i] as number) < 45) {
        low++;
        if (score[i] === null) nullWhenLow++;
      }
    }
    expect(nullWhenHigh / high).toBeGreaterThan(0.6);
    expect(nullWhenLow / low).toBeLessThan(0.05);
  });
});

describe('fitSynthModel', () => {
  it('orders columns like the source and models only non-sensitive copula types in the copula', () => {
    expect(model.columns.map((c) => c.name)).toEqual(fixture.table.columns.map((c) => c.name));
    const kinds = Object.fromEntries(model.columns.map((c) => [c.name, c.kind]));
    expect(kinds).toEqual({
      order_id: 'identifier',
      seq: 'identifier',
      email: 'fake',
      full_name: 'fake',
      birth_date: 'fake',
      x: 'numeric',
      y: 'numeric',
      income: 'numeric',
      age: 'numeric',
      color: 'categorical',
      flag: 'categorical',
      joined: 'datetime',
      seen_at: 'datetime',
      score: 'numeric',
      note: 'text',
      nothing: 'empty',
    });
    // Nine value dimensions plus null dimensions for seen_at and score.
    expect(model.dimensions).toHaveLength(11);
    expect(model.correlation).toHaveLength(11);
  });

  it('subsamples to maxFitRows with a fixed seed', () => {
    const a = fitSynthModel(fixture.table, profile, sensitivity, { maxFitRows: 1000 });
    const b = fitSynthModel(fixture.table, profile, sensitivity, { maxFitRows: 1000 });
    expect(a.rowCountFitted).toBe(1000);
    expect(a).toEqual(b);
    expect(a).not.toEqual(model);
  });

  it('honours reviewer overrides: un-sensitive columns are modelled, newly sensitive ones faked', () => {
    const overridden: SensitivityReport = {
      ...sensitivity,
      fields: sensitivity.fields.map((f) =>
        f.column === 'color'
          ? { ...f, override: { sensitive: true, kind: 'city', by: 'reviewer', at: '2024-01-01T00:00:00Z' } }
          : f.column === 'birth_date'
            ? { ...f, override: { sensitive: false, by: 'reviewer', at: '2024-01-01T00:00:00Z' } }
            : f,
      ),
    };
    const m = fitSynthModel(fixture.table, profile, overridden);
    const color = m.columns.find((c) => c.name === 'color');
    expect(color).toMatchObject({ kind: 'fake', piiKind: 'city' });
    expect(JSON.stringify(color)).not.toMatch(/red|green|blue/);
    expect(m.columns.find((c) => c.name === 'birth_date')?.kind).toBe('datetime');
  });

  it('names the column when the profile or the sensitivity report lacks it', () => {
    const noProfile = { ...profile, columns: profile.columns.filter((c) => c.name !== 'x') };
    expect(() => fitSynthModel(fixture.table, noProfile, sensitivity)).toThrow(DataError);
    expect(() => fitSynthModel(fixture.table, noProfile, sensitivity)).toThrow(/column x/);
    const noField = { ...sensitivity, fields: sensitivity.fields.filter((f) => f.column !== 'email') };
    expect(() => fitSynthModel(fixture.table, profile, noField)).toThrow(/column email/);
  });

  it('treats correlations within sampling noise as zero, and keeps real ones', () => {
    const dims = model.dimensions;
    const at = (a: string, role: 'value' | 'null', b: string) => {
      const i = dims.findIndex((d) => model.columns[d.column]?.name === a && d.role === role);
      const j = dims.findIndex((d) => model.columns[d.column]?.name === b && d.role === 'value');
      return model.correlation[i]?.[j] as number;
    };
    // x and age are independent in the fixture: |r| is below 2/√5000 and is stored as exactly 0.
    expect(at('x', 'value', 'age')).toBe(0);
    expect(Math.abs(at('x', 'value', 'y'))).toBeGreaterThan(0.6);
    // score's missingness depends on x.
    expect(Math.abs(at('score', 'null', 'x'))).toBeGreaterThan(0.5);
    const unthresholded = fitSynthModel(fixture.table, profile, sensitivity, { noiseThreshold: 0 });
    const i = dims.findIndex((d) => model.columns[d.column]?.name === 'x');
    const j = dims.findIndex((d) => model.columns[d.column]?.name === 'age');
    expect(unthresholded.correlation[i]?.[j]).not.toBe(0);
  });

  it('produces a positive-definite correlation even for duplicated columns', () => {
    const dup: Table = {
      rowCount: fixture.table.rowCount,
      columns: [
        ...fixture.table.columns,
        { name: 'x_copy', type: 'float', values: column(fixture.table, 'x') },
      ],
    };
    const specs = {
      ...fixture.specs,
      x_copy: { type: 'float' as const, semantic: 'float' as const, values: [] },
    };
    const m = fitSynthModel(dup, profileOf(dup, specs), sensitivityOf(dup, specs));
    const out = sampleChunk(m, { seed: 1, chunkIndex: 0, startRow: 0, rowCount: 3000 });
    expect(pearsonComplete(numbers(column(out, 'x')), numbers(column(out, 'x_copy')))).toBeGreaterThan(0.99);
  });

  it('handles an empty sample', () => {
    const empty: Table = { rowCount: 0, columns: fixture.table.columns.map((c) => ({ ...c, values: [] })) };
    const m = fitSynthModel(
      empty,
      { rowCount: 0, columns: profile.columns.map((c) => ({ ...c, nullRate: 0 })) },
      sensitivity,
    );
    const out = sampleChunk(assertModel(JSON.parse(JSON.stringify(m))), {
      seed: 1,
      chunkIndex: 0,
      startRow: 0,
      rowCount: 10,
    });
    expect(out.rowCount).toBe(10);
    expect(column(out, 'x').every((v) => v === null)).toBe(true);
  });
});

/** A model parsed from JSON, to be corrupted field by field. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests write arbitrary paths into parsed JSON
type Corruptible = any;

describe('assertModel', () => {
  const roundTripped = (): Record<string, unknown> =>
    JSON.parse(JSON.stringify(model)) as Record<string, unknown>;

  it('accepts a model read back from JSON', () => {
    expect(assertModel(roundTripped())).toEqual(model);
  });

  it.each<[string, (m: Corruptible) => void, RegExp]>([
    ['version', (m) => (m.version = 3), /version/],
    ['old version', (m) => (m.version = 1), /version.*version 1/],
    ['kind', (m) => (m.kind = 'ctgan'), /kind/],
    ['marginal', (m) => delete m.columns[5].marginal, /columns\[5\]\.marginal/],
    ['family', (m) => (m.columns[5].marginal.family = 'cauchy'), /columns\[5\]\.marginal\.family/],
    [
      'unsorted knots',
      (m) => (m.columns[5].marginal = { family: 'empirical', knots: [0, 2, 1] }),
      /columns\[5\]\.marginal\.knots\[2\]/,
    ],
    ['normal std', (m) => (m.columns[5].marginal = { family: 'normal', mean: 0, std: -1 }), /marginal\.std/],
    ['min above max', (m) => (m.columns[5].min = m.columns[5].max + 1), /columns\[5\]\.max/],
    [
      'layout',
      (m) => (m.columns[11].layout = { template: '{XX}', offsetMinutes: 0 }),
      /columns\[11\]\.layout/,
    ],
    ['letter case', (m) => (m.columns[0].letterCase = 'title'), /columns\[0\]\.letterCase/],
    ['column kind', (m) => (m.columns[0].kind = 'magic'), /columns\[0\]\.kind/],
    ['pii kind', (m) => (m.columns[2].piiKind = 'dna'), /columns\[2\]\.piiKind/],
    ['probabilities', (m) => (m.columns[9].probabilities = [1, 1, 1]), /columns\[9\]\.probabilities/],
    ['correlation', (m) => (m.correlation[1][0] = 0.3), /correlation\[1\]\[0\]/],
    ['dimension', (m) => (m.columns[5].valueDimension = 99), /columns\[5\]\.valueDimension/],
    ['null rate', (m) => (m.columns[6].nullRate = 2), /columns\[6\]\.nullRate/],
  ])('names the field when %s is wrong', (_what, corrupt, field) => {
    const m = roundTripped();
    corrupt(m);
    expect(() => assertModel(m)).toThrow(DataError);
    expect(() => assertModel(m)).toThrow(field);
  });

  it('never puts a value into the error message', () => {
    const m = roundTripped() as Corruptible;
    m.columns[9].categories[0] = { secret: 'red' };
    expect(() => assertModel(m)).toThrow(/columns\[9\]\.categories\[0\]/);
    expect(() => assertModel(m)).not.toThrow(/red/);
  });

  it('rejects non-objects', () => {
    expect(() => assertModel(null)).toThrow(DataError);
    expect(() => assertModel([])).toThrow(DataError);
  });
});

export type { SynthModel };

describe('with the real profiler and classifier', () => {
  it('fits what profileTable and classifyTable produce, and leaks no value of a column they mark sensitive', async () => {
    const { profileTable } = await import('../../core/profile/index.js');
    const { classifyTable } = await import('../../core/pii/index.js');
    const sample = buildSample(2000, 7).table;
    const realProfile = profileTable(sample);
    const report = classifyTable(sample, realProfile);
    const m = fitSynthModel(sample, realProfile, report);
    const sensitive = report.fields.filter((f) => f.override?.sensitive ?? f.sensitive).map((f) => f.column);
    expect(sensitive).toEqual(expect.arrayContaining(['email']));
    const json = JSON.stringify(m);
    for (const name of sensitive) {
      for (const v of column(sample, name))
        if (typeof v === 'string' && v.length >= 8) expect(json.includes(v)).toBe(false);
    }
    const out = sampleChunk(assertModel(JSON.parse(json)), {
      seed: 1,
      chunkIndex: 0,
      startRow: 0,
      rowCount: 1000,
    });
    expect(out.columns.map((c) => [c.name, c.type])).toEqual(sample.columns.map((c) => [c.name, c.type]));
  });
});
