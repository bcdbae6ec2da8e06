/**
 * The two-sample Kolmogorov–Smirnov test as scipy.stats.ks_2samp (two-sided, method 'auto'):
 * the exact null distribution by lattice-path counting when neither sample exceeds 10,000
 * values, otherwise the one-sample Kolmogorov distribution kstwo(round(n·m/(n+m))) — computed
 * the way scipy's kolmogn does (Ruben–Gambino tails, Smirnov's one-sided sum, the
 * Marsaglia–Tsang–Wang matrix power, and the Pelz–Good series), so that p-values agree with
 * scipy's rather than with the limiting distribution's.
 */
import { logGamma } from '../synth/special-functions.js';

/** scipy's ks_2samp 'auto' is exact up to this many values per sample. */
const MAX_EXACT_N = 10_000;

/** Result of {@link ksTwoSample}. */
export interface KsTwoSampleResult {
  statistic: number;
  pValue: number;
  method: 'exact' | 'asymptotic';
}

/** The two-sided two-sample KS test on two ascending-sorted, non-empty samples. */
export function ksTwoSample(a: Float64Array, b: Float64Array): KsTwoSampleResult {
  const n1 = a.length;
  const n2 = b.length;
  if (n1 === 0 || n2 === 0) throw new RangeError('ks_2samp needs two non-empty samples');
  let d = ksStatistic(a, b);
  if (Math.max(n1, n2) <= MAX_EXACT_N) {
    const g = gcd(n1, n2);
    const lcm = (n1 / g) * n2;
    const h = Math.round(d * lcm);
    d = h / lcm;
    if (h === 0) return { statistic: d, pValue: 1, method: 'exact' };
    const p = n1 === n2 ? probOutsideSquare(n1, h) : outerProbInside(n1, n2, g, h);
    if (Number.isFinite(p) && p >= 0 && p <= 1) return { statistic: d, pValue: p, method: 'exact' };
  }
  const m = Math.max(n1, n2);
  const n = Math.min(n1, n2);
  const en = Math.round((m * n) / (m + n));
  return { statistic: d, pValue: clip01(kolmogorovSf(en, d)), method: 'asymptotic' };
}

/** sup |F_a − F_b| of two sorted samples (ties step together, like searchsorted side='right'). */
export function ksStatistic(a: Float64Array, b: Float64Array): number {
  const n = a.length;
  const m = b.length;
  let i = 0;
  let j = 0;
  let d = 0;
  while (i < n && j < m) {
    const x = Math.min(a[i] as number, b[j] as number);
    while (i < n && a[i] === x) i++;
    while (j < m && b[j] === x) j++;
    const gap = Math.abs(i / n - j / m);
    if (gap > d) d = gap;
  }
  return d;
}

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

function clip01(p: number): number {
  return Math.min(1, Math.max(0, p));
}

/** P(D_{n,n} ≥ h/n) by scipy's Horner-like alternating sum. */
function probOutsideSquare(n: number, h: number): number {
  let p = 0;
  for (let k = Math.floor(n / h); k >= 0; k--) {
    let p1 = 1;
    for (let j = 0; j < h; j++) p1 = ((n - k * h - j) * p1) / (n + k * h + j + 1);
    p = p1 * (1 - p);
  }
  return 2 * p;
}

/**
 * Share of lattice paths from (0,0) to (m,n) that leave the band |x/m − y/n| < h/lcm, by one
 * sliding column of path probabilities (scipy's _compute_outer_prob_inside_method).
 */
function outerProbInside(m0: number, n0: number, g: number, h: number): number {
  const m = Math.max(m0, n0);
  const n = Math.min(m0, n0);
  const mg = m / g;
  const ng = n / g;
  let minj = 0;
  let maxj = Math.min(Math.ceil(h / mg), n + 1);
  let curlen = maxj - minj;
  const lenA = Math.min(2 * maxj + 2, n + 1);
  const A = new Float64Array(Math.max(lenA, n + 2)).fill(1);
  for (let j = minj; j < maxj; j++) A[j] = 0;
  for (let i = 1; i <= m; i++) {
    const lastminj = minj;
    const lastlen = curlen;
    minj = Math.min(Math.max(Math.floor((ng * i - h) / mg) + 1, 0), n);
    maxj = Math.min(Math.ceil((ng * i + h) / mg), n + 1);
    if (maxj <= minj) return 1;
    let val = minj === 0 ? 0 : 1;
    for (let jj = 0; jj < maxj - minj; jj++) {
      const j = jj + minj;
      val = ((A[jj + minj - lastminj] as number) * i + val * j) / (i + j);
      A[jj] = val;
    }
    curlen = maxj - minj;
    for (let k = curlen; k < curlen + Math.max(0, lastlen - curlen); k++) A[k] = 1;
  }
  return A[maxj - minj - 1] as number;
}

