/**
 * The loop's offline gate (issue 17, item 4): candidate and champion scored on the same rows of each source (a
 * pinned holdout, the recent labelled production window), judged per source × slice × threshold with TFX's
 * semantics (stats' checkThreshold) and, where a threshold sets `margin`, a statistical mode: the paired
 * bootstrap (seeded), or DeLong for ROC AUC, must show the candidate no worse than the champion by more than
 * the margin at level 1 − α (stats' one-sided bound on the harmful side; docs/gate-statistics.md).
 *
 * Rules, each said in the evidence rather than applied silently:
 * - a threshold with per_slice false is judged on `all` only;
 * - a slice with fewer than min_slice_size rows (or scorable rows, per metric) is reported, not judged; on `all`
 *   a metric that cannot be computed (no scorable rows, one class for ROC AUC, too few rows) is a failure;
 * - a source with zero rows, or fewer than min_slice_size, is reported, not judged; nothing judged at all is
 *   `insufficient_data`, never a pass;
 * - no champion: `no_baseline_pass | no_baseline_fail`, judged by value thresholds only (change thresholds and
 *   margins listed as skipped).
 */
import type { Static } from '@sinclair/typebox';
import { GATE_METRICS, type GateThreshold } from '../../contract/loops.js';
import { InvalidParameterError } from '../../errors.js';
import {
  FLOAT64_EPS,
  METRIC_DIRECTION,
  type MetricThreshold,
  type ThresholdResult,
  checkThreshold,
  delongTest,
  pairedBootstrap,
  rocAuc,
} from '../../stats/index.js';
import type {
  FailureKind,
  GateEvidence,
  GateFailure,
  MetricEvidence,
  SliceEvidence,
  SourceEvidence,
  StatisticalEvidence,
  ThresholdEvidence,
} from './evidence.js';
import { type GateMetric, type Label, type MetricRows, type PairedInputs, metricRows, pairedInputs, unscorable } from './predictions.js';
import { type FairnessSpec, checkFairnessFeatures, checkFairnessSpecs, evaluateFairness } from './fairness.js';
import { failurePhrase, gateReason } from './reason.js';
import { type SliceSpec, checkSliceFeatures, checkSliceSpecs, sliceRows } from './slices.js';

export interface GateSource {
  source: 'holdout' | 'production';
  /** For people: 'credit-holdout v3', 'production 2026-12-01 → 2026-12-07'. */
  label: string;
  dataset?: { dataset: string; version: number };
  window?: { from: number; to: number };
  /** Per row, for slicing. */
  features: Record<string, unknown>[];
  /** Per row: the class label, or the value for regression. */
  truth: (number | string | boolean)[];
  /** Per row: the candidate's outputs (ONNX output name → value). */
  candidate: Record<string, unknown>[];
  /** Per row: the champion's outputs; null: no champion yet. */
  champion: Record<string, unknown>[] | null;
}

export interface GateConfig {
  thresholds: Static<typeof GateThreshold>[];
  slices: { feature: string; bins?: number[] }[];
  min_slice_size: number;
  alpha: number;
  replicates: number;
  seed: number;
  /** Fairness conditions on the holdout (fairness.ts); absent or empty: none. */
  fairness?: FairnessSpec[];
}

const MAX_REPLICATES = 100_000;

function optionalFinite(v: unknown, field: string): number | null {
  if (v === undefined || v === null) return null;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new InvalidParameterError(field, `'${field}' must be a finite number, got ${String(v)}.`);
  return v;
}

function checkThresholds(thresholds: unknown): ThresholdEvidence[] {
  if (!Array.isArray(thresholds) || thresholds.length === 0) throw new InvalidParameterError('thresholds', "'thresholds' must be a non-empty list.");
  return thresholds.map((t: unknown, i) => {
    const f = `thresholds[${i}]`;
    if (t === null || typeof t !== 'object') throw new InvalidParameterError(f, `'${f}' must be an object.`);
    const r = t as Record<string, unknown>;
    if (!(GATE_METRICS as readonly unknown[]).includes(r.metric)) {
      throw new InvalidParameterError(`${f}.metric`, `'${f}.metric' must be one of ${GATE_METRICS.join(', ')}, got ${String(r.metric)}.`);
    }
    const metric = r.metric as GateMetric;
    const lower = optionalFinite(r.lower, `${f}.lower`);
    const upper = optionalFinite(r.upper, `${f}.upper`);
    const absolute = optionalFinite(r.absolute, `${f}.absolute`);
    const relative = optionalFinite(r.relative, `${f}.relative`);
    const margin = optionalFinite(r.margin, `${f}.margin`);
    if (lower !== null && upper !== null && lower > upper)
      throw new InvalidParameterError(`${f}.lower`, `'${f}.lower' (${lower}) is above '${f}.upper' (${upper}).`);
    if (margin !== null && margin < 0) throw new InvalidParameterError(`${f}.margin`, `'${f}.margin' must be at least 0, got ${margin}.`);
    if (r.per_slice !== undefined && typeof r.per_slice !== 'boolean') throw new InvalidParameterError(`${f}.per_slice`, `'${f}.per_slice' must be a boolean.`);
    if (lower === null && upper === null && absolute === null && relative === null && margin === null) {
      throw new InvalidParameterError(f, `'${f}' sets no bound: give lower, upper, absolute, relative or margin.`);
    }
    return { metric, direction: METRIC_DIRECTION[metric], lower, upper, absolute, relative, margin, per_slice: r.per_slice !== false };
  });
}

