/**
 * Two-sample Kolmogorov–Smirnov test, two-sided — scipy 1.17 `ks_2samp(a, b)` with method 'auto':
 * exact p-value when max(n1, n2) ≤ 10000 (Hodges' lattice-path counts), otherwise `kstwo.sf(d, round(en))`
 * with en = n1·n2/(n1+n2); an exact attempt that fails numerically falls back to the asymptotic one, as
 * scipy does. Ties are handled as scipy does: both ECDFs are evaluated after *all* copies of a value
 * (searchsorted 'right'), so D is computed on distinct values only.
 */
import { kstwoSf } from './kolmogorov.js';
import { sortFloat64 } from './sort.js';

/** scipy's MAX_AUTO_N: 'auto' tries the exact distribution when both samples are at most this large. */
export const KS_MAX_EXACT_N = 10000;

export interface KsResult {
  statistic: number;
  p_value: number;
  /** Which distribution gave the p-value ('exact' may have fallen back to 'asymp'). */
  mode: 'exact' | 'asymp';
}

export interface KsOptions {
  /** 'auto' (scipy's default), or force one distribution; exact is still abandoned when it overflows. */
  method?: 'auto' | 'exact' | 'asymp';
}

/** D = sup |F1 − F2| over two ascending, finite samples; one merge pass, no allocation. */
export function ksStatisticSorted(a: Float64Array, b: Float64Array): number {
  const n1 = a.length;
  const n2 = b.length;
  let i = 0;
  let j = 0;
  let maxS = -Infinity;
  let minS = Infinity;
  while (i < n1 || j < n2) {
    const v = j >= n2 || (i < n1 && a[i] <= b[j]) ? a[i] : b[j];
    while (i < n1 && a[i] === v) i++;
    while (j < n2 && b[j] === v) j++;
    const diff = i / n1 - j / n2;
    if (diff > maxS) maxS = diff;
    if (diff < minS) minS = diff;
  }
  const dMinus = Math.min(Math.max(-minS, 0), 1);
  return dMinus > maxS ? dMinus : maxS;
}

/** ks_2samp on two ascending samples (callers sort once and share the sorted arrays between tests). */
export function ks2sampSorted(a: Float64Array, b: Float64Array, options: KsOptions = {}): KsResult {
  const n1 = a.length;
  const n2 = b.length;
  if (n1 === 0 || n2 === 0) throw new RangeError('Data passed to ks_2samp must not be empty');
  let d = ksStatisticSorted(a, b);
  const g = gcd(n1, n2);
  let mode = options.method ?? 'auto';
  if (mode === 'auto') mode = Math.max(n1, n2) <= KS_MAX_EXACT_N ? 'exact' : 'asymp';
  else if (mode === 'exact' && n1 / g >= 2147483647 / (n2 / g)) mode = 'asymp';
  if (mode === 'exact') {
    const exact = attemptExact(n1, n2, g, d);
    d = exact.d;
    if (exact.ok) return { statistic: d, p_value: clip(exact.prob), mode: 'exact' };
  }
  const m = Math.max(n1, n2);
  const n = Math.min(n1, n2);
  const en = (m * n) / (m + n);
  return { statistic: d, p_value: clip(kstwoSf(roundHalfEven(en), d)), mode: 'asymp' };
}

/** ks_2samp on unsorted finite samples (copies and sorts them; inputs are not modified). */
export function ks2samp(a: Float64Array | ArrayLike<number>, b: Float64Array | ArrayLike<number>, options: KsOptions = {}): KsResult {
  const sa = sortFloat64(Float64Array.from(a));
  const sb = sortFloat64(Float64Array.from(b));
  return ks2sampSorted(sa, sb, options);
}

/** scipy's _attempt_exact_2kssamp for the two-sided alternative; d is snapped to the lattice h/lcm. */
function attemptExact(n1: number, n2: number, g: number, d: number): { ok: boolean; d: number; prob: number } {
  const lcm = (n1 / g) * n2;
  const h = roundHalfEven(d * lcm);
  d = h / lcm;
  if (h === 0) return { ok: true, d, prob: 1 };
  const prob = n1 === n2 ? probOutsideSquare(n1, h) : outerProbInsideMethod(n1, n2, g, h);
  // scipy treats overflow/NaN or a value outside [0, 1] as a failed exact attempt.
  const ok = Number.isFinite(prob) && prob >= 0 && prob <= 1;
  return { ok, d, prob };
}

/** P(D_{n,n} ≥ h/n) by the Horner-like alternating series (scipy's _compute_prob_outside_square). */
function probOutsideSquare(n: number, h: number): number {
  let P = 0;
  for (let k = Math.floor(n / h); k >= 0; k--) {
    let p1 = 1;
    for (let j = 0; j < h; j++) p1 = ((n - k * h - j) * p1) / (n + k * h + j + 1);
    P = p1 * (1 - P);
  }
  return 2 * P;
}

/**
 * 1 − P(paths stay strictly inside |x/m − y/n| < h/lcm) by Viehmann's recursion, which computes the
 * complement directly (scipy's pythran _compute_outer_prob_inside_method); one sliding column of A.
 */
function outerProbInsideMethod(m0: number, n0: number, g: number, h: number): number {
  const m = Math.max(m0, n0);
  const n = Math.min(m0, n0);
  const mg = m / g;
  const ng = n / g;
  let minj = 0;
  let maxj = Math.min(Math.ceil(h / mg), n + 1);
  let curlen = maxj - minj;
  const lenA = Math.min(2 * maxj + 2, n + 1);
  const A = new Float64Array(lenA).fill(1);
  A.fill(0, minj, maxj);
  for (let i = 1; i <= m; i++) {
    const lastminj = minj;
    const lastlen = curlen;
    minj = Math.min(Math.max(Math.floor((ng * i - h) / mg) + 1, 0), n);
    maxj = Math.min(Math.ceil((ng * i + h) / mg), n + 1);
    if (maxj <= minj) return 1;
    let val = minj === 0 ? 0 : 1;
    for (let jj = 0; jj < maxj - minj; jj++) {
      const j = jj + minj;
      val = (A[jj + minj - lastminj] * i + val * j) / (i + j);
      A[jj] = val;
    }
    curlen = maxj - minj;
    if (lastlen > curlen) A.fill(1, maxj - minj, maxj - minj + (lastlen - curlen));
  }
  return A[maxj - minj - 1];
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** numpy's round (half to even), used by scipy for h and for en. */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

function clip(p: number): number {
  return p < 0 ? 0 : p > 1 ? 1 : p;
}
