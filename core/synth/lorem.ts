/**
 * Lorem text of a target length, for free-text columns: real free text can hold personal data,
 * so its words are never learned from the sample; only the length statistics are kept.
 */
import type { Rng } from '../random/index.js';
import type { LengthStats } from './model.js';

/**
 * A length in [min, max] whose expectation is `mean`: min + (max − min)·U^k with k chosen so
 * that E[U^k] = 1/(k + 1) matches (mean − min)/(max − min); cheap and right in all three stats.
 */
export function createLengthSampler(stats: LengthStats): (rng: Rng) => number {
  const min = Math.max(0, Math.round(stats.min));
  const max = Math.max(min, Math.round(stats.max));
  const span = max - min;
  if (span === 0) return () => min;
  const share = Math.min(1, Math.max(0, (stats.mean - min) / span));
  if (share <= 0) return () => min;
  if (share >= 1) return () => max;
  const k = 1 / share - 1;
  return (rng) => min + Math.round(span * rng.nextDouble() ** k);
}

/** A word list grouped by length, so the last word of a text can be chosen to fit exactly. */
export interface LoremWords {
  all: readonly string[];
  /** byLength[n] = the words of length n (possibly empty). */
  byLength: readonly (readonly string[])[];
  /** Length of the longest word. */
  maxLength: number;
  /** Each word with its first letter upper-cased, for sentence starts. */
  capitalized: ReadonlyMap<string, string>;
}

/** Groups a word list by length. */
export function groupWords(words: readonly string[]): LoremWords {
  const nonEmpty = words.filter((w) => w.length > 0);
  const all = nonEmpty.length > 0 ? nonEmpty : ['a'];
  const maxLength = Math.max(...all.map((w) => w.length));
  const byLength: string[][] = Array.from({ length: maxLength + 1 }, () => []);
  for (const w of all) byLength[w.length]?.push(w);
  const capitalized = new Map(all.map((w) => [w, w.charAt(0).toUpperCase() + w.slice(1)]));
  return { all, byLength, maxLength, capitalized };
}

/** Pieces of the text being built, joined once: a flat string instead of a concatenation tree per value. */
const parts: string[] = [];

/**
 * Sentences of lorem words exactly `length` characters long (ending in a full stop), whenever
 * the word list has a word of every short length; never longer than `length`.
 */
export function loremOfLength(words: LoremWords, length: number, rng: Rng): string {
  if (length <= 0) return '';
  parts.length = 0;
  let written = 0;
  // Characters left before the closing full stop.
  let budget = length - 1;
  if (budget === 0) return pickShort(words, 1, rng) ?? '.';
  let sentenceWords = 0;
  let sentenceTarget = 6 + rng.nextInt(8);
  while (budget > 0) {
    const sep = written === 0 ? 0 : 1;
    const room = budget - sep;
    if (room <= 0) break;
    const exact = room <= words.maxLength ? words.byLength[room] : undefined;
    let word: string | undefined;
    let last = false;
    if (exact !== undefined && exact.length > 0 && (room <= 3 || rng.nextInt(3) === 0)) {
      word = exact[rng.nextInt(exact.length)] as string;
      last = true;
    } else {
      // Leave at least two characters (a space and a letter) so the text can still end exactly.
      for (let attempt = 0; attempt < 8 && word === undefined; attempt++) {
        const candidate = words.all[rng.nextInt(words.all.length)] as string;
        if (candidate.length <= room - 2) word = candidate;
      }
      word ??= pickShort(words, room - 2, rng);
      if (word === undefined) {
        if (exact === undefined || exact.length === 0) break;
        word = exact[rng.nextInt(exact.length)] as string;
        last = true;
      }
    }
    if (sep === 1) parts.push(' ');
    parts.push(sentenceWords === 0 ? (words.capitalized.get(word) ?? word) : word);
    written += sep + word.length;
    budget -= sep + word.length;
    sentenceWords++;
    if (last) break;
    if (sentenceWords >= sentenceTarget && budget >= 4) {
      parts.push('.');
      written++;
      budget--;
      sentenceWords = 0;
      sentenceTarget = 6 + rng.nextInt(8);
    }
  }
  parts.push('.');
  return parts.join('');
}

/** A random word of length at most `limit`, preferring the longest available length. */
function pickShort(words: LoremWords, limit: number, rng: Rng): string | undefined {
  for (let n = Math.min(limit, words.maxLength); n >= 1; n--) {
    const list = words.byLength[n];
    if (list !== undefined && list.length > 0) return list[rng.nextInt(list.length)];
  }
  return undefined;
}
