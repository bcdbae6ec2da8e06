import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isValidIban, isValidSsn } from '../../core/pii/index.js';
import type { PiiKind } from '../../core/pii/index.js';
import { createRng } from '../../core/random/index.js';
import { formatIsoDate, formatIsoTimestamp, parseDatetimeMs } from '../../core/synth/datetime-codec.js';
import {
  createFakeGenerator,
  ibanCheckDigits,
  isIbanValid,
  isLuhnValid,
  withLuhnCheckDigit,
} from '../../core/synth/fake-values.js';
import { createIdentifierGenerator } from '../../core/synth/identifiers.js';
import { createPermutation } from '../../core/synth/keyed-permutation.js';
import { createLengthSampler, groupWords, loremOfLength } from '../../core/synth/lorem.js';
import type { FakeColumnModel, IdentifierColumnModel, LengthStats } from '../../core/synth/model.js';
import { compilePattern, fillPattern } from '../../core/synth/pattern-fill.js';

function fakes(piiKind: PiiKind, n: number, extra: Partial<FakeColumnModel> = {}, seed = 1): string[] {
  const generate = createFakeGenerator({
    name: 'c',
    physicalType: 'string',
    nullRate: 0,
    kind: 'fake',
    piiKind,
    pattern: null,
    length: null,
    dateRange: null,
    dateFormat: 'date',
    ...extra,
  });
  const rng = createRng(seed);
  return Array.from({ length: n }, () => generate(rng));
}

describe('card numbers', () => {
  it('computes the Luhn check digit (known numbers)', () => {
    expect(withLuhnCheckDigit('7992739871')).toBe('79927398713');
    expect(isLuhnValid('4111 1111 1111 1111')).toBe(true);
    expect(isLuhnValid('4111 1111 1111 1112')).toBe(false);
  });

  it('are Luhn-valid for every seed, with a plausible brand prefix and length', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), (seed) => {
        for (const card of fakes('credit_card', 20, {}, seed)) {
          expect(card).toMatch(/^(4|5[1-5]|6011)\d+$/);
          expect(card).toHaveLength(16);
          expect(isLuhnValid(card)).toBe(true);
        }
      }),
      { numRuns: 50 },
    );
  });

  it('follow a profiled layout, including 15-digit Amex numbers', () => {
    for (const card of fakes('credit_card', 200, { pattern: '9999-9999-9999-9999' })) {
      expect(card).toMatch(/^\d{4}-\d{4}-\d{4}-\d{4}$/);
      expect(isLuhnValid(card)).toBe(true);
    }
    for (const card of fakes('credit_card', 200, { pattern: '9999 999999 99999' })) {
      expect(card).toMatch(/^3[47]\d{2} \d{6} \d{5}$/);
      expect(isLuhnValid(card)).toBe(true);
    }
  });
});

describe('IBANs', () => {
  it('compute ISO 13616 check digits (known IBAN)', () => {
    expect(ibanCheckDigits('GB', 'WEST12345698765432')).toBe('82');
    expect(isIbanValid('GB82 WEST 1234 5698 7654 32')).toBe(true);
    expect(isIbanValid('GB83WEST12345698765432')).toBe(false);
  });

  it('pass the mod-97 check, also by the PII classifier’s own validator', () => {
    for (const iban of fakes('iban', 500)) {
      expect(isIbanValid(iban)).toBe(true);
      expect(isValidIban(iban)).toBe(true);
    }
  });
});

