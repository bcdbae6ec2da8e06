/**
 * Unique keys from the global row number. The value for row n is a function of n alone (plus the
 * run seed for decorative characters), so keys are unique across every chunk of a run whatever
 * the chunk schedule, and a retried chunk writes the same keys again.
 */
import { finalizeMix } from '../random/index.js';
import type { IdentifierColumnModel } from './model.js';
import { compilePattern } from './pattern-fill.js';
import { createUniqueFakeGenerator } from './unique-fakes.js';

/** Produces the key of global row number `n` (already offset). */
export type IdentifierGenerator = (n: number) => string | number;

const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const HEX = '0123456789abcdef';

/** The key generator for an identifier column; `salt` (from the run seed) varies decorative characters only. */
export function createIdentifierGenerator(column: IdentifierColumnModel, salt: number): IdentifierGenerator {
  const numeric = column.physicalType === 'integer' || column.physicalType === 'float';
  if (numeric) return (n) => n;
  if (column.piiKind !== null) {
    const unique = createUniqueFakeGenerator(column.piiKind, column.pattern, salt);
    if (unique !== undefined) return unique;
  }
  const lower = column.letterCase === 'lower';
  if (column.pattern !== null) return patternKey(column.pattern, salt, lower);
  const length = column.length;
  if (length !== null && length.min === 36 && length.max === 36)
    return column.letterCase === 'upper' ? (n) => uuidKey(n, salt).toUpperCase() : (n) => uuidKey(n, salt);
  const width = length === null ? 0 : Math.max(0, Math.min(18, Math.round(length.min)));
  return (n) => String(n).padStart(width, '0');
}

/**
 * Keys in the pattern's shape: the last run of digits (or, without digits, of letters) is a counter
 * holding n, zero-padded and widened when n outgrows it; other variable slots get characters
 * hashed from n. Fixed-length text around a counter that only widens keeps distinct n distinct.
 */
function patternKey(pattern: string, salt: number, lower: boolean): IdentifierGenerator {
  const letterBase = lower ? 97 : 65;
  const p = compilePattern(pattern);
  const slots = p.slots;
  const counterKind = p.digitCount > 0 ? '9' : p.letterCount > 0 ? 'A' : undefined;
  if (counterKind === undefined) return (n) => `${pattern}${n}`;
  let end = slots.length;
  while (end > 0 && slots[end - 1] !== counterKind) end--;
  let start = end;
  while (start > 0 && slots[start - 1] === counterKind) start--;
  const width = end - start;
  const before = slots.slice(0, start);
  const after = slots.slice(end);
  const fixedBefore = before.every((s) => s !== '9' && s !== 'A') ? before.join('') : undefined;
  const fixedAfter = after.every((s) => s !== '9' && s !== 'A') ? after.join('') : undefined;
  const counter =
    counterKind === '9'
      ? (n: number) => String(n).padStart(width, '0')
      : lower
        ? (n: number) => toLetters(n).padStart(width, 'A').toLowerCase()
        : (n: number) => toLetters(n).padStart(width, 'A');
  if (fixedBefore !== undefined && fixedAfter !== undefined) {
    return (n) => fixedBefore + counter(n) + fixedAfter;
  }
  const head = toCodes(before);
  const tail = toCodes(after);
  const headOut = new Array<number>(head.length).fill(0);
  const tailOut = new Array<number>(tail.length).fill(0);
  return (n) => {
    let h = finalizeMix(Math.imul(n | 0, 0x9e3779b1) ^ Math.floor(n / 4294967296) ^ salt);
    for (let i = 0; i < head.length; i++) {
      const c = head[i] as number;
      if (c >= 0) headOut[i] = c;
      else {
        h = finalizeMix(h + 0x6d2b79f5);
        headOut[i] = c === DIGIT_SLOT ? 48 + (h % 10) : letterBase + (h % 26);
      }
    }
    for (let i = 0; i < tail.length; i++) {
      const c = tail[i] as number;
      if (c >= 0) tailOut[i] = c;
      else {
        h = finalizeMix(h + 0x6d2b79f5);
        tailOut[i] = c === DIGIT_SLOT ? 48 + (h % 10) : letterBase + (h % 26);
      }
    }
    return String.fromCharCode.apply(null, headOut) + counter(n) + String.fromCharCode.apply(null, tailOut);
  };
}

const DIGIT_SLOT = -1;
const LETTER_SLOT = -2;

/** Pattern slots as character codes, with variable slots marked by negative codes. */
function toCodes(slots: readonly string[]): number[] {
  const out: number[] = [];
  for (const s of slots) {
    if (s === '9') out.push(DIGIT_SLOT);
    else if (s === 'A') out.push(LETTER_SLOT);
    else for (let i = 0; i < s.length; i++) out.push(s.charCodeAt(i));
  }
  return out;
}

/** Bijective base-26 over A..Z with A as zero (so padStart with 'A' keeps values distinct). */
function toLetters(n: number): string {
  let rest = Math.max(0, Math.floor(n));
  let out = '';
  do {
    out = UPPER[rest % 26] + out;
    rest = Math.floor(rest / 26);
  } while (rest > 0);
  return out;
}

/** A version-4-shaped UUID whose last 12 hex digits are n (unique up to 2^48 rows) and the rest hashed. */
function uuidKey(n: number, salt: number): string {
  let h = finalizeMix(Math.imul(n | 0, 0x9e3779b1) ^ salt);
  let hex = '';
  for (let i = 0; i < 20; i++) {
    if ((i & 7) === 0) h = finalizeMix(h + 0x6d2b79f5 + i);
    hex += HEX[(h >>> ((i & 7) * 4)) & 15];
  }
  const tail = n.toString(16).padStart(12, '0');
  const variant = HEX[8 + ((h >>> 28) & 3)];
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${tail}`;
}
