/**
 * Values that follow a profiled shape pattern (A = letter, 9 = digit, anything else literal, as
 * produced by core/profile). Patterns compile into runs, and runs draw whole zero-padded groups
 * from lookup tables ("0000".."9999", "AA".."ZZ"): one table lookup per group instead of one
 * string concatenation per character.
 */
import type { Rng } from '../random/index.js';

const DIGIT_GROUP = 4;
const LETTER_GROUP = 2;
/** 10^(n−1), the smallest n-digit number without a leading zero (a table: `10 ** x` is a slow call). */
const LOWEST_OF_LENGTH = [0, 1, 10, 100, 1000];

/** One piece of a compiled pattern. */
type Run =
  | { kind: 'literal'; text: string }
  | { kind: 'digits'; length: number }
  | { kind: 'letters'; length: number };

/** A pattern split into literal text and variable runs, compiled once per column. */
export interface CompiledPattern {
  source: string;
  /** For each character: 'A', '9' or the literal character. */
  slots: readonly string[];
  runs: readonly Run[];
  digitCount: number;
  letterCount: number;
}

/** Splits a pattern into slots and runs. */
export function compilePattern(pattern: string): CompiledPattern {
  const slots = [...pattern];
  const runs: Run[] = [];
  for (const slot of slots) {
    const last = runs[runs.length - 1];
    if (slot === '9') {
      if (last?.kind === 'digits') last.length++;
      else runs.push({ kind: 'digits', length: 1 });
    } else if (slot === 'A') {
      if (last?.kind === 'letters') last.length++;
      else runs.push({ kind: 'letters', length: 1 });
    } else if (last?.kind === 'literal') last.text += slot;
    else runs.push({ kind: 'literal', text: slot });
  }
  return {
    source: pattern,
    slots,
    runs,
    digitCount: slots.filter((s) => s === '9').length,
    letterCount: slots.filter((s) => s === 'A').length,
  };
}

let digitTables: string[][] | undefined;
let letterTables: string[][] | undefined;

/** Zero-padded digit strings of each length 1..4, built on first use. */
function digitTable(length: number): string[] {
  digitTables ??= [1, 2, 3, 4].map((n) =>
    Array.from({ length: 10 ** n }, (_, i) => String(i).padStart(n, '0')),
  );
  return digitTables[length - 1] as string[];
}

function letterTable(length: number): string[] {
  if (letterTables === undefined) {
    const one = Array.from({ length: 26 }, (_, i) => String.fromCharCode(65 + i));
    letterTables = [one, one.flatMap((a) => one.map((b) => a + b))];
  }
  return letterTables[length - 1] as string[];
}

/** `length` random digits; with `noLeadingZero` the first is 1–9. */
export function randomDigits(length: number, rng: Rng, noLeadingZero = false): string {
  let out = '';
  let rest = length;
  let first = true;
  while (rest > 0) {
    const n = rest >= DIGIT_GROUP ? DIGIT_GROUP : rest;
    const table = digitTable(n);
    // A leading group without a leading zero is drawn from [10^(n−1), 10^n).
    const low = first && noLeadingZero ? (LOWEST_OF_LENGTH[n] as number) : 0;
    out += table[low + rng.nextInt(table.length - low)];
    rest -= n;
    first = false;
  }
  return out;
}

/** `length` random upper-case letters. */
export function randomLetters(length: number, rng: Rng): string {
  let out = '';
  let rest = length;
  while (rest > 0) {
    const n = rest >= LETTER_GROUP ? LETTER_GROUP : rest;
    const table = letterTable(n);
    out += table[rng.nextInt(table.length)];
    rest -= n;
  }
  return out;
}

/** A random value of the pattern's shape; with `noLeadingZero` no digit run starts with 0. */
export function fillPattern(p: CompiledPattern, rng: Rng, noLeadingZero = false): string {
  let out = '';
  for (const run of p.runs) {
    if (run.kind === 'literal') out += run.text;
    else if (run.kind === 'digits') out += randomDigits(run.length, rng, noLeadingZero);
    else out += randomLetters(run.length, rng);
  }
  return out;
}

/**
 * The output of a digits-only pattern as a buffer of character codes: literal codes in place, and the
 * index of every digit slot in order. Generators write digit codes into it and build each value with
 * one `String.fromCharCode` call, a flat string instead of a tree of concatenated pieces.
 */
export interface DigitLayout {
  /** Character codes of one value (digit slots hold whatever was written last). */
  codes: number[];
  /** Index in `codes` of each digit slot, left to right. */
  digitAt: number[];
}

/** A fresh DigitLayout of `p`, or undefined when the pattern has letter slots. */
export function createDigitLayout(p: CompiledPattern): DigitLayout | undefined {
  if (p.letterCount > 0) return undefined;
  const codes: number[] = [];
  const digitAt: number[] = [];
  for (const slot of p.slots) {
    if (slot === '9') {
      digitAt.push(codes.length);
      codes.push(48);
    } else for (let i = 0; i < slot.length; i++) codes.push(slot.charCodeAt(i));
  }
  return { codes, digitAt };
}

/** A DigitLayout of `count` bare digits. */
export function plainDigitLayout(count: number): DigitLayout {
  return { codes: new Array<number>(count).fill(48), digitAt: Array.from({ length: count }, (_, i) => i) };
}

/** Writes `value` (0 ≤ value < 10^count, an integer) zero-padded into digit slots [from, from + count). */
export function writeDigits(layout: DigitLayout, from: number, count: number, value: number): void {
  const { codes, digitAt } = layout;
  let rest = value;
  for (let k = from + count - 1; k >= from; k--) {
    // Integer division while the value fits 31 bits; card numbers (up to 10^15) take the float path.
    const q = rest < 2147483648 ? (rest / 10) | 0 : Math.floor(rest / 10);
    codes[digitAt[k] as number] = 48 + (rest - q * 10);
    rest = q;
  }
}

/** The value currently held by a DigitLayout, as one flat string. */
export function layoutText(layout: DigitLayout): string {
  return String.fromCharCode.apply(null, layout.codes);
}

/** Writes `digits` into the pattern's digit slots in order; undefined unless the pattern has exactly that many digit slots and no letter slots. */
export function formatDigitsInPattern(p: CompiledPattern, digits: string): string | undefined {
  if (digits.length !== p.digitCount || p.letterCount > 0) return undefined;
  let out = '';
  let k = 0;
  for (const run of p.runs) {
    if (run.kind === 'literal') out += run.text;
    else {
      out += digits.slice(k, k + run.length);
      k += run.length;
    }
  }
  return out;
}
