/**
 * ln Γ(x) for x > 0 by Stirling's series, shifted up to x ≥ 10 by the recurrence Γ(x + 1) = x·Γ(x).
 * Every constant is a Bernoulli number B₂ₖ/(2k(2k − 1)), checkable by eye, and at x ≥ 10 the series'
 * first omitted term is below 1e-17, so the error is the rounding of the few terms (absolute ≲ 1e-15·|ln Γ|).
 */

const LN_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);
const STIRLING_MIN = 10;

/**
 * μ(x) = ln Γ(x) − ((x − ½)·ln x − x + ln √(2π)), Stirling's correction, for x ≥ 10:
 * 1/(12x) − 1/(360x³) + 1/(1260x⁵) − 1/(1680x⁷) + 1/(1188x⁹) − 691/(360360x¹¹) + 1/(156x¹³).
 */
function stirlingSeries(x: number): number {
  const r = 1 / x;
  const r2 = r * r;
  return r * (1 / 12 + r2 * (-1 / 360 + r2 * (1 / 1260 + r2 * (-1 / 1680 + r2 * (1 / 1188 + r2 * (-691 / 360360 + r2 / 156))))));
}

/** ln Γ(x) for x > 0 (scipy.special.gammaln); NaN for x ≤ 0 or NaN, Infinity for Infinity. */
export function logGamma(x: number): number {
  if (!(x > 0)) return NaN;
  if (x === Infinity) return Infinity;
  if (x >= STIRLING_MIN) return (x - 0.5) * Math.log(x) - x + LN_SQRT_2PI + stirlingSeries(x);
  // ln Γ(x) = ln Γ(x + n) − ln x − ln((x + 1)…(x + n − 1)); ln x apart so a subnormal x keeps its digits.
  const n = Math.ceil(STIRLING_MIN - x);
  let product = 1;
  for (let k = 1; k < n; k++) product *= x + k;
  const shifted = x + n;
  const lnGammaShifted = (shifted - 0.5) * Math.log(shifted) - shifted + LN_SQRT_2PI + stirlingSeries(shifted);
  return lnGammaShifted - Math.log(x) - Math.log(product);
}

/**
 * Stirling's correction μ(x) = ln Γ(x) − ((x − ½)·ln x − x + ln √(2π)) for x > 0. Small (≤ 1/(12x) for
 * x ≥ 1) and, unlike ln Γ itself, free of the large terms that cancel, so x^a·e^(−x)/Γ(a) can be formed
 * for large a without losing a·ln a·ε to rounding.
 */
export function stirlingCorrection(x: number): number {
  if (x >= STIRLING_MIN) return stirlingSeries(x);
  return logGamma(x) - ((x - 0.5) * Math.log(x) - x + LN_SQRT_2PI);
}
