/**
 * Words and numbers for the Loops pages: step labels, colours, the spec in brief, and readers of a step's
 * evidence. The evidence travels as untyped JSON (the contract keeps it open so a past verdict re-renders from
 * its snapshot); the readers below check its shape before a page relies on it, and answer null otherwise.
 */
import type { LoopInfo, LoopRunState, LoopStep, LoopStepStatus } from '../../../../src/sdk/index.js';

/** "canary 1/2", "shadow", "awaiting approval". */
export function stepLabel(s: Pick<LoopStep, 'kind' | 'index' | 'of'>): string {
  const base = s.kind.replace(/_/g, ' ');
  return s.index !== null && s.of !== null ? `${base} ${s.index}/${s.of}` : base;
}

/** A colour class for a step's status: passed green, failed red, started blue, info grey. */
export function statusClass(status: LoopStepStatus): string {
  return `loop-status-${status}`;
}

/** A colour class for a run's state. */
export function runStateClass(state: LoopRunState): string {
  return `loop-run-${state}`;
}

export const runStateText = (state: LoopRunState): string => state.replace(/_/g, ' ');

/** Three decimals with a real minus sign, as the gate's sentences write them; tiny values in exponent form. */
export function fmt(x: number | null | undefined, digits = 3): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '—';
  const a = Math.abs(x);
  const s = a !== 0 && a < 5 * 10 ** -(digits + 1) ? x.toExponential(2) : x.toFixed(digits);
  return s.replace(/-/g, '−');
}

export function fmtChange(x: number | null | undefined, digits = 3): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '—';
  return x > 0 ? `+${fmt(x, digits)}` : fmt(x, digits);
}

/** A ratio as a signed percentage: 0.0451 → "+4.51%". */
export function fmtPercent(x: number | null | undefined, digits = 2): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '—';
  const s = `${(x * 100).toFixed(digits)}%`.replace(/-/g, '−');
  return x > 0 ? `+${s}` : s;
}

export function fmtInterval(lower: number | null | undefined, upper: number | null | undefined, f: (x: number) => string = (x) => fmtChange(x)): string {
  if (lower === null || lower === undefined || upper === null || upper === undefined) return '—';
  return `[${f(lower)}, ${f(upper)}]`;
}

// ---- the spec in brief ----

export function triggersText(loop: LoopInfo): string[] {
  const out = loop.spec.triggers.map((t) => {
    switch (t.kind) {
      case 'alert':
        return t.rule ? `alert rule ${t.rule} fires` : `any alert rule of ${loop.deployment} fires`;
      case 'schedule':
        return `on schedule ${t.cron ?? '?'}${t.timezone ? ` (${t.timezone})` : ' (UTC)'}`;
      case 'labels':
        return `${t.min_labels ?? '?'} new feedback labels`;
      case 'dataset':
        return `a new version of dataset ${t.dataset ?? '?'}`;
      case 'registry':
        return `a new version of ${loop.model} is registered`;
      default:
        return 'by hand';
    }
  });
  return [...out, 'by hand (API, CLI, UI)'];
}

export function thresholdText(t: {
  metric: string;
  lower?: number | null;
  upper?: number | null;
  absolute?: number | null;
  relative?: number | null;
  margin?: number | null;
}): string {
  const parts: string[] = [];
  if (t.lower !== undefined && t.lower !== null) parts.push(`≥ ${fmt(t.lower)}`);
  if (t.upper !== undefined && t.upper !== null) parts.push(`≤ ${fmt(t.upper)}`);
  if (t.absolute !== undefined && t.absolute !== null) parts.push(`change ${fmtChange(t.absolute)}`);
  if (t.relative !== undefined && t.relative !== null) parts.push(`relative change ${fmtPercent(t.relative, 1)}`);
  if (t.margin !== undefined && t.margin !== null) parts.push(`interval clears −${fmt(t.margin)}`);
  return `${t.metric} ${parts.join(', ') || '(reported only)'}`;
}

export function rolloutText(loop: LoopInfo): string[] {
  const r = loop.spec.rollout;
  const out: string[] = [];
  if (r.shadow) out.push(`shadow ${r.shadow.duration ?? '10m'}${r.shadow.min_units ? `, at least ${r.shadow.min_units} labelled requests` : ''}`);
  r.steps.forEach((s, i) =>
    out.push(`canary ${i + 1}/${r.steps.length}: ${s.weight}% of traffic, at least ${s.min_units ?? 100} units, at most ${s.max_duration ?? '1h'}`),
  );
  out.push(`promote: move @${r.alias ?? 'champion'} and the routes`);
  return out;
}

// ---- evidence readers ----

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export interface GateMetricView {
  threshold: number;
  metric: string;
  rows: number;
  candidate: number | null;
  champion: number | null;
  delta: number | null;
  relative_change: number | null;
  judged: boolean;
  not_judged: string | null;
  statistical: { interval: { lower: number; upper: number } | null; level: number; method: string; bound: number | null } | null;
  passed: boolean | null;
}

export interface GateSliceView {
  name: string;
  feature: string | null;
  rows: number;
  judged: boolean;
  not_judged: string | null;
  metrics: GateMetricView[];
}

export interface GateSourceView {
  source: 'holdout' | 'production';
  dataset: { dataset: string; version: number } | null;
  window: { from: number; to: number } | null;
  rows: number;
  judged: boolean;
  not_judged: string | null;
  slices: GateSliceView[];
}

export interface GateThresholdView {
  metric: string;
  direction: 'higher_is_better' | 'lower_is_better';
  lower: number | null;
  upper: number | null;
  absolute: number | null;
  relative: number | null;
  margin: number | null;
}

