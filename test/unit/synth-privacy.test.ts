import { faker } from '@faker-js/faker/locale/en';
import { describe, expect, it } from 'vitest';
import type { SensitivityReport } from '../../core/pii/index.js';
import { classifyTable } from '../../core/pii/index.js';
import { profileTable } from '../../core/profile/index.js';
import { countExactCopies, fingerprintTable } from '../../core/quality/index.js';
import { createRng } from '../../core/random/index.js';
import {
  fitSynthModel,
  sampleChunk,
  sampleChunkDetailed,
  sampleConditionalDetailed,
  type SynthModel,
} from '../../core/synth/index.js';
import type { CellValue, Table } from '../../core/table.js';

/** A table with a small domain: most synthetic rows would equal some sample row. */
function smallDomain(rows: number): Table {
  const rng = createRng(1);
  const a: CellValue[] = [];
  const b: CellValue[] = [];
  const c: CellValue[] = [];
  const n: CellValue[] = [];
  for (let i = 0; i < rows; i++) {
    const z = rng.nextNormal();
    a.push(z > 0.5 ? 'high' : z > -0.5 ? 'mid' : 'low');
    b.push(rng.nextDouble() < 0.5 + 0.3 * Math.tanh(z));
    c.push(['x', 'y', 'z', 'w'][rng.nextInt(4)] as string);
    n.push(Math.max(0, Math.min(300, Math.round(100 + 60 * z + 30 * rng.nextNormal()))));
  }
  return {
    rowCount: rows,
    columns: [
      { name: 'level', type: 'string', values: a },
      { name: 'flag', type: 'boolean', values: b },
      { name: 'letter', type: 'string', values: c },
      { name: 'count', type: 'integer', values: n },
    ],
  };
}

function fit(table: Table): SynthModel {
  const profile = profileTable(table);
  return fitSynthModel(table, profile, classifyTable(table, profile));
}

describe('no synthetic row equals a sample row (resampled, counted)', () => {
  const sample = smallDomain(4000);
  const model = fit(sample);
  const fingerprints = fingerprintTable(sample);

  it('copies sample rows often without the option', () => {
    const plain = sampleChunk(model, { seed: 1, chunkIndex: 0, startRow: 0, rowCount: 5000 });
    expect(countExactCopies(fingerprints, plain)).toBeGreaterThan(500);
  });

  it('redraws every copy, reports how many, and leaves none when the domain allows', () => {
    const detailed = sampleChunkDetailed(
      model,
      { seed: 1, chunkIndex: 0, startRow: 0, rowCount: 5000 },
      { excludeFingerprints: fingerprints },
    );
    const plain = sampleChunk(model, { seed: 1, chunkIndex: 0, startRow: 0, rowCount: 5000 });
    expect(detailed.resampledRows).toBe(countExactCopies(fingerprints, plain));
    expect(detailed.remainingCopies).toBe(countExactCopies(fingerprints, detailed.table));
    // A share of this small domain (about 7,000 combinations) is in the sample; redraws find the rest.
    expect(detailed.remainingCopies).toBeLessThan(detailed.resampledRows / 200);
    expect(detailed.table.rowCount).toBe(5000);
    // Rows that were not copies are untouched.
    let changed = 0;
    for (let i = 0; i < 5000; i++) {
      if (detailed.table.columns.some((c, j) => c.values[i] !== plain.columns[j]?.values[i])) changed++;
    }
    expect(changed).toBe(detailed.resampledRows);
  });

  it('redraws the same way whatever the chunking', () => {
    const opts = { excludeFingerprints: fingerprints };
    const whole = sampleChunk(model, { seed: 4, chunkIndex: 0, startRow: 0, rowCount: 3000 }, opts);
    const a = sampleChunk(model, { seed: 4, chunkIndex: 0, startRow: 0, rowCount: 1234 }, opts);
    const b = sampleChunk(model, { seed: 4, chunkIndex: 1, startRow: 1234, rowCount: 1766 }, opts);
    whole.columns.forEach((c, i) =>
      expect([...(a.columns[i]?.values ?? []), ...(b.columns[i]?.values ?? [])]).toEqual(c.values),
    );
  });

  it('reports the copies it cannot avoid when every possible row is in the sample', () => {
    const tiny: Table = {
      rowCount: 4,
      columns: [{ name: 'flag', type: 'boolean', values: [true, false, true, false] }],
    };
    const m = fit(tiny);
    const detailed = sampleChunkDetailed(
      m,
      { seed: 1, chunkIndex: 0, startRow: 0, rowCount: 50 },
      { excludeFingerprints: fingerprintTable(tiny) },
    );
    expect(detailed.resampledRows).toBe(50);
    expect(detailed.remainingCopies).toBe(50);
  });

  it('also keeps conditional rows apart from the sample, still satisfying the conditions', () => {
    const detailed = sampleConditionalDetailed(
      model,
      { seed: 2, rowCount: 2000, conditions: { level: { eq: 'high' } } },
      { excludeFingerprints: fingerprints },
    );
    expect(detailed.resampledRows).toBeGreaterThan(100);
    expect(countExactCopies(fingerprints, detailed.table)).toBeLessThan(detailed.resampledRows / 100);
    expect(detailed.table.columns[0]?.values.every((v) => v === 'high')).toBe(true);
  });
});

