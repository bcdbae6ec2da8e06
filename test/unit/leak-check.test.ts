import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createLeakIndex, parseLeakIndex, scanForLeaks } from '../../core/privacy/index.js';
import { applyReplacements, type ReplacementPlan } from '../../core/replace/index.js';
import type { Table } from '../../core/table.js';

const KEY = new TextEncoder().encode('leak-check-key');
const SENSITIVE = ['full_name', 'email', 'phone', 'ssn', 'card', 'iban'];

/** A sample of fictional people with their personal data in the usual layouts. */
function makeSample(rows: number): Table {
  const base: Table = {
    rowCount: rows,
    columns: [
      { name: 'first_name', type: 'string', values: Array(rows).fill('Anna') },
      { name: 'last_name', type: 'string', values: Array(rows).fill('Smith') },
      { name: 'full_name', type: 'string', values: Array(rows).fill('Anna Smith') },
      { name: 'email', type: 'string', values: Array(rows).fill('anna@example.com') },
      { name: 'phone', type: 'string', values: Array(rows).fill('(212) 736-5000') },
      { name: 'ssn', type: 'string', values: Array(rows).fill('123-45-6789') },
      { name: 'card', type: 'string', values: Array(rows).fill('4111 1111 1111 1111') },
      { name: 'iban', type: 'string', values: Array(rows).fill('DE89 3704 0044 0532 0130 00') },
      { name: 'notes', type: 'string', values: Array(rows).fill('Call me at (212) 736-5000.') },
      { name: 'score', type: 'integer', values: Array.from({ length: rows }, (_, i) => i) },
    ],
  };
  return fillWithFakes(base, 1);
}

const PLAN: ReplacementPlan = {
  first_name: { strategy: 'fake', kind: 'first_name' },
  last_name: { strategy: 'fake', kind: 'last_name' },
  full_name: { strategy: 'fake', kind: 'person_name' },
  email: { strategy: 'fake', kind: 'email' },
  phone: { strategy: 'format_preserving', kind: 'phone' },
  ssn: { strategy: 'format_preserving', kind: 'ssn' },
  card: { strategy: 'format_preserving', kind: 'credit_card' },
  iban: { strategy: 'format_preserving', kind: 'iban' },
  notes: { strategy: 'scrub_text' },
};

function fillWithFakes(table: Table, seed: number): Table {
  return applyReplacements(table, PLAN, { seed, startRow: 0, keys: {}, sourceTable: 'people' }).table;
}

function valueAt(t: Table, column: string, row: number): string {
  return String(t.columns.find((c) => c.name === column)?.values[row]);
}

function withCell(t: Table, column: string, row: number, value: string): Table {
  return {
    ...t,
    columns: t.columns.map((c) =>
      c.name === column ? { ...c, values: c.values.map((v, i) => (i === row ? value : v)) } : c,
    ),
  };
}

const sample = makeSample(300);
const index = createLeakIndex(sample, SENSITIVE, KEY);
// Clean output: the same table shape, every sensitive value freshly generated under another seed.
const clean = fillWithFakes(makeSample(300), 99);

