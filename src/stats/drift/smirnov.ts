/**
 * One-sided Smirnov survival function P(D_n⁺ ≥ x) — scipy.special.smirnov(n, x), which kstwo.sf uses
 * (as 2·smirnov) for large n·x². Port of xsf/cephes/kolmogorov.h `_smirnov` (Birnbaum–Tingey sum) with
 * the same branch rules; terms are evaluated in log space instead of double-double (see kolmogorov.ts).
 */

const EPS = Number.EPSILON;
const CEPHES_MINLOG = -708.3964185322641;
const SMIRNOV_MAX_COMPUTE_N = 1000000;
const SM_UPPER_MAX_TERMS = 3;
const SM_UPPERSUM_MIN_N = 10;

/** Exact floor(n·x) and remainder (Dekker's product), so a product that is an integer is seen as one. */
function modNX(n: number, x: number): { nxfl: number; alpha: number } {
  const p = n * x;
  const split = (a: number): [number, number] => {
    const c = 134217729 * a; // 2^27 + 1
    const hi = c - (c - a);
    return [hi, a - hi];
  };
  const [nh, nl] = split(n);
  const [xh, xl] = split(x);
  const err = nh * xh - p + nh * xl + nl * xh + nl * xl;
  let fl = Math.floor(p);
  if (fl === p && err < 0) fl -= 1;
  let alpha = p - fl + err;
  if (alpha >= 1) {
    fl += 1;
    alpha = 0;
  }
  return { nxfl: fl, alpha: Math.max(alpha, 0) };
}

/** sign · exp(log|A_v|) for A_v = C(n,v) (1 − x − v/n)^(n−v) (x + v/n)^(v−1). */
function term(n: number, x: number, v: number, logC: number): number {
  const t2x = (n - v) / n - x;
  const t1x = v / n + x;
  if (t2x === 0) return n - v === 0 ? Math.exp(logC + (v - 1) * Math.log(t1x)) : 0;
  const sign = t2x < 0 && (n - v) % 2 === 1 ? -1 : 1;
  return sign * Math.exp(logC + (n - v) * Math.log(Math.abs(t2x)) + (v - 1) * Math.log(t1x));
}

export function smirnovSf(n: number, x: number): number {
  if (!(n > 0 && x >= 0 && x <= 1)) return NaN;
  if (n === 1) return 1 - x;
  if (x === 0) return 1;
  if (x === 1) return 0;
  const { nxfl, alpha } = modNX(n, x);
  let n1mxfl = n - nxfl - (alpha === 0 ? 0 : 1);
  let n1mxceil = n - nxfl;
  if (alpha === 0) {
    // The boundary term is exactly zero: leave it out of both sums.
    n1mxfl -= 1;
    n1mxceil += 1;
  }
  if (nxfl === 0 || (nxfl === 1 && alpha === 0)) {
    const cdf = x * Math.exp((n - 1) * Math.log1p(x));
    return clip(1 - cdf);
  }
  if (-2 * n * x * x < CEPHES_MINLOG) return 0;
  if (nxfl >= n - 1) return clip(Math.exp(n * Math.log1p(-x)));
  if (n > SMIRNOV_MAX_COMPUTE_N) {
    const logp = -((6 * n * x + 1) ** 2) / 18 / n;
    // Small p-values straight from exp; otherwise via the CDF, as cephes does for precision.
    return clip(logp < -Math.LN2 ? Math.exp(logp) : 1 + Math.expm1(logp));
  }
  const nUpperTerms = n - n1mxceil + 1;
  const useUpper = (nUpperTerms <= 1 && x < 0.5) || (n >= SM_UPPERSUM_MIN_N && nUpperTerms <= SM_UPPER_MAX_TERMS && x <= 0.5 / Math.sqrt(n));
  const start = useUpper ? n : 0;
  const step = useUpper ? -1 : 1;
  const nTerms = useUpper ? n - n1mxceil + 1 : n1mxfl + 1;
  const vmid = Math.floor(n / 2);
  // First term: v = n (upper) is (1+x)^(n−1); v = 0 (lower) is (1−x)^n / x.
  let sum = useUpper ? Math.exp((n - 1) * Math.log1p(x)) : Math.exp(n * Math.log1p(-x)) / x;
  let logC = Math.log(n); // C(n, 1) = C(n, n−1)
  for (let j = 1; j < nTerms; j++) {
    const v = start + j * step;
    const a = term(n, x, v, logC);
    if (Number.isFinite(a) && a !== 0) sum += a;
    if (a !== 0) {
      if (4 * (nTerms - j) * Math.abs(a) < EPS * sum && j !== nTerms - 1) break;
    } else if (j > vmid) {
      break;
    }
    logC += Math.log((n - j) / (j + 1));
  }
  const prob = x * sum;
  return clip(useUpper ? 1 - prob : prob);
}

function clip(p: number): number {
  return p < 0 ? 0 : p > 1 ? 1 : p;
}
