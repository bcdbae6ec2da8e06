/**
 * KSComplement as defined by SDMetrics: 1 − the two-sample Kolmogorov–Smirnov statistic D
 * (scipy's ks_2samp), after dropping missing values and rounding to 14 decimals like SDMetrics
 * does, so that floating-point noise does not split ties.
 */

/** SDMetrics rounds to sys.float_info.dig − 1 = 14 decimals before the test. */
const ROUND_SCALE = 1e14;

/**
 * 1 − sup |F_real − F_synthetic| over the non-missing (finite) values; NaN when either side has
 * none (SDMetrics returns NaN there too). O(n log n).
 */
export function ksComplement(real: ArrayLike<number>, synthetic: ArrayLike<number>): number {
  const a = sortedFinite(real);
  const b = sortedFinite(synthetic);
  if (a.length === 0 || b.length === 0) return Number.NaN;
  return 1 - ksStatisticSorted(a, b);
}

/** Two-sample KS statistic of two sorted arrays: the largest gap between their empirical CDFs. */
export function ksStatisticSorted(a: Float64Array, b: Float64Array): number {
  const n = a.length;
  const m = b.length;
  let i = 0;
  let j = 0;
  let d = 0;
  while (i < n && j < m) {
    const x = Math.min(a[i] as number, b[j] as number);
    // Step both CDFs past every copy of x before comparing: ties move together.
    while (i < n && a[i] === x) i++;
    while (j < m && b[j] === x) j++;
    const gap = Math.abs(i / n - j / m);
    if (gap > d) d = gap;
  }
  return d;
}

function sortedFinite(values: ArrayLike<number>): Float64Array {
  const out = new Float64Array(values.length);
  let k = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v === 'number' && Number.isFinite(v)) out[k++] = roundLikeNumpy(v);
  }
  return out.subarray(0, k).sort();
}

/** numpy.round(v, 14): scale, round half to even, unscale (values too large to have 14 decimals stay as they are). */
function roundLikeNumpy(v: number): number {
  const scaled = v * ROUND_SCALE;
  if (!Number.isFinite(scaled) || Math.abs(scaled) >= 2 ** 52) return v;
  let r = Math.round(scaled);
  if (r - scaled === 0.5 && r % 2 !== 0) r -= 1;
  return r / ROUND_SCALE + 0;
}