describe('leak check', () => {
  it('finds no leaks in clean synthetic output', () => {
    const result = scanForLeaks(index, clean, { key: KEY });
    expect(result).toEqual({ leaks: [], total: 0, truncated: false });
  });

  it('finds a sample value planted as a whole cell, in any column', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...SENSITIVE),
        fc.integer({ min: 0, max: 299 }),
        fc.constantFrom('email', 'notes', 'full_name', 'card'),
        fc.integer({ min: 0, max: 299 }),
        (from, sampleRow, into, outRow) => {
          const planted = withCell(clean, into, outRow, valueAt(sample, from, sampleRow));
          const { leaks } = scanForLeaks(index, planted, { key: KEY, startRow: 1000 });
          expect(leaks).toContainEqual({ column: into, row: 1000 + outRow, sensitiveColumn: from });
          expect(leaks.every((l) => l.row === 1000 + outRow && l.column === into)).toBe(true);
        },
      ),
      { numRuns: 15 },
    );
  });

  it('finds sample values inside prose in another column, however they are written', () => {
    const email = valueAt(sample, 'email', 17);
    const phone = valueAt(sample, 'phone', 42).replace(/\D/g, '');
    const card = valueAt(sample, 'card', 5)
      .replace(/\D/g, '')
      .replace(/(\d{4})(?=\d)/g, '$1-');
    const iban = valueAt(sample, 'iban', 8).replace(/\s/g, '');
    const name = valueAt(sample, 'full_name', 9);
    const prose = [
      `Spoke to ${name.toUpperCase()} yesterday.`,
      `Reply to <${email.toUpperCase()}>, thanks!`,
      `Her number is +1 ${phone.slice(0, 3)} ${phone.slice(3, 6)} ${phone.slice(6)} (mobile).`,
      `Paid with ${card} on Monday.`,
      `Refund to ${iban}.`,
    ];
    let out = clean;
    prose.forEach((text, i) => {
      out = withCell(out, 'notes', 200 + i, text);
    });
    const { leaks } = scanForLeaks(index, out, { key: KEY });
    expect(leaks).toEqual([
      { column: 'notes', row: 200, sensitiveColumn: 'full_name' },
      { column: 'notes', row: 201, sensitiveColumn: 'email' },
      { column: 'notes', row: 202, sensitiveColumn: 'phone' },
      { column: 'notes', row: 203, sensitiveColumn: 'card' },
      { column: 'notes', row: 204, sensitiveColumn: 'iban' },
    ]);
  });

  it('finds a sample value inside random prose, at any position and in any case', () => {
    const words = fc.constantFrom('call', 'the', 'customer', 'about', 'order', '42', 'today', 'x', '(re)');
    fc.assert(
      fc.property(
        fc.constantFrom(...SENSITIVE),
        fc.integer({ min: 0, max: 299 }),
        fc.array(words, { maxLength: 8 }),
        fc.array(words, { maxLength: 8 }),
        fc.constantFrom('', '.', ',', '!', ')', '"'),
        fc.boolean(),
        (from, sampleRow, before, after, punct, upper) => {
          const value = valueAt(sample, from, sampleRow);
          const text = [...before, `${upper ? value.toUpperCase() : value}${punct}`, ...after].join(' ');
          const { leaks } = scanForLeaks(index, withCell(clean, 'notes', 3, text), { key: KEY });
          expect(leaks).toContainEqual({ column: 'notes', row: 3, sensitiveColumn: from });
        },
      ),
      { numRuns: 40 },
    );
  });

  it('finds a value that is the whole cell but for punctuation at its edges (a sentence-ending address)', () => {
    const email = valueAt(sample, 'email', 0);
    for (const text of [`${email}.`, `(${email})`, `${email}...`, `"${email}".`]) {
      const { leaks } = scanForLeaks(index, withCell(clean, 'notes', 5, text), { key: KEY });
      expect(leaks).toContainEqual({ column: 'notes', row: 5, sensitiveColumn: 'email' });
    }
  });

  it('finds values written with full-width characters or in a float column', () => {
    const phone = valueAt(sample, 'phone', 11).replace(/\D/g, '');
    // NFKC folds full-width digits (U+FF10–FF19) to ASCII before hashing.
    const wide = [...phone].map((d) => String.fromCharCode(0xff10 + Number(d))).join('');
    const digits = Number(phone);
    const out: Table = {
      ...withCell(clean, 'notes', 4, `Tel: ${wide} (home)`),
      columns: [
        ...withCell(clean, 'notes', 4, `Tel: ${wide} (home)`).columns,
        {
          name: 'amount',
          type: 'float',
          values: clean.columns[0]?.values.map((_, i) => (i === 9 ? digits : i + 0.5)) ?? [],
        },
      ],
    };
    expect(scanForLeaks(index, out, { key: KEY }).leaks).toEqual([
      { column: 'notes', row: 4, sensitiveColumn: 'phone' },
      { column: 'amount', row: 9, sensitiveColumn: 'phone' },
    ]);
  });

  it('finds numbers stored in numeric columns', () => {
    const digits = Number(valueAt(sample, 'phone', 3).replace(/\D/g, ''));
    const out: Table = {
      ...clean,
      columns: clean.columns.map((c) =>
        c.name === 'score' ? { ...c, values: c.values.map((v, i) => (i === 7 ? digits : v)) } : c,
      ),
    };
    expect(scanForLeaks(index, out, { key: KEY }).leaks).toEqual([
      { column: 'score', row: 7, sensitiveColumn: 'phone' },
    ]);
  });

  it('serializes to JSON holding no sample value, and reads back to an equal index', () => {
    const json = JSON.stringify(index);
    for (const column of sample.columns.filter((c) => SENSITIVE.includes(c.name))) {
      for (const value of column.values) {
        const text = String(value);
        expect(json.includes(text)).toBe(false);
        expect(json.toLowerCase().includes(text.toLowerCase())).toBe(false);
        expect(json.includes(text.replace(/\D/g, '')) && /\d{7}/.test(text.replace(/\D/g, ''))).toBe(false);
      }
    }
    const back = parseLeakIndex(JSON.parse(json));
    expect(back).toEqual(index);
    // Version 1 indexes have no prefilter: they must be rebuilt, and say so by field.
    for (const version of [1, 3]) {
      expect(() => parseLeakIndex({ ...index, version })).toThrow(
        expect.objectContaining({ name: 'ConfigError', field: 'leakIndex.version' }),
      );
    }
    expect(() => parseLeakIndex({ ...index, prefilter: { ...index.prefilter, hashes: 'AAAA' } })).toThrow(
      expect.objectContaining({ field: 'leakIndex.prefilter.hashes' }),
    );
  });

  it('leaves out single words and reports how many; a different key finds nothing', () => {
    const withNames = createLeakIndex(sample, ['first_name'], KEY);
    const names = withNames.columns[0];
    // A few given names have two parts ("Mary Ann"), which are indexed; lone words are not.
    expect(names?.skipped).toBeGreaterThan(280);
    expect((names?.skipped ?? 0) + (names?.indexed ?? 0)).toBe(300);
    const planted = withCell(clean, 'notes', 0, valueAt(sample, 'email', 0));
    expect(scanForLeaks(index, planted, { key: new TextEncoder().encode('other') }).leaks).toEqual([]);
  });

  it('leaves out quasi-identifier columns when kinds are given, and values many sample rows share', () => {
    const byKind = createLeakIndex(sample, ['first_name', 'email'], KEY, {
      kinds: { first_name: 'first_name', email: 'email' },
    });
    expect(byKind.columns.map((c) => [c.name, c.indexed])).toEqual([
      ['first_name', 0],
      ['email', 300],
    ]);
    const shared = withCell(
      withCell(withCell(sample, 'email', 0, 'same@example.com'), 'email', 1, 'same@example.com'),
      'email',
      2,
      'same@example.com',
    );
    const idx = createLeakIndex(shared, ['email'], KEY);
    expect(idx.columns[0]).toMatchObject({ indexed: 297, skipped: 3 });
    expect(scanForLeaks(idx, withCell(clean, 'notes', 0, 'same@example.com'), { key: KEY }).leaks).toEqual(
      [],
    );
  });

  it('caps the listed leaks but counts them all', () => {
    const result = scanForLeaks(index, sample, { key: KEY, maxLeaks: 10 });
    expect(result.leaks).toHaveLength(10);
    expect(result.truncated).toBe(true);
    // Every sensitive cell of the sample is itself a leak (names too: two-word values are indexed).
    expect(result.total).toBeGreaterThanOrEqual(300 * SENSITIVE.length);
  });

  it('names the column, not a value, when the sample lacks a column', () => {
    expect(() => createLeakIndex(sample, ['no_such_column'], KEY)).toThrow(
      expect.objectContaining({ name: 'ConfigError', field: 'no_such_column' }),
    );
  });
});

describe('digit-only forms follow the column kind', () => {
  const sample: Table = {
    rowCount: 2,
    columns: [
      { name: 'ip', type: 'string', values: ['10.123.45.67', '172.16.254.3'] },
      { name: 'phone', type: 'string', values: ['+1 (415) 555-0132', '(212) 555-0199'] },
    ],
  };
  const index = createLeakIndex(sample, ['ip', 'phone'], KEY, {
    kinds: { ip: 'ip_address', phone: 'phone' },
  });
  const out = (cells: string[]): Table => ({
    rowCount: cells.length,
    columns: [{ name: 'notes', type: 'string', values: cells }],
  });

  it('finds a phone by its digits however they are grouped', () => {
    expect(scanForLeaks(index, out(['call 1-415-555-0132 today']), { key: KEY }).total).toBe(1);
  });

  it('does not take a fake digit run for the digits of a sample IP address, but still finds the address', () => {
    expect(scanForLeaks(index, out(['ref 1012-345-67']), { key: KEY }).total).toBe(0);
    expect(scanForLeaks(index, out(['from 10.123.45.67 at noon']), { key: KEY }).total).toBe(1);
  });
});
