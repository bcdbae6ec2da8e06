/**
 * Sensitive columns never carry a sample value: generated fakes and sensitive keys equal to an
 * identifying sample value (under any spacing, punctuation or case) are redrawn, deterministically
 * per global row, and keys stay unique.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  carriesSampleValue,
  createSampleValueGuard,
  generateChunk,
  sensitiveColumnKinds,
  type GenerateChunkReport,
  type SampleValueGuard,
} from '../../core/generation/index.js';
import { classifyTable } from '../../core/pii/index.js';
import { profileTable } from '../../core/profile/index.js';
import { createRng } from '../../core/random/index.js';
import { fitTableSynthesizer, type TableModel } from '../../core/synthesizer/index.js';
import type { CellValue, Table } from '../../core/table.js';

const FIRST = ['anna', 'ben', 'carla', 'dmitri', 'eva', 'farid', 'greta', 'hugo'];
const LAST = ['smith', 'jones', 'garcia', 'miller', 'novak', 'okafor', 'rossi', 'tanaka'];

/** Customers with a unique SSN key, an email, a phone and a tier. */
function customers(rows: number): Table {
  const rng = createRng(11);
  const ssn: CellValue[] = [];
  const email: CellValue[] = [];
  const phone: CellValue[] = [];
  const tier: CellValue[] = [];
  for (let i = 0; i < rows; i++) {
    const area = String(100 + (i % 600)).padStart(3, '0');
    ssn.push(`${area}-${String(10 + (i % 89)).padStart(2, '0')}-${String(1000 + i).padStart(4, '0')}`);
    const first = FIRST[rng.nextInt(FIRST.length)] as string;
    const last = LAST[rng.nextInt(LAST.length)] as string;
    email.push(`${first}.${last}${i}@example.com`);
    phone.push(
      `(${200 + rng.nextInt(700)}) ${200 + rng.nextInt(700)}-${String(rng.nextInt(10_000)).padStart(4, '0')}`,
    );
    tier.push(['bronze', 'silver', 'gold'][rng.nextInt(3)] as string);
  }
  return {
    rowCount: rows,
    columns: [
      { name: 'ssn', type: 'string', values: ssn },
      { name: 'email', type: 'string', values: email },
      { name: 'phone', type: 'string', values: phone },
      { name: 'tier', type: 'string', values: tier },
    ],
  };
}

function fit(sample: Table, synthesizer: 'copula' | 'cart'): TableModel {
  const profile = profileTable(sample);
  return fitTableSynthesizer(sample, profile, classifyTable(sample, profile), { synthesizer });
}

function generate(model: TableModel, total: number, chunk: number, sampleValues?: SampleValueGuard) {
  const columns = new Map<string, CellValue[]>();
  const reports: GenerateChunkReport[] = [];
  for (let k = 0, start = 0; start < total; k++, start += chunk) {
    const { table, report } = generateChunk(
      model,
      { seed: 7, chunkIndex: k, startRow: start, rowCount: Math.min(chunk, total - start) },
      { totalRows: total, ...(sampleValues ? { sampleValues } : {}) },
    );
    for (const c of table.columns) columns.set(c.name, [...(columns.get(c.name) ?? []), ...c.values]);
    reports.push(report);
  }
  return { columns, redrawn: reports.reduce((s, r) => s + r.sensitiveValues.redrawn, 0), reports };
}

/** A "sample" whose sensitive values are the first `rows` generated values, reformatted. */
function sampleOf(generated: Map<string, CellValue[]>, names: string[], rows: number): Table {
  const reformat = (v: CellValue, i: number): CellValue =>
    v === null ? null : i % 2 === 0 ? String(v).toUpperCase() : ` ${String(v).replace(/[-() ]/g, '.')} `;
  return {
    rowCount: rows,
    columns: names.map((name) => ({
      name,
      type: 'string' as const,
      values: (generated.get(name) as CellValue[]).slice(0, rows).map(reformat),
    })),
  };
}

