/**
 * Chi-square distribution with k degrees of freedom: CDF P(k/2, x/2) and survival function Q(k/2, x/2)
 * (scipy.stats.chi2.cdf / chi2.sf, i.e. scipy.special.chdtr / chdtrc). A test's p-value is the survival
 * function, computed directly, so tiny p-values keep their digits instead of rounding 1 − CDF to 0.
 */
import { gammaP, gammaQ } from './gamma.js';

/** P(X ≤ x) for X ~ χ²(dof); 0 below the support. NaN when dof ≤ 0 or an argument is NaN. */
export function chiSquareCdf(x: number, dof: number): number {
  if (Number.isNaN(x) || !(dof > 0)) return NaN;
  return x <= 0 ? 0 : gammaP(dof / 2, x / 2);
}

/** P(X > x) for X ~ χ²(dof), the upper-tail p-value of a chi-square statistic; 1 below the support. */
export function chiSquareSf(x: number, dof: number): number {
  if (Number.isNaN(x) || !(dof > 0)) return NaN;
  return x <= 0 ? 1 : gammaQ(dof / 2, x / 2);
}
