/**
 * Student's t distribution for the non-integer Welch–Satterthwaite degrees of freedom gbstats uses
 * (scipy.stats.t.cdf / t.ppf). Both come from the regularized incomplete beta function
 * I_x(a, b) (continued fraction, modified Lentz), with ln B(a, b) formed from Stirling corrections so that
 * the huge a = ν/2 of a 10⁷-unit experiment does not cost digits to cancelling ln Γ terms.
 */
import { logGamma, stirlingCorrection } from '../dists/log-gamma.js';
import { normalQuantile } from './normal-quantile.js';

const LN_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);
const STIRLING_MIN = 10;
const TINY = 1e-300;
const MAX_TERMS = 1_000_000;

/** ln B(a, b) for a, b > 0, without the a·ln a-sized cancellation of ln Γ(a) + ln Γ(b) − ln Γ(a + b). */
export function logBeta(a: number, b: number): number {
  const big = Math.max(a, b);
  const small = Math.min(a, b);
  if (big < STIRLING_MIN) return logGamma(a) + logGamma(b) - logGamma(a + b);
  const s = big + small;
  const corr = stirlingCorrection(big) - stirlingCorrection(s);
  if (small < STIRLING_MIN) {
    // ln Γ(big) − ln Γ(s) = −small·ln s − (big − ½)·ln(1 + small/big) + small + μ(big) − μ(s)
    return logGamma(small) - small * Math.log(s) - (big - 0.5) * Math.log1p(small / big) + small + corr;
  }
  // Both large: ½ln 2π + (a − ½)ln(a/s) + (b − ½)ln(b/s) − ½ln s + μ(a) + μ(b) − μ(s)
  return LN_SQRT_2PI - (big - 0.5) * Math.log1p(small / big) + (small - 0.5) * Math.log(small / s) - 0.5 * Math.log(s) + corr + stirlingCorrection(small);
}

/** Continued fraction of I_x(a, b)·a·B(a, b)/(x^a·y^b) (Numerical Recipes' betacf, modified Lentz). */
function betaFraction(a: number, b: number, x: number): number {
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  for (let m = 1; m < MAX_TERMS; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) <= Number.EPSILON) break;
  }
  return h;
}

/** x^a·y^b/(a·B(a, b))·fraction, with y = 1 − x passed in exactly by the caller. */
function betaTail(a: number, b: number, x: number, y: number): number {
  const lx = x < 0.5 ? Math.log(x) : Math.log1p(-y);
  const ly = y < 0.5 ? Math.log(y) : Math.log1p(-x);
  return (Math.exp(a * lx + b * ly - logBeta(a, b)) * betaFraction(a, b, x)) / a;
}

/**
 * I_x(a, b) and its complement 1 − I_x(a, b), each without subtracting from 1 on its small side.
 * y must equal 1 − x; callers pass it computed directly (t²/(ν + t²)) so neither side loses digits.
 */
export function incompleteBeta(a: number, b: number, x: number, y: number): { p: number; q: number } {
  if (x <= 0) return { p: 0, q: 1 };
  if (y <= 0) return { p: 1, q: 0 };
  if (x < (a + 1) / (a + b + 2)) {
    const p = betaTail(a, b, x, y);
    return { p, q: 1 - p };
  }
  const q = betaTail(b, a, y, x);
  return { p: 1 - q, q };
}

/**
 * Above this many degrees of freedom the continued fraction runs with x within ~1/ν of 1, where each step
 * computes 1 + d with d ≈ −1 and rounding piles up (≈1e-9 relative at ν = 2·10⁷); the tail integral
 * below does not suffer from it.
 */
const QUADRATURE_MIN_DOF = 1e4;
const DE_STEP = 1 / 16;
const DE_MAX = 4.5;

/**
 * ∫_t^∞ density(s) ds for t ≥ 0 by double-exponential (exp-sinh) quadrature: s = t + w, w = e^{(π/2)·sinh τ},
 * trapezoid in τ. The integrand is positive and smooth, so the rule is accurate to a few ulps relative
 * however deep the tail (p = 1e-300 included).
 */
