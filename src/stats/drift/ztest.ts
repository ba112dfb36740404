/**
 * Evidently's "z" drift test: a two-proportion Z-test on the share of rows *not* equal to the smallest
 * value (first of the sorted union of both samples' values), two-sided, pooled variance.
 */
import { normalCdf } from '../dists/index.js';

export interface ZTestResult {
  statistic: number;
  p_value: number;
}

/** z for proportions p1 = x1/n1 and p2 = x2/n2 (Evidently's proportions_diff_z_stat_ind). */
export function proportionsZ(x1: number, n1: number, x2: number, n2: number): number {
  const p1 = x1 / n1;
  const p2 = x2 / n2;
  const P = (p1 * n1 + p2 * n2) / (n1 + n2);
  return (p1 - p2) / Math.sqrt(P * (1 - P) * (1 / n1 + 1 / n2));
}

/**
 * Two-sided p-value 2·(1 − Φ(|z|)), written as 2·Φ(−|z|) so tiny p-values keep their digits
 * (Evidently's form rounds them to 0 below ~1e-16; equal otherwise).
 */
export function twoSidedP(z: number): number {
  return 2 * normalCdf(-Math.abs(z));
}

/**
 * Z-test on aligned bucket counts whose first bucket is the smallest value. Evidently answers p = 1
 * without testing when both samples hold one and the same single value (the pooled variance is 0).
 */
export function zTestDrift(reference: ArrayLike<number>, current: ArrayLike<number>): ZTestResult {
  let n1 = 0;
  let n2 = 0;
  let nonEmptyRef = 0;
  let nonEmptyCur = 0;
  let sameSingle = true;
  for (let i = 0; i < reference.length; i++) {
    n1 += reference[i];
    n2 += current[i];
    if (reference[i] > 0) nonEmptyRef++;
    if (current[i] > 0) nonEmptyCur++;
    if (reference[i] > 0 !== current[i] > 0) sameSingle = false;
  }
  if (nonEmptyRef === 1 && nonEmptyCur === 1 && sameSingle) return { statistic: 0, p_value: 1 };
  const first = firstNonEmpty(reference, current);
  const z = proportionsZ(n1 - reference[first], n1, n2 - current[first], n2);
  return { statistic: z, p_value: twoSidedP(z) };
}

/** The smallest value present in either sample (buckets may include values absent from both). */
function firstNonEmpty(reference: ArrayLike<number>, current: ArrayLike<number>): number {
  for (let i = 0; i < reference.length; i++) if (reference[i] > 0 || current[i] > 0) return i;
  return 0;
}
