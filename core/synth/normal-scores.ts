/**
 * Normal scores: the copula's view of a column. Present values are ranked, and each group of
 * equal values (a category, a repeated number, one of the two states of "is null") gets the mean
 * of the standard normal over its slice of probability, E[Z | Φ⁻¹(a) < Z < Φ⁻¹(b)] for ranks
 * a·m..b·m. A column with many ties is a coarsened latent normal; its scores then correlate with
 * other columns less than the latent does, by exactly the scores' standard deviation, which
 * {@link NormalScores.attenuation} reports so the fit can undo it.
 */
import { normalQuantile } from './normal-distribution.js';

/** Normal scores of a column and how much its ties coarsen them. */
export interface NormalScores {
  /** One score per value; NaN where the value is NaN (missing). */
  scores: Float64Array;
  /** Standard deviation of the scores (1 without ties, less with them; 0 when constant or empty). */
  attenuation: number;
}

function normalDensityAtQuantile(p: number): number {
  if (p <= 0 || p >= 1) return 0;
  const x = normalQuantile(p);
  return Math.exp(-0.5 * x * x) / 2.5066282746310002;
}

/** Normal scores of the non-NaN values (m of them, ties grouped); NaN stays NaN. */
export function normalScoresOf(values: Float64Array): NormalScores {
  const n = values.length;
  const scores = new Float64Array(n).fill(Number.NaN);
  let m = 0;
  for (let i = 0; i < n; i++) if (!Number.isNaN(values[i] as number)) m++;
  if (m === 0) return { scores, attenuation: 0 };
  const order = new Uint32Array(m);
  for (let i = 0, k = 0; i < n; i++) if (!Number.isNaN(values[i] as number)) order[k++] = i;
  order.sort((a, b) => (values[a] as number) - (values[b] as number));
  let variance = 0;
  let start = 0;
  let densityAtStart = 0;
  while (start < m) {
    const v = values[order[start] as number] as number;
    let end = start + 1;
    while (end < m && values[order[end] as number] === v) end++;
    const densityAtEnd = normalDensityAtQuantile(end / m);
    const share = (end - start) / m;
    const score = (densityAtStart - densityAtEnd) / share;
    for (let k = start; k < end; k++) scores[order[k] as number] = score;
    variance += share * score * score;
    densityAtStart = densityAtEnd;
    start = end;
  }
  return { scores, attenuation: Math.sqrt(variance) };
}

/** Normal scores only (see {@link normalScoresOf}). */
export function normalScores(values: Float64Array): Float64Array {
  return normalScoresOf(values).scores;
}
