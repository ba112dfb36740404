/**
 * judgeReason(evidence): the judge's one sentence, rebuilt from the evidence alone (a past verdict re-renders
 * identically from its snapshot). Every number in it is one of the evidence's.
 */
import { duration, num, pct, pValue } from './format.js';
import type { HarmEvidence, HoldPolicy, JudgeEvidence, PendingEvidence, ReportMetricEvidence } from './types.js';

const METRIC_WORDS: Record<string, string> = {
  accuracy: '0/1 loss',
  log_loss: 'log loss',
  absolute_error: 'absolute error',
  squared_error: 'squared error',
};

const POLICY_WORDS: Record<HoldPolicy, string> = {
  hold: 'keeps the rollout at this step',
  extend: 'advances it without a pass',
  ask: 'asks a human to decide',
  rollback: 'rolls it back',
};

function stepName(e: JudgeEvidence): string {
  return e.phase === 'shadow' ? 'The shadow step' : `Canary step ${e.index ?? '?'} of ${e.of ?? '?'}`;
}

function level(alpha: number): string {
  return `${num((1 - alpha) * 100)}%`;
}

/** A report effect: a relative one in percent, an absolute one as a number. */
function effect(x: number | null, basis: ReportMetricEvidence['basis']): string {
  if (x === null) return 'n/a';
  return basis === 'relative' ? pct(x) : num(x);
}

function reportInterval(e: JudgeEvidence, m: { lower: number | null; upper: number | null; basis: ReportMetricEvidence['basis'] }): string {
  const r = e.report!;
  return `${level(r.alpha)} ${r.method === 'sequential' ? 'always-valid interval' : 'interval'} ${effect(m.lower, m.basis)} to ${effect(m.upper, m.basis)}`;
}

function qualityInterval(e: JudgeEvidence): string {
  const q = e.quality!;
  return `${level(q.alpha)} always-valid interval ${num(q.lower ?? 0)} to ${num(q.upper ?? 0)}`;
}

function harmText(e: JudgeEvidence, h: HarmEvidence): string {
  if (h.check === 'error_rate') {
    const s = e.serving!;
    const t = s.error_rate;
    const test =
      t.z !== null && t.p_value !== null
        ? `${t.test}, z = ${num(t.z)}, ${pValue(t.p_value)} < α ${num(s.alpha)}`
        : 'no variance to test: on each side every request failed or none did';
    return `the candidate's error rate ${pct(s.candidate.error_rate ?? 0)} exceeds the champion's ${pct(s.champion.error_rate ?? 0)} by more than the allowed ${pct(t.allowed_increase)} (${test}; ${s.candidate.requests} and ${s.champion.requests} requests)`;
  }
  if (h.check === 'latency') {
    const s = e.serving!;
    return `the candidate's p99 latency ${num(s.candidate.p99_ms ?? 0)} ms is ${num(s.latency.ratio ?? 0)}× the champion's ${num(s.champion.p99_ms ?? 0)} ms (at most ${num(s.latency.max_ratio)}×, point values)`;
  }
  if (h.check === 'paired_quality') {
    const q = e.quality!;
    return `the candidate's ${METRIC_WORDS[q.metric]} is higher by ${num(q.mean_difference ?? 0)} per request (${qualityInterval(e)}, above the margin ${num(q.margin)}) on ${q.n} paired requests`;
  }
  const m = e.report!.metrics.find((x) => x.metric === h.metric && x.role === h.check)!;
  if (m.verdict !== 'worse' && m.absolute_harm && m.absolute) {
    const a = { ...m.absolute, basis: 'absolute' as const };
    return `${m.role} ${m.metric} is worse for the candidate: a difference of ${effect(a.estimate, 'absolute')} (${reportInterval(e, a)}, which excludes 0)`;
  }
  return `${m.role} ${m.metric} is worse for the candidate: ${effect(m.estimate, m.basis)} (${reportInterval(e, m)}${m.p_value !== null ? `, ${pValue(m.p_value)}` : ''})`;
}

