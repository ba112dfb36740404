/** Engine settings, their defaults (gbstats 0.8.0's) and the public input/output shapes of compare(). */
import type { ArmMoments } from './moments.js';
import type { MetricKind } from './statistic.js';

/** Which way is better for the metric (gbstats: inverse = direction 'decrease'). */
export type Direction = 'increase' | 'decrease';
export type EngineMethod = 'sequential' | 'fixed' | 'bayesian';

export interface EngineSettings {
  method: EngineMethod;
  /** Two-sided level (0.05). Bayesian: credible level and the chance-to-win threshold 1 − α. */
  alpha: number;
  /** Sequential tuning N*, the total units at which the confidence sequence is tightest (5000). */
  sequentialTuning: number;
  /** CUPED with the pre-exposure covariate (proportion and mean metrics; ignored for ratios). */
  cuped: boolean;
  /** Bayesian normal prior on the relative lift (gbstats' metric defaults: 0, 0.1, improper). */
  priorMean?: number;
  priorStddev?: number;
  properPrior?: boolean;
}

export const DEFAULT_ENGINE_SETTINGS: EngineSettings = Object.freeze({
  method: 'sequential',
  alpha: 0.05,
  sequentialTuning: 5000,
  cuped: false,
  priorMean: 0,
  priorStddev: 0.1,
  properPrior: false,
});

export interface ComparisonInput {
  kind: MetricKind;
  direction: Direction;
  control: ArmMoments;
  treatment: ArmMoments;
  settings: EngineSettings;
}

/** An effect with its interval: CI (fixed), CS (sequential) or credible interval (bayesian: posterior mean/sd). */
export interface Interval {
  estimate: number;
  lower: number | null;
  upper: number | null;
  stderr: number;
  /** Two-sided p-value of this effect (null for bayesian). gbstats' relative and absolute tests differ. */
  pValue: number | null;
}

export type Verdict = 'better' | 'worse' | 'inconclusive' | 'insufficient_data';

export interface Comparison {
  status: 'ok' | 'insufficient_data';
  /** One sentence saying why, e.g. "treatment's rate is 3.1% higher (95% CS 0.8% to 5.4%), p=0.004: better". */
  reason: string;
  controlMean: number | null;
  treatmentMean: number | null;
  /** Difference of (CUPED-adjusted) means. */
  absolute: Interval | null;
  /** Relative lift (μT − μC)/μC by the delta method; null when the control mean is 0. */
  relative: Interval | null;
  /** p-value of the effect the verdict is decided on (always-valid for sequential; null for bayesian). */
  pValue: number | null;
  /** Which effect decided the verdict: the relative one unless it is unavailable. */
  basis: 'relative' | 'absolute' | null;
  chanceToWin?: number | null;
  risk?: { control: number; treatment: number } | null;
  /** CUPED's pooled θ (null without CUPED; 0 when it fell back to the unadjusted means). */
  cupedTheta: number | null;
  verdict: Verdict;
}
