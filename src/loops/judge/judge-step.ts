/**
 * One look at a shadow or canary step: the families' evidence and the A/B report in, a verdict and what the
 * rollout does out, with the evidence that decided and one sentence (judgeReason of that evidence).
 *
 * Order of the rules: significant harm on any guardrail (serving, the report's guardrails, paired quality) or on
 * the primary metric fails the step and rolls back at once, whatever the time; then a sample-ratio mismatch
 * holds (the split is suspect, so nothing else is read); then the step passes when the primary clears its margin
 * with min_units reached and every guardrail has data; otherwise it holds until max_duration, where the policy
 * for inconclusive or insufficient data applies. Thin data is never a failure, and nothing passes silently.
 */
import type { Static } from '@sinclair/typebox';
import type { AbTestReport } from '../../contract/abtests.js';
import { finiteOrNull } from './format.js';
import { judgeReason } from './reason.js';
import type {
  HarmEvidence,
  HoldPolicy,
  JudgeAction,
  JudgeEvidence,
  JudgeVerdict,
  PendingEvidence,
  PrimaryEvidence,
  QualityEvidence,
  ReportEvidence,
  ReportMetricEvidence,
  ServingEvidence,
} from './types.js';

type Report = Static<typeof AbTestReport>;

export interface JudgeStepInput {
  phase: 'shadow' | 'canary';
  /** Canary: the step, from 1, and how many there are; shadow: null. */
  index: number | null;
  of: number | null;
  /** Since the step began. */
  elapsedMs: number;
  /** Canary: mature units per arm; shadow: scored paired requests (0: the shadow passes on its duration). */
  minUnits: number;
  /** Canary: max_duration; shadow: its duration. */
  maxDurationMs: number;
  serving: ServingEvidence | null;
  /** Paired quality on shadow traffic (pairedQuality's evidence). */
  quality: QualityEvidence | null;
  /** The A/B engine's report of the step's test (canary), or null. */
  report: Report | null;
  policy: { on_inconclusive: HoldPolicy; on_insufficient_data: HoldPolicy };
  /** The report's primary metric must clear −margin on its decided basis (relative lift unless unavailable); default 0. */
  primaryMargin?: number;
  /** The candidate's arm in the report (default: the first arm compared with the control). */
  candidate?: string;
  /** The data window the serving numbers and pairs were read from (epoch ms, [from, to)), kept in the evidence. */
  window?: { from: number; to: number };
}

export interface JudgeResult {
  verdict: JudgeVerdict;
  action: JudgeAction;
  reason: string;
  evidence: JudgeEvidence;
}

/** The interval of the difference lies wholly on the worse side of 0. */
function harmful(abs: { lower: number | null; upper: number | null } | null, direction: 'increase' | 'decrease'): boolean {
  if (!abs || abs.lower === null || abs.upper === null) return false;
  return direction === 'increase' ? abs.upper < 0 : abs.lower > 0;
}

function metricEvidence(m: Report['metrics'][number], candidate: string | undefined): ReportMetricEvidence {
  const c = candidate !== undefined ? m.comparisons.find((x) => x.arm === candidate) : m.comparisons[0];
  const unitsOf = (arm: string | undefined) => m.arms.find((a) => a.arm === arm)?.units ?? 0;
  const interval = c?.relative ?? c?.absolute ?? null;
  return {
    metric: m.metric,
    role: m.role,
    direction: m.direction,
    verdict: c?.verdict ?? 'insufficient_data',
    basis: c?.relative ? 'relative' : c?.absolute ? 'absolute' : null,
    estimate: finiteOrNull(interval?.estimate),
    lower: finiteOrNull(interval?.lower),
    upper: finiteOrNull(interval?.upper),
    p_value: finiteOrNull(c?.p_value),
    absolute_harm: harmful(c?.absolute ?? null, m.direction),
    absolute: c?.absolute
      ? { estimate: finiteOrNull(c.absolute.estimate), lower: finiteOrNull(c.absolute.lower), upper: finiteOrNull(c.absolute.upper) }
      : null,
    champion_units: unitsOf(c?.control),
    candidate_units: unitsOf(c?.arm ?? candidate),
  };
}

function reportEvidence(r: Report, candidate: string | undefined): ReportEvidence {
  return {
    abtest: r.abtest,
    at: r.at,
    method: r.method,
    alpha: r.alpha,
    srm: { p_value: finiteOrNull(r.srm.p_value), chi_squared: finiteOrNull(r.srm.chi_squared), flagged: r.srm.flagged },
    metrics: r.metrics.map((m) => metricEvidence(m, candidate)),
  };
}

function primaryOf(report: ReportEvidence | null, quality: QualityEvidence | null, margin: number): PrimaryEvidence {
  const p = report?.metrics.find((m) => m.role === 'primary');
  if (p) {
    const clears =
      p.verdict !== 'insufficient_data' && (p.direction === 'increase' ? p.lower !== null && p.lower > -margin : p.upper !== null && p.upper < margin);
    return {
      source: 'report',
      metric: p.metric,
      basis: p.basis,
      direction: p.direction,
      estimate: p.estimate,
      lower: p.lower,
      upper: p.upper,
      margin,
      clears,
      units: Math.min(p.champion_units, p.candidate_units),
      units_per: 'arm',
    };
  }
  if (quality)
    return {
      source: 'quality',
      metric: quality.metric,
      basis: 'loss_difference',
      direction: 'decrease',
      estimate: quality.mean_difference,
      lower: quality.lower,
      upper: quality.upper,
      margin: quality.margin,
      clears: quality.verdict === 'pass',
      units: quality.n,
      units_per: 'pair',
    };
  return {
    source: 'none',
    metric: null,
    basis: null,
    direction: 'increase',
    estimate: null,
    lower: null,
    upper: null,
    margin,
    clears: false,
    units: null,
    units_per: null,
  };
}

