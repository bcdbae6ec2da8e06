import fc from 'fast-check';
import { isValidPhoneNumber } from 'libphonenumber-js/max';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../core/errors.js';
import type { SensitivityReport } from '../../core/pii/index.js';
import { isValidCreditCard, isValidEmail, isValidIban } from '../../core/pii/index.js';
import {
  applyReplacements,
  defaultReplacementPlan,
  GAZETTEER,
  parseReplacementPlan,
  resolvePlan,
  type ReplacementPlan,
} from '../../core/replace/index.js';
import { concatTables, type ColumnData, type Table } from '../../core/table.js';

const COLUMNS: [string, ColumnData['type'], (i: number) => ColumnData['values'][number]][] = [
  ['id', 'integer', (i) => 100_000 + i],
  ['first_name', 'string', (i) => ['Anna', 'Björn', 'Chloé', 'Dmitri'][i % 4] as string],
  ['last_name', 'string', (i) => ['Müller', "O'Brien", 'Smith', 'Ngata'][i % 4] as string],
  ['email', 'string', (i) => (i % 7 === 3 ? null : `user${i}@example.com`)],
  ['phone', 'string', () => '(212) 736-5000'],
  ['card', 'string', () => '4111 1111 1111 1111'],
  ['iban', 'string', () => 'DE89 3704 0044 0532 0130 00'],
  ['city', 'string', () => 'Springfield'],
  ['state', 'string', () => 'IL'],
  ['zip', 'string', () => '62701'],
  ['country', 'string', () => 'US'],
  ['age', 'integer', (i) => 18 + (i % 70)],
  ['dob', 'date', (i) => `19${50 + (i % 50)}-0${1 + (i % 9)}-1${i % 10}`],
  [
    'notes',
    'string',
    (i) =>
      i % 2 === 0
        ? `Customer asked to be called on (212) 736-5000 or at user${i}@example.com.`
        : 'No contact.',
  ],
];

function makeTable(rows: number, start = 0): Table {
  return {
    rowCount: rows,
    columns: COLUMNS.map(([name, type, at]) => ({
      name,
      type,
      values: Array.from({ length: rows }, (_, i) => at(start + i)),
    })),
  };
}

const PLAN: ReplacementPlan = {
  first_name: { strategy: 'fake', kind: 'first_name', locale: 'de' },
  last_name: { strategy: 'fake', kind: 'last_name', locale: 'de' },
  email: { strategy: 'fake', kind: 'email', locale: 'de' },
  phone: { strategy: 'format_preserving', kind: 'phone' },
  card: { strategy: 'format_preserving', kind: 'credit_card' },
  iban: { strategy: 'pseudonymize', kind: 'iban', key: 'main' },
  city: { strategy: 'fake', kind: 'city', locale: 'de' },
  state: { strategy: 'fake', kind: 'state', locale: 'de' },
  zip: { strategy: 'fake', kind: 'postal_code', locale: 'de' },
  country: { strategy: 'fake', kind: 'country', locale: 'de' },
  age: { strategy: 'generalize', method: 'band', width: 10 },
  dob: { strategy: 'generalize', method: 'month' },
  notes: { strategy: 'scrub_text' },
};
const KEYS = { main: new TextEncoder().encode('a-configured-secret') };

function column(t: Table, name: string): ColumnData['values'] {
  const c = t.columns.find((col) => col.name === name);
  if (c === undefined) throw new Error(`test table has no column ${name}`);
  return c.values;
}

function asciiFold(s: string): string {
  return s
    .normalize('NFKD')
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .replace(/[^a-z]/g, '');
}