/** Survival function of the one-sample Kolmogorov statistic D_n at x (scipy's kstwo.sf). */
export function kolmogorovSf(n: number, x: number): number {
  if (x >= 1) return 0;
  if (x <= 0) return 1;
  const t = n * x;
  if (t <= 1) {
    if (t <= 0.5) return 1;
    // Ruben–Gambino: P(D_n ≤ x) = n!/nⁿ · (2t − 1)ⁿ.
    const cdf = Math.exp(logGamma(n + 1) - n * Math.log(n) + n * Math.log(2 * t - 1));
    return 1 - cdf;
  }
  if (t >= n - 1) return 2 * Math.pow(1 - x, n);
  if (x >= 0.5) return 2 * smirnovSf(n, x);
  const nx2 = t * x;
  if (n <= 140) {
    if (nx2 <= 4) return 1 - kolmogorovCdfMtw(n, x);
    return 2 * smirnovSf(n, x);
  }
  if (nx2 >= 370) return 0;
  if (nx2 >= 2.2) return 2 * smirnovSf(n, x);
  if (nx2 >= 18) return 0;
  if (n <= 100_000 && n * Math.pow(x, 1.5) <= 1.4) return 1 - kolmogorovCdfMtw(n, x);
  return 1 - pelzGoodCdf(n, x);
}

/** P(D⁺_n ≥ x), the one-sided Smirnov statistic, by the Birnbaum–Tingey sum in log space. */
export function smirnovSf(n: number, x: number): number {
  if (x >= 1) return 0;
  if (x <= 0) return 1;
  const top = Math.floor(n * (1 - x));
  const lnN = logGamma(n + 1);
  let sum = 0;
  for (let j = 0; j <= top; j++) {
    const a = x + j / n;
    const b = 1 - x - j / n;
    if (b <= 0) {
      if (j === n) sum += Math.exp(Math.log(x) + (j - 1) * Math.log(a));
      continue;
    }
    const lnTerm =
      lnN -
      logGamma(j + 1) -
      logGamma(n - j + 1) +
      Math.log(x) +
      (j - 1) * Math.log(a) +
      (n - j) * Math.log(b);
    sum += Math.exp(lnTerm);
  }
  return sum;
}

/** P(D_n < x) by the Marsaglia–Tsang–Wang (2003) matrix power, with exponent tracking. */
function kolmogorovCdfMtw(n: number, d: number): number {
  const k = Math.floor(n * d) + 1;
  const m = 2 * k - 1;
  const h = k - n * d;
  const H = new Float64Array(m * m);
  for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) H[i * m + j] = i - j + 1 >= 0 ? 1 : 0;
  for (let i = 0; i < m; i++) {
    H[i * m] = (H[i * m] as number) - Math.pow(h, i + 1);
    H[(m - 1) * m + i] = (H[(m - 1) * m + i] as number) - Math.pow(h, m - i);
  }
  H[(m - 1) * m] = (H[(m - 1) * m] as number) + (2 * h - 1 > 0 ? Math.pow(2 * h - 1, m) : 0);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < m; j++)
      if (i - j + 1 > 0) H[i * m + j] = (H[i * m + j] as number) / Math.exp(logGamma(i - j + 2));
  const { matrix, exponent } = matrixPower(H, m, n);
  // P = n!/nⁿ · (Hⁿ)_{kk}, with the scale kept in log space.
  const lnP =
    Math.log(matrix[(k - 1) * m + (k - 1)] as number) +
    exponent * Math.log(1e140) +
    logGamma(n + 1) -
    n * Math.log(n);
  return Math.exp(lnP);
}