function upperTailIntegral(t: number, dof: number): number {
  const logNorm = -0.5 * Math.log(dof) - logBeta(dof / 2, 0.5);
  const half = (dof + 1) / 2;
  let sum = 0;
  for (let tau = -DE_MAX; tau <= DE_MAX + 1e-12; tau += DE_STEP) {
    const w = Math.exp((Math.PI / 2) * Math.sinh(tau));
    const s = t + w;
    const jacobian = w * (Math.PI / 2) * Math.cosh(tau);
    sum += Math.exp(logNorm - half * Math.log1p((s * s) / dof)) * jacobian;
  }
  return sum * DE_STEP;
}

/** P(|T| > |t|) for T ~ t(ν): I_{ν/(ν+t²)}(ν/2, ½), or twice the tail integral for large ν. */
function twoSidedTail(t: number, dof: number): number {
  if (dof >= QUADRATURE_MIN_DOF) return Math.min(1, 2 * upperTailIntegral(Math.abs(t), dof));
  const t2 = t * t;
  return incompleteBeta(dof / 2, 0.5, dof / (dof + t2), t2 / (dof + t2)).p;
}

/** P(T > t) for T ~ t(ν), ν > 0 real, with relative precision in the upper tail (no 1 − CDF). */
export function studentTSf(t: number, dof: number): number {
  if (Number.isNaN(t) || !(dof > 0)) return NaN;
  if (t === Infinity) return 0;
  if (t === -Infinity) return 1;
  const twoSided = twoSidedTail(t, dof);
  return t >= 0 ? twoSided / 2 : 1 - twoSided / 2;
}

/** P(T ≤ t) for T ~ t(ν). */
export function studentTCdf(t: number, dof: number): number {
  return studentTSf(-t, dof);
}

/** Two-sided p-value P(|T| > |t|) = 2·sf(|t|), with full relative precision however small. */
export function studentTTwoSidedP(t: number, dof: number): number {
  if (Number.isNaN(t) || !(dof > 0)) return NaN;
  if (!Number.isFinite(t)) return 0;
  return twoSidedTail(t, dof);
}

/** Density of t(ν) = (1 + t²/ν)^(−(ν+1)/2)/(√ν·B(ν/2, ½)). */
export function studentTPdf(t: number, dof: number): number {
  return Math.exp(-0.5 * Math.log(dof) - logBeta(dof / 2, 0.5) - ((dof + 1) / 2) * Math.log1p((t * t) / dof));
}

/**
 * The t with P(T > t) = p for 0 < p ≤ ½ (the upper quantile; t.ppf(1 − p, ν) in scipy). Newton on the
 * exact survival function from the Cornish–Fisher start, kept inside a shrinking bracket by bisection.
 */
export function studentTUpperQuantile(p: number, dof: number): number {
  if (!(p > 0 && p <= 0.5) || !(dof > 0)) return NaN;
  if (p === 0.5) return 0;
  const z = -normalQuantile(p);
  let t = z + (z * z * z + z) / (4 * dof) + (5 * z ** 5 + 16 * z ** 3 + 3 * z) / (96 * dof * dof);
  let lo = 0;
  let hi = Infinity;
  for (let i = 0; i < 200; i++) {
    if (!(t > lo && t < hi)) t = hi === Infinity ? Math.max(2 * lo, lo + 1) : (lo + hi) / 2;
    const f = studentTSf(t, dof) - p; // decreasing in t
    if (f > 0) lo = t;
    else hi = t;
    if (f === 0) return t;
    const next = t + f / studentTPdf(t, dof);
    const done = Math.abs(next - t) <= 2 * Number.EPSILON * t;
    t = next;
    if (done || (hi < Infinity && hi - lo <= 2 * Number.EPSILON * hi)) break;
  }
  return t;
}
