/**
 * gbstats 0.8.0's EffectBayesianABTest: a normal prior on the effect (improper by default), the conjugate
 * normal posterior, chance to win P(effect better than 0), credible interval, and risk (expected loss) of
 * choosing each arm from the truncated-normal means.
 */
import { normalCdf, normalPdf } from '../dists/index.js';
import { normalQuantile } from './normal-quantile.js';
import type { DifferenceType, Effect } from './effect.js';

export interface NormalPrior {
  mean: number;
  variance: number;
  proper: boolean;
}

export interface BayesianOutcome {
  mean: number;
  stddev: number;
  lower: number;
  upper: number;
  /** P(treatment better), "better" per the metric's direction. */
  chanceToWin: number;
  /** Expected loss of shipping control, of shipping treatment (gbstats' risk = [risk_ctrl, risk_trt]). */
  risk: { control: number; treatment: number };
}

/**
 * The prior is stated on the relative lift (gbstats' prior_type "relative"); for the absolute effect it is
 * rescaled by |μ̃C| (mean) and μ̃C² (variance), as EffectBayesianABTest does.
 */
export function priorFor(type: DifferenceType, relativePrior: NormalPrior, controlUnadjustedMean: number): NormalPrior {
  if (type === 'relative') return relativePrior;
  return {
    mean: relativePrior.mean * Math.abs(controlUnadjustedMean),
    variance: relativePrior.variance * controlUnadjustedMean ** 2,
    proper: relativePrior.proper,
  };
}

export function bayesian(e: Effect, prior: NormalPrior, alpha: number, inverse: boolean): BayesianOutcome {
  const precision = 1 / e.variance + (prior.proper ? 1 / prior.variance : 0);
  const mean = prior.proper ? (e.estimate / e.variance + prior.mean / prior.variance) / precision : e.estimate;
  const stddev = Math.sqrt(1 / precision);
  const z = mean / stddev;
  const up = normalCdf(z); // P(effect > 0)
  const down = normalCdf(-z);
  // E[max(effect, 0)] = μΦ(z) + σφ(z) and E[max(−effect, 0)] = σφ(z) − μΦ(−z): gbstats' truncated-normal
  // means times the probabilities, in closed form.
  const density = stddev * normalPdf(z);
  const riskControl = mean * up + density;
  const riskTreatment = density - mean * down;
  return {
    mean,
    stddev,
    lower: mean + stddev * normalQuantile(alpha / 2),
    upper: mean + stddev * normalQuantile(1 - alpha / 2),
    chanceToWin: inverse ? down : up,
    risk: inverse ? { control: riskTreatment, treatment: riskControl } : { control: riskControl, treatment: riskTreatment },
  };
}
