/**
 * Pearson's chi-squared goodness-of-fit test as Evidently's "chisquare" drift test uses it: scipy
 * `chisquare(f_obs = current counts, f_exp = reference counts × n_current / n_reference)` over the
 * buckets (categories) of both samples, k − 1 degrees of freedom. The p-value is the survival function
 * itself, like scipy's chi2.sf, so tiny p-values keep their digits instead of rounding 1 − CDF to 0.
 */
import { chiSquareSf } from '../dists/index.js';

export interface Chi2Result {
  statistic: number;
  p_value: number;
  dof: number;
}

/**
 * scipy.stats.chisquare(fObs, fExp). A bucket expected empty but observed non-empty gives an infinite
 * statistic and p = 0, as in scipy (in drift terms: current has a value the reference never had).
 * Buckets empty on both sides are skipped (scipy would give NaN; they carry no information).
 * With a single bucket (0 degrees of freedom) scipy answers p = NaN; here p = 1 — "no evidence of
 * drift", the same decision Evidently takes from NaN (NaN < threshold is false).
 */
export function chiSquare(fObs: ArrayLike<number>, fExp: ArrayLike<number>): Chi2Result {
  if (fObs.length !== fExp.length) throw new RangeError('chiSquare: f_obs and f_exp differ in length');
  let sumObs = 0;
  let sumExp = 0;
  for (let i = 0; i < fObs.length; i++) {
    sumObs += fObs[i];
    sumExp += fExp[i];
  }
  // scipy refuses frequencies whose totals disagree by more than sqrt(eps) (relative).
  if (Math.abs(sumObs - sumExp) / Math.max(sumObs, sumExp) > Math.sqrt(Number.EPSILON)) {
    throw new RangeError(`chiSquare: observed total ${sumObs} differs from expected total ${sumExp}`);
  }
  let stat = 0;
  let k = 0;
  for (let i = 0; i < fObs.length; i++) {
    const o = fObs[i];
    const e = fExp[i];
    if (o === 0 && e === 0) continue;
    k++;
    stat += ((o - e) * (o - e)) / e;
  }
  const dof = k - 1;
  if (dof <= 0) return { statistic: stat, p_value: 1, dof: 0 };
  return { statistic: stat, p_value: chiSquareSf(stat, dof), dof };
}

/** Evidently's _chi_stat_test on aligned bucket counts: expected = reference × (n_cur / n_ref). */
export function chiSquareDrift(reference: ArrayLike<number>, current: ArrayLike<number>): Chi2Result {
  let nRef = 0;
  let nCur = 0;
  for (let i = 0; i < reference.length; i++) nRef += reference[i];
  for (let i = 0; i < current.length; i++) nCur += current[i];
  const kNorm = nCur / nRef;
  const fExp = new Float64Array(reference.length);
  for (let i = 0; i < reference.length; i++) fExp[i] = reference[i] * kNorm;
  return chiSquare(current, fExp);
}