describe('applyReplacements', () => {
  it('is chunking-independent: [0,1000) at once equals [0,500) + [500,1000)', () => {
    const whole = applyReplacements(makeTable(1000), PLAN, { seed: 7, startRow: 0, keys: KEYS }).table;
    const a = applyReplacements(makeTable(500), PLAN, { seed: 7, startRow: 0, keys: KEYS }).table;
    const b = applyReplacements(makeTable(500, 500), PLAN, { seed: 7, startRow: 500, keys: KEYS }).table;
    expect(concatTables([a, b])).toEqual(whole);
  });

  it('is deterministic per (seed, row) for any chunk split, and changes with the seed', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 59 }), fc.integer({ min: 0, max: 1e6 }), (split, seed) => {
        const ctx = { keys: KEYS, sourceTable: 'customers' };
        const whole = applyReplacements(makeTable(60), PLAN, { ...ctx, seed, startRow: 0 }).table;
        const head = applyReplacements(makeTable(split), PLAN, { ...ctx, seed, startRow: 0 }).table;
        const tail = applyReplacements(makeTable(60 - split, split), PLAN, {
          ...ctx,
          seed,
          startRow: split,
        }).table;
        expect(concatTables([head, tail])).toEqual(whole);
        const again = applyReplacements(makeTable(60), PLAN, { ...ctx, seed, startRow: 0 }).table;
        expect(again).toEqual(whole);
        const other = applyReplacements(makeTable(60), PLAN, { ...ctx, seed: seed + 1, startRow: 0 }).table;
        expect(column(other, 'email')).not.toEqual(column(whole, 'email'));
      }),
      { numRuns: 15 },
    );
  });

  it('builds each email from the row’s own synthetic first and last name', () => {
    const out = applyReplacements(makeTable(300), PLAN, { seed: 3, startRow: 0, keys: KEYS }).table;
    const first = column(out, 'first_name');
    const last = column(out, 'last_name');
    column(out, 'email').forEach((e, i) => {
      if (e === null) return;
      expect(isValidEmail(e as string)).toBe(true);
      const local = (e as string).split('@')[0] as string;
      expect(local).toContain(asciiFold(first[i] as string));
      expect(local).toContain(asciiFold(last[i] as string));
    });
  });

  it('uses the table’s names for emails when the names are not replaced', () => {
    const plan: ReplacementPlan = { email: { strategy: 'fake', kind: 'email' } };
    const out = applyReplacements(makeTable(40), plan, { seed: 3, startRow: 0, keys: {} }).table;
    column(out, 'email').forEach((e, i) => {
      if (e === null) return;
      expect(e as string).toContain(asciiFold(column(out, 'first_name')[i] as string));
      expect(e as string).toContain(asciiFold(column(out, 'last_name')[i] as string));
    });
  });

  it('keeps city, state, postcode and country of a row together (German gazetteer)', () => {
    const out = applyReplacements(makeTable(400), PLAN, { seed: 11, startRow: 0, keys: KEYS }).table;
    const places = GAZETTEER.DE?.places ?? [];
    const cities = new Set<string>();
    for (let i = 0; i < out.rowCount; i++) {
      const city = column(out, 'city')[i] as string;
      const place = places.find((p) => p.city === city);
      expect(place, 'city comes from the gazetteer').toBeDefined();
      // The synthetic state was an abbreviation, so the fake is one too.
      expect(column(out, 'state')[i]).toBe(place?.stateAbbr);
      const [lo, hi] = (place?.postcodes[0] ?? '').slice(1, -1).split('-').map(Number);
      const zip = Number(column(out, 'zip')[i]);
      expect(zip).toBeGreaterThanOrEqual(lo as number);
      expect(zip).toBeLessThanOrEqual(hi as number);
      expect(column(out, 'country')[i]).toBe('DE');
      cities.add(city);
    }
    expect(cities.size).toBeGreaterThan(5);
  });

  it('keeps validity of replaced phones, cards and IBANs, and generalizes exactly', () => {
    const out = applyReplacements(makeTable(200), PLAN, { seed: 5, startRow: 0, keys: KEYS });
    for (let i = 0; i < 200; i++) {
      expect(isValidPhoneNumber(column(out.table, 'phone')[i] as string, 'US')).toBe(true);
      expect(isValidCreditCard(column(out.table, 'card')[i] as string)).toBe(true);
      expect(isValidIban(column(out.table, 'iban')[i] as string)).toBe(true);
    }
    expect(column(out.table, 'age').slice(0, 3)).toEqual(['10-19', '10-19', '20-29']);
    expect(out.table.columns.find((c) => c.name === 'age')?.type).toBe('string');
    expect(column(out.table, 'dob').slice(0, 2)).toEqual(['1950-01-01', '1951-02-01']);
    // Counts are the non-null cells replaced: every seventh email is null and stays null.
    expect(out.counts.email).toBe(200 - Math.ceil((200 - 3) / 7));
    expect(column(out.table, 'email')[3]).toBeNull();
  });

  it('pseudonymizes the same value the same way in different tables and seeds, differently per key', () => {
    const plan: ReplacementPlan = { iban: { strategy: 'pseudonymize', kind: 'iban', key: 'main' } };
    const a = applyReplacements(makeTable(3), plan, {
      seed: 1,
      startRow: 0,
      keys: KEYS,
      sourceTable: 'accounts',
    });
    const b = applyReplacements(makeTable(2, 40), plan, {
      seed: 9,
      startRow: 40,
      keys: KEYS,
      sourceTable: 'payments',
    });
    expect(column(a.table, 'iban')[0]).toBe(column(b.table, 'iban')[1]);
    const c = applyReplacements(makeTable(1), plan, {
      seed: 1,
      startRow: 0,
      keys: { main: new TextEncoder().encode('another-secret') },
    });
    expect(column(c.table, 'iban')[0]).not.toBe(column(a.table, 'iban')[0]);
  });

  it('rewrites personal data inside free text and keeps the rest of the text', () => {
    const out = applyReplacements(makeTable(20), PLAN, { seed: 5, startRow: 0, keys: KEYS }).table;
    column(out, 'notes').forEach((n, i) => {
      if (i % 2 === 1) {
        expect(n).toBe('No contact.');
        return;
      }
      const text = n as string;
      expect(text.startsWith('Customer asked to be called on (')).toBe(true);
      expect(text).not.toContain('736-5000');
      expect(text).not.toContain(`user${i}@example.com`);
      const phone = /\(\d{3}\) \d{3}-\d{4}/.exec(text)?.[0] ?? '';
      expect(isValidPhoneNumber(phone, 'US')).toBe(true);
    });
  });

  it('masks, nulls and rounds', () => {
    const plan: ReplacementPlan = {
      card: { strategy: 'mask', keep: 4, keepSeparators: true },
      email: { strategy: 'null' },
      id: { strategy: 'generalize', method: 'round', step: 1000 },
    };
    const out = applyReplacements(makeTable(3), plan, { seed: 1, startRow: 0, keys: {} }).table;
    expect(column(out, 'card')).toEqual(Array(3).fill('**** **** **** 1111'));
    expect(column(out, 'email')).toEqual([null, null, null]);
    expect(column(out, 'id')).toEqual([100_000, 100_000, 100_000]);
  });

  it('names the field when a key is missing, a column is unknown or a strategy does not fit', () => {
    const run = (plan: ReplacementPlan) => () =>
      applyReplacements(makeTable(2), plan, { seed: 1, startRow: 0, keys: {} });
    expect(run({ iban: { strategy: 'pseudonymize', key: 'main' } })).toThrow(
      expect.objectContaining({ name: 'ConfigError', field: 'replacements.iban.key' }),
    );
    expect(run({ nope: { strategy: 'null' } })).toThrow(
      expect.objectContaining({ field: 'replacements.nope' }),
    );
    expect(run({ email: { strategy: 'generalize', method: 'band' } })).toThrow(
      expect.objectContaining({ field: 'replacements.email.strategy' }),
    );
  });
});

