/**
 * compare(): control vs treatment on one metric, with gbstats 0.8.0's conventions. Never returns NaN or
 * Infinity: what cannot be computed is null, and the comparison says insufficient_data with the reason.
 * Insufficient data exactly where gbstats returns its default ("uninformative") result: an arm without
 * units, or with variance ≤ 0 (which includes n ≤ 1). A control mean of 0 makes only the relative lift
 * unavailable; Ferry still reports (and decides on) the absolute difference, which gbstats does not.
 */
import { bayesian, priorFor } from './bayesian.js';
import { effect, welchDof, type DifferenceType } from './effect.js';
import { fixedHorizon, sequential } from './frequentist.js';
import { fullArmMoments } from './moments.js';
import { chanceVerdict, intervalVerdict, reasonSentence } from './reason.js';
import { DEFAULT_ENGINE_SETTINGS, type Comparison, type ComparisonInput, type EngineSettings, type Interval } from './settings.js';
import { armStatistics, type ArmStatistic } from './statistic.js';

function checkSettings(s: EngineSettings): void {
  if (!(s.alpha > 0 && s.alpha < 1)) throw new RangeError(`alpha must be in (0, 1), got ${s.alpha}`);
  if (s.method === 'sequential' && !(s.sequentialTuning > 0 && Number.isFinite(s.sequentialTuning)))
    throw new RangeError(`sequentialTuning must be a positive number, got ${s.sequentialTuning}`);
  if (s.method === 'bayesian' && s.properPrior && !((s.priorStddev ?? 0.1) > 0)) throw new RangeError('a proper prior needs priorStddev > 0');
}

function insufficient(reason: string, control: ArmStatistic | null, treatment: ArmStatistic | null, theta: number | null): Comparison {
  const mean = (s: ArmStatistic | null): number | null => (s && s.n > 0 && Number.isFinite(s.unadjustedMean) ? s.unadjustedMean : null);
  return {
    status: 'insufficient_data',
    reason,
    controlMean: mean(control),
    treatmentMean: mean(treatment),
    absolute: null,
    relative: null,
    pValue: null,
    basis: null,
    chanceToWin: null,
    risk: null,
    cupedTheta: theta !== null && Number.isFinite(theta) ? theta : null,
    verdict: 'insufficient_data',
  };
}

/** Why an arm cannot be analysed, or null when it can. */
function armProblem(name: string, s: ArmStatistic): string | null {
  if (s.n === 0) return `${name} has no units yet`;
  if (s.n < 2) return `${name} has fewer than 2 units`;
  if (!(s.variance > 0)) return `${name} has no variance (every unit has the same value)`;
  return null;
}

const finite = (...xs: number[]): boolean => xs.every(Number.isFinite);

interface Analysed {
  interval: Interval;
  chanceToWin: number | null;
  risk: { control: number; treatment: number } | null;
}

function analyse(type: DifferenceType, control: ArmStatistic, treatment: ArmStatistic, settings: EngineSettings, inverse: boolean): Analysed | null {
  const e = effect(control, treatment, type);
  if (!finite(e.estimate, e.variance) || !(e.variance > 0)) return null;
  const stderr = Math.sqrt(e.variance);
  if (settings.method === 'bayesian') {
    const relativePrior = {
      mean: settings.priorMean ?? 0,
      variance: (settings.priorStddev ?? 0.1) ** 2,
      proper: settings.properPrior ?? false,
    };
    const prior = priorFor(type, relativePrior, control.unadjustedMean);
    if (prior.proper && !(prior.variance > 0)) return null;
    const b = bayesian(e, prior, settings.alpha, inverse);
    if (!finite(b.mean, b.stddev, b.lower, b.upper, b.chanceToWin, b.risk.control, b.risk.treatment)) return null;
    return {
      interval: { estimate: b.mean, lower: b.lower, upper: b.upper, stderr: b.stddev, pValue: null },
      chanceToWin: b.chanceToWin,
      risk: b.risk,
    };
  }
  const t =
    settings.method === 'sequential'
      ? sequential(e, control.n + treatment.n, settings.alpha, settings.sequentialTuning)
      : fixedHorizon(e, welchDof(control, treatment), settings.alpha);
  if (!finite(t.lower, t.upper, t.pValue)) return null;
  return { interval: { estimate: e.estimate, lower: t.lower, upper: t.upper, stderr, pValue: t.pValue }, chanceToWin: null, risk: null };
}

export function compare(input: ComparisonInput): Comparison {
  const settings = { ...DEFAULT_ENGINE_SETTINGS, ...input.settings };
  checkSettings(settings);
  const c = fullArmMoments(input.control);
  const t = fullArmMoments(input.treatment);
  const bad = [c, t].some((m) => !Object.values(m).every(Number.isFinite) || m.n < 0);
  if (bad) return insufficient('the aggregates contain a negative unit count or a non-finite sum', null, null, null);
  const cuped = settings.cuped && input.kind !== 'ratio';
  const { control, treatment, theta } = armStatistics(input.kind, c, t, cuped);
  const problem = armProblem('control', control) ?? armProblem('treatment', treatment);
  if (problem) return insufficient(problem, control, treatment, theta);

  const inverse = input.direction === 'decrease';
  const absolute = analyse('absolute', control, treatment, settings, inverse);
  const relativeAvailable = control.mean !== 0 && control.unadjustedMean !== 0;
  const relative = relativeAvailable ? analyse('relative', control, treatment, settings, inverse) : null;
  const decided = relative ?? absolute;
  if (!decided) return insufficient('the effect could not be computed from these aggregates', control, treatment, theta);
  const basis = relative ? 'relative' : 'absolute';
  const verdict =
    settings.method === 'bayesian' && decided.chanceToWin !== null
      ? chanceVerdict(decided.chanceToWin, settings.alpha)
      : intervalVerdict(decided.interval, input.direction);
  const reason =
    reasonSentence({
      kind: input.kind,
      method: settings.method,
      alpha: settings.alpha,
      interval: decided.interval,
      relative: basis === 'relative',
      verdict,
      chanceToWin: decided.chanceToWin,
    }) + (relativeAvailable ? '' : ' (control mean is 0: no relative lift)');
  return {
    status: 'ok',
    reason,
    controlMean: control.unadjustedMean,
    treatmentMean: treatment.unadjustedMean,
    absolute: absolute?.interval ?? null,
    relative: relative?.interval ?? null,
    pValue: decided.interval.pValue,
    basis,
    chanceToWin: settings.method === 'bayesian' ? decided.chanceToWin : undefined,
    risk: settings.method === 'bayesian' ? decided.risk : undefined,
    cupedTheta: theta,
    verdict,
  };
}
