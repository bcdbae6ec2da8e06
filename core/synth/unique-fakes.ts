/**
 * Fake values that are also unique keys: a sensitive column the profiler found to be a key (a
 * unique phone number, SSN or email per customer) still gets values of its kind, derived from
 * the global row number through a keyed permutation, so they are unique across the whole run
 * without looking sequential.
 */
import type { PiiKind } from '../pii/index.js';
import { finalizeMix } from '../random/index.js';
import { ssnLayout, ssnText, writeLuhnCheckDigit } from './fake-values.js';
import { createPermutation, MAX_PERMUTATION_DOMAIN } from './keyed-permutation.js';
import {
  compilePattern,
  createDigitLayout,
  layoutText,
  plainDigitLayout,
  writeDigits,
  type CompiledPattern,
} from './pattern-fill.js';
import { getVocabulary } from './vocabulary.js';

/** The value for global row number n (unique for distinct n within the kind's value space). */
export type UniqueFakeGenerator = (n: number) => string;

const DEFAULT_PHONE = '(999) 999-9999';

/**
 * A unique generator for a sensitive key column of `kind`, or undefined when the kind has no
 * unique form (then the column falls back to counter keys in its pattern).
 */
export function createUniqueFakeGenerator(
  kind: PiiKind,
  pattern: string | null,
  key: number,
): UniqueFakeGenerator | undefined {
  switch (kind) {
    case 'email':
      return uniqueEmails(key);
    case 'phone':
      return uniqueInPattern(compilePattern(pattern ?? DEFAULT_PHONE), key, true);
    case 'ssn':
      return uniqueSsns(pattern, key);
    case 'credit_card':
      return uniqueCards(pattern, key);
    default:
      return pattern !== null && /[9A]/.test(pattern)
        ? uniqueInPattern(compilePattern(pattern), key, false)
        : undefined;
  }
}

/** first.last + n: names never end in digits, so the suffix is n itself and values stay distinct. */
function uniqueEmails(key: number): UniqueFakeGenerator {
  const v = getVocabulary();
  const firstDot = v.firstNamesAscii.map((f) => `${f}.`);
  const atDomain = v.mailDomains.map((d) => `@${d}`);
  return (n) => {
    const h = finalizeMix((Math.imul(n | 0, 0x9e3779b1) ^ Math.floor(n / 4294967296) ^ key) >>> 0);
    const first = firstDot[h % firstDot.length] as string;
    const last = v.lastNamesAscii[(h >>> 12) % v.lastNamesAscii.length] as string;
    const domain = atDomain[(h >>> 24) % atDomain.length] as string;
    return first + last + String(n) + domain;
  };
}

/** A variable slot of a pattern: how many values it takes, and the character code of value 0. */
interface Slot {
  radix: number;
  base: number;
}

const DIGIT: Slot = { radix: 10, base: 48 };
const NONZERO_DIGIT: Slot = { radix: 9, base: 49 };
const LETTER: Slot = { radix: 26, base: 65 };

/**
 * Pattern slots as one mixed-radix number: row n maps to perm(n) and is written digit by digit.
 * Slots beyond what the permutation covers (2^50) are filled from a hash of n, which keeps
 * uniqueness because the covered slots alone already differ.
 */
function uniqueInPattern(p: CompiledPattern, key: number, noLeadingZero: boolean): UniqueFakeGenerator {
  // Literal slots are character codes (numbers), variable slots are Slot objects.
  const slots: (Slot | number)[] = [];
  let previous = '';
  for (const s of p.slots) {
    if (s === '9') slots.push(noLeadingZero && previous !== '9' ? NONZERO_DIGIT : DIGIT);
    else if (s === 'A') slots.push(LETTER);
    else for (let i = 0; i < s.length; i++) slots.push(s.charCodeAt(i));
    previous = s;
  }
  return mixedRadix(slots, key);
}

