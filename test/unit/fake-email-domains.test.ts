import { describe, expect, it } from 'vitest';
import { malformedValue } from '../../core/edge-cases/edge-values.js';
import { isValidEmail } from '../../core/pii/index.js';
import { createRng } from '../../core/random/index.js';
import { applyReplacements, isExampleDomain, type ReplacementPlan } from '../../core/replace/index.js';
import { createSeededFaker, FAKER_ALIASES } from '../../core/schema-gen/faker-provider.js';
import { createFakeGenerator } from '../../core/synth/fake-values.js';
import { createIdentifierGenerator } from '../../core/synth/identifiers.js';
import type { Table } from '../../core/table.js';

/** Fake addresses may be mailed by the systems under test: their domains must be reserved examples. */
const domainOf = (email: string) => email.slice(email.lastIndexOf('@') + 1);

describe('fake email domains are reserved example domains', () => {
  it('knows the reserved names and their subdomains, and nothing else', () => {
    for (const d of [
      'example.com',
      'EXAMPLE.org',
      'example.net',
      'mail.example.com',
      'mueller.example.net',
    ]) {
      expect(isExampleDomain(d)).toBe(true);
    }
    for (const d of [
      'gmail.com',
      'hotmail.com',
      'yahoo.com',
      'example.de',
      'notexample.com',
      'example.com.evil.io',
    ]) {
      expect(isExampleDomain(d)).toBe(false);
    }
  });

  it('replacement fakes: every locale, every row, coherent with the row’s names', () => {
    const rows = 300;
    const table: Table = {
      rowCount: rows,
      columns: [
        { name: 'first_name', type: 'string', values: Array.from({ length: rows }, () => 'Anna') },
        { name: 'last_name', type: 'string', values: Array.from({ length: rows }, () => 'Smith') },
        {
          name: 'email',
          type: 'string',
          values: Array.from({ length: rows }, (_, i) => `anna.smith${i}@gmail.com`),
        },
        {
          name: 'notes',
          type: 'string',
          values: Array.from(
            { length: rows },
            (_, i) => `Write to anna.smith${i}@hotmail.com about the order.`,
          ),
        },
      ],
    };
    for (const locale of ['en_US', 'de', 'fr', 'es', 'it', 'nl', 'pl', 'pt_BR', 'sv', 'ja']) {
      const plan: ReplacementPlan = {
        first_name: { strategy: 'fake', kind: 'first_name', locale },
        last_name: { strategy: 'fake', kind: 'last_name', locale },
        email: { strategy: 'fake', kind: 'email', locale },
        notes: { strategy: 'scrub_text', spans: 'fake' },
      };
      const out = applyReplacements(table, plan, { seed: 5, startRow: 0, keys: {} }).table;
      const emails = out.columns.find((c) => c.name === 'email')?.values ?? [];
      expect(emails.length).toBe(rows);
      const domains = new Set<string>();
      const fold = (x: unknown) =>
        String(x)
          .normalize('NFKD')
          .toLowerCase()
          .replace(/ß/g, 'ss')
          .replace(/[^a-z]/g, '');
      const firsts = out.columns.find((c) => c.name === 'first_name')?.values ?? [];
      const lasts = out.columns.find((c) => c.name === 'last_name')?.values ?? [];
      emails.forEach((e, i) => {
        const local = String(e).split('@')[0] as string;
        // Scripts without Latin letters fold to nothing; the fallback local part is then generic.
        if (fold(firsts[i]) !== '') expect(local).toContain(fold(firsts[i]));
        if (fold(lasts[i]) !== '') expect(local).toContain(fold(lasts[i]));
      });
      for (const e of emails) {
        expect(isValidEmail(e as string)).toBe(true);
        expect(isExampleDomain(domainOf(e as string))).toBe(true);
        domains.add(domainOf(e as string));
      }
      // Personal-looking and company-looking addresses both occur.
      expect(domains.size).toBeGreaterThan(5);
      for (const note of out.columns.find((c) => c.name === 'notes')?.values ?? []) {
        for (const m of String(note).matchAll(/@([a-z0-9.-]+\.[a-z]+)/gi))
          expect(isExampleDomain(m[1] as string)).toBe(true);
      }
    }
  });

  it('replacement fakes are deterministic for a seed', () => {
    const table: Table = {
      rowCount: 50,
      columns: [
        { name: 'email', type: 'string', values: Array.from({ length: 50 }, (_, i) => `x${i}@yahoo.com`) },
      ],
    };
    const plan: ReplacementPlan = { email: { strategy: 'fake', kind: 'email' } };
    const a = applyReplacements(table, plan, { seed: 9, startRow: 0, keys: {} }).table;
    const b = applyReplacements(table, plan, { seed: 9, startRow: 0, keys: {} }).table;
    expect(a).toEqual(b);
  });

  it('synthesizer fakes and unique fakes', () => {
    const generate = createFakeGenerator({
      name: 'email',
      physicalType: 'string',
      nullRate: 0,
      kind: 'fake',
      piiKind: 'email',
      pattern: null,
      length: null,
      dateRange: null,
      dateFormat: 'date',
    });
    const rng = createRng(3);
    for (let i = 0; i < 3000; i++) expect(isExampleDomain(domainOf(generate(rng)))).toBe(true);
    const unique = createIdentifierGenerator(
      {
        name: 'k',
        physicalType: 'string',
        nullRate: 0,
        kind: 'identifier',
        letterCase: 'lower',
        pattern: null,
        offset: 1,
        length: null,
        piiKind: 'email',
      },
      7,
    );
    for (let n = 0; n < 3000; n++) expect(isExampleDomain(domainOf(String(unique(n))))).toBe(true);
  });

  it('schema-driven generation (faker alias `email`)', () => {
    for (const locale of ['en', 'de', 'fr', 'ja']) {
      const faker = createSeededFaker(locale, '2025-01-01T00:00:00Z');
      faker.use(createRng(1));
      const email = faker.method(FAKER_ALIASES.email as string);
      expect(email).not.toBeNull();
      for (let i = 0; i < 300; i++) expect(isExampleDomain(domainOf(String(email?.())))).toBe(true);
    }
  });

  it('malformed edge-case emails name no real domain', () => {
    const rng = createRng(4);
    for (let i = 0; i < 2000; i++) {
      const v = String(malformedValue('email', undefined, rng).value);
      expect(isValidEmail(v)).toBe(false);
      for (const m of v.matchAll(/@+([a-z0-9.-]*\.[a-z]+)\.?$/gi))
        expect(isExampleDomain(m[1] as string)).toBe(true);
    }
  });
});
