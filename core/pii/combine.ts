/**
 * One confidence per field from many classifiers' contributions.
 *
 * The rule, per kind k other than `none`:
 * - support(k) = 1 − Π (1 − s) over the positive scores s for k (noisy-OR: each classifier is
 *   treated as an independent witness, so two moderate witnesses beat one, and no single
 *   witness is needed);
 * - doubt(k) = Π (1 + s) over the negative scores for k, times Π (1 − s) over the positive
 *   scores for `none` (a veto such as "two-valued flag" weighs against every kind);
 * - confidence(k) = min(0.99, support(k) × doubt(k)), rounded to three decimals.
 * The kind with the highest confidence wins (ties: the higher single score, then the kind seen
 * first). When no kind has any support, the field is `none` at confidence 0.
 *
 * Negative and `none` evidence multiplies rather than subtracts so that strong support survives
 * weak doubt, and so that the order contributions arrive in (local first, outside classifiers
 * later) never changes the result.
 */
import { PiiKind, SENSITIVE_THRESHOLD, type ClassifierContribution } from './types.js';

/** The most any combination of evidence can give: the classifier is never certain. */
export const MAX_COMBINED_CONFIDENCE = 0.99;

/** What {@link combineContributions} decides for one field. */
export interface CombinedSensitivity {
  kind: PiiKind;
  confidence: number;
  /** confidence > threshold. */
  sensitive: boolean;
  /** The reasons of the contributions about the winning kind (strongest first), then any vetoes. */
  reasons: string[];
}

interface Tally {
  kind: PiiKind;
  miss: number;
  doubt: number;
  best: number;
  first: number;
  reasons: { score: number; reason: string }[];
}

/** Combines contributions into one kind and confidence by the rule in this module's comment. */
export function combineContributions(
  contributions: readonly ClassifierContribution[],
  threshold: number = SENSITIVE_THRESHOLD,
): CombinedSensitivity {
  const tallies = new Map<PiiKind, Tally>();
  let veto = 1;
  const vetoReasons: { score: number; reason: string }[] = [];
  const neutral: string[] = [];
  contributions.forEach((c, i) => {
    const score = Number.isFinite(c.score) ? Math.max(-1, Math.min(1, c.score)) : 0;
    if (c.kind === PiiKind.None) {
      if (score > 0) {
        veto *= 1 - score;
        vetoReasons.push({ score, reason: c.reason });
      } else neutral.push(c.reason);
      return;
    }
    let t = tallies.get(c.kind);
    if (t === undefined) {
      t = { kind: c.kind, miss: 1, doubt: 1, best: 0, first: i, reasons: [] };
      tallies.set(c.kind, t);
    }
    if (score > 0) {
      t.miss *= 1 - score;
      t.best = Math.max(t.best, score);
    } else if (score < 0) t.doubt *= 1 + score;
    t.reasons.push({ score, reason: c.reason });
  });

  let winner: { t: Tally; confidence: number } | undefined;
  for (const t of tallies.values()) {
    if (t.best === 0) continue;
    const confidence = round(Math.min(MAX_COMBINED_CONFIDENCE, (1 - t.miss) * t.doubt * veto));
    if (
      winner === undefined ||
      confidence > winner.confidence ||
      (confidence === winner.confidence &&
        (t.best > winner.t.best || (t.best === winner.t.best && t.first < winner.t.first)))
    ) {
      winner = { t, confidence };
    }
  }
  const byStrength = (a: { score: number }, b: { score: number }) => Math.abs(b.score) - Math.abs(a.score);
  if (winner === undefined) {
    const reasons = [...vetoReasons.sort(byStrength).map((r) => r.reason), ...neutral];
    return {
      kind: PiiKind.None,
      confidence: 0,
      sensitive: false,
      reasons: reasons.length > 0 ? reasons : ['no classifier found evidence of personal data'],
    };
  }
  // A stable sort keeps equally strong reasons in the order the classifiers gave them.
  const reasons = [...winner.t.reasons].sort(byStrength).map((r) => r.reason);
  for (const v of vetoReasons.sort(byStrength)) reasons.push(v.reason);
  return {
    kind: winner.t.kind,
    confidence: winner.confidence,
    sensitive: winner.confidence > threshold,
    reasons,
  };
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