describe('other kinds', () => {
  it('SSNs have the issued format (no area 000, 666 or 9xx; no group 00; no serial 0000)', () => {
    for (const ssn of fakes('ssn', 2000)) {
      expect(ssn).toMatch(/^\d{3}-\d{2}-\d{4}$/);
      const [area, group, serial] = ssn.split('-').map(Number) as [number, number, number];
      expect(area >= 1 && area <= 899 && area !== 666).toBe(true);
      expect(group).toBeGreaterThan(0);
      expect(serial).toBeGreaterThan(0);
      expect(isValidSsn(ssn)).toBe(true);
    }
    for (const ssn of fakes('ssn', 50, { pattern: '999999999' })) expect(ssn).toMatch(/^\d{9}$/);
  });

  it('emails are lower-case, ASCII and well-formed', () => {
    const emails = fakes('email', 2000);
    for (const e of emails) expect(e).toMatch(/^[a-z0-9._]+@[a-z0-9-]+(\.[a-z0-9-]+)*\.[a-z]{2,}$/);
    expect(new Set(emails).size).toBeGreaterThan(1900);
  });

  it('phones follow the profiled layout without leading zeros in groups', () => {
    for (const p of fakes('phone', 500, { pattern: '(999) 999-9999' }))
      expect(p).toMatch(/^\([1-9]\d{2}\) [1-9]\d{2}-[1-9]\d{3}$/);
    for (const p of fakes('phone', 500)) expect(p.replace(/\D/g, '').length).toBeGreaterThanOrEqual(10);
  });

  it('postal codes follow the profiled shape', () => {
    for (const p of fakes('postal_code', 300, { pattern: 'A9A 9A9' }))
      expect(p).toMatch(/^[A-Z]\d[A-Z] \d[A-Z]\d$/);
    for (const p of fakes('postal_code', 300)) expect(p).toMatch(/^\d{5}$/);
  });

  it('IP addresses are valid IPv4 (or IPv6 when the profile says so)', () => {
    for (const ip of fakes('ip_address', 500)) {
      const octets = ip.split('.').map(Number);
      expect(octets).toHaveLength(4);
      for (const o of octets) expect(o >= 0 && o <= 255).toBe(true);
    }
    for (const ip of fakes('ip_address', 50, { pattern: '9999:9A9:...' }))
      expect(ip).toMatch(/^[0-9a-f]{1,4}(:[0-9a-f]{1,4}){7}$/);
  });

  it('names, streets and cities are non-empty words', () => {
    for (const kind of ['first_name', 'last_name', 'person_name', 'city', 'street_address'] as const) {
      for (const v of fakes(kind, 300)) expect(v).toMatch(/^[A-Za-z0-9][A-Za-z0-9 .'-]*$/);
    }
    for (const v of fakes('street_address', 300)) expect(v).toMatch(/^[1-9]\d{2,4} \S/);
  });

  it('dates of birth fall in the profiled range, or in a default adult range', () => {
    const range = { minMs: parseDatetimeMs('1960-03-05'), maxMs: parseDatetimeMs('1960-03-09') };
    const dates = new Set(fakes('date_of_birth', 500, { dateRange: range }));
    expect([...dates].sort()).toEqual(['1960-03-05', '1960-03-06', '1960-03-07', '1960-03-08', '1960-03-09']);
    for (const d of fakes('date_of_birth', 500)) expect(d >= '1940-01-01' && d <= '2006-12-31').toBe(true);
    for (const t of fakes('date_of_birth', 50, { dateFormat: 'timestamp' }))
      expect(new Date(t).toISOString()).toBe(t);
  });

  it('free text has the profiled lengths', () => {
    const stats: LengthStats = { min: 12, max: 200, mean: 60 };
    const texts = fakes('free_text', 5000, { length: stats });
    const lengths = texts.map((t) => t.length);
    expect(Math.min(...lengths)).toBeGreaterThanOrEqual(12);
    expect(Math.max(...lengths)).toBeLessThanOrEqual(200);
    expect(lengths.reduce((a, b) => a + b, 0) / lengths.length).toBeGreaterThan(55);
    expect(lengths.reduce((a, b) => a + b, 0) / lengths.length).toBeLessThan(65);
    for (const t of texts) expect(t).toMatch(/^[A-Z][a-z]*( [A-Za-z]+|\. [A-Z][a-z]*)*\.$/);
  });

  it('codes without a known kind follow the pattern, or have the profiled length', () => {
    for (const v of fakes('none', 200, { pattern: 'AB-99' })) expect(v).toMatch(/^[A-Z]B-\d\d$/);
    for (const v of fakes('identifier', 200, { length: { min: 6, max: 6, mean: 6 } }))
      expect(v).toMatch(/^[A-Z0-9]{6}$/);
  });
});

describe('lorem', () => {
  const words = groupWords(['a', 'to', 'ipsum', 'lorem', 'dolorem', 'consectetur']);

  it('hits every requested length exactly', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 400 }), fc.nat(), (length, seed) => {
        expect(loremOfLength(words, length, createRng(seed))).toHaveLength(length);
      }),
    );
  });

  it('samples lengths with the profiled min, max and mean', () => {
    const sample = createLengthSampler({ min: 3, max: 103, mean: 23 });
    const rng = createRng(8);
    const lengths = Array.from({ length: 20_000 }, () => sample(rng));
    expect(Math.min(...lengths)).toBe(3);
    expect(Math.max(...lengths)).toBeLessThanOrEqual(103);
    expect(lengths.reduce((a, b) => a + b, 0) / lengths.length).toBeCloseTo(23, 0);
  });
});

