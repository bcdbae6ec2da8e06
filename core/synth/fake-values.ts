/**
 * Fake values for sensitive columns, one generator per PII kind. Generators compose values
 * from faker's English word lists with our PRNG (see vocabulary.ts for why) and follow the
 * column's profiled shape where one is known, so formats match the source (e.g. phone layout).
 * Every value is plausible and valid in format: card numbers pass Luhn, IBANs pass mod-97,
 * SSNs avoid the never-issued areas.
 */
import type { PiiKind } from '../pii/index.js';
import type { Rng } from '../random/index.js';
import { createDateFormatter, DAY_MS, formatIsoTimestamp, parseDatetimeMs } from './datetime-codec.js';
import { createLengthSampler, loremOfLength } from './lorem.js';
import type { FakeColumnModel, LengthStats } from './model.js';
import {
  compilePattern,
  fillPattern,
  formatDigitsInPattern,
  randomDigits,
  type CompiledPattern,
} from './pattern-fill.js';
import { getVocabulary, type Vocabulary } from './vocabulary.js';

/** Produces one fake string per call from the given stream. */
export type FakeGenerator = (rng: Rng) => string;

const DEFAULT_BIRTH_RANGE = { minMs: parseDatetimeMs('1940-01-01'), maxMs: parseDatetimeMs('2006-12-31') };

/** The generator for a fake column (its kind, shape and length statistics; never its values). */
export function createFakeGenerator(column: FakeColumnModel): FakeGenerator {
  const v = getVocabulary();
  const pattern = column.pattern === null ? undefined : compilePattern(column.pattern);
  const builders: Record<PiiKind, () => FakeGenerator> = {
    email: () => emailGenerator(v),
    phone: () => phoneGenerator(pattern),
    credit_card: () => creditCardGenerator(pattern),
    ssn: () => ssnGenerator(pattern),
    iban: () => ibanGenerator,
    ip_address: () => (column.pattern?.includes(':') ? ipv6Generator : ipv4Generator),
    person_name: () => (rng) => `${pick(v.firstNames, rng)} ${pick(v.lastNames, rng)}`,
    first_name: () => (rng) => pick(v.firstNames, rng),
    last_name: () => (rng) => pick(v.lastNames, rng),
    street_address: () => streetAddressGenerator(v),
    city: () => cityGenerator(v),
    postal_code: () => postalCodeGenerator(pattern),
    date_of_birth: () => dateGenerator(column),
    free_text: () => textGenerator(v, column.length),
    identifier: () => codeGenerator(pattern, column.length),
    none: () => codeGenerator(pattern, column.length),
  };
  const build = builders[column.piiKind] ?? builders.none;
  return build();
}

function pick(list: readonly string[], rng: Rng): string {
  return list[rng.nextInt(list.length)] as string;
}

function emailGenerator(v: Vocabulary): FakeGenerator {
  const first = v.firstNamesAscii;
  const last = v.lastNamesAscii;
  return (rng) => {
    const f = pick(first, rng);
    const l = pick(last, rng);
    let local: string;
    switch (rng.nextInt(5)) {
      case 0:
        local = `${f}.${l}`;
        break;
      case 1:
        local = `${f}_${l}`;
        break;
      case 2:
        local = `${f}${l}${rng.nextInt(100)}`;
        break;
      case 3:
        local = `${f.charAt(0)}${l}`;
        break;
      default:
        local = `${f}${rng.nextInt(1000)}`;
    }
    // Most personal addresses are at free mail providers; the rest at name-like company domains.
    const domain =
      rng.nextInt(10) < 6
        ? pick(v.freeEmailDomains, rng)
        : `${pick(last, rng)}.${pick(v.domainSuffixes, rng)}`;
    return `${local}@${domain}`;
  };
}

/** North American layouts (faker's en formats without extensions). */
const PHONE_FORMATS = ['999-999-9999', '(999) 999-9999', '999.999.9999', '+1 999-999-9999'].map(
  compilePattern,
);

