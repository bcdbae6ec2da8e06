import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  cardIssuer,
  codiceFiscaleCheck,
  dniLetter,
  isValidBsn,
  isValidCodiceFiscale,
  isValidFrenchNir,
  isValidNationalId,
  isValidPaymentCard,
  isValidSpanishDni,
  isValidSpanishNie,
  isValidSteuerId,
  isValidUkNino,
  luhnCheck,
  nationalIdScheme,
  nirKey,
  steuerIdCheckDigit,
} from '../../core/pii/index.js';

const digitString = (n: number) =>
  fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n }).map((d) => d.join(''));
const upper = (n: number) =>
  fc
    .array(fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ'), { minLength: n, maxLength: n })
    .map((d) => d.join(''));

/** Every string that differs from `value` in exactly one digit position. */
function oneDigitTypos(value: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 48 || c > 57) continue;
    for (let d = 0; d <= 9; d++) if (d !== c - 48) out.push(value.slice(0, i) + d + value.slice(i + 1));
  }
  return out;
}

describe('Spanish DNI and NIE', () => {
  it('accepts published examples and rejects a wrong letter', () => {
    expect(isValidSpanishDni('12345678Z')).toBe(true);
    expect(isValidSpanishDni('12345678-z')).toBe(true);
    expect(isValidSpanishDni('12345678A')).toBe(false);
    expect(isValidSpanishNie('X1234567L')).toBe(true);
    expect(isValidSpanishNie('Y1234567X')).toBe(true);
    expect(isValidSpanishNie('X1234567A')).toBe(false);
  });

  it('accepts every generated DNI/NIE and no single-digit typo of one', () => {
    fc.assert(
      fc.property(digitString(8), fc.integer({ min: 0, max: 2 }), digitString(7), (d8, p, d7) => {
        const dni = d8 + dniLetter(Number(d8));
        const nie = 'XYZ'[p] + d7 + dniLetter(Number(`${p}${d7}`));
        expect(isValidSpanishDni(dni)).toBe(true);
        expect(isValidSpanishNie(nie)).toBe(true);
        for (const typo of oneDigitTypos(dni)) expect(isValidSpanishDni(typo)).toBe(false);
        for (const typo of oneDigitTypos(nie)) expect(isValidSpanishNie(typo)).toBe(false);
      }),
      { numRuns: 200 },
    );
  });
});