function checkInteger(v: unknown, field: string, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw new InvalidParameterError(field, `'${field}' must be an integer in [${min}, ${max}], got ${String(v)}.`);
  }
  return v;
}

function checkSources(sources: unknown): GateSource[] {
  if (!Array.isArray(sources) || sources.length === 0)
    throw new InvalidParameterError('sources', "'sources' must be a non-empty list: the gate needs data to judge on.");
  const list = sources as GateSource[];
  list.forEach((s, i) => {
    const f = `sources[${i}]`;
    if (s === null || typeof s !== 'object') throw new InvalidParameterError(f, `'${f}' must be an object.`);
    if (s.source !== 'holdout' && s.source !== 'production') throw new InvalidParameterError(`${f}.source`, `'${f}.source' must be holdout or production.`);
    if (typeof s.label !== 'string' || s.label.length === 0) throw new InvalidParameterError(`${f}.label`, `'${f}.label' must be a non-empty string.`);
    for (const k of ['features', 'truth', 'candidate'] as const) {
      if (!Array.isArray(s[k])) throw new InvalidParameterError(`${f}.${k}`, `'${f}.${k}' must be a list, one entry per row.`);
    }
    if (s.champion !== null && !Array.isArray(s.champion)) throw new InvalidParameterError(`${f}.champion`, `'${f}.champion' must be a list or null.`);
    const n = s.truth.length;
    for (const k of ['features', 'candidate', 'champion'] as const) {
      const v = s[k];
      if (v !== null && v.length !== n) {
        throw new InvalidParameterError(`${f}.${k}`, `'${f}.truth' has ${n} rows but '${f}.${k}' has ${v.length}: every list holds one entry per row.`);
      }
    }
    if ((s.champion === null) !== (list[0]!.champion === null)) {
      throw new InvalidParameterError(
        `${f}.champion`,
        `'${f}.champion' is ${s.champion === null ? 'null' : 'given'} but not on sources[0]: the champion is one model, scored on every source or none.`,
      );
    }
  });
  return list;
}

/** The metric's value on paired inputs, by the statistics' conventions (paired-metrics.ts); null when undefined. */
function metricValue(metric: GateMetric, yTrue: Label[], pred: Label[]): number | null {
  const n = pred.length;
  if (n === 0) return null;
  let s = 0;
  switch (metric) {
    case 'accuracy':
      for (let i = 0; i < n; i++) s += pred[i] === yTrue[i] ? 1 : 0;
      return s / n;
    case 'log_loss':
      // −log p(true class), clipped as scikit-learn clips float64 probabilities.
      for (let i = 0; i < n; i++) s += -Math.log(Math.min(Math.max(pred[i] as number, FLOAT64_EPS), 1 - FLOAT64_EPS));
      return s / n;
    case 'mae':
      for (let i = 0; i < n; i++) s += Math.abs((yTrue[i] as number) - (pred[i] as number));
      return s / n;
    case 'rmse':
      for (let i = 0; i < n; i++) {
        const d = (yTrue[i] as number) - (pred[i] as number);
        s += d * d;
      }
      return Math.sqrt(s / n);
    case 'roc_auc':
      return rocAuc(yTrue, pred as number[], 1);
  }
}

