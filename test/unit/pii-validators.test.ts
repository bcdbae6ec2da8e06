import { isIP } from 'node:net';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  IBAN_LENGTHS,
  isValidCreditCard,
  isValidEmail,
  isValidIban,
  isValidIpAddress,
  isValidIpv4,
  isValidIpv6,
  isValidPhone,
  isValidSsn,
  luhnCheck,
} from '../../core/pii/index.js';

/** The digit that makes `body` + digit pass Luhn. */
function luhnCheckDigit(body: string): string {
  for (let d = 0; d <= 9; d++) if (luhnCheck(body + d)) return String(d);
  throw new Error('unreachable: exactly one check digit exists');
}

describe('Luhn and card numbers', () => {
  it('accepts well-known test card numbers in plain, spaced and dashed forms', () => {
    expect(isValidCreditCard('4111111111111111')).toBe(true);
    expect(isValidCreditCard('4111 1111 1111 1111')).toBe(true);
    expect(isValidCreditCard('4111-1111-1111-1111')).toBe(true);
    expect(isValidCreditCard('378282246310005')).toBe(true); // Amex, 15 digits
    expect(isValidCreditCard('6011111111111117')).toBe(true);
    expect(isValidCreditCard('4222222222222')).toBe(true); // 13 digits
  });

  it('rejects wrong checksums, wrong lengths and stray characters', () => {
    expect(isValidCreditCard('4111111111111112')).toBe(false);
    const twelve = '41111111111' + luhnCheckDigit('41111111111');
    expect(luhnCheck(twelve)).toBe(true);
    expect(isValidCreditCard(twelve)).toBe(false); // Luhn-valid, but 12 digits
    expect(isValidCreditCard('41111111111111111113')).toBe(false); // 20 digits
    expect(isValidCreditCard('4111 1111 1111 111a')).toBe(false);
    expect(isValidCreditCard('4111  1111 1111 1111')).toBe(false); // double separator
    expect(isValidCreditCard('')).toBe(false);
  });

  it('validates every Luhn-completed number of 13–19 digits, and no single-digit change of one', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 12, maxLength: 18 }),
        fc.nat(),
        fc.integer({ min: 1, max: 9 }),
        (digits, position, delta) => {
          const body = digits.join('');
          const card = body + luhnCheckDigit(body);
          expect(isValidCreditCard(card)).toBe(true);
          const at = position % card.length;
          const changed = (Number(card[at]) + delta) % 10;
          const typo = card.slice(0, at) + changed + card.slice(at + 1);
          expect(luhnCheck(typo)).toBe(false);
          expect(isValidCreditCard(typo)).toBe(false);
        },
      ),
    );
  });
});

describe('US social security numbers', () => {
  it('accepts AAA-GG-SSSS within the SSA rules', () => {
    expect(isValidSsn('123-45-6789')).toBe(true);
    expect(isValidSsn('001-01-0001')).toBe(true);
    expect(isValidSsn('665-99-9999')).toBe(true);
    expect(isValidSsn('899-12-3456')).toBe(true);
    expect(isValidSsn('123 45 6789')).toBe(true);
  });

  it('rejects area 000, 666 and 900–999, group 00 and serial 0000', () => {
    for (const bad of [
      '000-12-3456',
      '666-12-3456',
      '900-12-3456',
      '999-12-3456',
      '123-00-4567',
      '123-45-0000',
    ]) {
      expect(isValidSsn(bad), bad).toBe(false);
    }
  });

  it('rejects malformed input and bare digits unless asked', () => {
    for (const bad of ['123-45-678', '1234-5-6789', '123-456789', '123-45 6789', 'abc-de-fghi', '']) {
      expect(isValidSsn(bad), bad).toBe(false);
    }
    expect(isValidSsn('123456789')).toBe(false);
    expect(isValidSsn('123456789', { allowUndashed: true })).toBe(true);
    expect(isValidSsn('666456789', { allowUndashed: true })).toBe(false);
  });
});

describe('IBAN', () => {
  // Examples from the SWIFT IBAN registry and ISO 13616.
  const valid = [
    'GB82 WEST 1234 5698 7654 32',
    'GB82WEST12345698765432',
    'DE89 3704 0044 0532 0130 00',
    'FR14 2004 1010 0505 0001 3M02 606',
    'NL91 ABNA 0417 1643 00',
    'BE68 5390 0754 7034',
    'CH93 0076 2011 6238 5295 7',
    'NO93 8601 1117 947',
    'MT84 MALT 0110 0001 2345 MTLC AST0 01S',
    'SA03 8000 0000 6080 1016 7519',
    'IT60 X054 2811 1010 0000 0123 456',
    'ES91 2100 0418 4502 0005 1332',
    'gb82 west 1234 5698 7654 32',
  ];
  it.each(valid)('accepts %s', (iban) => expect(isValidIban(iban)).toBe(true));

  it('rejects bad check digits, wrong lengths and unknown countries', () => {
    expect(isValidIban('GB82 WEST 1234 5698 7654 33')).toBe(false);
    expect(isValidIban('GB83 WEST 1234 5698 7654 32')).toBe(false);
    expect(isValidIban('GB82 WEST 1234 5698 7654 3')).toBe(false);
    expect(isValidIban('GB82 WEST 1234 5698 7654 320')).toBe(false);
    expect(isValidIban('XX82 WEST 1234 5698 7654 32')).toBe(false);
    expect(isValidIban('DE89-3704-0044-0532-0130-00')).toBe(false);
    expect(isValidIban('')).toBe(false);
  });

  it('accepts generated IBANs of every registered country, and detects a changed digit', () => {
    const countries = Object.keys(IBAN_LENGTHS);
    fc.assert(
      fc.property(
        fc.constantFrom(...countries),
        fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 40, maxLength: 40 }),
        fc.nat(),
        fc.integer({ min: 1, max: 9 }),
        (country, digits, position, delta) => {
          const bban = digits.slice(0, (IBAN_LENGTHS[country] as number) - 4).join('');
          const numeric = (bban + country + '00').replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55));
          const check = 98 - Number(BigInt(numeric) % 97n);
          const iban = `${country}${String(check).padStart(2, '0')}${bban}`;
          expect(isValidIban(iban)).toBe(true);
          const at = 4 + (position % bban.length);
          const typo = iban.slice(0, at) + ((Number(iban[at]) + delta) % 10) + iban.slice(at + 1);
          expect(isValidIban(typo)).toBe(false);
        },
      ),
    );
  });
});