function harmsOf(serving: ServingEvidence | null, quality: QualityEvidence | null, report: ReportEvidence | null): HarmEvidence[] {
  const harms: HarmEvidence[] = [];
  if (serving?.error_rate.verdict === 'fail') harms.push({ family: 'serving', check: 'error_rate', metric: null });
  if (serving?.latency.verdict === 'fail') harms.push({ family: 'serving', check: 'latency', metric: null });
  for (const m of report?.metrics ?? []) if (m.verdict === 'worse' || m.absolute_harm) harms.push({ family: 'report', check: m.role, metric: m.metric });
  if (quality?.verdict === 'fail') harms.push({ family: 'quality', check: 'paired_quality', metric: quality.metric });
  return harms;
}

function pendingOf(input: JudgeStepInput, primary: PrimaryEvidence, report: ReportEvidence | null): PendingEvidence[] {
  const pending: PendingEvidence[] = [];
  const { serving, quality } = input;
  if (serving && serving.verdict === 'insufficient_data') pending.push({ reason: 'serving_thin', metric: null });
  // A shadow with min_units 0 needs no labels: it passes on its duration (its paired quality still guards it).
  const shadowOnDuration = input.phase === 'shadow' && input.minUnits === 0 && input.elapsedMs >= input.maxDurationMs;
  if (!shadowOnDuration) {
    if (primary.source === 'none') pending.push({ reason: 'no_primary', metric: null });
    else {
      const thin =
        primary.source === 'report'
          ? report!.metrics.find((m) => m.role === 'primary')!.verdict === 'insufficient_data'
          : quality!.verdict === 'insufficient_data';
      if (primary.units !== null && primary.units < input.minUnits) pending.push({ reason: 'units_below_min', metric: primary.metric });
      if (thin) pending.push({ reason: 'primary_insufficient', metric: primary.metric });
      else if (!primary.clears) pending.push({ reason: 'primary_not_clear', metric: primary.metric });
    }
  }
  for (const m of report?.metrics ?? [])
    if (m.role === 'guardrail' && m.verdict === 'insufficient_data') pending.push({ reason: 'guardrail_insufficient', metric: m.metric });
  if (quality && primary.source === 'report' && quality.verdict === 'insufficient_data')
    pending.push({ reason: 'guardrail_insufficient', metric: `paired ${quality.metric}` });
  return pending;
}

const POLICY_ACTION: Record<HoldPolicy, JudgeAction> = { hold: 'hold', extend: 'advance', ask: 'ask', rollback: 'rollback' };

function checkInput(input: JudgeStepInput): void {
  if (!(input.elapsedMs >= 0 && Number.isFinite(input.elapsedMs))) throw new RangeError('elapsedMs must be a finite number ≥ 0');
  if (!(input.maxDurationMs >= 0 && Number.isFinite(input.maxDurationMs))) throw new RangeError('maxDurationMs must be a finite number ≥ 0');
  if (!(Number.isInteger(input.minUnits) && input.minUnits >= 0)) throw new RangeError('minUnits must be an integer ≥ 0');
  const w = input.window;
  if (w && !(Number.isFinite(w.from) && Number.isFinite(w.to) && w.from < w.to)) throw new RangeError('window needs finite from < to');
  const m = input.primaryMargin ?? 0;
  if (!(m >= 0 && Number.isFinite(m))) throw new RangeError('primaryMargin must be a number ≥ 0');
}

export function judgeStep(input: JudgeStepInput): JudgeResult {
  checkInput(input);
  const report = input.report ? reportEvidence(input.report, input.candidate) : null;
  const primary = primaryOf(report, input.quality, input.primaryMargin ?? 0);
  const harms = harmsOf(input.serving, input.quality, report);
  const pending = pendingOf(input, primary, report);
  let verdict: JudgeVerdict;
  let action: JudgeAction;
  let outcome: JudgeEvidence['outcome'];
  if (harms.length > 0) [verdict, action, outcome] = ['fail', 'rollback', 'harm'];
  else if (report?.srm.flagged) [verdict, action, outcome] = ['inconclusive', 'hold', 'srm'];
  else if (pending.length === 0) [verdict, action, outcome] = ['pass', 'advance', 'passed'];
  else {
    verdict = pending.every((p) => p.reason === 'primary_not_clear') ? 'inconclusive' : 'insufficient_data';
    if (input.elapsedMs < input.maxDurationMs) [action, outcome] = ['hold', 'waiting'];
    else {
      action = POLICY_ACTION[verdict === 'inconclusive' ? input.policy.on_inconclusive : input.policy.on_insufficient_data];
      outcome = 'policy';
    }
  }
  const evidence: JudgeEvidence = {
    phase: input.phase,
    index: input.index,
    of: input.of,
    window: input.window ? { from: input.window.from, to: input.window.to } : null,
    elapsed_ms: input.elapsedMs,
    max_duration_ms: input.maxDurationMs,
    min_units: input.minUnits,
    policy: { on_inconclusive: input.policy.on_inconclusive, on_insufficient_data: input.policy.on_insufficient_data },
    verdict,
    action,
    outcome,
    harms,
    pending,
    primary,
    serving: input.serving,
    quality: input.quality,
    report,
  };
  return { verdict, action, reason: judgeReason(evidence), evidence };
}
