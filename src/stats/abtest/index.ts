/**
 * Public surface of Ferry's A/B statistics engine (pure, no I/O). Re-exports only.
 *
 * Conventions are gbstats 0.8.0's (GrowthBook): per-unit variances from mergeable aggregates; absolute and
 * relative (delta-method) effects; fixed = Welch t; sequential = Gaussian-mixture confidence sequence with
 * tuning N* (default 5000); bayesian = EffectBayesianABTest (chance to win, risk, credible interval, prior
 * on the relative lift, improper by default); CUPED = RegressionAdjustedStatistic with pooled θ; SRM =
 * chi-squared against the weights, flagged at p < 0.001. Deviations from the brief's sketch: Interval also
 * carries its own pValue, and Comparison says which effect decided (`basis`) and CUPED's θ.
 * See docs/abtest-statistics.md.
 */
export { emptyArmMoments, mergeArmMoments, addUnit } from './moments.js';
export type { ArmMoments } from './moments.js';
export type { MetricKind } from './statistic.js';
export { compare } from './compare.js';
/** The sequential (always-valid) interval of one effect: the loop's judge uses it for a mean of paired differences. */
export { sequential } from './frequentist.js';
export { DEFAULT_ENGINE_SETTINGS } from './settings.js';
export type { Comparison, ComparisonInput, Direction, EngineMethod, EngineSettings, Interval, Verdict } from './settings.js';
export { sampleRatioMismatch, SRM_THRESHOLD } from './srm.js';
export type { SrmResult } from './srm.js';
export { adjustPValues } from './multiple-testing.js';
export type { PValueAdjustment } from './multiple-testing.js';