function phoneGenerator(pattern: CompiledPattern | undefined): FakeGenerator {
  // Digit groups never start with 0, like area and exchange codes; a profiled layout wins.
  if (pattern !== undefined && pattern.digitCount >= 7 && pattern.letterCount === 0) {
    return (rng) => fillPattern(pattern, rng, true);
  }
  return (rng) => fillPattern(PHONE_FORMATS[rng.nextInt(PHONE_FORMATS.length)] as CompiledPattern, rng, true);
}

/** Appends the Luhn check digit to a digit string. */
export function withLuhnCheckDigit(payload: string): string {
  let sum = 0;
  // Walking from the right, every second digit of the payload (starting with the last) is doubled.
  for (let i = payload.length - 1, double = true; i >= 0; i--, double = !double) {
    let d = payload.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return payload + String((10 - (sum % 10)) % 10);
}

/** Whether a digit string (separators ignored) passes the Luhn check. */
export function isLuhnValid(text: string): boolean {
  const digits = text.replace(/\D/g, '');
  if (digits.length < 2) return false;
  let sum = 0;
  for (let i = digits.length - 1, double = false; i >= 0; i--, double = !double) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

function creditCardGenerator(pattern: CompiledPattern | undefined): FakeGenerator {
  const length =
    pattern !== undefined && pattern.digitCount >= 13 && pattern.digitCount <= 19 ? pattern.digitCount : 16;
  return (rng) => {
    let prefix: string;
    if (length === 15) prefix = rng.nextInt(2) === 0 ? '34' : '37';
    else {
      const brand = rng.nextInt(10);
      prefix = brand < 5 ? '4' : brand < 9 ? `5${1 + rng.nextInt(5)}` : '6011';
    }
    const number = withLuhnCheckDigit(prefix + randomDigits(length - prefix.length - 1, rng));
    const formatted = pattern === undefined ? undefined : formatDigitsInPattern(pattern, number);
    return formatted ?? number;
  };
}

function ssnGenerator(pattern: CompiledPattern | undefined): FakeGenerator {
  const plain =
    pattern !== undefined && pattern.digitCount === 9 && pattern.letterCount === 0 ? pattern : undefined;
  return (rng) => {
    // Areas 000, 666 and 900–999 are never issued; groups 00 and serials 0000 neither.
    let area = 1 + rng.nextInt(899);
    if (area === 666) area = 665;
    const group = 1 + rng.nextInt(99);
    const serial = 1 + rng.nextInt(9999);
    const digits =
      String(area).padStart(3, '0') + String(group).padStart(2, '0') + String(serial).padStart(4, '0');
    if (plain !== undefined) return formatDigitsInPattern(plain, digits) ?? digits;
    return `${digits.slice(0, 3)}-${digits.slice(3, 5)}-${digits.slice(5)}`;
  };
}

/** Country, and the BBAN layout: 9 = digit, A = upper-case letter. */
const IBAN_LAYOUTS: readonly (readonly [string, string])[] = [
  ['DE', '999999999999999999'],
  ['GB', 'AAAA99999999999999'],
  ['NL', 'AAAA9999999999'],
  ['AT', '9999999999999999'],
  ['CH', '99999999999999999'],
];
const IBAN_PATTERNS = IBAN_LAYOUTS.map(([country, layout]) => [country, compilePattern(layout)] as const);

/** The two ISO 13616 check digits for a country and BBAN (mod 97 of the rearranged number). */
export function ibanCheckDigits(country: string, bban: string): string {
  const rearranged = `${bban}${country}00`;
  let remainder = 0;
  for (let i = 0; i < rearranged.length; i++) {
    const code = rearranged.charCodeAt(i);
    // Letters count as two digits (A = 10 … Z = 35).
    if (code >= 65) remainder = (remainder * 100 + (code - 55)) % 97;
    else remainder = (remainder * 10 + (code - 48)) % 97;
  }
  return String(98 - remainder).padStart(2, '0');
}

/** Whether an IBAN (spaces ignored) passes the mod-97 check. */
export function isIbanValid(iban: string): boolean {
  const compact = iban.replace(/\s+/g, '').toUpperCase();
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]+$/.test(compact)) return false;
  const rearranged = compact.slice(4) + compact.slice(0, 4);
  let remainder = 0;
  for (let i = 0; i < rearranged.length; i++) {
    const code = rearranged.charCodeAt(i);
    remainder = code >= 65 ? (remainder * 100 + (code - 55)) % 97 : (remainder * 10 + (code - 48)) % 97;
  }
  return remainder === 1;
}