describe('plans', () => {
  const report: SensitivityReport = {
    threshold: 0.7,
    sampledValuesPerColumn: 100,
    fields: [
      { column: 'email', kind: 'email', confidence: 0.99, sensitive: true, reasons: [] },
      { column: 'card', kind: 'credit_card', confidence: 0.95, sensitive: true, reasons: [] },
      { column: 'notes', kind: 'free_text', confidence: 0.8, sensitive: true, reasons: [] },
      { column: 'age', kind: 'none', confidence: 0.1, sensitive: false, reasons: [] },
      // A kind added later by the classifier: the default is still a fake.
      { column: 'mac', kind: 'mac_address' as never, confidence: 0.9, sensitive: true, reasons: [] },
    ],
  };
  const schema = {
    columns: [
      { name: 'email', type: 'string' as const },
      { name: 'card', type: 'string' as const },
      { name: 'notes', type: 'string' as const },
      { name: 'age', type: 'integer' as const },
      { name: 'mac', type: 'string' as const },
    ],
  };

  it('defaults by kind and merges configured overrides', () => {
    expect(defaultReplacementPlan(report)).toEqual({
      email: { strategy: 'fake', kind: 'email', locale: 'en_US' },
      card: { strategy: 'format_preserving', kind: 'credit_card' },
      notes: { strategy: 'scrub_text', spans: 'fake', locale: 'en_US' },
      mac: { strategy: 'fake', kind: 'mac_address', locale: 'en_US' },
    });
    const plan = resolvePlan(
      {
        card: { strategy: 'mask' },
        age: { strategy: 'generalize', method: 'band', width: 5 },
        email: { strategy: 'pseudonymize', key: 'crm' },
      },
      report,
      { schema, locale: 'fr' },
    );
    expect(plan.card).toEqual({ strategy: 'mask' });
    expect(plan.age).toEqual({ strategy: 'generalize', method: 'band', width: 5 });
    expect(plan.email).toEqual({ strategy: 'pseudonymize', key: 'crm', kind: 'email' });
    expect(plan.notes).toEqual({ strategy: 'scrub_text', spans: 'fake', locale: 'fr' });
  });

  it('reports the exact field at fault', () => {
    const fieldOf = (configured: unknown): string | undefined => {
      try {
        resolvePlan(configured, report, { schema });
      } catch (e) {
        expect(e).toBeInstanceOf(ConfigError);
        return (e as ConfigError).field;
      }
      return undefined;
    };
    expect(fieldOf({ email: { strategy: 'scramble' } })).toBe('replacements.email.strategy');
    expect(fieldOf({ email: { strategy: 'mask', keep: -1 } })).toBe('replacements.email.keep');
    expect(fieldOf({ emial: { strategy: 'null' } })).toBe('replacements.emial');
    expect(
      fieldOf({ email: { strategy: 'generalize', method: 'month' }, age: { strategy: 'scrub_text' } }),
    ).toBe('replacements.age.strategy');
    expect(fieldOf({ email: { strategy: 'fake', locale: 'xx_YY' } })).toBe('replacements.email.locale');
    expect(fieldOf({ age: { strategy: 'fake', kind: 'email' } })).toBe('replacements.age.strategy');
    expect(fieldOf({ email: { strategy: 'fake' } })).toBeUndefined();
    expect(() => parseReplacementPlan({ a: { strategy: 'pseudonymize', key: 'has space' } })).toThrow(
      expect.objectContaining({ field: 'replacements.a.key' }),
    );
  });
});
