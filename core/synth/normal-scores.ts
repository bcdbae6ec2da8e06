/**
 * Normal scores: the copula's view of a column. Each present value becomes Φ⁻¹ of its averaged
 * rank over (m + 1), so ties (repeated values, categories, booleans) share one score and the
 * scores of every column are standard-normal-like whatever its marginal distribution.
 */
import { normalQuantile } from './normal-distribution.js';

/** Normal scores of the non-NaN values (m of them, ranks 1..m, ties averaged); NaN stays NaN. */
export function normalScores(values: Float64Array): Float64Array {
  const n = values.length;
  const out = new Float64Array(n).fill(Number.NaN);
  let m = 0;
  for (let i = 0; i < n; i++) if (!Number.isNaN(values[i] as number)) m++;
  if (m === 0) return out;
  const order = new Uint32Array(m);
  for (let i = 0, k = 0; i < n; i++) if (!Number.isNaN(values[i] as number)) order[k++] = i;
  order.sort((a, b) => (values[a] as number) - (values[b] as number));
  let start = 0;
  while (start < m) {
    const v = values[order[start] as number] as number;
    let end = start + 1;
    while (end < m && values[order[end] as number] === v) end++;
    // Ranks start..end-1 (0-based) share the average 1-based rank (start + end + 1) / 2.
    const score = normalQuantile((start + end + 1) / 2 / (m + 1));
    for (let k = start; k < end; k++) out[order[k] as number] = score;
    start = end;
  }
  return out;
}
