/**
 * The small dense linear algebra the copula needs: Pearson correlation of normal scores,
 * Cholesky factorisation, and shrinkage toward the identity for matrices that are not
 * positive-definite (pairwise-complete correlations and near-collinear columns produce those).
 */

/** Smallest Cholesky pivot accepted as "positive-definite enough" to sample from stably. */
export const MIN_PIVOT = 1e-8;

/**
 * Lower-triangular Cholesky factor L (row-major, n×n) of a symmetric matrix, so that A = L·Lᵀ;
 * undefined when a pivot falls below {@link MIN_PIVOT} (the matrix is not safely positive-definite).
 */
export function choleskyLower(a: ArrayLike<number>, n: number): Float64Array | undefined {
  const l = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = a[i * n + j] as number;
      for (let k = 0; k < j; k++) sum -= (l[i * n + k] as number) * (l[j * n + k] as number);
      if (i === j) {
        if (!(sum > MIN_PIVOT)) return undefined;
        l[i * n + i] = Math.sqrt(sum);
      } else {
        l[i * n + j] = sum / (l[j * n + j] as number);
      }
    }
  }
  return l;
}

/** A correlation matrix made safe to factorise, and how far it had to be shrunk toward the identity. */
export interface RegularizedCorrelation {
  matrix: number[][];
  /** λ in (1 − λ)·R + λ·I; 0 when R was already positive-definite. */
  shrinkage: number;
}

/**
 * Symmetrises R, forces a unit diagonal and off-diagonals into [−1, 1] (non-finite → 0), then
 * shrinks toward the identity by the smallest λ (to 1e-6) for which Cholesky succeeds.
 */
export function regularizeCorrelation(r: readonly (readonly number[])[]): RegularizedCorrelation {
  const n = r.length;
  const base = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    base[i * n + i] = 1;
    for (let j = 0; j < i; j++) {
      const a = r[i]?.[j] ?? 0;
      const b = r[j]?.[i] ?? 0;
      let v = (a + b) / 2;
      if (!Number.isFinite(v)) v = 0;
      v = Math.max(-1, Math.min(1, v));
      base[i * n + j] = v;
      base[j * n + i] = v;
    }
  }
  let shrinkage = 0;
  if (choleskyLower(base, n) === undefined) {
    // Bisection on λ: positive-definiteness is monotone in λ because the eigenvalues move linearly toward 1.
    let lo = 0;
    let hi = 1;
    while (hi - lo > 1e-6) {
      const mid = (lo + hi) / 2;
      if (choleskyLower(shrink(base, n, mid), n) === undefined) lo = mid;
      else hi = mid;
    }
    shrinkage = hi;
  }
  const out = shrinkage > 0 ? shrink(base, n, shrinkage) : base;
  const matrix: number[][] = [];
  for (let i = 0; i < n; i++) matrix.push(Array.from(out.subarray(i * n, i * n + n)));
  return { matrix, shrinkage };
}

function shrink(base: Float64Array, n: number, lambda: number): Float64Array {
  const out = new Float64Array(n * n);
  for (let i = 0; i < n * n; i++) out[i] = (1 - lambda) * (base[i] as number);
  for (let i = 0; i < n; i++) out[i * n + i] = 1;
  return out;
}

/**
 * Pearson correlation matrix of the given columns; NaN marks a missing value and each pair uses
 * the rows where both are present (pairwise-complete). Pairs with fewer than three common rows or
 * no variance get 0, which is what "no evidence of dependence" should sample as.
 */
export function pearsonMatrix(columns: readonly Float64Array[]): number[][] {
  const d = columns.length;
  const out: number[][] = Array.from({ length: d }, (_, i) =>
    Array.from({ length: d }, (_, j) => (i === j ? 1 : 0)),
  );
  const complete = columns.map((c) => !c.some(Number.isNaN));
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < i; j++) {
      const a = columns[i] as Float64Array;
      const b = columns[j] as Float64Array;
      const v = complete[i] && complete[j] ? pearsonComplete(a, b) : pearsonPairwise(a, b);
      (out[i] as number[])[j] = v;
      (out[j] as number[])[i] = v;
    }
  }
  return out;
}

/** Pearson correlation of two equally long arrays without missing values (0 when either is constant). */
export function pearsonComplete(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  if (n < 3) return 0;
  let ma = 0;
  let mb = 0;
  for (let k = 0; k < n; k++) {
    ma += a[k] as number;
    mb += b[k] as number;
  }
  ma /= n;
  mb /= n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let k = 0; k < n; k++) {
    const x = (a[k] as number) - ma;
    const y = (b[k] as number) - mb;
    sab += x * y;
    saa += x * x;
    sbb += y * y;
  }
  return saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : 0;
}

function pearsonPairwise(a: Float64Array, b: Float64Array): number {
  const n = a.length;
  let count = 0;
  let ma = 0;
  let mb = 0;
  for (let k = 0; k < n; k++) {
    const x = a[k] as number;
    const y = b[k] as number;
    if (x === x && y === y) {
      count++;
      ma += x;
      mb += y;
    }
  }
  if (count < 3) return 0;
  ma /= count;
  mb /= count;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let k = 0; k < n; k++) {
    const x = (a[k] as number) - ma;
    const y = (b[k] as number) - mb;
    if (x === x && y === y) {
      sab += x * y;
      saa += x * x;
      sbb += y * y;
    }
  }
  return saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : 0;
}