describe('pattern fill', () => {
  it('draws digits and letters into the pattern’s slots', () => {
    const p = compilePattern('XY-99999-AAA/9');
    const rng = createRng(3);
    for (let i = 0; i < 200; i++) expect(fillPattern(p, rng)).toMatch(/^XY-\d{5}-[A-Z]{3}\/\d$/);
  });
});

describe('identifier keys', () => {
  const model = (
    pattern: string | null,
    physicalType: 'string' | 'integer' = 'string',
    length: LengthStats | null = null,
  ): IdentifierColumnModel => ({
    name: 'id',
    physicalType,
    nullRate: 0,
    kind: 'identifier',
    pattern,
    offset: 1,
    length,
    letterCase: 'upper',
    piiKind: null,
  });

  it('fill a counter into the last digit run of the pattern', () => {
    const key = createIdentifierGenerator(model('CUST-999999'), 1);
    expect([key(1), key(42), key(999_999), key(1_000_000)]).toEqual([
      'CUST-000001',
      'CUST-000042',
      'CUST-999999',
      'CUST-1000000',
    ]);
  });

  it.each(['AA-9999-AA', '9A9A-99', 'AAA', 'X-9', 'K9-AA', '999-99-9999'])(
    'are unique for distinct row numbers with pattern %s',
    (pattern) => {
      const key = createIdentifierGenerator(model(pattern), 77);
      fc.assert(
        fc.property(fc.nat({ max: 2 ** 40 }), fc.nat({ max: 2 ** 40 }), (a, b) => {
          fc.pre(a !== b);
          expect(key(a)).not.toBe(key(b));
        }),
      );
      const seen = new Set(Array.from({ length: 20_000 }, (_, i) => key(i)));
      expect(seen.size).toBe(20_000);
    },
  );

  it('are numbers for numeric columns and UUID-shaped for 36-character keys', () => {
    expect(createIdentifierGenerator(model(null, 'integer'), 0)(123)).toBe(123);
    const uuidModel = model(null, 'string', { min: 36, max: 36, mean: 36 });
    const uuid = createIdentifierGenerator({ ...uuidModel, letterCase: 'lower' }, 5);
    const keys = Array.from({ length: 5000 }, (_, i) => uuid(i) as string);
    for (const k of keys)
      expect(k).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set(keys).size).toBe(5000);
    // Upper-case sources get upper-case UUIDs, the same ones.
    const upper = createIdentifierGenerator(uuidModel, 5);
    expect(upper(77)).toBe((uuid(77) as string).toUpperCase());
    expect(createIdentifierGenerator(model(null, 'string', { min: 5, max: 8, mean: 6 }), 0)(42)).toBe(
      '00042',
    );
  });
});

