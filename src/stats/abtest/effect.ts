/**
 * The estimate and its variance for one difference type, as gbstats' frequentist_diff / frequentist_variance:
 * absolute μT − μC with σ²C/nC + σ²T/nT; relative (μT − μC)/μ̃C with the delta-method variance
 * σ²T/(μ̃C² nT) + σ²C μ̃T²/(μ̃C⁴ nC), μ̃ the unadjusted (pre-CUPED) means.
 */
import type { ArmStatistic } from './statistic.js';

export type DifferenceType = 'absolute' | 'relative';

export interface Effect {
  estimate: number;
  variance: number;
}

export function effect(control: ArmStatistic, treatment: ArmStatistic, type: DifferenceType): Effect {
  const va = control.variance;
  const vb = treatment.variance;
  if (type === 'absolute') return { estimate: treatment.mean - control.mean, variance: vb / treatment.n + va / control.n };
  const ua = control.unadjustedMean;
  const ub = treatment.unadjustedMean;
  return {
    estimate: (treatment.mean - control.mean) / ua,
    variance: vb / (ua ** 2 * treatment.n) + (va * ub ** 2) / (ua ** 4 * control.n),
  };
}

/** Welch–Satterthwaite degrees of freedom from the per-unit variances (the same for both difference types). */
export function welchDof(control: ArmStatistic, treatment: ArmStatistic): number {
  const a = control.variance / control.n;
  const b = treatment.variance / treatment.n;
  return (a + b) ** 2 / (b ** 2 / (treatment.n - 1) + a ** 2 / (control.n - 1));
}
