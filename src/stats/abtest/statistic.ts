/**
 * Per-arm mean and per-unit variance from the aggregates, as gbstats 0.8.0's models/statistics.py defines
 * them (ProportionStatistic, SampleMeanStatistic, RatioStatistic, RegressionAdjustedStatistic and the pooled
 * CUPED θ of compute_theta), so that every later number can be checked against gbstats.
 */
import type { ArmMoments } from './moments.js';
import { fullArmMoments } from './moments.js';

export type MetricKind = 'proportion' | 'mean' | 'ratio';

/** What the tests need from one arm: n, the (CUPED-adjusted) mean, the unadjusted mean, the per-unit variance. */
export interface ArmStatistic {
  n: number;
  mean: number;
  unadjustedMean: number;
  variance: number;
}

/** A plain (non-ratio) mean statistic: n, Σ, Σ² and whether it is a proportion (variance p(1 − p)). */
interface Base {
  n: number;
  sum: number;
  sumSquares: number;
  proportion: boolean;
}

function baseMean(b: Base): number {
  return b.n === 0 ? 0 : b.sum / b.n;
}

/** Proportion: p(1 − p) (no n − 1 correction, as gbstats); mean: the sample variance, 0 for n ≤ 1. */
function baseVariance(b: Base): number {
  if (b.proportion) {
    const p = baseMean(b);
    return p * (1 - p);
  }
  if (b.n <= 1) return 0;
  return (b.sumSquares - (b.sum * b.sum) / b.n) / (b.n - 1);
}

function sampleCovariance(n: number, sumProduct: number, sumA: number, sumB: number): number {
  return n <= 1 ? 0 : (sumProduct - (sumA * sumB) / n) / (n - 1);
}

function mainBase(kind: MetricKind, m: Required<ArmMoments>): Base {
  return { n: m.n, sum: m.sum, sumSquares: m.sumSquares, proportion: kind === 'proportion' };
}

/** The covariate is the same metric before exposure, so it has the metric's kind (gbstats: covariate_metric_type). */
function covariateBase(kind: MetricKind, m: Required<ArmMoments>): Base {
  return { n: m.n, sum: m.covariateSum, sumSquares: m.covariateSumSquares, proportion: kind === 'proportion' };
}

function plainStatistic(b: Base): ArmStatistic {
  const mean = baseMean(b);
  return { n: b.n, mean, unadjustedMean: mean, variance: baseVariance(b) };
}

/** Ratio ΣM/ΣD with the delta-method per-unit variance (gbstats' RatioStatistic; numerator and denominator as means). */
function ratioStatistic(m: Required<ArmMoments>): ArmStatistic {
  const num: Base = { n: m.n, sum: m.sum, sumSquares: m.sumSquares, proportion: false };
  const den: Base = { n: m.n, sum: m.denominatorSum, sumSquares: m.denominatorSumSquares, proportion: false };
  const mean = den.sum === 0 ? 0 : num.sum / den.sum;
  const mm = baseMean(num);
  const dm = baseMean(den);
  let variance = 0;
  if (dm !== 0 && m.n > 1) {
    const cov = sampleCovariance(m.n, m.mainDenominatorSumProduct, num.sum, den.sum);
    variance = baseVariance(num) / dm ** 2 - (2 * cov * mm) / dm ** 3 + (mm ** 2 * baseVariance(den)) / dm ** 4;
  }
  return { n: m.n, mean, unadjustedMean: mean, variance };
}

/**
 * CUPED θ = cov(Y, X)/var(X) pooled over both arms (gbstats' compute_theta); 0, meaning "no adjustment",
 * when the pooled metric or covariate has no variance.
 */
export function cupedTheta(kind: MetricKind, control: ArmMoments, treatment: ArmMoments): number {
  const a = fullArmMoments(control);
  const b = fullArmMoments(treatment);
  const n = a.n + b.n;
  const post = mainBase(kind, { ...a, n, sum: a.sum + b.sum, sumSquares: a.sumSquares + b.sumSquares });
  const pre: Base = {
    n,
    sum: a.covariateSum + b.covariateSum,
    sumSquares: a.covariateSumSquares + b.covariateSumSquares,
    proportion: kind === 'proportion',
  };
  const preVariance = baseVariance(pre);
  if (preVariance === 0 || baseVariance(post) === 0) return 0;
  return sampleCovariance(n, a.mainCovariateSumProduct + b.mainCovariateSumProduct, post.sum, pre.sum) / preVariance;
}

/** gbstats' RegressionAdjustedStatistic for one arm with the pooled θ. */
function adjustedStatistic(kind: MetricKind, m: Required<ArmMoments>, theta: number): ArmStatistic {
  const post = mainBase(kind, m);
  const pre = covariateBase(kind, m);
  const unadjustedMean = baseMean(post);
  const mean = unadjustedMean - theta * baseMean(pre);
  let variance = 0;
  if (m.n > 1) {
    const cov = sampleCovariance(m.n, m.mainCovariateSumProduct, post.sum, pre.sum);
    variance = baseVariance(post) + theta ** 2 * baseVariance(pre) - 2 * theta * cov;
  }
  return { n: m.n, mean, unadjustedMean, variance };
}

/**
 * Both arms' statistics. CUPED applies to proportion and mean metrics (gbstats 0.8.0 has no CUPED ratio);
 * θ = 0 falls back to the unadjusted statistics, as gbstats does.
 */
export function armStatistics(
  kind: MetricKind,
  control: ArmMoments,
  treatment: ArmMoments,
  cuped: boolean,
): { control: ArmStatistic; treatment: ArmStatistic; theta: number | null } {
  const a = fullArmMoments(control);
  const b = fullArmMoments(treatment);
  if (kind === 'ratio') return { control: ratioStatistic(a), treatment: ratioStatistic(b), theta: null };
  if (cuped) {
    const theta = cupedTheta(kind, a, b);
    if (theta !== 0) return { control: adjustedStatistic(kind, a, theta), treatment: adjustedStatistic(kind, b, theta), theta };
    return { control: plainStatistic(mainBase(kind, a)), treatment: plainStatistic(mainBase(kind, b)), theta: 0 };
  }
  return { control: plainStatistic(mainBase(kind, a)), treatment: plainStatistic(mainBase(kind, b)), theta: null };
}
