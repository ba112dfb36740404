/**
 * The A/B engine's always-valid interval (gbstats' sequential test: a Gaussian-mixture confidence sequence,
 * Waudby-Smith et al., arXiv 2103.06476v7) for ONE mean: the mean of paired differences, with its per-unit
 * variance s² (ddof 1) and n units.
 */

import { sequential } from '../../stats/index.js';

export interface MeanInterval {
  n: number;
  mean: number;
  /** Sample variance of the values (ddof 1). */
  variance: number;
  lower: number;
  upper: number;
  /** Always-valid two-sided p-value of mean = 0; null when the values have no variance. */
  pValue: number | null;
}

/**
 * Mean of `values` with the engine's two-sided always-valid interval at level 1 − α and tuning N*: the effect is
 * the mean with variance s²/n over n units. Needs n ≥ 2; values without variance give the degenerate interval
 * [mean, mean] and no p-value.
 */
export function sequentialMeanInterval(values: ArrayLike<number>, alpha: number, tuning: number): MeanInterval {
  const n = values.length;
  if (n < 2) throw new RangeError(`a mean's interval needs 2 values or more, got ${n}`);
  let sum = 0;
  for (let i = 0; i < n; i++) sum += values[i]!;
  const mean = sum / n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (values[i]! - mean) ** 2;
  const variance = ss / (n - 1);
  if (!(variance > 0)) return { n, mean, variance: 0, lower: mean, upper: mean, pValue: null };
  const t = sequential({ estimate: mean, variance: variance / n }, n, alpha, tuning);
  return { n, mean, variance, lower: t.lower, upper: t.upper, pValue: t.pValue };
}