function matrixPower(H: Float64Array, m: number, n: number): { matrix: Float64Array; exponent: number } {
  if (n === 1) return { matrix: H, exponent: 0 };
  const half = matrixPower(H, m, Math.floor(n / 2));
  let result = multiply(half.matrix, half.matrix, m);
  let exponent = 2 * half.exponent;
  if (n % 2 === 1) result = multiply(H, result, m);
  const centre = result[Math.floor(m / 2) * m + Math.floor(m / 2)] as number;
  if (centre > 1e140) {
    for (let i = 0; i < result.length; i++) result[i] = (result[i] as number) * 1e-140;
    exponent += 1;
  }
  return { matrix: result, exponent };
}

function multiply(a: Float64Array, b: Float64Array, m: number): Float64Array {
  const out = new Float64Array(m * m);
  for (let i = 0; i < m; i++)
    for (let l = 0; l < m; l++) {
      const x = a[i * m + l] as number;
      if (x === 0) continue;
      for (let j = 0; j < m; j++) out[i * m + j] = (out[i * m + j] as number) + x * (b[l * m + j] as number);
    }
  return out;
}

/** P(D_n ≤ x) by the Pelz–Good (1976) asymptotic series, as scipy's _kolmogn_PelzGood. */
function pelzGoodCdf(n: number, x: number): number {
  const PI2 = Math.PI * Math.PI;
  const PI4 = PI2 * PI2;
  const PI6 = PI4 * PI2;
  const SQRT2PI = Math.sqrt(2 * Math.PI);
  const z = Math.sqrt(n) * x;
  const z2 = z * z;
  const z3 = z2 * z;
  const z4 = z2 * z2;
  const z6 = z4 * z2;
  const qlog = -PI2 / 8 / z2;
  if (qlog < -708) return 0;
  let q = Math.exp(qlog);
  const k1a = -z2;
  const k1b = PI2 / 4;
  const k2a = 6 * z6 + 2 * z4;
  const k2b = ((2 * z4 - 5 * z2) * PI2) / 4;
  const k2c = (PI4 * (1 - 2 * z2)) / 16;
  const k3d = (PI6 * (5 - 30 * z2)) / 64;
  const k3c = (PI4 * (-60 * z2 + 212 * z4)) / 16;
  const k3b = (PI2 * (135 * z4 - 96 * z6)) / 4;
  const k3a = -30 * z6 - 90 * z4 * z4;
  const K = [0, 0, 0, 0];
  const maxk = Math.ceil((16 * z) / Math.PI);
  for (let k = maxk; k > 0; k--) {
    const mm = 2 * k - 1;
    const m2 = mm * mm;
    const m4 = m2 * m2;
    const m6 = m4 * m2;
    const qpower = Math.pow(q, 8 * k);
    const coeffs = [1, k1a + k1b * m2, k2a + k2b * m2 + k2c * m4, k3a + k3b * m2 + k3c * m4 + k3d * m6];
    for (let i = 0; i < 4; i++) K[i] = (K[i] as number) * qpower + (coeffs[i] as number);
  }
  const denominators = [z, 6 * z4, 72 * z6 * z, 6480 * z6 * z4];
  for (let i = 0; i < 4; i++) K[i] = ((K[i] as number) * q * SQRT2PI) / (denominators[i] as number);
  q = Math.exp(-PI2 / 2 / z2);
  const sqrt3z = Math.sqrt(3) * z;
  let k2extra = 0;
  let k3extra = 0;
  for (let k = maxk; k > 0; k--) {
    const k2 = k * k;
    const qp = Math.pow(q, k2);
    k2extra += k2 * qp;
    const kpi = Math.PI * k;
    k3extra += (sqrt3z + kpi) * (sqrt3z - kpi) * k2 * qp;
  }
  K[2] = (K[2] as number) + (k2extra * PI2 * SQRT2PI) / (-36 * z3);
  K[3] = (K[3] as number) + (k3extra * PI2 * SQRT2PI) / (216 * z6);
  let sum = 0;
  for (let i = 0; i < 4; i++) sum += (K[i] as number) / Math.pow(n, i / 2);
  return sum;
}