function statistical(t: ThresholdEvidence, p: PairedInputs, cfg: GateConfig): StatisticalEvidence {
  const margin = t.margin as number;
  const common = { alpha: cfg.alpha, level: 1 - cfg.alpha, margin, bound_side: t.direction === 'higher_is_better' ? ('lower' as const) : ('upper' as const) };
  if (t.metric === 'roc_auc') {
    const r = delongTest({ yTrue: p.yTrue, candidate: p.candidate as number[], champion: p.champion as number[], positiveLabel: 1, alpha: cfg.alpha, margin });
    return {
      method: 'delong',
      ...common,
      replicates: null,
      seed: null,
      candidate: r.candidate,
      champion: r.champion,
      difference: r.difference,
      interval: r.interval,
      bound: r.bound,
      z: r.z,
      p_value: r.pValue,
      outcome: r.outcome,
      reason: r.reason,
    };
  }
  const r = pairedBootstrap({
    metric: t.metric,
    yTrue: p.yTrue,
    candidate: p.candidate,
    champion: p.champion as Label[],
    seed: cfg.seed,
    replicates: cfg.replicates,
    alpha: cfg.alpha,
    margin,
    ...(t.metric === 'log_loss' ? { positiveLabel: 1 } : {}),
  });
  return {
    method: 'paired_bootstrap',
    ...common,
    replicates: r.replicates,
    seed: r.seed,
    candidate: r.candidate,
    champion: r.champion,
    difference: r.difference,
    interval: r.interval,
    bound: r.bound,
    z: null,
    p_value: null,
    outcome: r.outcome,
    reason: r.reason,
  };
}

function thresholdOf(t: ThresholdEvidence): MetricThreshold {
  const out: MetricThreshold = {};
  if (t.lower !== null || t.upper !== null) out.value = { ...(t.lower !== null ? { lower: t.lower } : {}), ...(t.upper !== null ? { upper: t.upper } : {}) };
  if (t.absolute !== null || t.relative !== null) {
    out.change = { direction: t.direction, ...(t.absolute !== null ? { absolute: t.absolute } : {}), ...(t.relative !== null ? { relative: t.relative } : {}) };
  }
  return out;
}

/** Drops undefined members (checkThreshold leaves none today; the evidence must stay plain JSON whatever it adds). */
function plain(r: ThresholdResult): ThresholdResult {
  return JSON.parse(JSON.stringify(r)) as ThresholdResult;
}

interface Judged {
  evidence: MetricEvidence;
  failures: FailureKind[];
}

function judgeMetric(ti: number, t: ThresholdEvidence, p: PairedInputs, isAll: boolean, cfg: GateConfig): Judged {
  const candidate = metricValue(t.metric, p.yTrue, p.candidate);
  const champion = p.champion === null ? null : metricValue(t.metric, p.yTrue, p.champion);
  const delta = candidate !== null && champion !== null ? candidate - champion : null;
  const base: MetricEvidence = {
    threshold: ti,
    metric: t.metric,
    rows: p.rows,
    unscorable: p.dropped,
    positives: p.positives,
    candidate,
    champion,
    delta,
    relative_change: delta !== null && champion !== 0 ? delta / (champion as number) : null,
    judged: false,
    not_judged: null,
    check: null,
    statistical: null,
    skipped: [],
    passed: null,
  };
  let why: string | null = null;
  if (p.rows === 0) why = `none of its rows could be scored for ${t.metric} (${plainCount(p.dropped, 'unscorable row')})`;
  else if (candidate === null || (p.champion !== null && champion === null)) why = `${t.metric} is undefined on these rows (one class only)`;
  else if (p.rows < cfg.min_slice_size) why = `only ${plainCount(p.rows, 'scorable row')}, below the minimum slice size ${cfg.min_slice_size}`;
  if (why !== null) {
    // A metric that cannot be judged on `all` is a failure: the gate never passes what it could not look at.
    if (isAll) return { evidence: { ...base, judged: true, not_judged: why, passed: false }, failures: ['undefined'] };
    return { evidence: { ...base, not_judged: why }, failures: [] };
  }
  const check = plain(checkThreshold({ candidate: candidate as number, baseline: champion, threshold: thresholdOf(t), metric: t.metric }));
  const failures: FailureKind[] = check.checks.filter((c) => !c.passed).map((c) => c.kind);
  const skipped: string[] = [...check.skipped];
  let stat: StatisticalEvidence | null = null;
  if (t.margin !== null) {
    if (p.champion === null) skipped.push('margin');
    else {
      stat = statistical(t, p, cfg);
      if (stat.outcome !== 'pass') failures.push('statistical');
    }
  }
  return { evidence: { ...base, judged: true, check, statistical: stat, skipped, passed: failures.length === 0 }, failures };
}

function plainCount(n: number, what: string): string {
  return `${n.toLocaleString('en-US')} ${what}${n === 1 ? '' : 's'}`;
}

