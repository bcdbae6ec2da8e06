import fc from 'fast-check';
import { isValidPhoneNumber, parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { describe, expect, it } from 'vitest';
import { isValidCreditCard, isValidIban, isValidSsn, luhnCheck } from '../../core/pii/index.js';
import { createRng } from '../../core/random/index.js';
import {
  bandOf,
  findTextSpans,
  formatPreservingCard,
  formatPreservingIban,
  formatPreservingSsn,
  formatPreservingValue,
  ibanCheckDigits,
  issuerPrefixLength,
  luhnCheckDigit,
  maskValue,
  prefixOf,
  pseudonymizeInteger,
  pseudonymizeString,
  roundDown,
  shapePreserving,
  truncateDate,
} from '../../core/replace/index.js';

const digits = (n: number) =>
  fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n }).map((d) => d.join(''));
const cardArb = fc
  .tuple(
    fc.constantFrom('4', '51', '55', '34', '37', '6011', '2221', '3530', '65'),
    fc.integer({ min: 13, max: 19 }),
    fc.nat(),
  )
  .chain(([prefix, length, seed]) =>
    digits(length - prefix.length - 1).map((body) => {
      const payload = prefix + body;
      const plain = payload + luhnCheckDigit(payload);
      // Some cards are written in groups of four, some with dashes, some plain.
      const layout = seed % 3;
      return layout === 0 ? plain : plain.replace(/(\d{4})(?=\d)/g, layout === 1 ? '$1 ' : '$1-');
    }),
  );
const seedArb = fc.integer({ min: 0, max: 0xffffffff });

describe('format-preserving values', () => {
  it('card numbers stay Luhn-valid with the same layout, length and issuer prefix', () => {
    fc.assert(
      fc.property(cardArb, seedArb, (card, seed) => {
        const out = formatPreservingCard(card, createRng(seed));
        expect(out.replace(/\d/g, '9')).toBe(card.replace(/\d/g, '9'));
        expect(isValidCreditCard(out)).toBe(true);
        const d = card.replace(/\D/g, '');
        const keep = issuerPrefixLength(d);
        expect(out.replace(/\D/g, '').slice(0, keep)).toBe(d.slice(0, keep));
      }),
    );
  });

  it('IBANs keep country, length and spacing and pass mod-97', () => {
    const ibanArb = fc
      .tuple(
        fc.constantFrom(['DE', 18], ['FR', 23], ['NL', 14], ['AT', 16], ['GB', 18]),
        seedArb,
        fc.boolean(),
      )
      .map(([[country, bbanLength], seed, spaced]) => {
        const rng = createRng(seed);
        let bban = '';
        for (let i = 0; i < (bbanLength as number); i++) bban += String(rng.nextInt(10));
        const iban = `${country}${ibanCheckDigits(country as string, bban)}${bban}`;
        return spaced ? iban.replace(/(.{4})(?=.)/g, '$1 ') : iban;
      });
    fc.assert(
      fc.property(ibanArb, seedArb, (iban, seed) => {
        expect(isValidIban(iban)).toBe(true);
        const out = formatPreservingIban(iban, createRng(seed));
        expect(isValidIban(out)).toBe(true);
        expect(out.slice(0, 2)).toBe(iban.slice(0, 2));
        expect(out.length).toBe(iban.length);
        expect(out.replace(/\S/g, 'x')).toBe(iban.replace(/\S/g, 'x'));
      }),
    );
  });

  it('SSNs follow the SSA rules and keep their layout', () => {
    fc.assert(
      fc.property(fc.constantFrom('123-45-6789', '078 05 1120', '219099999'), seedArb, (ssn, seed) => {
        const out = formatPreservingSsn(ssn, createRng(seed));
        expect(out.replace(/\d/g, '9')).toBe(ssn.replace(/\d/g, '9'));
        expect(isValidSsn(out, { allowUndashed: true }) || isValidSsn(out.replace(/ /g, '-'))).toBe(true);
      }),
    );
  });

  it('phone numbers stay valid for their region with the same layout', () => {
    const phones: [string, 'US' | 'DE' | 'GB' | 'FR'][] = [
      ['(212) 736-5000', 'US'],
      ['+1 415-555-2671', 'US'],
      ['030 901820', 'DE'],
      ['+49 151 23456789', 'DE'],
      ['020 7946 0958', 'GB'],
      ['01 42 68 53 00', 'FR'],
    ];
    fc.assert(
      fc.property(fc.constantFrom(...phones), seedArb, ([phone, region], seed) => {
        const out = formatPreservingValue('phone', phone, createRng(seed), region);
        expect(out.replace(/\d/g, '9')).toBe(phone.replace(/\d/g, '9'));
        expect(isValidPhoneNumber(out, region)).toBe(true);
        expect(parsePhoneNumberFromString(out, region)?.country).toBe(region);
      }),
      { numRuns: 60 },
    );
  });

  it('keeps every non-alphanumeric character and the case class of letters', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), seedArb, (s, seed) => {
        const out = shapePreserving(s, createRng(seed));
        const cls = (t: string) => t.replace(/[0-9]/g, '9').replace(/[A-Z]/g, 'A').replace(/[a-z]/g, 'a');
        expect(cls(out)).toBe(cls(s));
      }),
    );
  });
});

