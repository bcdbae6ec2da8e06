/**
 * The content-statistics classifier: uniqueness, length and character classes, which say what
 * sort of thing a column holds without knowing any format. It vetoes two-valued flags (they
 * cannot single anyone out), recognises unique fixed-shape keys (kind identifier, weakly),
 * varied prose (kind free_text), and doubts a name-announced text kind (names, cities) whose
 * values are mostly digits.
 */
import { SemanticType } from '../profile/index.js';
import { PhysicalType } from '../table.js';
import { percent, shareOf, type ColumnContext } from './column-context.js';
import { ClassifierName, PiiKind, type ClassifierContribution } from './types.js';

const KEY = 0.15;
const PROSE = 0.6;
const PROSE_MIN_MEAN_LENGTH = 20;
const PROSE_MIN_MEAN_WORDS = 3;
const PROSE_MIN_DISTINCT_SHARE = 0.5;
const DIGITS_AGAINST = -0.8;

const TEXT_KINDS: ReadonlySet<PiiKind> = new Set([
  PiiKind.FirstName,
  PiiKind.LastName,
  PiiKind.PersonName,
  PiiKind.City,
]);

const LOWER_WORD = /(?:^|[\s(])\p{Ll}{3,}(?=[\s,.;:!?)]|$)/gu;

/** Whether a text reads like a sentence: at least two lower-case words (addresses and names are capitalised). */
export function isSentenceLike(value: string): boolean {
  let n = 0;
  for (const _ of value.matchAll(LOWER_WORD)) if (++n >= 2) return true;
  return false;
}

/** Share of values that read like sentences. */
export function sentenceShare(sample: readonly string[]): number {
  if (sample.length === 0) return 0;
  let hits = 0;
  for (const v of sample) if (isSentenceLike(v)) hits++;
  return hits / sample.length;
}

/** Mean words and characters per sampled value. */
export function proseStats(sample: readonly string[]): { meanWords: number; meanLength: number } {
  let words = 0;
  let chars = 0;
  for (const v of sample) {
    chars += v.length;
    let inWord = false;
    for (let i = 0; i < v.length; i++) {
      const space = v.charCodeAt(i) <= 32;
      if (!space && !inWord) words++;
      inWord = !space;
    }
  }
  const n = Math.max(1, sample.length);
  return { meanWords: words / n, meanLength: chars / n };
}

/** The content-statistics classifier's contributions for one column. */
export function classifyByContentStats(ctx: ColumnContext): ClassifierContribution[] {
  const from = ClassifierName.ContentStats;
  const out: ClassifierContribution[] = [];
  if (ctx.column.type === PhysicalType.Boolean || ctx.semantic === SemanticType.Boolean) {
    return [
      { classifier: from, kind: PiiKind.None, score: 1, reason: 'two-valued flag: cannot identify a person' },
    ];
  }
  const p = ctx.profile;
  if (p !== undefined && p.count - p.nullCount >= 20 && p.distinctCount <= 2) {
    return [
      {
        classifier: from,
        kind: PiiKind.None,
        score: 1,
        reason: 'two distinct values: cannot identify a person',
      },
    ];
  }
  if (ctx.semantic === SemanticType.Identifier) {
    out.push({
      classifier: from,
      kind: PiiKind.Identifier,
      score: KEY,
      reason: 'values are unique keys with a fixed shape or sequence',
    });
  }
  const n = ctx.sample.length;
  if (ctx.stringStored && n > 0 && ctx.semantic === SemanticType.Text) {
    const { meanWords, meanLength } = proseStats(ctx.sample);
    const distinctShare =
      p === undefined || p.count === p.nullCount ? 1 : p.distinctCount / (p.count - p.nullCount);
    if (
      meanLength >= PROSE_MIN_MEAN_LENGTH &&
      meanWords >= PROSE_MIN_MEAN_WORDS &&
      distinctShare >= PROSE_MIN_DISTINCT_SHARE &&
      sentenceShare(ctx.sample.slice(0, 200)) >= 0.5
    ) {
      out.push({
        classifier: from,
        kind: PiiKind.FreeText,
        score: PROSE,
        reason: `values are varied prose (${meanWords.toFixed(1)} words on average)`,
      });
    }
  }
  if (ctx.nameKind !== undefined && TEXT_KINDS.has(ctx.nameKind) && ctx.stringStored && n >= 10) {
    const digits = shareOf(ctx.sample, (v) => /\d/.test(v));
    if (digits >= 0.5) {
      out.push({
        classifier: from,
        kind: ctx.nameKind,
        score: DIGITS_AGAINST,
        reason: `${percent(digits)} of ${n} sampled values contain digits, which names and places do not`,
      });
    }
  }
  return out;
}
