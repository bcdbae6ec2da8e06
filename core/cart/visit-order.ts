/**
 * The visit sequence of the modelled columns. Every column is predicted from all columns before
 * it, so in principle any order reaches the joint distribution; with finite trees it matters which
 * columns come first. 'auto' orders by mutual information over the predictor codes: it starts with
 * the column most informative about all others, then repeatedly takes the column sharing the most
 * information with those already chosen, so each tree finds its strongest predictors in place.
 */
import type { PredictorCodes } from './column-encoding.js';

/** How the visit sequence is chosen. */
export const VisitOrder = {
  /** The table's column order (synthpop's default). */
  Source: 'source',
  /** Greedy by mutual information. */
  Auto: 'auto',
} as const;
/** One of {@link VisitOrder}. */
export type VisitOrder = (typeof VisitOrder)[keyof typeof VisitOrder];

/** Rows used to estimate mutual information (evenly spaced): plenty for tables of ≤ 65 codes. */
const MI_ROWS = 20_000;

/** Column indices in visit order. */
export function chooseVisitOrder(
  columns: readonly { index: number; predictor: PredictorCodes }[],
  order: VisitOrder,
): number[] {
  if (order === 'source' || columns.length <= 2) return columns.map((c) => c.index);
  const p = columns.length;
  const info = new Float64Array(p * p);
  for (let i = 0; i < p; i++) {
    for (let j = i + 1; j < p; j++) {
      const v = normalizedMutualInformation(
        (columns[i] as { predictor: PredictorCodes }).predictor,
        (columns[j] as { predictor: PredictorCodes }).predictor,
      );
      info[i * p + j] = v;
      info[j * p + i] = v;
    }
  }
  const chosen: number[] = [];
  const taken = new Uint8Array(p);
  const score = new Float64Array(p);
  // Start with the column most informative about all others.
  for (let i = 0; i < p; i++)
    for (let j = 0; j < p; j++) score[i] = (score[i] as number) + (info[i * p + j] as number);
  while (chosen.length < p) {
    let best = -1;
    for (let i = 0; i < p; i++) {
      if (taken[i] === 1) continue;
      if (best < 0 || (score[i] as number) > (score[best] as number)) best = i;
    }
    taken[best] = 1;
    chosen.push(best);
    // From now on, rank by information shared with the chosen columns.
    if (chosen.length === 1) score.fill(0);
    for (let i = 0; i < p; i++) score[i] = (score[i] as number) + (info[i * p + best] as number);
  }
  return chosen.map((i) => (columns[i] as { index: number }).index);
}

/** I(a;b) / min(H(a), H(b)) over evenly spaced rows; 0 when either side is constant. */
function normalizedMutualInformation(a: PredictorCodes, b: PredictorCodes): number {
  const n = Math.min(a.codes.length, b.codes.length);
  if (n === 0) return 0;
  const step = Math.max(1, Math.floor(n / MI_ROWS));
  const ka = a.codeCount;
  const kb = b.codeCount;
  const joint = new Float64Array(ka * kb);
  const ma = new Float64Array(ka);
  const mb = new Float64Array(kb);
  let total = 0;
  for (let i = 0; i < n; i += step) {
    const x = a.codes[i] as number;
    const y = b.codes[i] as number;
    joint[x * kb + y] = (joint[x * kb + y] as number) + 1;
    ma[x] = (ma[x] as number) + 1;
    mb[y] = (mb[y] as number) + 1;
    total++;
  }
  const ha = entropy(ma, total);
  const hb = entropy(mb, total);
  const h = Math.min(ha, hb);
  if (h <= 0) return 0;
  let mi = 0;
  for (let x = 0; x < ka; x++) {
    const px = (ma[x] as number) / total;
    if (px === 0) continue;
    for (let y = 0; y < kb; y++) {
      const pxy = (joint[x * kb + y] as number) / total;
      if (pxy === 0) continue;
      mi += pxy * Math.log(pxy / (px * ((mb[y] as number) / total)));
    }
  }
  return Math.max(0, mi) / h;
}

function entropy(counts: Float64Array, total: number): number {
  let h = 0;
  for (let i = 0; i < counts.length; i++) {
    const p = (counts[i] as number) / total;
    if (p > 0) h -= p * Math.log(p);
  }
  return h;
}
