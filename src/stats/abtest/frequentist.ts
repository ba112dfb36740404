/**
 * Frequentist intervals and p-values for one effect, as gbstats 0.8.0's frequentist/tests.py:
 * fixed horizon = TwoSidedTTest (Welch t), sequential = SequentialTwoSidedTTest (the Gaussian-mixture
 * confidence sequence of Waudby-Smith et al., arXiv 2103.06476v7 eqs. 9, 155 and 161, tuning N*).
 */
import { studentTTwoSidedP, studentTUpperQuantile } from './student-t.js';
import type { Effect } from './effect.js';

export interface TestOutcome {
  lower: number;
  upper: number;
  pValue: number;
}

/** Welch t test: CI estimate ± t_{1−α/2, ν}·SE, p = P(|T_ν| > |estimate/SE|). */
export function fixedHorizon(e: Effect, dof: number, alpha: number): TestOutcome {
  const se = Math.sqrt(e.variance);
  const width = studentTUpperQuantile(alpha / 2, dof) * se;
  return { lower: e.estimate - width, upper: e.estimate + width, pValue: studentTTwoSidedP(e.estimate / se, dof) };
}

/** ρ of the normal mixture, chosen so the boundary is tightest at N* units: ρ² = (−2 ln α + ln(1 − 2 ln α))/N*. */
export function sequentialRho(alpha: number, tuning: number): number {
  return Math.sqrt((-2 * Math.log(alpha) + Math.log(1 - 2 * Math.log(alpha))) / tuning);
}

/**
 * Always-valid interval and p-value with N = nC + nT units and s² = Var(estimate)·N:
 * half-width s·√(2(Nρ² + 1)·ln(√(Nρ² + 1)/α)/(Nρ)²); p = min(1, 1/E),
 * E = exp(ρ²·t²/(2(Nρ² + 1)))/√(Nρ² + 1), t² = estimate²·N/Var.
 */
export function sequential(e: Effect, units: number, alpha: number, tuning: number): TestOutcome {
  const rho = sequentialRho(alpha, tuning);
  const nr2p1 = units * rho ** 2 + 1;
  const s2 = e.variance * units;
  const width = Math.sqrt(s2) * Math.sqrt((2 * nr2p1 * Math.log(Math.sqrt(nr2p1) / alpha)) / (units * rho) ** 2);
  const st2 = (e.estimate ** 2 * units) / e.variance;
  // 1/E as exp(−…)·√(…): the same number without overflowing to Infinity on a huge effect.
  const inverseE = Math.exp((-(rho ** 2) * st2) / (2 * nr2p1)) * Math.sqrt(nr2p1);
  return { lower: e.estimate - width, upper: e.estimate + width, pValue: Math.min(1, inverseE) };
}