describe('carriesSampleValue', () => {
  const sample: Table = {
    rowCount: 4,
    columns: [
      {
        name: 'email',
        type: 'string',
        values: ['Anna.Smith@Example.com', 'x@y', null, 'shared@example.com'],
      },
      { name: 'city', type: 'string', values: ['Springfield', 'Shelbyville', 'Ogdenville', 'Capital City'] },
    ],
  };
  const guard = createSampleValueGuard(sample, { email: 'email', city: 'city' });

  it('matches a sample value whatever its case, spacing and punctuation', () => {
    expect(carriesSampleValue(guard, 'anna.smith@example.com')).toBe(true);
    expect(carriesSampleValue(guard, ' ANNA SMITH @ EXAMPLE . COM')).toBe(true);
    expect(carriesSampleValue(guard, 'anna.smith@example.org')).toBe(false);
  });

  it('leaves out values too short to identify anyone and quasi-identifier kinds', () => {
    expect(carriesSampleValue(guard, 'x@y')).toBe(false);
    expect(carriesSampleValue(guard, 'Springfield')).toBe(false);
    expect(carriesSampleValue(guard, null)).toBe(false);
  });

  it('finds a sample value inside a longer generated cell, as a run of whole words', () => {
    const g = createSampleValueGuard(
      { rowCount: 2, columns: [{ name: 'street', type: 'string', values: ['553 Main', '12 Oak Street'] }] },
      { street: 'street_address' },
    );
    expect(carriesSampleValue(g, '553 Main Avenue', true)).toBe(true);
    expect(carriesSampleValue(g, 'Apt 4, 12 oak street, Springfield', true)).toBe(true);
    expect(carriesSampleValue(g, '553 Main Avenue')).toBe(false); // whole-cell comparison only
    expect(carriesSampleValue(g, '1553 Main Avenue', true)).toBe(false);
    expect(carriesSampleValue(g, '553 Mainland Avenue', true)).toBe(false);
    expect([...g.wordRunColumns]).toEqual(['street']);
  });

  it('compares non-ASCII text by its NFKC, case-folded letters and digits', () => {
    const g = createSampleValueGuard(
      { rowCount: 1, columns: [{ name: 'n', type: 'string', values: ['Jürgen Groß-Müller'] }] },
      { n: 'person_name' },
    );
    expect(carriesSampleValue(g, 'JÜRGEN GROSS MÜLLER')).toBe(false); // ß is not ss under NFKC
    expect(carriesSampleValue(g, 'jürgen groß müller')).toBe(true);
  });
});

describe.each(['copula', 'cart'] as const)(
  'generateChunk with the sample-value guard (%s)',
  (synthesizer) => {
    const model = fit(customers(1500), synthesizer);
    const kinds = sensitiveColumnKinds(model);
    const sensitive = Object.keys(kinds);
    const total = 3000;
    const plain = generate(model, total, total);
    const guard = createSampleValueGuard(sampleOf(plain.columns, sensitive, 1000), kinds);
    const guarded = generate(model, total, total, guard);

    it('treats the SSN, email and phone columns as sensitive', () => {
      expect(sensitive.sort()).toEqual(['email', 'phone', 'ssn']);
    });

    it('redraws every sensitive cell equal to a sample value, and no output cell carries one', () => {
      for (const name of sensitive) {
        const values = guarded.columns.get(name) as CellValue[];
        expect(values.filter((v) => carriesSampleValue(guard, v))).toEqual([]);
      }
      expect(guarded.redrawn).toBeGreaterThanOrEqual(0.95 * 1000 * sensitive.length);
      expect(guarded.reports.every((r) => r.sensitiveValues.remaining === 0)).toBe(true);
    });

    it('changes nothing else: other rows and other columns are as without the guard', () => {
      for (const column of model.columns) {
        const before = plain.columns.get(column.name) as CellValue[];
        const after = guarded.columns.get(column.name) as CellValue[];
        const changed = after.flatMap((v, i) => (v === before[i] ? [] : [i]));
        if (!sensitive.includes(column.name)) expect(changed).toEqual([]);
        else expect(changed.every((i) => carriesSampleValue(guard, before[i] as CellValue))).toBe(true);
      }
    });

    it('keeps sensitive keys unique', () => {
      expect(
        model.columns.filter((c) => c.kind === 'identifier' && c.piiKind !== null).length,
      ).toBeGreaterThan(0);
      for (const column of model.columns) {
        if (column.kind !== 'identifier') continue;
        const values = (guarded.columns.get(column.name) as CellValue[]).filter((v) => v !== null);
        expect(new Set(values).size).toBe(values.length);
      }
    });

    it('gives the same rows however the run is cut into chunks', () => {
      fc.assert(
        fc.property(fc.integer({ min: 97, max: 2999 }), (chunk) => {
          const cut = generate(model, total, chunk, guard);
          for (const name of sensitive) expect(cut.columns.get(name)).toEqual(guarded.columns.get(name));
        }),
        { numRuns: 4 },
      );
    });
  },
);
