/**
 * Values that follow a profiled shape pattern (A = letter, 9 = digit, anything else literal, as
 * produced by core/profile). Patterns compile into runs, and runs draw whole zero-padded groups
 * from lookup tables ("0000".."9999", "AA".."ZZ"): one table lookup per group instead of one
 * string concatenation per character.
 */
import type { Rng } from '../random/index.js';

const DIGIT_GROUP = 4;
const LETTER_GROUP = 2;

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
    const low = first && noLeadingZero ? 10 ** (n - 1) : 0;
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