export interface GateFairnessGroupView {
  value: number | string;
  n: number;
  insufficient: boolean;
  selection_rate: number | null;
  true_positive_rate: number | null;
  false_positive_rate: number | null;
}

export interface GateFairnessModelView {
  value: number | null;
  not_computed: string | null;
  groups: GateFairnessGroupView[];
}

/** A fairness condition of the gate (candidate judged on the holdout, champion shown). */
export interface GateFairnessView {
  feature: string;
  metric: string;
  min: number | null;
  max: number | null;
  candidate: GateFairnessModelView;
  champion: GateFairnessModelView | null;
  passed: boolean;
  phrase: string;
}

export interface GateView {
  outcome: string;
  reason: string;
  baseline: boolean;
  config: { thresholds: GateThresholdView[]; min_slice_size: number };
  sources: GateSourceView[];
  failures: { source: number; slice: string; threshold: number; metric: string; kind: string; phrase: string }[];
  /** Absent in evidence from before fairness conditions, and when the gate has none. */
  fairness?: GateFairnessView[];
}

/** A fairness condition's bounds: "≥ 0.8", "≤ 0.1", "≥ 0.5 and ≤ 1". */
export function fairnessBounds(f: Pick<GateFairnessView, 'min' | 'max'>): string {
  return [f.min !== null ? `≥ ${f.min}` : null, f.max !== null ? `≤ ${f.max}` : null].filter(Boolean).join(' and ');
}

/** The gate's evidence (an evaluating step), or null when the step holds something else (an error). */
export function asGate(e: Record<string, unknown>): GateView | null {
  if (!Array.isArray(e['sources']) || !isObj(e['config']) || typeof e['outcome'] !== 'string') return null;
  return e as unknown as GateView;
}

export interface JudgeView {
  phase: 'shadow' | 'canary';
  index: number | null;
  of: number | null;
  window: { from: number; to: number } | null;
  verdict: string;
  action: string;
  primary: {
    source: string;
    metric: string | null;
    basis: string | null;
    direction: 'increase' | 'decrease';
    estimate: number | null;
    lower: number | null;
    upper: number | null;
    margin: number;
    clears: boolean;
    units: number | null;
    units_per: string | null;
  };
  serving: {
    verdict: string;
    champion: { requests: number; errors: number; error_rate: number | null; p99_ms: number | null };
    candidate: { requests: number; errors: number; error_rate: number | null; p99_ms: number | null };
    latency: { ratio: number | null; max_ratio: number };
  } | null;
  quality: {
    verdict: string;
    metric: string;
    n: number;
    champion_loss: number | null;
    candidate_loss: number | null;
    mean_difference: number | null;
    lower: number | null;
    upper: number | null;
  } | null;
  report: {
    abtest: string;
    metrics: { metric: string; role: string; verdict: string; basis: string | null; estimate: number | null; lower: number | null; upper: number | null }[];
  } | null;
  harms: { family: string; check: string; metric: string | null }[];
  pending: { reason: string; metric: string | null }[];
}

/** The judge's evidence (a shadow or canary verdict), or null for a step that only started the phase. */
export function asJudge(e: Record<string, unknown>): JudgeView | null {
  if (!isObj(e['primary']) || typeof e['verdict'] !== 'string' || typeof e['action'] !== 'string') return null;
  return e as unknown as JudgeView;
}

/** How the primary's estimate reads: a relative lift as a percentage, else the raw difference. */
export function primaryValue(p: JudgeView['primary'], x: number | null): string {
  return p.basis === 'relative' ? fmtPercent(x) : fmtChange(x, 4);
}

export interface BandPoint {
  /** The step's label on the x axis ("shadow", "canary 1/2"). */
  label: string;
  at: number;
  estimate: number | null;
  lower: number | null;
  upper: number | null;
  margin: number;
  basis: string | null;
  direction: 'increase' | 'decrease';
}

/**
 * One point per judged step of the run (shadow and canary verdicts), in order: the primary metric's estimate
 * with its interval. A run's verdicts may mix bases (paired loss on shadow, the A/B lift on canary); each point
 * keeps its own so the chart can say which.
 */
export function bandPoints(steps: readonly LoopStep[]): BandPoint[] {
  const out: BandPoint[] = [];
  for (const s of steps) {
    if (s.kind !== 'shadow' && s.kind !== 'canary') continue;
    const j = asJudge(s.evidence);
    if (!j) continue;
    out.push({
      label: stepLabel(s),
      at: s.at,
      estimate: j.primary.estimate,
      lower: j.primary.lower,
      upper: j.primary.upper,
      margin: j.primary.margin,
      basis: j.primary.basis,
      direction: j.primary.direction,
    });
  }
  return out;
}

/** Which cells of a gate row failed: the value (value thresholds), the delta (change thresholds), the interval. */
export function failedCells(g: GateView, source: number, slice: string, threshold: number): Set<'value' | 'delta' | 'interval' | 'undefined'> {
  const out = new Set<'value' | 'delta' | 'interval' | 'undefined'>();
  for (const f of g.failures) {
    if (f.source !== source || f.slice !== slice || f.threshold !== threshold) continue;
    if (f.kind === 'value_lower' || f.kind === 'value_upper') out.add('value');
    else if (f.kind === 'change_absolute' || f.kind === 'change_relative') out.add('delta');
    else if (f.kind === 'statistical') out.add('interval');
    else out.add('undefined');
  }
  return out;
}

/** The last `n` lines of a log (a trailing newline does not count as an empty line). */
export function lastLines(text: string, n: number): string {
  const lines = text.replace(/\n$/, '').split('\n');
  return lines.slice(Math.max(0, lines.length - n)).join('\n');
}