describe('datetime codec', () => {
  it('formats like Date#toISOString', () => {
    fc.assert(
      fc.property(fc.integer({ min: -62_135_596_800_000, max: 253_402_300_799_999 }), (ms) => {
        expect(formatIsoTimestamp(ms)).toBe(new Date(ms).toISOString());
        expect(formatIsoDate(ms)).toBe(new Date(ms).toISOString().slice(0, 10));
      }),
    );
  });

  it('parses ISO dates and timestamps as UTC, with offsets', () => {
    expect(parseDatetimeMs('2024-03-07')).toBe(Date.UTC(2024, 2, 7));
    expect(parseDatetimeMs('2024-03-07 13:45')).toBe(Date.UTC(2024, 2, 7, 13, 45));
    expect(parseDatetimeMs('2024-03-07T13:45:10.5+02:00')).toBe(Date.UTC(2024, 2, 7, 11, 45, 10, 500));
    expect(parseDatetimeMs('07/03/2024')).toBeNaN();
    expect(parseDatetimeMs(null)).toBeNaN();
  });
});

describe('keyed permutation', () => {
  it('is a bijection of [0, n)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3000 }), fc.nat(), (n, key) => {
        const perm = createPermutation(n, key);
        const seen = new Set<number>();
        for (let x = 0; x < n; x++) {
          const y = perm(x);
          expect(Number.isInteger(y) && y >= 0 && y < n).toBe(true);
          seen.add(y);
        }
        expect(seen.size).toBe(n);
      }),
      { numRuns: 30 },
    );
  });

  it('stays in range for the largest domains and depends on the key', () => {
    const n = 2 ** 50 - 3;
    const perm = createPermutation(n, 1);
    for (const x of [0, 1, 2 ** 40, n - 1]) expect(perm(x)).toBeLessThan(n);
    expect(perm(12345)).not.toBe(createPermutation(n, 2)(12345));
    expect(() => createPermutation(2 ** 51, 1)).toThrow(RangeError);
  });
});

describe('unique fakes for sensitive key columns', () => {
  const key = (piiKind: PiiKind, pattern: string | null) =>
    createIdentifierGenerator(
      {
        name: 'k',
        physicalType: 'string',
        nullRate: 0,
        kind: 'identifier',
        letterCase: 'upper',
        pattern,
        offset: 1,
        length: null,
        piiKind,
      },
      99,
    );
  const many = (g: (n: number) => string | number, count = 30_000) =>
    Array.from({ length: count }, (_, i) => String(g(i + 1)));

  it('phones are unique, follow the profiled layout and do not count up', () => {
    const phones = many(key('phone', '(999) 999-9999'));
    expect(new Set(phones).size).toBe(phones.length);
    for (const p of phones) expect(p).toMatch(/^\([1-9]\d{2}\) [1-9]\d{2}-[1-9]\d{3}$/);
    // Sequential keys would share the area and exchange code with their neighbour almost always.
    let sameArea = 0;
    for (let i = 1; i < phones.length; i++)
      if (phones[i]?.slice(0, 9) === phones[i - 1]?.slice(0, 9)) sameArea++;
    expect(sameArea / phones.length).toBeLessThan(0.01);
  });

  it('SSNs are unique and issued-format', () => {
    const ssns = many(key('ssn', '999-99-9999'));
    expect(new Set(ssns).size).toBe(ssns.length);
    for (const s of ssns.slice(0, 3000)) expect(isValidSsn(s)).toBe(true);
  });

  it('card numbers are unique and Luhn-valid', () => {
    const cards = many(key('credit_card', '9999 9999 9999 9999'));
    expect(new Set(cards).size).toBe(cards.length);
    for (const c of cards) {
      expect(c).toMatch(/^4\d{3} \d{4} \d{4} \d{4}$/);
      expect(isLuhnValid(c)).toBe(true);
    }
  });

  it('emails are unique and well-formed', () => {
    const emails = many(key('email', null));
    expect(new Set(emails).size).toBe(emails.length);
    for (const e of emails) expect(e).toMatch(/^[a-z]+\.[a-z]+\d+@[a-z.]+$/);
  });

  it('other kinds with a pattern are unique in that pattern; without one they count up', () => {
    const codes = many(key('postal_code', 'A9A 9A9'));
    expect(new Set(codes).size).toBe(codes.length);
    for (const c of codes) expect(c).toMatch(/^[A-Z]\d[A-Z] \d[A-Z]\d$/);
    expect(key('person_name', null)(7)).toBe('7');
  });
});
