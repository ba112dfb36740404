/**
 * Φ⁻¹(p), the standard normal quantile (scipy.stats.norm.ppf / scipy.special.ndtri), to full double precision:
 * a rough start (Abramowitz & Stegun 26.2.23, |error| < 4.5e-4) refined by Halley steps on Ferry's
 * tail-exact normalCdf, so the quantile inherits the CDF's precision instead of a rational fit's.
 */
import { normalCdf, normalPdf } from '../dists/index.js';

const MAX_STEPS = 20;

/** Lower-tail quantile for 0 < p ≤ ½ (result ≤ 0). */
function lowerQuantile(p: number): number {
  const t = Math.sqrt(-2 * Math.log(p));
  let z = -(t - (2.515517 + t * (0.802853 + t * 0.010328)) / (1 + t * (1.432788 + t * (0.189269 + t * 0.001308))));
  for (let i = 0; i < MAX_STEPS; i++) {
    // Newton's step (Φ(z) − p)/φ(z) with Halley's curvature correction (φ' = −zφ).
    const step = (normalCdf(z) - p) / normalPdf(z);
    const next = z - step / (1 + (z * step) / 2);
    const done = Math.abs(next - z) <= 4 * Number.EPSILON * Math.max(1, Math.abs(z));
    z = next;
    if (done) break;
  }
  return z;
}

/** Φ⁻¹(p); −Infinity at 0, Infinity at 1, NaN outside [0, 1]. */
export function normalQuantile(p: number): number {
  if (!(p >= 0 && p <= 1)) return NaN;
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  // 1 − p is exact for p ≥ ½ (Sterbenz), so the upper half loses nothing by symmetry.
  return p <= 0.5 ? lowerQuantile(p) : -lowerQuantile(1 - p);
}