const ibanGenerator: FakeGenerator = (rng) => {
  const [country, layout] = IBAN_PATTERNS[
    rng.nextInt(IBAN_PATTERNS.length)
  ] as (typeof IBAN_PATTERNS)[number];
  const bban = fillPattern(layout, rng);
  return `${country}${ibanCheckDigits(country, bban)}${bban}`;
};

const ipv4Generator: FakeGenerator = (rng) => {
  // First octet 1–223 without 10 and 127: ordinary unicast addresses.
  let a = 1 + rng.nextInt(223);
  if (a === 10 || a === 127) a++;
  return `${a}.${rng.nextInt(256)}.${rng.nextInt(256)}.${1 + rng.nextInt(254)}`;
};

const ipv6Generator: FakeGenerator = (rng) => {
  let out = '2001';
  for (let i = 0; i < 7; i++) out += `:${rng.nextInt(65536).toString(16)}`;
  return out;
};

function streetAddressGenerator(v: Vocabulary): FakeGenerator {
  return (rng) => {
    const number = randomDigits(3 + rng.nextInt(3), rng, true);
    let street: string;
    switch (rng.nextInt(3)) {
      case 0:
        street = `${pick(v.firstNames, rng)} ${pick(v.streetSuffixes, rng)}`;
        break;
      case 1:
        street = `${pick(v.lastNames, rng)} ${pick(v.streetSuffixes, rng)}`;
        break;
      default:
        street = pick(v.streetNames, rng);
    }
    return `${number} ${street}`;
  };
}

function cityGenerator(v: Vocabulary): FakeGenerator {
  return (rng) => {
    switch (rng.nextInt(5)) {
      case 0:
        return `${pick(v.cityPrefixes, rng)} ${pick(v.firstNames, rng)}${pick(v.citySuffixes, rng)}`;
      case 1:
        return `${pick(v.cityPrefixes, rng)} ${pick(v.firstNames, rng)}`;
      case 2:
        return `${pick(v.firstNames, rng)}${pick(v.citySuffixes, rng)}`;
      case 3:
        return `${pick(v.lastNames, rng)}${pick(v.citySuffixes, rng)}`;
      default:
        return pick(v.cityNames, rng);
    }
  };
}

function postalCodeGenerator(pattern: CompiledPattern | undefined): FakeGenerator {
  if (pattern !== undefined) return (rng) => fillPattern(pattern, rng);
  return (rng) => randomDigits(5, rng);
}

function dateGenerator(column: FakeColumnModel): FakeGenerator {
  const range = column.dateRange ?? DEFAULT_BIRTH_RANGE;
  const timestamp = column.dateFormat === 'timestamp';
  const lo = Math.min(range.minMs, range.maxMs);
  const span = Math.max(0, Math.max(range.minMs, range.maxMs) - lo);
  if (timestamp) return (rng) => formatIsoTimestamp(lo + Math.floor(rng.nextDouble() * (span + 1)));
  const firstDay = Math.floor(lo / DAY_MS);
  const days = Math.floor((lo + span) / DAY_MS) - firstDay + 1;
  const format = createDateFormatter(lo, lo + span);
  return (rng) => format((firstDay + rng.nextIntLarge(days)) * DAY_MS);
}

function textGenerator(v: Vocabulary, length: LengthStats | null): FakeGenerator {
  const sampleLength = createLengthSampler(length ?? { min: 20, max: 120, mean: 60 });
  return (rng) => loremOfLength(v.loremWords, sampleLength(rng), rng);
}

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

function codeGenerator(pattern: CompiledPattern | undefined, length: LengthStats | null): FakeGenerator {
  if (pattern !== undefined) return (rng) => fillPattern(pattern, rng);
  const sampleLength = createLengthSampler(length ?? { min: 8, max: 8, mean: 8 });
  return (rng) => {
    const n = Math.max(1, sampleLength(rng));
    let out = '';
    for (let i = 0; i < n; i++) out += ALPHANUMERIC[rng.nextInt(ALPHANUMERIC.length)];
    return out;
  };
}
