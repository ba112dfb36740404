/**
 * The report, pure: from each metric's per-arm moments (mergeable sums over mature units) to the contract's
 * AbTestReport through the statistics engine — comparisons of each treatment arm with the control, p-values
 * adjusted across metrics × comparisons, the sample-ratio check and the decision. No NaN leaves this file:
 * what cannot be computed is null.
 */
import type { Static } from '@sinclair/typebox';
import type * as C from '../contract/abtests.js';
import { type ArmMoments, type Comparison, type EngineSettings, type Interval, adjustPValues, compare, sampleRatioMismatch } from '../stats/index.js';
import type { AbTestSpec, AbTestSettings, MetricPlan } from './abtest-spec.js';

type Report = Static<typeof C.AbTestReport>;
type MetricResult = Static<typeof C.MetricResult>;
type ComparisonResult = Static<typeof C.Comparison>;
type EffectInterval = Static<typeof C.EffectInterval>;
type Verdict = Static<typeof C.AbTestReport>['decision']['verdict'];

/** One metric's per-arm aggregates over mature units. */
export interface MetricAggregate {
  plan: MetricPlan;
  /** Per arm (version): the moments of its mature units. */
  moments: Map<string, ArmMoments>;
}

export function engineSettings(s: AbTestSettings, cuped: boolean): EngineSettings {
  return {
    method: s.method,
    alpha: s.alpha,
    sequentialTuning: s.sequential_tuning,
    cuped,
    priorMean: s.prior_mean,
    priorStddev: s.prior_stddev,
    properPrior: s.proper_prior,
  };
}

const num = (x: number | null | undefined): number | null => (x === null || x === undefined || !Number.isFinite(x) ? null : x);

function effectOf(i: Interval | null): EffectInterval | null {
  if (!i || !Number.isFinite(i.estimate) || !Number.isFinite(i.stderr)) return null;
  return { estimate: i.estimate, lower: num(i.lower), upper: num(i.upper), stderr: i.stderr, p_value: num(i.pValue) };
}

/** The arm's mean: the ratio of its sums for ratio metrics, else the average per unit (the share for proportions). */
function armMean(kind: MetricPlan['kind'], m: ArmMoments): number | null {
  if (kind === 'ratio') return m.denominatorSum ? num(m.sum / m.denominatorSum) : null;
  return m.n > 0 ? num(m.sum / m.n) : null;
}

function comparisonsOf(agg: MetricAggregate, spec: AbTestSpec): { arm: string; c: Comparison }[] {
  const control = agg.moments.get(spec.control)!;
  const cuped = agg.plan.lookbackMs !== null && agg.plan.kind !== 'ratio';
  const settings = engineSettings(spec.settings, cuped);
  return spec.arms
    .filter((a) => a.version !== spec.control)
    .map((a) => ({
      arm: a.version,
      c: compare({ kind: agg.plan.kind, direction: agg.plan.direction, control, treatment: agg.moments.get(a.version)!, settings }),
    }));
}

/** A comparison in the contract's shape; its verdict is the corrected one. */
function comparisonResult(arm: string, control: string, c: Comparison, adjusted: number | null, alpha: number, correction: string): ComparisonResult {
  let verdict: Verdict = c.verdict;
  let reason = c.reason;
  // The interval is per comparison; across metrics the adjusted p-value decides (bayesian has none: unchanged).
  if ((verdict === 'better' || verdict === 'worse') && adjusted !== null && adjusted >= alpha) {
    verdict = 'inconclusive';
    reason = `${reason.replace(/: (better|worse)$/, '')}, but not significant after the ${correction} correction across metrics (adjusted p=${Number(adjusted.toPrecision(2))}): inconclusive`;
  }
  return {
    arm,
    control,
    absolute: effectOf(c.absolute),
    relative: effectOf(c.relative),
    p_value: num(c.pValue),
    adjusted_p_value: num(adjusted),
    chance_to_win: num(c.chanceToWin),
    risk: c.risk && Number.isFinite(c.risk.control) && Number.isFinite(c.risk.treatment) ? { control: c.risk.control, treatment: c.risk.treatment } : null,
    verdict,
    reason,
  };
}

/** Exposed units per arm in the spec's order, and the mature ones per metric: pending = exposed − mature. */
export interface ReportInput {
  abtest: string;
  state: Report['state'];
  at: number;
  spec: AbTestSpec;
  exposed: Map<string, number>;
  metrics: MetricAggregate[];
  history: Report['history'];
}