describe('pseudonyms', () => {
  const key = new TextEncoder().encode('test-key-one');
  const other = new TextEncoder().encode('test-key-two');

  it('are stable for the same key and differ under another key', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z]{3,10}\.[a-z]{3,10}@[a-z]{3,8}\.com$/), (email) => {
        const a = pseudonymizeString(email, key, 'email');
        expect(pseudonymizeString(email, key, 'email')).toBe(a);
        // The kind decides the format only, so a value pseudonymized in another column joins.
        expect(a).not.toBe(pseudonymizeString(email, other, 'email'));
        expect(a).toMatch(/^[a-z]+\.[a-z]+@[a-z]+\.com$/);
        expect(a.length).toBe(email.length);
      }),
    );
  });

  it('keep digits as digits, cards Luhn-valid and IBANs valid', () => {
    fc.assert(
      fc.property(cardArb, (card) => {
        const p = pseudonymizeString(card, key, 'credit_card');
        expect(p.replace(/\d/g, '9')).toBe(card.replace(/\d/g, '9'));
        expect(luhnCheck(p.replace(/\D/g, ''))).toBe(true);
      }),
    );
    const iban = 'DE89 3704 0044 0532 0130 00';
    const p = pseudonymizeString(iban, key, 'iban');
    expect(isValidIban(p)).toBe(true);
    expect(p.slice(0, 2)).toBe('DE');
    expect(p).not.toBe(iban);
  });

  it('map an integer and its decimal string to the same digits (joins across column types)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 10, max: 2 ** 40 }), (n) => {
        const asNumber = pseudonymizeInteger(n, key);
        expect(String(asNumber)).toBe(pseudonymizeString(String(n), key, 'identifier'));
        expect(String(asNumber).length).toBe(String(n).length);
      }),
    );
  });
});

describe('masking and generalization', () => {
  it('masks exactly', () => {
    expect(maskValue('4111111111111234')).toBe('************1234');
    expect(maskValue('4111 1111 1111 1234', { keepSeparators: true })).toBe('**** **** **** 1234');
    expect(maskValue('secret', { mode: 'full' })).toBe('******');
    expect(maskValue('555-123-4567', { keep: 2, char: '#' })).toBe('##########67');
    expect(maskValue('abc', { keep: 4 })).toBe('***');
    expect(maskValue('jane@example.com', { mode: 'full', keepSeparators: true })).toBe('****@*******.***');
  });

  it('generalizes exactly', () => {
    expect(bandOf(34, 10)).toBe('30-39');
    expect(bandOf(40, 5)).toBe('40-44');
    expect(bandOf(7, 1)).toBe('7');
    expect(roundDown(34_567, 1000)).toBe(34_000);
    expect(roundDown(0.37, 0.1)).toBe(0.3);
    expect(truncateDate('1986-11-08', 'month')).toBe('1986-11-01');
    expect(truncateDate('1986-11-08', 'year')).toBe('1986-01-01');
    expect(truncateDate('2024-03-15T10:20:30.000Z', 'month')).toBe('2024-03-01T00:00:00.000Z');
    expect(truncateDate('not a date', 'month')).toBeNull();
    expect(prefixOf('SW1A 1AA', 3)).toBe('SW1');
    expect(prefixOf('94110', 3)).toBe('941');
  });
});

describe('text spans', () => {
  it('finds contact details and checksummed numbers in prose, not ordinary numbers', () => {
    const text =
      'Call (212) 736-5000 or mail jane.doe@example.com; card 4111 1111 1111 1111, order 12345, IBAN DE89 3704 0044 0532 0130 00, SSN 123-45-6789.';
    const kinds = findTextSpans(text).map((s) => [s.kind, text.slice(s.start, s.end)]);
    expect(kinds).toEqual([
      ['phone', '(212) 736-5000'],
      ['email', 'jane.doe@example.com'],
      ['credit_card', '4111 1111 1111 1111'],
      ['iban', 'DE89 3704 0044 0532 0130 00'],
      ['ssn', '123-45-6789'],
    ]);
    expect(findTextSpans('order 12345 shipped on Monday, 3 items')).toEqual([]);
  });
});