function pendingText(e: JudgeEvidence, p: PendingEvidence): string {
  const q = e.quality;
  const pr = e.primary;
  switch (p.reason) {
    case 'serving_thin': {
      const s = e.serving!;
      if (s.candidate.requests < s.min_requests || s.champion.requests < s.min_requests)
        return `serving has ${s.candidate.requests} candidate and ${s.champion.requests} champion requests (at least ${s.min_requests} each needed)`;
      return "the champion's p99 latency is 0 ms, so no latency ratio";
    }
    case 'units_below_min':
      return pr.units_per === 'arm'
        ? `${pr.units ?? 0} mature units per arm of the ${e.min_units} required`
        : `${pr.units ?? 0} paired labelled requests of the ${e.min_units} required`;
    case 'primary_insufficient':
      return pr.source === 'quality' && q
        ? `${q.n} scored paired requests of the ${q.min_pairs} an interval needs`
        : `primary ${pr.metric} has too little data for an interval`;
    case 'primary_not_clear':
      return pr.source === 'quality'
        ? `the paired ${METRIC_WORDS[pr.metric ?? ''] ?? pr.metric} difference ${num(pr.estimate ?? 0)} (${qualityInterval(e)}) does not clear the margin ${num(pr.margin)}`
        : `primary ${pr.metric} ${effect(pr.estimate, pr.basis === 'loss_difference' ? null : pr.basis)} (${reportInterval(e, { lower: pr.lower, upper: pr.upper, basis: pr.basis === 'loss_difference' ? null : pr.basis })}) ${marginWords(pr, false)}`;
    case 'no_primary':
      return 'there is no primary evidence (no A/B report and no paired quality)';
    case 'guardrail_insufficient':
      return `guardrail ${p.metric} has too little data`;
  }
}

function servingSummary(e: JudgeEvidence): string {
  const s = e.serving;
  if (!s) return ' (no serving numbers were given)';
  const errors =
    s.error_rate.note === 'no_errors'
      ? 'no errors on either side'
      : `error rate ${pct(s.candidate.error_rate ?? 0)} vs ${pct(s.champion.error_rate ?? 0)}${s.error_rate.p_value !== null ? ` (${pValue(s.error_rate.p_value)} for an increase over ${pct(s.error_rate.allowed_increase)})` : ''}`;
  return ` (serving: ${errors}; p99 ${num(s.latency.ratio ?? 0)}× the champion's, at most ${num(s.latency.max_ratio)}×)`;
}

/** Whether the primary's interval is past its margin, in words: "lies above 0", "clears −2%". */
function marginWords(pr: JudgeEvidence['primary'], clears: boolean): string {
  const b = pr.basis === 'loss_difference' ? null : pr.basis;
  const up = pr.direction === 'increase';
  if (pr.margin === 0) return `${clears ? '' : 'does not '}${clears ? 'lies' : 'lie'} ${up ? 'above' : 'below'} 0`;
  return `${clears ? 'clears' : 'does not clear'} the margin ${up ? '−' : '+'}${effect(pr.margin, b)}`;
}

function passText(e: JudgeEvidence): string {
  const pr = e.primary;
  const q = e.quality;
  if (pr.source === 'report' && pr.clears) {
    const b = pr.basis === 'loss_difference' ? null : pr.basis;
    return `primary ${pr.metric} ${effect(pr.estimate, b)} (${reportInterval(e, { lower: pr.lower, upper: pr.upper, basis: b })}) ${marginWords(pr, true)} with ${pr.units ?? 0} mature units per arm (at least ${e.min_units})`;
  }
  if (pr.source === 'quality' && pr.clears && q)
    return `the candidate's ${METRIC_WORDS[q.metric]} differs by ${num(q.mean_difference ?? 0)} per request (${qualityInterval(e)}, below the margin ${num(q.margin)}) on ${q.n} paired requests (at least ${e.min_units})`;
  const quality = q
    ? q.verdict === 'insufficient_data'
      ? `; paired quality has ${q.n} scored requests, too few to judge`
      : `; paired ${METRIC_WORDS[q.metric]} difference ${num(q.mean_difference ?? 0)} (${qualityInterval(e)}) is ${q.verdict}`
    : '';
  return `the shadow ran its ${duration(e.max_duration_ms)} with no labelled requests required (min_units 0)${quality}`;
}

export function judgeReason(e: JudgeEvidence): string {
  const step = stepName(e);
  const time = `${duration(e.elapsed_ms)} of at most ${duration(e.max_duration_ms)}`;
  switch (e.outcome) {
    case 'harm':
      return `${step} fails: ${e.harms.map((h) => harmText(e, h)).join('; ')}; roll back now (after ${time}).`;
    case 'srm': {
      const p = e.report!.srm.p_value;
      return `${step} holds: the A/B test's split differs from its weights (sample-ratio mismatch${p !== null ? `, ${pValue(p)}` : ''} < 0.001), so its results are suspect; the rollout pauses until it is explained (after ${time}).`;
    }
    case 'passed':
      return `${step} passes: ${passText(e)}; no guardrail shows harm${servingSummary(e)}.`;
    case 'waiting':
      return `${step} holds: ${e.pending.map((p) => pendingText(e, p)).join('; ')}; ${time} elapsed.`;
    case 'policy': {
      const policy = e.verdict === 'inconclusive' ? e.policy.on_inconclusive : e.policy.on_insufficient_data;
      const what = e.verdict === 'inconclusive' ? 'inconclusive' : 'short of data';
      return `${step} is ${what} at its maximum duration ${duration(e.max_duration_ms)}: ${e.pending.map((p) => pendingText(e, p)).join('; ')}; the '${policy}' policy ${POLICY_WORDS[policy]}.`;
    }
  }
}
