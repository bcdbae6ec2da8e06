/**
 * The free-text classifier: looks for PII spans (text-spans.ts) inside multi-word values and
 * reports which kinds it found in what share of them. Prose that carries personal data is
 * free_text at 0.85 as soon as one scanned text has a span (its spans are scrubbed on
 * replacement, the rest of the text kept); when at least 100 scanned texts have none, it speaks
 * against free_text with −0.3, so a prose name plus prose shape (0.76) drops to 0.53.
 */
import { percent, type ColumnContext } from './column-context.js';
import { proseStats, sentenceShare } from './stats-classifier.js';
import { findPiiSpans } from './text-spans.js';
import { ClassifierName, PiiKind, type ClassifierContribution } from './types.js';

/** How many values are scanned for spans (span search is slower than a validator). */
export const FREE_TEXT_SCAN_LIMIT = 200;
const MIN_MEAN_WORDS = 3;
const WITH_SPANS = 0.85;
/** Below this many scanned texts, finding no spans proves little. */
const CLEAN_MIN_SCANNED = 100;
const CLEAN = -0.3;

/** The free-text classifier's contribution for one column, or none for columns that are not prose. */
export function classifyByFreeText(ctx: ColumnContext): ClassifierContribution[] {
  // A column named for another kind (an address line holds names by design) is that kind, not prose.
  if (!ctx.checkable || (ctx.nameKind !== undefined && ctx.nameKind !== PiiKind.FreeText)) return [];
  const step = Math.max(1, Math.floor(ctx.sample.length / FREE_TEXT_SCAN_LIMIT));
  const scanned: string[] = [];
  for (let i = 0; i < ctx.sample.length && scanned.length < FREE_TEXT_SCAN_LIMIT; i += step)
    scanned.push(ctx.sample[i] as string);
  // A prose column name is trusted for short notes (`Call Ann Lee at …` has no lower-case words).
  const named = ctx.nameKind === PiiKind.FreeText;
  if (proseStats(scanned).meanWords < MIN_MEAN_WORDS || (!named && sentenceShare(scanned) < 0.5)) return [];
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
  if (withAny === 0) {
    // Many clean texts are evidence the column is catalogue or system text; the leak check stays the backstop.
    const score = n >= CLEAN_MIN_SCANNED ? CLEAN : 0;
    return [
      {
        classifier: from,
        kind: PiiKind.FreeText,
        score,
        reason: `none of ${n} sampled texts contains a personal data span`,
      },
    ];
  }
  const detail = [...byKind.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([k, c]) => `${k} ${percent(c / n)}`)
    .join(', ');
  return [
    {
      classifier: from,
      kind: PiiKind.FreeText,
      score: WITH_SPANS,
      reason: `${percent(share)} of ${n} sampled texts contain personal data spans (${detail})`,
    },
  ];
}