describe('IP addresses', () => {
  it('IPv4 edge cases', () => {
    for (const ok of ['0.0.0.0', '255.255.255.255', '192.168.1.1', '10.0.0.255'])
      expect(isValidIpv4(ok), ok).toBe(true);
    for (const bad of [
      '256.1.1.1',
      '1.2.3',
      '1.2.3.4.5',
      '01.2.3.4',
      '1.2.3.-1',
      '1..2.3',
      '',
      ' 1.2.3.4',
      '1.2.3.4 ',
      'a.b.c.d',
    ]) {
      expect(isValidIpv4(bad), bad).toBe(false);
    }
  });

  it('IPv6 edge cases', () => {
    const ok = [
      '::',
      '::1',
      '2001:db8::1',
      '2001:DB8:0:0:8:800:200C:417A',
      '1:2:3:4:5:6:7:8',
      '1:2:3:4:5:6:7::',
      '::2:3:4:5:6:7:8',
      'fe80::1%eth0',
      '::ffff:192.0.2.128',
      '::1.2.3.4',
      '1:2:3:4:5:6:1.2.3.4',
    ];
    for (const a of ok) expect(isValidIpv6(a), a).toBe(true);
    const bad = [
      '1:2:3:4:5:6:7:8:9',
      '1:2:3:4:5:6:7',
      '1::2::3',
      '12345::',
      ':::',
      ':1::',
      '1::2:',
      'g::1',
      '::ffff:256.1.1.1',
      '::ffff:01.2.3.4',
      '1:2:3:4:5:6:7:1.2.3.4',
      'fe80::1%',
      '1.2.3.4',
      '',
    ];
    for (const a of bad) expect(isValidIpv6(a), a).toBe(false);
  });

  it('agrees with node:net on generated addresses and on near-misses', () => {
    const hextet = fc.stringMatching(/^[0-9a-fA-F]{1,5}$/);
    const v6ish = fc
      .tuple(
        fc.array(hextet, { maxLength: 9 }),
        fc.boolean(),
        fc.nat(9),
        fc.option(fc.ipV4(), { nil: undefined }),
      )
      .map(([groups, compress, at, v4]) => {
        const parts = [...groups];
        if (compress) parts.splice(Math.min(at, parts.length), 0, '');
        let text = parts.join(':');
        if (compress && (text.startsWith(':') || text === '')) text = `:${text}`;
        if (compress && text.endsWith(':')) text = `${text}:`;
        return v4 === undefined ? text : `${text}:${v4}`;
      });
    const candidates = fc.oneof(fc.ipV4(), fc.ipV6(), v6ish, fc.stringMatching(/^[0-9.:a-f]{0,20}$/));
    fc.assert(
      fc.property(candidates, (text) => {
        expect(isValidIpAddress(text)).toBe(isIP(text) !== 0);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('email', () => {
  it('accepts ordinary addresses', () => {
    for (const ok of [
      'jane.doe@example.com',
      'a+tag@sub.example.co.uk',
      "o'brien@example.ie",
      'x@xn--80ak6aa92e.com',
      'A_B-c@Example.ORG',
    ]) {
      expect(isValidEmail(ok), ok).toBe(true);
    }
  });
  it('rejects malformed ones', () => {
    for (const bad of [
      'plainaddress',
      'a@b',
      'a@@b.com',
      '.a@b.com',
      'a.@b.com',
      'a..b@c.com',
      'a@-b.com',
      'a@b.c',
      'a b@c.com',
      '@b.com',
      'a@b..com',
      '',
    ]) {
      expect(isValidEmail(bad), bad).toBe(false);
    }
  });
});

describe('phone', () => {
  it('accepts valid US numbers in national formats, with extensions, and international numbers', () => {
    for (const ok of [
      '(202) 456-1111',
      '202-456-1111',
      '202.456.1111',
      '+1 202 456 1111',
      '12024561111',
      '202-456-1111 x123',
      '+44 20 7946 0958',
      '+49 30 901820',
    ]) {
      expect(isValidPhone(ok), ok).toBe(true);
    }
  });
  it('rejects numbers that are impossible for their region, and things that are not phone numbers', () => {
    for (const bad of [
      '123',
      '000-000-0000',
      '(111) 456-1111',
      '+44 20 7946',
      'call 202-456-1111',
      '2023-01-05',
      '4111 1111 1111 1111',
      '123-45-6789',
      '',
    ]) {
      expect(isValidPhone(bad), bad).toBe(false);
    }
  });
  it('reads national numbers in the given region', () => {
    expect(isValidPhone('030 901820', 'DE')).toBe(true);
    expect(isValidPhone('030 901820', 'US')).toBe(false);
  });
});
