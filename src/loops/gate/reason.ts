/**
 * The gate's sentences, built from the evidence alone, so a past verdict re-renders identically from its
 * snapshot: `gateReason(JSON.parse(JSON.stringify(e))) === e.reason`.
 */
import type { FailureKind, GateEvidence, MetricEvidence, SourceEvidence, ThresholdEvidence } from './evidence.js';
import { fmt, fmtChange, fmtLevel, fmtPercent, plural } from './format.js';

function movement(m: MetricEvidence): string {
  const c = m.candidate as number;
  const b = m.champion as number;
  const verb = c < b ? 'fell' : c > b ? 'rose' : 'stayed';
  return c === b ? `${m.metric} stayed at ${fmt(c)}` : `${m.metric} ${verb} from ${fmt(b)} to ${fmt(c)}`;
}

/** One failure in a short phrase: "accuracy fell from 0.912 to 0.871 (−0.041; …)". */
export function failurePhrase(m: MetricEvidence, t: ThresholdEvidence, kind: FailureKind): string {
  switch (kind) {
    case 'undefined':
      return `${m.metric} could not be judged: ${m.not_judged ?? 'no value'}`;
    case 'value_lower':
      return `${m.metric} ${fmt(m.candidate as number)} is below its lower bound ${fmt(t.lower as number)}`;
    case 'value_upper':
      return `${m.metric} ${fmt(m.candidate as number)} is above its upper bound ${fmt(t.upper as number)}`;
    case 'change_absolute': {
      const cmp = t.direction === 'higher_is_better' ? 'at least' : 'at most';
      return `${movement(m)} (${fmtChange(m.delta as number)}; the threshold allows a change of ${cmp} ${fmtChange(t.absolute as number)})`;
    }
    case 'change_relative': {
      if (m.relative_change === null) return `${movement(m)}: a relative change is undefined, the champion's ${m.metric} is 0`;
      const cmp = t.direction === 'higher_is_better' ? 'at least' : 'at most';
      return `${movement(m)} (${fmtPercent(m.relative_change)}; the threshold allows a relative change of ${cmp} ${fmtPercent(t.relative as number)})`;
    }
    case 'statistical': {
      const s = m.statistical;
      if (s === null || s.interval === null || s.bound === null) {
        return `${m.metric} has no interval on ${plural(m.rows, 'row')} (insufficient data${s ? `: ${s.reason}` : ''})`;
      }
      const limit = t.direction === 'higher_is_better' ? -s.margin : s.margin;
      const head = m.candidate !== null && m.champion !== null ? movement(m) : m.metric;
      return (
        `${head} (${fmtChange(s.difference as number)}; ${fmtLevel(s.alpha)} interval ${fmtChange(s.interval.lower)} to ${fmtChange(s.interval.upper)}, ` +
        `one-sided ${s.bound_side} bound ${fmtChange(s.bound)}, does not clear ${fmtChange(limit)})`
      );
    }
  }
}

function where(e: GateEvidence, source: number, slice: string): string {
  return `on ${e.sources[source]!.label}, slice ${slice}`;
}

function metricAt(e: GateEvidence, source: number, slice: string, threshold: number): MetricEvidence {
  const m = e.sources[source]!.slices.find((s) => s.name === slice)!.metrics.find((x) => x.threshold === threshold);
  return m as MetricEvidence;
}

/** Sources and slices reported but not judged, as a parenthesis; '' when everything was judged. */
function notJudged(e: GateEvidence): string {
  const parts: string[] = [];
  for (const s of e.sources) if (!s.judged) parts.push(`${s.label}: ${s.not_judged}`);
  const small = e.sources.reduce((k, s) => k + (s.judged ? s.slices.filter((x) => !x.judged).length : 0), 0);
  if (small > 0) parts.push(`${plural(small, 'slice')} below ${e.config.min_slice_size} rows`);
  return parts.length > 0 ? ` (not judged: ${parts.join('; ')})` : '';
}

/** The headline number of a pass: the first threshold's metric on `all` of the first judged source. */
function highlight(e: GateEvidence): string {
  const i = e.sources.findIndex((s) => s.judged);
  const source: SourceEvidence = e.sources[i]!;
  const all = source.slices.find((s) => s.name === 'all')!;
  const m = all.metrics.find((x) => x.statistical !== null && x.statistical.interval !== null) ?? all.metrics.find((x) => x.judged) ?? all.metrics[0]!;
  const s = m.statistical;
  const on = `on ${source.label}`;
  if (s !== null && s.interval !== null && s.difference !== null) {
    return `${m.metric} ${fmtChange(s.difference)} (${fmtLevel(s.alpha)} interval ${fmtChange(s.interval.lower)} to ${fmtChange(s.interval.upper)}) ${on}`;
  }
  if (m.candidate === null) return `${m.metric} ${on}`;
  if (m.champion === null || m.delta === null) return `${m.metric} ${fmt(m.candidate)} ${on}`;
  return `${m.metric} ${fmt(m.candidate)} vs ${fmt(m.champion)} (${fmtChange(m.delta)}) ${on}`;
}

/** The one-sentence reason of a verdict, from its evidence alone. */
export function gateReason(e: GateEvidence): string {
  if (e.outcome === 'insufficient_data') {
    const parts = e.sources.map((s) => `${s.label}: ${s.judged ? 'nothing judged' : s.not_judged}`);
    return `Not judged: no source had enough rows to judge (${parts.length > 0 ? parts.join('; ') : 'no sources'}).`;
  }
  const fairness = e.fairness ?? [];
  const unfair = fairness.filter((f) => !f.passed);
  const count = e.failures.length + unfair.length;
  if (count > 0) {
    const head = e.baseline ? 'Rejected' : 'Rejected (no champion to compare with: judged by value thresholds only)';
    const more = count > 1 ? `; ${plural(count - 1, 'more failure')}` : '';
    if (e.failures.length === 0) {
      const f = unfair[0]!;
      return `${head}: on ${e.sources[f.source]!.label}, ${f.phrase}${more}.`;
    }
    const f = e.failures[0]!;
    const m = metricAt(e, f.source, f.slice, f.threshold);
    const t = e.config.thresholds[f.threshold]!;
    return `${head}: ${where(e, f.source, f.slice)}, ${failurePhrase(m, t, f.kind)}${more}.`;
  }
  const judged = e.sources.filter((s) => s.judged);
  const metrics = new Set<string>();
  let slices = 0;
  for (const s of judged) {
    for (const sl of s.slices) {
      if (!sl.judged) continue;
      slices++;
      for (const m of sl.metrics) if (m.judged) metrics.add(m.metric);
    }
  }
  const what = `${plural(metrics.size, 'metric')} on ${plural(judged.length, 'source')} and ${plural(slices, 'slice')}`;
  const held = fairness.length > 0 ? `, and ${plural(fairness.length, 'fairness condition')} held` : '';
  if (!e.baseline) {
    return `Passed with no champion to compare with (change thresholds and margins skipped): ${what} cleared their value thresholds${held}; ${highlight(e)}${notJudged(e)}.`;
  }
  return `Passed: ${what} cleared their thresholds${held}; ${highlight(e)}${notJudged(e)}.`;
}
