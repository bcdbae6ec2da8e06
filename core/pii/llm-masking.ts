/**
 * Masking of example values before they leave the machine (to an LLM or any outside classifier):
 * only the shape of a value survives — where letters, digits, spaces and punctuation are — so a
 * model can tell `xxx.xxx@xxxxx.xxx` from `9999-9999-9999-9999` without seeing a single real
 * character of personal data.
 */
import type { CellValue } from '../table.js';

/** Options of {@link maskExample}. */
export interface MaskOptions {
  /**
   * Longest masked example kept, in code points; longer shapes are cut and end in `…`, because a
   * long text's shape says little more than its start and every character costs tokens.
   * @default 64
   */
  maxLength?: number;
}

const DEFAULT_MAX_LENGTH = 64;
const LETTER = /\p{L}/u;
const NUMBER = /\p{N}/u;
// Combining marks belong to the letter before them; kept, they would spell out accents of real names.
const MARK = /\p{M}/u;
const WHITESPACE = /\s/u;
const ASCII_PUNCTUATION = /[!-/:-@[-`{-~]/u;

/** The value with every letter replaced by `x`/`X` (by case), every digit by `9`, and punctuation kept. */
export function maskExample(value: string, options: MaskOptions = {}): string {
  const maxLength = Math.max(1, options.maxLength ?? DEFAULT_MAX_LENGTH);
  let out = '';
  let length = 0;
  for (const ch of value) {
    if (MARK.test(ch)) continue;
    if (length === maxLength) return out + '…';
    if (LETTER.test(ch)) out += ch !== ch.toLowerCase() ? 'X' : 'x';
    else if (NUMBER.test(ch)) out += '9';
    // Other code points that are neither letters, digits nor plain punctuation (symbols of other
    // scripts, private-use characters) could still carry meaning: only ASCII punctuation,
    // whitespace and our own cut mark pass through unchanged.
    else if (WHITESPACE.test(ch)) out += ' ';
    else if (ASCII_PUNCTUATION.test(ch) || ch === '…') out += ch;
    else out += '?';
    length++;
  }
  return out;
}

/**
 * Up to `max` distinct masked shapes from `values` (nulls and empty strings skipped), scanned at
 * evenly spaced positions so a sorted column still shows its variety.
 */
export function maskedExamplesOf(
  values: readonly CellValue[],
  max: number,
  options: MaskOptions = {},
): string[] {
  const shapes = new Set<string>();
  if (max <= 0 || values.length === 0) return [];
  // Visit every position once, in a stride order that spreads over the whole column first.
  const stride = Math.max(1, Math.floor(values.length / Math.max(1, max)));
  for (let offset = 0; offset < stride && shapes.size < max; offset++) {
    for (let i = offset; i < values.length && shapes.size < max; i += stride) {
      const v = values[i];
      if (v === null || v === undefined) continue;
      const text = String(v);
      if (text.length === 0) continue;
      shapes.add(maskExample(text, options));
    }
  }
  return [...shapes];
}
