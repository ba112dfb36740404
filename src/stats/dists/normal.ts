/**
 * Standard normal distribution Φ with full relative precision in both tails, so a two-sided p-value
 * 2·Φ(−|z|) keeps its digits down to the smallest doubles (scipy's `norm.cdf` / `norm.sf`).
 *
 * |z| < 2: Φ(z) = ½ + φ(z)·Σ z^(2n+1)/(2n+1)!!  (all terms one sign; the subtraction from ½ loses at most a
 *          factor 22 of ε, at z = −2).
 * |z| ≥ 2: the tail φ(|z|)·R(|z|) with Mills' ratio R from Laplace's continued fraction, which needs no
 *          subtraction at all; the other side is 1 − tail.
 */

const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);
const SERIES_MAX = 2;
// Series terms stop below half an ulp of the sum; a Lentz step stops once its factor is 1 within an ulp.
const HALF_ULP = Number.EPSILON / 2;
const ULP = Number.EPSILON;
const TINY = 1e-300;
const MAX_TERMS = 500;

/**
 * φ(z) = e^(−z²/2)/√(2π) to a few ulps: z² is split as hi² + lo·(|z| + hi) with hi = |z| rounded down to
 * 1/16, so hi² is exact and the rounding of z² (relative ε, i.e. absolute z²·ε ≈ 700ε at z = 37) never
 * reaches the exponent.
 */
export function normalPdf(z: number): number {
  const a = Math.abs(z);
  if (a === Infinity) return 0;
  const hi = Math.trunc(a * 16) / 16;
  const lo = a - hi;
  return Math.exp(-0.5 * hi * hi) * Math.exp(-0.5 * lo * (a + hi)) * INV_SQRT_2PI;
}

/** Φ(z) − ½ / φ(z) = z + z³/3 + z⁵/15 + … (converges for every z; used for |z| < 2 only). */
function halfSeries(z: number): number {
  const z2 = z * z;
  let term = z;
  let sum = z;
  for (let n = 1; n < MAX_TERMS; n++) {
    term *= z2 / (2 * n + 1);
    sum += term;
    if (Math.abs(term) <= HALF_ULP * Math.abs(sum)) break;
  }
  return sum;
}

/**
 * Mills' ratio R(a) = (1 − Φ(a))/φ(a) for a ≥ 2 by the continued fraction 1/(a + 1/(a + 2/(a + 3/(a + …))))
 * (modified Lentz). It converges faster the larger a is: ~90 steps at a = 2, ~10 at a = 20.
 */
function millsRatio(a: number): number {
  let f = a;
  let c = a;
  let d = 0;
  for (let n = 1; n < MAX_TERMS; n++) {
    d = a + n * d;
    c = a + n / c;
    if (d === 0) d = TINY;
    if (c === 0) c = TINY;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) <= ULP) break;
  }
  return 1 / f;
}

/** Upper tail 1 − Φ(a) for a ≥ SERIES_MAX, computed without cancellation. */
function upperTail(a: number): number {
  return normalPdf(a) * millsRatio(a);
}

/** Φ(z), the standard normal CDF (scipy.stats.norm.cdf / scipy.special.ndtr). */
export function normalCdf(z: number): number {
  if (Number.isNaN(z)) return NaN;
  if (z === Infinity) return 1;
  if (z === -Infinity) return 0;
  if (Math.abs(z) < SERIES_MAX) return 0.5 + normalPdf(z) * halfSeries(z);
  return z < 0 ? upperTail(-z) : 1 - upperTail(z);
}

/** 1 − Φ(z) = Φ(−z), the standard normal survival function (scipy.stats.norm.sf), exact in the upper tail. */
export function normalSf(z: number): number {
  return normalCdf(-z);
}
