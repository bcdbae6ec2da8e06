/** Pearson correlation matrices of numeric columns, each pair over the rows where both are present. */

/** Pearson's r of two aligned columns over the rows where both are finite; null when undefined (constant or fewer than two rows). */
export function pearson(x: Float64Array, y: Float64Array): number | null {
  let n = 0;
  let sx = 0;
  let sy = 0;
  for (let i = 0; i < x.length; i++) {
    const a = x[i] as number;
    const b = y[i] as number;
    if (Number.isFinite(a) && Number.isFinite(b)) {
      n++;
      sx += a;
      sy += b;
    }
  }
  if (n < 2) return null;
  const mx = sx / n;
  const my = sy / n;
  let sxx = 0;
  let syy = 0;
  let sxy = 0;
  // Centred second pass: one-pass sums lose everything to cancellation on epoch-millisecond columns.
  for (let i = 0; i < x.length; i++) {
    const a = x[i] as number;
    const b = y[i] as number;
    if (Number.isFinite(a) && Number.isFinite(b)) {
      const da = a - mx;
      const db = b - my;
      sxx += da * da;
      syy += db * db;
      sxy += da * db;
    }
  }
  if (sxx === 0 || syy === 0) return null;
  return Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy)));
}

/** The symmetric matrix of pairwise Pearson correlations (1 on the diagonal of non-constant columns). */
export function correlationMatrix(columns: readonly Float64Array[]): (number | null)[][] {
  const k = columns.length;
  const m: (number | null)[][] = Array.from({ length: k }, () => new Array<number | null>(k).fill(null));
  for (let i = 0; i < k; i++) {
    const ci = columns[i] as Float64Array;
    (m[i] as (number | null)[])[i] = pearson(ci, ci) === null ? null : 1;
    for (let j = i + 1; j < k; j++) {
      const r = pearson(ci, columns[j] as Float64Array);
      (m[i] as (number | null)[])[j] = r;
      (m[j] as (number | null)[])[i] = r;
    }
  }
  return m;
}

/** Element-wise b − a (null where either is null). */
export function matrixDifference(a: (number | null)[][], b: (number | null)[][]): (number | null)[][] {
  return a.map((row, i) =>
    row.map((x, j) => {
      const y = b[i]?.[j] ?? null;
      return x === null || y === null ? null : y - x;
    }),
  );
}
