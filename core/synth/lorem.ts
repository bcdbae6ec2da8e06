/**
 * Lorem text of a target length, for free-text columns: real free text can hold personal data,
 * so its words are never learned from the sample; only the length statistics are kept.
 */
import type { Rng } from '../random/index.js';
import type { LengthStats } from './model.js';

/**
 * A length in [min, max] whose expectation is `mean`: min + (max − min)·U^k with k chosen so
 * that E[U^k] = 1/(k + 1) matches (mean − min)/(max − min); cheap and exact in all three stats.
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

/** Sentences of lorem words, at most `length` characters long (and at least one word when length > 0). */
export function loremOfLength(words: readonly string[], length: number, rng: Rng): string {
  if (length <= 0) return '';
  let out = '';
  let sentenceWords = 0;
  while (true) {
    let word = words[rng.nextInt(words.length)] as string;
    if (sentenceWords === 0) word = word.charAt(0).toUpperCase() + word.slice(1);
    const sep = out.length === 0 ? '' : ' ';
    // Room for the word plus the closing full stop.
    if (out.length + sep.length + word.length + 1 > length) {
      if (out.length === 0) return word.slice(0, length);
      break;
    }
    out += sep + word;
    sentenceWords++;
    if (sentenceWords >= 6 + rng.nextInt(8) && out.length + 3 < length) {
      out += '.';
      sentenceWords = 0;
    }
  }
  return out.endsWith('.') ? out : `${out}.`;
}