describe('Italian codice fiscale', () => {
  it('accepts a published example and rejects a wrong check letter', () => {
    expect(isValidCodiceFiscale('RSSMRA85T10A562S')).toBe(true);
    expect(isValidCodiceFiscale('RSSMRA85T10A562T')).toBe(false);
    expect(isValidCodiceFiscale('RSSMRA85Z10A562S')).toBe(false); // Z is no month letter
  });

  it('accepts every generated code and no single-digit typo of one', () => {
    fc.assert(
      fc.property(
        upper(6),
        digitString(2),
        fc.constantFrom(...'ABCDEHLMPRST'),
        digitString(2),
        upper(1),
        digitString(3),
        (a, yy, m, dd, place, code) => {
          const body = `${a}${yy}${m}${dd}${place}${code}`;
          const cf = body + codiceFiscaleCheck(body);
          expect(isValidCodiceFiscale(cf)).toBe(true);
          for (const typo of oneDigitTypos(cf)) expect(isValidCodiceFiscale(typo)).toBe(false);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('Dutch BSN (11-proof)', () => {
  it('accepts a known valid number and rejects all zeros and wrong lengths', () => {
    expect(isValidBsn('111222333')).toBe(true);
    expect(isValidBsn('123456782')).toBe(true);
    expect(isValidBsn('123456789')).toBe(false);
    expect(isValidBsn('000000000')).toBe(false);
    expect(isValidBsn('1234567')).toBe(false);
  });

  it('accepts every completed number and no single-digit typo of one', () => {
    fc.assert(
      fc.property(digitString(8), (d8) => {
        let sum = 0;
        for (let i = 0; i < 8; i++) sum += (9 - i) * Number(d8[i]);
        const check = sum % 11;
        fc.pre(check <= 9 && !/^0+$/.test(d8));
        const bsn = d8 + check;
        expect(isValidBsn(bsn)).toBe(true);
        for (const typo of oneDigitTypos(bsn)) expect(isValidBsn(typo)).toBe(false);
      }),
      { numRuns: 300 },
    );
  });
});

describe('French NIR', () => {
  it('accepts the published example with and without spaces, and Corsican départements', () => {
    expect(isValidFrenchNir('255081416802538')).toBe(true);
    expect(isValidFrenchNir('2 55 08 14 168 025 38')).toBe(true);
    expect(isValidFrenchNir('255081416802539')).toBe(false);
    const corsica = '2550820168025';
    expect(
      isValidFrenchNir(
        `${corsica.slice(0, 5)}2A${corsica.slice(7)}${nirKey(`${corsica.slice(0, 5)}2A${corsica.slice(7)}`)}`,
      ),
    ).toBe(true);
  });

  it('accepts every keyed number and no single-digit typo of one', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('1', '2'),
        digitString(2),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 95 }),
        digitString(6),
        (sex, yy, mm, dept, rest) => {
          const body = `${sex}${yy}${String(mm).padStart(2, '0')}${String(dept).padStart(2, '0')}${rest}`;
          const nir = body + nirKey(body);
          expect(isValidFrenchNir(nir)).toBe(true);
          for (const typo of oneDigitTypos(nir)) expect(isValidFrenchNir(typo)).toBe(false);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('German Steuer-ID', () => {
  it('accepts a published example and rejects a wrong check digit or digit pattern', () => {
    expect(isValidSteuerId('86095742719')).toBe(true);
    expect(isValidSteuerId('86095742718')).toBe(false);
    expect(isValidSteuerId('01234567890')).toBe(false); // leading zero
    expect(isValidSteuerId('12345678903')).toBe(false); // no repeated digit
  });

  it('accepts every generated number and no single-digit typo of one', () => {
    const tenDigits = fc
      .tuple(
        fc.shuffledSubarray([...'0123456789'], { minLength: 10, maxLength: 10 }),
        fc.integer({ min: 0, max: 9 }),
        fc.integer({ min: 0, max: 9 }),
      )
      .map(([perm, drop, dup]) => {
        const digits = [...perm];
        const keep = digits[dup === drop ? (dup + 1) % 10 : dup] as string;
        digits[drop] = keep;
        return digits.join('');
      })
      .filter((ten) => !ten.startsWith('0'));
    fc.assert(
      fc.property(tenDigits, (ten) => {
        const id = ten + steuerIdCheckDigit(ten);
        expect(isValidSteuerId(id)).toBe(true);
        for (const typo of oneDigitTypos(id)) expect(isValidSteuerId(typo)).toBe(false);
      }),
      { numRuns: 200 },
    );
  });
});

describe('UK National Insurance number', () => {
  it('accepts the HMRC shape and rejects never-issued prefixes and suffixes', () => {
    expect(isValidUkNino('AB123456C')).toBe(true);
    expect(isValidUkNino('AB 12 34 56 C')).toBe(true);
    expect(isValidUkNino('GB123456A')).toBe(false);
    expect(isValidUkNino('DA123456A')).toBe(false); // D never first
    expect(isValidUkNino('AO123456A')).toBe(false); // O never second
    expect(isValidUkNino('AB123456E')).toBe(false); // suffix A–D only
    expect(isValidUkNino('AB12345C')).toBe(false);
  });

  it('accepts generated numbers and rejects them with a suffix past D (no check digit exists)', () => {
    const first = fc.constantFrom(...'ABCEGHJKLMNOPRSTWXYZ');
    const second = fc.constantFrom(...'ABCEGHJKLMNPRSTWXYZ');
    fc.assert(
      fc.property(
        first,
        second,
        digitString(6),
        fc.constantFrom('A', 'B', 'C', 'D'),
        fc.constantFrom(...'EFGHXYZ'),
        (a, b, d, s, bad) => {
          fc.pre(!['BG', 'GB', 'KN', 'NK', 'NT', 'TN', 'ZZ'].includes(a + b));
          expect(isValidUkNino(`${a}${b}${d}${s}`)).toBe(true);
          expect(isValidUkNino(`${a}${b}${d}${bad}`)).toBe(false);
        },
      ),
    );
  });
});

describe('national id dispatch', () => {
  it('names the scheme a value satisfies', () => {
    expect(nationalIdScheme('12345678Z')).toBe('es_dni');
    expect(nationalIdScheme('RSSMRA85T10A562S')).toBe('it_codice_fiscale');
    expect(nationalIdScheme('111222333')).toBe('nl_bsn');
    expect(nationalIdScheme('86095742719')).toBe('de_steuer_id');
    expect(isValidNationalId('hello world')).toBe(false);
  });
});

describe('card issuer ranges', () => {
  it('names the network of well-known test numbers', () => {
    expect(cardIssuer('4111111111111111')).toBe('visa');
    expect(cardIssuer('5555555555554444')).toBe('mastercard');
    expect(cardIssuer('2223003122003222')).toBe('mastercard');
    expect(cardIssuer('378282246310005')).toBe('amex');
    expect(cardIssuer('6011111111111117')).toBe('discover');
    expect(cardIssuer('3530111333300000')).toBe('jcb');
    expect(cardIssuer('1234567812345670')).toBeUndefined();
    expect(cardIssuer('37828224631000')).toBeUndefined(); // Amex is 15 digits
  });

  it('accepts Luhn-completed numbers in an issued range and no single-digit typo', () => {
    const prefixes = fc.constantFrom(
      ['4', 16],
      ['51', 16],
      ['55', 16],
      ['2221', 16],
      ['2720', 16],
      ['34', 15],
      ['37', 15],
      ['6011', 16],
      ['65', 16],
      ['3528', 16],
    );
    fc.assert(
      fc.property(
        prefixes,
        fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 14, maxLength: 14 }),
        ([prefix, length], body) => {
          const partial = (prefix + body.join('')).slice(0, (length as number) - 1);
          let card = '';
          for (let d = 0; d <= 9; d++) if (luhnCheck(partial + d)) card = partial + d;
          expect(isValidPaymentCard(card)).toBe(true);
          for (const typo of oneDigitTypos(card)) expect(luhnCheck(typo)).toBe(false);
          for (const typo of oneDigitTypos(card)) expect(isValidPaymentCard(typo)).toBe(false);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('rejects Luhn-valid numbers outside every issuer range (order numbers)', () => {
    expect(luhnCheck('1234567812345670')).toBe(true);
    expect(isValidPaymentCard('1234567812345670')).toBe(false);
    expect(isValidPaymentCard('9999999999999995')).toBe(false);
  });
});
