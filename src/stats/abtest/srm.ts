/**
 * Sample-ratio mismatch: Pearson's chi-squared of the observed unit counts against the configured weights
 * (gbstats.utils.check_srm), flagged at p < 0.001 (GrowthBook's threshold: many reads of many experiments,
 * so a stricter level keeps false alarms rare).
 */
import { chiSquareSf } from '../dists/index.js';

export const SRM_THRESHOLD = 0.001;

export interface SrmResult {
  chiSquared: number;
  pValue: number;
  flagged: boolean;
  /** Expected units per arm under the weights (0 where a weight is 0). */
  expected: number[];
}

/**
 * Weights are normalized (they need not sum to 1); an arm with weight ≤ 0 adds nothing to the statistic,
 * as in gbstats, and the degrees of freedom stay arms − 1. No units at all: p = 1.
 * Throws RangeError on mismatched lengths, fewer than 2 arms, or negative / non-finite inputs.
 */
export function sampleRatioMismatch(counts: number[], weights: number[]): SrmResult {
  if (counts.length !== weights.length) throw new RangeError('counts and weights must have the same length');
  if (counts.length < 2) throw new RangeError('a sample-ratio check needs at least 2 arms');
  if (!counts.every((c) => Number.isFinite(c) && c >= 0)) throw new RangeError('counts must be finite and ≥ 0');
  if (!weights.every((w) => Number.isFinite(w) && w >= 0)) throw new RangeError('weights must be finite and ≥ 0');
  const total = counts.reduce((s, c) => s + c, 0);
  const totalWeight = weights.reduce((s, w) => s + w, 0);
  if (total === 0 || totalWeight === 0) return { chiSquared: 0, pValue: 1, flagged: false, expected: counts.map(() => 0) };
  const expected = weights.map((w) => (w > 0 ? (w / totalWeight) * total : 0));
  let chiSquared = 0;
  counts.forEach((o, i) => {
    const e = expected[i]!;
    if (e > 0) chiSquared += (o - e) ** 2 / e;
  });
  const pValue = chiSquareSf(chiSquared, counts.length - 1);
  return { chiSquared, pValue, flagged: pValue < SRM_THRESHOLD, expected };
}