describe('sensitive columns never carry a sample value', () => {
  // Real values are tagged ("Zq…", "@sample.invalid") so no fake drawn from word lists can equal one by chance.
  function personal(rows: number): Table {
    faker.seed(12);
    const rng = createRng(12);
    const cols = {
      email: [] as CellValue[],
      name: [] as CellValue[],
      phone: [] as CellValue[],
      ssn: [] as CellValue[],
      spend: [] as CellValue[],
    };
    for (let i = 0; i < rows; i++) {
      cols.email.push(`zq${i}.${faker.person.lastName().toLowerCase()}@sample.invalid`);
      cols.name.push(`Zq${faker.person.firstName()} Zq${faker.person.lastName()}`);
      cols.phone.push(`(555) 01${String(i % 100).padStart(2, '0')}-${String(1000 + i).slice(-4)}`);
      cols.ssn.push(`9${String(10 + (i % 80))}-${String(10 + (i % 89))}-${String(1000 + i).slice(-4)}`);
      cols.spend.push(Math.round(rng.nextDouble() * 50_000) / 100);
    }
    return {
      rowCount: rows,
      columns: Object.entries(cols).map(([name, values]) => ({ name, type: 'string' as const, values })),
    };
  }

  it('keeps no sensitive value in the model and writes none', () => {
    const table = personal(2000);
    table.columns[4] = { ...(table.columns[4] as Table['columns'][number]), type: 'float' };
    const profile = profileTable(table);
    const sensitivity: SensitivityReport = {
      threshold: 0.7,
      sampledValuesPerColumn: 1000,
      fields: table.columns.map((c) => {
        const kind = ({ email: 'email', name: 'person_name', phone: 'phone', ssn: 'ssn' } as const)[
          c.name as 'email'
        ];
        return {
          column: c.name,
          kind: kind ?? 'none',
          confidence: kind ? 0.99 : 0,
          sensitive: kind !== undefined,
          reasons: [],
        };
      }),
    };
    const model = fitSynthModel(table, profile, sensitivity);
    const json = JSON.stringify(model);
    const realValues = new Set<CellValue>();
    for (const c of table.columns.slice(0, 4)) for (const v of c.values) realValues.add(v);
    for (const v of realValues) expect(json.includes(String(v))).toBe(false);
    for (const c of model.columns.slice(0, 4)) {
      // Unique sensitive columns become unique fakes (identifier with a PII kind), the rest plain fakes.
      if (c.kind === 'identifier') expect(c.piiKind).not.toBeNull();
      else expect(c.kind).toBe('fake');
    }
    for (let k = 0; k < 5; k++) {
      const out = sampleChunk(model, { seed: k, chunkIndex: k, startRow: k * 20_000, rowCount: 20_000 });
      for (const c of out.columns.slice(0, 4)) {
        expect(c.values.filter((v) => realValues.has(v))).toEqual([]);
      }
    }
  });
});