export function buildReport(input: ReportInput): Report {
  const { spec } = input;
  const compared = input.metrics.map((agg) => ({ agg, comparisons: comparisonsOf(agg, spec) }));
  const flat = compared.flatMap((m) => m.comparisons.map((c) => c.c.pValue));
  const adjusted = adjustPValues(flat, spec.settings.correction);
  let k = 0;
  const metrics: MetricResult[] = compared.map(({ agg, comparisons }) => {
    const results = comparisons.map(({ arm, c }) =>
      comparisonResult(arm, spec.control, c, adjusted[k++] ?? null, spec.settings.alpha, spec.settings.correction),
    );
    // CUPED: the comparison's θ and the pooled covariate mean of its two arms (the control: its first comparison).
    const cupedOf = (arm: string): { theta: number; pooled: number } | null => {
      if (agg.plan.lookbackMs === null || agg.plan.kind === 'ratio') return null;
      const cmp = comparisons.find((c) => c.arm === arm) ?? comparisons[0];
      if (!cmp || cmp.c.cupedTheta === null) return null;
      const c = agg.moments.get(spec.control)!;
      const t = agg.moments.get(cmp.arm)!;
      const n = c.n + t.n;
      return n > 0 ? { theta: cmp.c.cupedTheta, pooled: ((c.covariateSum ?? 0) + (t.covariateSum ?? 0)) / n } : null;
    };
    return {
      metric: agg.plan.metric,
      role: agg.plan.role,
      kind: agg.plan.kind,
      direction: agg.plan.direction,
      arms: spec.arms.map((a) => {
        const m = agg.moments.get(a.version)!;
        const mean = armMean(agg.plan.kind, m);
        // ȳ − θ·(x̄ − x̄ pooled): on the metric's scale; arms' differences are the engine's adjusted effect.
        const cu = cupedOf(a.version);
        const cuped = cu && mean !== null && m.n > 0 ? num(mean - cu.theta * ((m.covariateSum ?? 0) / m.n - cu.pooled)) : null;
        return { arm: a.version, units: m.n, pending_units: Math.max(0, (input.exposed.get(a.version) ?? 0) - m.n), mean, cuped_mean: cuped };
      }),
      comparisons: results,
    };
  });
  return {
    abtest: input.abtest,
    state: input.state,
    at: input.at,
    method: spec.settings.method,
    alpha: spec.settings.alpha,
    srm: srmOf(spec, input.exposed),
    metrics,
    decision: decide(metrics),
    history: input.history,
  };
}

function srmOf(spec: AbTestSpec, exposed: Map<string, number>): Report['srm'] {
  const counts = spec.arms.map((a) => exposed.get(a.version) ?? 0);
  const weights = spec.arms.map((a) => a.weight);
  const total = counts.reduce((a, b) => a + b, 0);
  const s = sampleRatioMismatch(counts, weights);
  const units = spec.arms.map((a, i) => ({
    arm: a.version,
    units: counts[i]!,
    expected_share: a.weight / 100,
    observed_share: total ? counts[i]! / total : null,
  }));
  const p = num(s.pValue);
  const split = units.map((u) => `${u.arm} ${u.units}`).join(', ');
  const reason =
    total === 0
      ? 'No units exposed yet.'
      : s.flagged
        ? `Sample-ratio mismatch: ${split} differ from the weights ${spec.arms.map((a) => `${a.weight}%`).join('/')} (p=${Number(s.pValue.toPrecision(2))} < 0.001); results are suspect.`
        : `The split ${split} agrees with the weights (p=${Number(s.pValue.toPrecision(2))}).`;
  return { chi_squared: total ? num(s.chiSquared) : null, p_value: total ? p : null, flagged: s.flagged, units, reason };
}

/** Primary better and no guardrail worse: better; any guardrail significantly worse: worse, naming it; … */
export function decide(metrics: MetricResult[]): Report['decision'] {
  const primary = metrics.find((m) => m.role === 'primary')!;
  const guardrailsWorse = metrics
    .filter((m) => m.role === 'guardrail')
    .flatMap((m) => m.comparisons.filter((c) => c.verdict === 'worse').map((c) => `${m.metric} (${c.arm})`));
  if (guardrailsWorse.length)
    return {
      verdict: 'worse',
      reason: `Guardrail ${guardrailsWorse.join(', ')} is significantly worse than the control ${primary.comparisons[0]?.control ?? ''}.`,
    };
  const by = (v: Verdict) => primary.comparisons.filter((c) => c.verdict === v).map((c) => c.arm);
  const guardrails = metrics.length > 1 ? ' and no guardrail is worse' : '';
  if (by('worse').length) return { verdict: 'worse', reason: `${primary.metric} is significantly worse for ${by('worse').join(', ')}.` };
  if (by('better').length) return { verdict: 'better', reason: `${primary.metric} is significantly better for ${by('better').join(', ')}${guardrails}.` };
  if (primary.comparisons.length && primary.comparisons.every((c) => c.verdict === 'insufficient_data'))
    return { verdict: 'insufficient_data', reason: `${primary.metric}: ${primary.comparisons[0]!.reason}.` };
  return { verdict: 'inconclusive', reason: `${primary.metric} shows no significant difference yet${guardrails}.` };
}

/** A history point of one treatment arm: the primary metric's relative lift and its interval. */
export function historyPoints(at: number, agg: MetricAggregate, spec: AbTestSpec): Report['history'] {
  return comparisonsOf(agg, spec).map(({ arm, c }) => ({
    at,
    metric: agg.plan.metric,
    arm,
    units: agg.moments.get(arm)!.n,
    estimate: num(c.relative?.estimate),
    lower: num(c.relative?.lower),
    upper: num(c.relative?.upper),
  }));
}
