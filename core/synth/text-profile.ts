/**
 * Free text without its words: the character-class profile of a text column (how much is upper
 * case, lower case, digits, spaces and punctuation, and which class follows which) and a generator
 * that writes values of the right length with that mix. Prose gets lorem sentences in the
 * column's letter case; codes and other non-prose text get chains of character classes, so
 * `AB-1234 x` style values come back with the same shape, never with the same characters.
 */
import type { Rng } from '../random/index.js';
import type { CellValue } from '../table.js';
import { createLengthSampler, loremOfLength } from './lorem.js';
import { CharClass, type TextColumnModel, type TextProfile } from './model.js';
import { getVocabulary } from './vocabulary.js';

/** Values looked at to profile a column. */
const PROFILE_SAMPLE = 2000;
/** Punctuation characters kept. */
const MAX_PUNCTUATION = 16;
const CLASSES = 5;
const START = 5;
const LETTER = /\p{L}/u;

/** The character class of one UTF-16 code unit. */
export function charClassOf(code: number): number {
  if (code >= 65 && code <= 90) return CharClass.Upper;
  if (code >= 97 && code <= 122) return CharClass.Lower;
  if (code >= 48 && code <= 57) return CharClass.Digit;
  if (code === 32 || code === 9 || code === 10 || code === 13) return CharClass.Space;
  if (code >= 128) {
    const ch = String.fromCharCode(code);
    if (LETTER.test(ch)) return ch !== ch.toUpperCase() ? CharClass.Lower : CharClass.Upper;
    if (/\s/.test(ch)) return CharClass.Space;
  }
  return CharClass.Punctuation;
}

/** The character profile of a text column's string values, or null when it has none. */
export function profileText(values: readonly CellValue[]): TextProfile | null {
  const strings: string[] = [];
  for (const v of values) if (typeof v === 'string' && v.length > 0) strings.push(v);
  if (strings.length === 0) return null;
  const step = Math.max(1, Math.floor(strings.length / PROFILE_SAMPLE));
  const counts = new Float64Array(CLASSES);
  const pairs = Array.from({ length: CLASSES + 1 }, () => new Float64Array(CLASSES));
  const punctuation = new Map<string, number>();
  for (let i = 0; i < strings.length; i += step) {
    const s = strings[i] as string;
    let previous = START;
    for (let k = 0; k < s.length; k++) {
      const code = s.charCodeAt(k);
      const c = charClassOf(code);
      counts[c] = (counts[c] as number) + 1;
      const row = pairs[previous] as Float64Array;
      row[c] = (row[c] as number) + 1;
      // Only printable ASCII punctuation is kept: a character set, never a value.
      if (c === CharClass.Punctuation && code >= 33 && code < 127) {
        const ch = s.charAt(k);
        punctuation.set(ch, (punctuation.get(ch) ?? 0) + 1);
      }
      previous = c;
    }
  }
  const total = counts.reduce((a, b) => a + b, 0);
  const classShares = Array.from(counts, (c) => c / total);
  const transitions = pairs.map((row) => {
    const sum = row.reduce((a, b) => a + b, 0);
    // A class never seen before another falls back to the overall mix.
    return sum > 0 ? Array.from(row, (c) => c / sum) : [...classShares];
  });
  const letters = (classShares[CharClass.Upper] as number) + (classShares[CharClass.Lower] as number);
  const space = classShares[CharClass.Space] as number;
  const prose = space >= 0.05 && letters / Math.max(1e-12, 1 - space) >= 0.85;
  const punctuationChars = [...punctuation.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, MAX_PUNCTUATION)
    .map((e) => e[0])
    .join('');
  return { prose, classShares, transitions, punctuation: punctuationChars };
}

/** Produces one text value per call. */
export type TextGenerator = (rng: Rng) => string;

/** The generator of a text column's values. */
export function createTextGenerator(column: TextColumnModel): TextGenerator {
  const sampleLength = createLengthSampler(column.length);
  const profile = column.profile;
  const words = getVocabulary().loremWords;
  if (profile === null || profile.prose) {
    const upper = profile?.classShares[CharClass.Upper] ?? 0;
    const lower = profile?.classShares[CharClass.Lower] ?? 1;
    const upperShare = upper / Math.max(1e-12, upper + lower);
    if (profile !== null && upperShare > 0.7)
      return (rng) => loremOfLength(words, sampleLength(rng), rng).toUpperCase();
    if (profile !== null && upperShare < 0.002)
      return (rng) => loremOfLength(words, sampleLength(rng), rng).toLowerCase();
    return (rng) => loremOfLength(words, sampleLength(rng), rng);
  }
  return classChainGenerator(profile, sampleLength);
}

function classChainGenerator(profile: TextProfile, sampleLength: (rng: Rng) => number): TextGenerator {
  // Cumulative transition rows, flat: row r occupies [r·5, r·5 + 5).
  const cumulative = new Float64Array((CLASSES + 1) * CLASSES);
  profile.transitions.forEach((row, r) => {
    let sum = 0;
    for (let c = 0; c < CLASSES; c++) {
      sum += row[c] ?? 0;
      cumulative[r * CLASSES + c] = sum;
    }
    for (let c = 0; c < CLASSES; c++)
      cumulative[r * CLASSES + c] = (cumulative[r * CLASSES + c] as number) / (sum || 1);
  });
  const punctuation = profile.punctuation.length > 0 ? profile.punctuation : '-';
  const codes: number[] = [];
  return (rng) => {
    const n = sampleLength(rng);
    codes.length = 0;
    let previous = START;
    for (let k = 0; k < n; k++) {
      const u = rng.nextDouble();
      const base = previous * CLASSES;
      let c = 0;
      while (c < CLASSES - 1 && u > (cumulative[base + c] as number)) c++;
      // Values never start or end with a space (trimmed data would not have them).
      if (c === CharClass.Space && (k === 0 || k === n - 1)) c = CharClass.Lower;
      let code: number;
      switch (c) {
        case CharClass.Upper:
          code = 65 + rng.nextInt(26);
          break;
        case CharClass.Lower:
          code = 97 + rng.nextInt(26);
          break;
        case CharClass.Digit:
          code = 48 + rng.nextInt(10);
          break;
        case CharClass.Space:
          code = 32;
          break;
        default:
          code = punctuation.charCodeAt(rng.nextInt(punctuation.length));
      }
      codes.push(code);
      previous = c;
    }
    let out = '';
    for (let k = 0; k < codes.length; k += 4096)
      out += String.fromCharCode.apply(null, codes.slice(k, k + 4096));
    return out;
  };
}