function mixedRadix(slots: (Slot | number)[], key: number): UniqueFakeGenerator {
  const count = slots.length;
  // Flat typed arrays keep the per-value loop monomorphic: radix 0 marks a literal, whose code is in base.
  const radix = new Int32Array(count);
  const base = new Int32Array(count);
  const covered = new Uint8Array(count);
  slots.forEach((s, i) => {
    if (typeof s === 'number') base[i] = s;
    else {
      radix[i] = s.radix;
      base[i] = s.base;
    }
  });
  // Cover slots from the right until the next would overflow the permutation's domain.
  let domain = 1;
  for (let i = count - 1; i >= 0; i--) {
    const r = radix[i] as number;
    if (r === 0) continue;
    if (domain * r > MAX_PERMUTATION_DOMAIN) break;
    domain *= r;
    covered[i] = 1;
  }
  const permute = createPermutation(domain, key);
  // Literal codes are written once; only variable slots change from value to value.
  const codes = Array.from(base);
  return (n) => {
    // Past the value space (10^7+ values for any realistic key) values repeat rather than fail.
    let x = permute(n % domain);
    let h = finalizeMix((Math.imul(n | 0, 0x85ebca6b) ^ key) >>> 0);
    for (let i = count - 1; i >= 0; i--) {
      const r = radix[i] as number;
      if (r === 0) continue;
      if (covered[i] === 1) {
        // Integer division once the value fits 31 bits: far cheaper than floating-point floor.
        const q = x < 2147483648 ? (x / r) | 0 : Math.floor(x / r);
        codes[i] = (base[i] as number) + (x - q * r);
        x = q;
      } else {
        h = finalizeMix(h + 0x6d2b79f5);
        codes[i] = (base[i] as number) + (h % r);
      }
    }
    return String.fromCharCode.apply(null, codes);
  };
}

/** Issued SSN areas: 001–899 without 666. */
const SSN_AREAS = Array.from({ length: 899 }, (_, i) => i + 1).filter((a) => a !== 666);

function uniqueSsns(pattern: string | null, key: number): UniqueFakeGenerator {
  const layout = ssnLayout(pattern !== null ? compilePattern(pattern) : undefined);
  const size = SSN_AREAS.length * 99 * 9999;
  const permute = createPermutation(size, key);
  return (n) => {
    // size < 2^31, so integer division is exact.
    let x = permute(n % size);
    let q = (x / 9999) | 0;
    const serial = x - q * 9999 + 1;
    x = q;
    q = (x / 99) | 0;
    const group = x - q * 99 + 1;
    return ssnText(layout, SSN_AREAS[q] as number, group, serial);
  };
}

/** Visa-prefixed numbers (Amex for 15 digits) whose payload is the permuted row number, plus the Luhn digit. */
function uniqueCards(pattern: string | null, key: number): UniqueFakeGenerator {
  const p = pattern !== null ? compilePattern(pattern) : undefined;
  const length = p !== undefined && p.digitCount >= 13 && p.digitCount <= 19 ? p.digitCount : 16;
  const prefix = length === 15 ? 37 : 4;
  const prefixLength = length === 15 ? 2 : 1;
  const payload = length - prefixLength - 1;
  const covered = Math.min(payload, 15);
  const domain = 10 ** covered;
  const permute = createPermutation(domain, key);
  // The profiled layout when the number fills its digit slots exactly; bare digits otherwise.
  const layout =
    (p !== undefined && p.digitCount === length ? createDigitLayout(p) : undefined) ??
    plainDigitLayout(length);
  writeDigits(layout, 0, prefixLength, prefix);
  const fillerLength = payload - covered;
  return (n) => {
    let h = finalizeMix((n ^ key) >>> 0);
    for (let i = 0; i < fillerLength; i++) {
      h = finalizeMix(h + 0x6d2b79f5);
      writeDigits(layout, prefixLength + i, 1, h % 10);
    }
    writeDigits(layout, prefixLength + fillerLength, covered, permute(n % domain));
    writeLuhnCheckDigit(layout);
    return layoutText(layout);
  };
}
