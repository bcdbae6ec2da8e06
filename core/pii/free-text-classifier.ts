/**
 * The free-text classifier: looks for PII spans (text-spans.ts) inside multi-word values and
 * reports which kinds it found in what share of them. Prose that carries personal data is
 * free_text at 0.85 (its spans are scrubbed on replacement, the rest of the text kept); prose
 * without any spans is left to the other classifiers.
 */
import { percent, type ColumnContext } from './column-context.js';
import { proseStats } from './stats-classifier.js';
import { findPiiSpans } from './text-spans.js';
import { ClassifierName, PiiKind, type ClassifierContribution } from './types.js';

/** How many values are scanned for spans (span search is slower than a validator). */
export const FREE_TEXT_SCAN_LIMIT = 200;
const MIN_MEAN_WORDS = 3;
const MIN_SHARE = 0.05;
const WITH_SPANS = 0.85;

/** The free-text classifier's contribution for one column, or none for columns that are not prose. */
export function classifyByFreeText(ctx: ColumnContext): ClassifierContribution[] {
  if (!ctx.checkable) return [];
  const step = Math.max(1, Math.floor(ctx.sample.length / FREE_TEXT_SCAN_LIMIT));
  const scanned: string[] = [];
  for (let i = 0; i < ctx.sample.length && scanned.length < FREE_TEXT_SCAN_LIMIT; i += step) scanned.push(ctx.sample[i] as string);
  if (proseStats(scanned).meanWords < MIN_MEAN_WORDS) return [];
  const byKind = new Map<PiiKind, number>();
  let withAny = 0;
  for (const v of scanned) {
    const kinds = new Set(findPiiSpans(v).map((s) => s.kind));
    if (kinds.size > 0) withAny++;
    for (const k of kinds) byKind.set(k, (byKind.get(k) ?? 0) + 1);
  }
  const n = scanned.length;
  const share = withAny / n;
  const from = ClassifierName.FreeText;
  if (share < MIN_SHARE) {
    return [{ classifier: from, kind: PiiKind.FreeText, score: 0, reason: `${percent(share)} of ${n} sampled texts contain personal data spans` }];
  }
  const detail = [...byKind.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([k, c]) => `${k} ${percent(c / n)}`)
    .join(', ');
  return [{ classifier: from, kind: PiiKind.FreeText, score: WITH_SPANS, reason: `${percent(share)} of ${n} sampled texts contain personal data spans (${detail})` }];
}
