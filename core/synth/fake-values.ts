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
  createDigitLayout,
  fillPattern,
  layoutText,
  plainDigitLayout,
  randomDigits,
  writeDigits,
  type CompiledPattern,
  type DigitLayout,
} from './pattern-fill.js';
import { getVocabulary, type Vocabulary } from './vocabulary.js';

/** Produces one fake string per call from the given stream. */
export type FakeGenerator = (rng: Rng) => string;

const DEFAULT_BIRTH_RANGE = { minMs: parseDatetimeMs('1940-01-01'), maxMs: parseDatetimeMs('2006-12-31') };

/**
 * Generators already built, per column model: a chunk thread samples many chunks of one model, and
 * generators keep caches (formatted dates) worth carrying from chunk to chunk. Models are read-only.
 */
const built = new WeakMap<FakeColumnModel, FakeGenerator>();

/** The generator for a fake column (its kind, shape and length statistics; never its values). */
export function createFakeGenerator(column: FakeColumnModel): FakeGenerator {
  let generator = built.get(column);
  if (generator === undefined) {
    generator = buildFakeGenerator(column);
    built.set(column, generator);
  }
  return generator;
}

function buildFakeGenerator(column: FakeColumnModel): FakeGenerator {
  const v = getVocabulary();
  const pattern = column.pattern === null ? undefined : compilePattern(column.pattern);
  // Kinds without a generator of their own (newer classifier kinds) get values in the column's pattern.
  const builders: Partial<Record<PiiKind, () => FakeGenerator>> = {
    email: () => emailGenerator(v),
    phone: () => phoneGenerator(pattern),
    credit_card: () => creditCardGenerator(pattern),
    ssn: () => ssnGenerator(pattern),
    iban: () => ibanGenerator,
    ip_address: () => (column.pattern?.includes(':') ? ipv6Generator : ipv4Generator),
    person_name: () => {
      const { firstSpace } = piecesOf(v);
      return (rng) => (firstSpace[rng.nextInt(firstSpace.length)] as string) + pick(v.lastNames, rng);
    },
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
  const build = builders[column.piiKind];
  return build !== undefined ? build() : codeGenerator(pattern, column.length);
}

function pick(list: readonly string[], rng: Rng): string {
  return list[rng.nextInt(list.length)] as string;
}

/**
 * Vocabulary words joined once with the separators generators put after or before them, so a value
 * is built from two or three pieces instead of five or six (fewer intermediate strings to collect).
 */
interface Pieces {
  firstSpace: readonly string[];
  asciiFirstDot: readonly string[];
  asciiFirstUnderscore: readonly string[];
  asciiInitial: readonly string[];
  atMailDomain: readonly string[];
  atAsciiLastDot: readonly string[];
  streetSuffixes: readonly string[];
  cityPrefixSpace: readonly string[];
}

const piecesByVocabulary = new WeakMap<Vocabulary, Pieces>();

function piecesOf(v: Vocabulary): Pieces {
  let pieces = piecesByVocabulary.get(v);
  if (pieces === undefined) {
    pieces = {
      firstSpace: v.firstNames.map((f) => `${f} `),
      asciiFirstDot: v.firstNamesAscii.map((f) => `${f}.`),
      asciiFirstUnderscore: v.firstNamesAscii.map((f) => `${f}_`),
      asciiInitial: v.firstNamesAscii.map((f) => f.charAt(0)),
      atMailDomain: v.mailDomains.map((d) => `@${d}`),
      atAsciiLastDot: v.lastNamesAscii.map((l) => `@${l}.`),
      streetSuffixes: v.streetSuffixes,
      cityPrefixSpace: v.cityPrefixes.map((p) => `${p} `),
    };
    piecesByVocabulary.set(v, pieces);
  }
  return pieces;
}

/** Decimal text of 0…999, so small numbers in values need no conversion. */
const DECIMAL = Array.from({ length: 1000 }, (_, i) => String(i));

function emailGenerator(v: Vocabulary): FakeGenerator {
  const first = v.firstNamesAscii;
  const last = v.lastNamesAscii;
  const p = piecesOf(v);
  return (rng) => {
    const f = rng.nextInt(first.length);
    const l = pick(last, rng);
    let local: string;
    switch (rng.nextInt(5)) {
      case 0:
        local = (p.asciiFirstDot[f] as string) + l;
        break;
      case 1:
        local = (p.asciiFirstUnderscore[f] as string) + l;
        break;
      case 2:
        local = (first[f] as string) + l + (DECIMAL[rng.nextInt(100)] as string);
        break;
      case 3:
        local = (p.asciiInitial[f] as string) + l;
        break;
      default:
        local = (first[f] as string) + (DECIMAL[rng.nextInt(1000)] as string);
    }
    // Most addresses look personal, the rest like a company's (`smith.example.com`); all domains are reserved examples.
    if (rng.nextInt(10) < 6) return local + (p.atMailDomain[rng.nextInt(p.atMailDomain.length)] as string);
    return local + (p.atAsciiLastDot[rng.nextInt(last.length)] as string) + pick(v.companyMailParents, rng);
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

/** Sets the last digit slot of `layout` (whose other slots hold the payload) to the Luhn check digit. */
export function writeLuhnCheckDigit(layout: DigitLayout): void {
  const { codes, digitAt } = layout;
  let sum = 0;
  // As in withLuhnCheckDigit: from the right of the payload, every second digit (starting with the last) doubled.
  for (let k = digitAt.length - 2, double = true; k >= 0; k--, double = !double) {
    let d = (codes[digitAt[k] as number] as number) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  codes[digitAt[digitAt.length - 1] as number] = 48 + ((10 - (sum % 10)) % 10);
}

/** Digits per random group, as randomDigits draws them (so the stream is consumed the same way). */
const DIGIT_GROUP = 4;
/** 10^n for n ≤ 4: a table, because `10 ** n` with a variable n is a slow library call. */
const POW10 = [1, 10, 100, 1000, 10000];

function creditCardGenerator(pattern: CompiledPattern | undefined): FakeGenerator {
  const length =
    pattern !== undefined && pattern.digitCount >= 13 && pattern.digitCount <= 19 ? pattern.digitCount : 16;
  // The profiled layout when the number fills its digit slots exactly; bare digits otherwise.
  const layout =
    (pattern !== undefined && pattern.digitCount === length ? createDigitLayout(pattern) : undefined) ??
    plainDigitLayout(length);
  return (rng) => {
    let prefix: number;
    let prefixLength: number;
    if (length === 15) {
      prefix = rng.nextInt(2) === 0 ? 34 : 37;
      prefixLength = 2;
    } else {
      const brand = rng.nextInt(10);
      if (brand < 5) {
        prefix = 4;
        prefixLength = 1;
      } else if (brand < 9) {
        prefix = 51 + rng.nextInt(5);
        prefixLength = 2;
      } else {
        prefix = 6011;
        prefixLength = 4;
      }
    }
    writeDigits(layout, 0, prefixLength, prefix);
    // The payload after the prefix, in groups of four from the left like randomDigits.
    const end = length - 1;
    for (let k = prefixLength; k < end; k += DIGIT_GROUP) {
      const n = Math.min(DIGIT_GROUP, end - k);
      writeDigits(layout, k, n, rng.nextInt(POW10[n] as number));
    }
    writeLuhnCheckDigit(layout);
    return layoutText(layout);
  };
}

/** The layout an SSN is written in: the profiled one when it has nine digit slots, else 999-99-9999. */
export function ssnLayout(pattern: CompiledPattern | undefined): DigitLayout {
  const plain =
    pattern !== undefined && pattern.digitCount === 9 && pattern.letterCount === 0 ? pattern : undefined;
  return createDigitLayout(plain ?? compilePattern('999-99-9999')) as DigitLayout;
}

/** Writes area, group and serial into an SSN layout and returns the value. */
export function ssnText(layout: DigitLayout, area: number, group: number, serial: number): string {
  writeDigits(layout, 0, 3, area);
  writeDigits(layout, 3, 2, group);
  writeDigits(layout, 5, 4, serial);
  return layoutText(layout);
}

function ssnGenerator(pattern: CompiledPattern | undefined): FakeGenerator {
  const layout = ssnLayout(pattern);
  return (rng) => {
    // Areas 000, 666 and 900–999 are never issued; groups 00 and serials 0000 neither.
    let area = 1 + rng.nextInt(899);
    if (area === 666) area = 665;
    const group = 1 + rng.nextInt(99);
    const serial = 1 + rng.nextInt(9999);
    return ssnText(layout, area, group, serial);
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

/** "0." … "255.", the leading octets of an IPv4 address. */
const OCTET_DOT = Array.from({ length: 256 }, (_, i) => `${i}.`);

const ipv4Generator: FakeGenerator = (rng) => {
  // First octet 1–223 without 10 and 127: ordinary unicast addresses.
  let a = 1 + rng.nextInt(223);
  if (a === 10 || a === 127) a++;
  const b = OCTET_DOT[rng.nextInt(256)] as string;
  const c = OCTET_DOT[rng.nextInt(256)] as string;
  return (OCTET_DOT[a] as string) + b + c + (DECIMAL[1 + rng.nextInt(254)] as string);
};

const ipv6Generator: FakeGenerator = (rng) => {
  let out = '2001';
  for (let i = 0; i < 7; i++) out += `:${rng.nextInt(65536).toString(16)}`;
  return out;
};

/** House numbers with their trailing space: "100 " … "9999 " (five-digit ones are built from two pieces). */
let houseNumbers: string[] | undefined;
const DIGIT_SPACE = Array.from({ length: 10 }, (_, i) => `${i} `);

function streetAddressGenerator(v: Vocabulary): FakeGenerator {
  const p = piecesOf(v);
  const lastSpace = v.lastNames.map((l) => `${l} `);
  houseNumbers ??= Array.from({ length: 10_000 }, (_, i) => `${i} `);
  const numbers = houseNumbers;
  return (rng) => {
    // As randomDigits(3 + nextInt(3), rng, true): one group of 3 or 4 digits, a fifth digit after 4.
    const digits = 3 + rng.nextInt(3);
    let number: string;
    if (digits === 3) number = numbers[100 + rng.nextInt(900)] as string;
    else if (digits === 4) number = numbers[1000 + rng.nextInt(9000)] as string;
    else number = String(1000 + rng.nextInt(9000)) + (DIGIT_SPACE[rng.nextInt(10)] as string);
    switch (rng.nextInt(3)) {
      case 0:
        return (
          number + (p.firstSpace[rng.nextInt(p.firstSpace.length)] as string) + pick(p.streetSuffixes, rng)
        );
      case 1:
        return number + (lastSpace[rng.nextInt(lastSpace.length)] as string) + pick(p.streetSuffixes, rng);
      default:
        return number + pick(v.streetNames, rng);
    }
  };
}

function cityGenerator(v: Vocabulary): FakeGenerator {
  const p = piecesOf(v);
  return (rng) => {
    switch (rng.nextInt(5)) {
      case 0:
        return pick(p.cityPrefixSpace, rng) + pick(v.firstNames, rng) + pick(v.citySuffixes, rng);
      case 1:
        return pick(p.cityPrefixSpace, rng) + pick(v.firstNames, rng);
      case 2:
        return pick(v.firstNames, rng) + pick(v.citySuffixes, rng);
      case 3:
        return pick(v.lastNames, rng) + pick(v.citySuffixes, rng);
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