function evaluateSource(
  s: GateSource,
  si: number,
  thresholds: ThresholdEvidence[],
  specs: SliceSpec[],
  cfg: GateConfig,
  failures: GateFailure[],
): SourceEvidence {
  const n = s.truth.length;
  const head = {
    source: s.source,
    label: s.label,
    dataset: s.dataset ? { dataset: s.dataset.dataset, version: s.dataset.version } : null,
    window: s.window ? { from: s.window.from, to: s.window.to } : null,
    rows: n,
  };
  const metrics = [...new Set(thresholds.map((t) => t.metric))];
  const rows = new Map<GateMetric, MetricRows>(metrics.map((m) => [m, metricRows(m, s.truth, s.candidate, s.champion)]));
  const unscorableRows = metrics.flatMap((m) => unscorable(rows.get(m)!));
  if (n === 0) return { ...head, judged: false, not_judged: 'no rows', unscorable: unscorableRows, slices: [] };
  if (n < cfg.min_slice_size) {
    return {
      ...head,
      judged: false,
      not_judged: `${plainCount(n, 'row')}, below the minimum slice size ${cfg.min_slice_size}`,
      unscorable: unscorableRows,
      slices: [],
    };
  }
  const slices: SliceEvidence[] = sliceRows(specs, s.features).map((slice) => {
    const isAll = slice.feature === null;
    const ev: SliceEvidence = { name: slice.name, feature: slice.feature, rows: slice.rows.length, judged: false, not_judged: null, metrics: [] };
    if (slice.rows.length < cfg.min_slice_size) {
      ev.not_judged = `${plainCount(slice.rows.length, 'row')}, below the minimum slice size ${cfg.min_slice_size}`;
      return ev;
    }
    ev.judged = true;
    thresholds.forEach((t, ti) => {
      if (!isAll && !t.per_slice) return;
      const j = judgeMetric(ti, t, pairedInputs(rows.get(t.metric)!, s.truth, slice.rows), isAll, cfg);
      ev.metrics.push(j.evidence);
      for (const kind of j.failures)
        failures.push({ source: si, slice: slice.name, threshold: ti, metric: t.metric, kind, phrase: failurePhrase(j.evidence, t, kind) });
    });
    return ev;
  });
  return { ...head, judged: true, not_judged: null, unscorable: unscorableRows, slices };
}

/** Judges the candidate against the champion on every source; throws InvalidParameterError on a bad config. */
export function evaluateGate(sources: GateSource[], cfg: GateConfig): GateEvidence {
  if (cfg === null || typeof cfg !== 'object') throw new InvalidParameterError('config', 'the gate config must be an object.');
  const thresholds = checkThresholds(cfg.thresholds);
  const specs = checkSliceSpecs(cfg.slices ?? []);
  const config: GateConfig = {
    thresholds: cfg.thresholds,
    slices: specs,
    min_slice_size: checkInteger(cfg.min_slice_size, 'min_slice_size', 1, 1e7),
    alpha: cfg.alpha,
    replicates: checkInteger(cfg.replicates, 'replicates', 1, MAX_REPLICATES),
    seed: checkInteger(cfg.seed, 'seed', 0, Number.MAX_SAFE_INTEGER),
  };
  if (typeof cfg.alpha !== 'number' || !(cfg.alpha > 0 && cfg.alpha < 0.5))
    throw new InvalidParameterError('alpha', `'alpha' must lie in (0, 0.5), got ${String(cfg.alpha)}.`);
  const list = checkSources(sources);
  checkSliceFeatures(
    specs,
    list.map((s) => s.features),
  );
  const fairnessSpecs = checkFairnessSpecs(cfg.fairness);
  const holdout = list.findIndex((s) => s.source === 'holdout');
  if (fairnessSpecs.length > 0) {
    if (holdout < 0) throw new InvalidParameterError('fairness', "'fairness' is judged on the holdout, and the gate has no holdout source.");
    checkFairnessFeatures(fairnessSpecs, list[holdout]!.features);
  }

  const failures: GateFailure[] = [];
  const evidenceSources = list.map((s, i) => evaluateSource(s, i, thresholds, specs, config, failures));
  const fairness = fairnessSpecs.length > 0 ? evaluateFairness(fairnessSpecs, holdout, list[holdout]!, config.min_slice_size) : [];
  const baseline = list[0]!.champion !== null;
  const anyJudged = evidenceSources.some((s) => s.judged);
  const failed = failures.length > 0 || fairness.some((f) => !f.passed);
  const outcome = !anyJudged ? 'insufficient_data' : failed ? (baseline ? 'fail' : 'no_baseline_fail') : baseline ? 'pass' : 'no_baseline_pass';
  const evidence: GateEvidence = {
    outcome,
    reason: '',
    baseline,
    config: {
      thresholds,
      slices: specs.map((s) => ({ feature: s.feature, bins: s.bins ?? null })),
      min_slice_size: config.min_slice_size,
      alpha: config.alpha,
      replicates: config.replicates,
      seed: config.seed,
    },
    sources: evidenceSources,
    failures: failures,
    // Only when asked for: evidence without fairness conditions keeps the shape it always had.
    ...(fairness.length > 0 ? { fairness } : {}),
  };
  evidence.reason = gateReason(evidence);
  return evidence;
}
