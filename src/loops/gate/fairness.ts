/**
 * The gate's fairness conditions (issue 19): a Fairlearn parity metric between groups of one feature, computed on
 * the holdout from the **candidate's** predicted labels against the holdout's labels, and judged against min/max.
 * The champion's value on the same holdout is computed the same way and shown, never judged.
 *
 * Rules (docs/fairness.md, "In the loop's gate"):
 * - a model's rows are the holdout rows it gave a predicted label for (its first scalar output), counted otherwise;
 * - a missing feature value is a group of its own, `(missing)`, as offline reports do by default;
 * - groups with fewer than the gate's min_slice_size rows are left out (listed, with their counts) and the metric is
 *   Fairlearn's on the rows of the groups left; with fewer than two groups left the value is undefined;
 * - an undefined value (too few groups, a 0/0 ratio, labels the metric cannot read) fails the condition: the gate
 *   never passes what it could not look at;
 * - without pos_label, predicted labels (and, for the rate metrics, the truth) must lie in {0, 1} or {−1, 1} — for
 *   the selection rate too, stricter than Fairlearn, whose selection rate of 'yes'/'no' labels is silently 0.
 */
import type { PARITY_METRICS } from '../../contract/fairness.js';
import { InvalidParameterError, isFerryError } from '../../errors.js';
import { type FairnessLabel, type MetricFrameResult, metricFrame } from '../../stats/index.js';
import type { FairnessEvidence, FairnessGroupEvidence, FairnessModelEvidence } from './evidence.js';
import { fmt, plural } from './format.js';
import { predictedLabel } from './predictions.js';

export type ParityMetric = (typeof PARITY_METRICS)[number];
export const FAIRNESS_METRICS: readonly ParityMetric[] = [
  'demographic_parity_ratio',
  'demographic_parity_difference',
  'equalized_odds_ratio',
  'equalized_odds_difference',
  'equal_opportunity_ratio',
  'equal_opportunity_difference',
];
export const MAX_FAIRNESS_CONDITIONS = 10;
/** The group of rows whose feature value is missing (the offline reports' name). */
export const MISSING = '(missing)';

export interface FairnessSpec {
  feature: string;
  metric: ParityMetric;
  min?: number;
  max?: number;
  pos_label?: FairnessLabel;
}

export interface CheckedFairness {
  feature: string;
  metric: ParityMetric;
  min: number | null;
  max: number | null;
  pos_label: FairnessLabel | null;
}

const isLabel = (v: unknown): v is FairnessLabel => typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v));

function bound(v: unknown, field: string): number | null {
  if (v === undefined || v === null) return null;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > 1) {
    throw new InvalidParameterError(field, `'${field}' must be a number in [0, 1] (every parity metric lies there), got ${String(v)}.`);
  }
  return v;
}

/** Refuses a condition with no bound, a bound outside [0, 1], min above max, or a feature × metric named twice. */
export function checkFairnessSpecs(specs: unknown, field = 'fairness'): CheckedFairness[] {
  if (specs === undefined || specs === null) return [];
  if (!Array.isArray(specs)) throw new InvalidParameterError(field, `'${field}' must be a list of { feature, metric, min?, max?, pos_label? }.`);
  if (specs.length > MAX_FAIRNESS_CONDITIONS)
    throw new InvalidParameterError(field, `'${field}' holds ${specs.length} conditions, at most ${MAX_FAIRNESS_CONDITIONS}.`);
  const seen = new Set<string>();
  return specs.map((s: unknown, i) => {
    const f = `${field}[${i}]`;
    if (s === null || typeof s !== 'object') throw new InvalidParameterError(f, `'${f}' must be an object.`);
    const r = s as Record<string, unknown>;
    if (typeof r.feature !== 'string' || r.feature.length === 0) throw new InvalidParameterError(`${f}.feature`, `'${f}.feature' must be a non-empty string.`);
    if (!(FAIRNESS_METRICS as readonly unknown[]).includes(r.metric)) {
      throw new InvalidParameterError(`${f}.metric`, `'${f}.metric' must be one of ${FAIRNESS_METRICS.join(', ')}, got ${String(r.metric)}.`);
    }
    const min = bound(r.min, `${f}.min`);
    const max = bound(r.max, `${f}.max`);
    if (min === null && max === null) throw new InvalidParameterError(f, `'${f}' (${String(r.metric)}) sets no bound: give min, max or both.`);
    if (min !== null && max !== null && min > max) throw new InvalidParameterError(`${f}.min`, `'${f}.min' (${min}) is above '${f}.max' (${max}).`);
    if (r.pos_label !== undefined && r.pos_label !== null && !isLabel(r.pos_label)) {
      throw new InvalidParameterError(`${f}.pos_label`, `'${f}.pos_label' must be a number, string or boolean.`);
    }
    const key = `${r.feature}\u0000${String(r.metric)}`;
    if (seen.has(key)) throw new InvalidParameterError(`${f}.metric`, `'${f}': ${String(r.metric)} of '${r.feature}' is already a condition.`);
    seen.add(key);
    return { feature: r.feature, metric: r.metric as ParityMetric, min, max, pos_label: (r.pos_label as FairnessLabel | undefined) ?? null };
  });
}

/** Refuses a condition whose feature no holdout row holds (a typo would otherwise put every row in `(missing)`). */
export function checkFairnessFeatures(specs: CheckedFairness[], features: readonly Record<string, unknown>[]): void {
  specs.forEach((s, i) => {
    if (!features.some((r) => r !== null && typeof r === 'object' && isLabel(r[s.feature]))) {
      throw new InvalidParameterError(`fairness[${i}].feature`, `'fairness[${i}].feature': no row of the holdout has a value in '${s.feature}'.`);
    }
  });
}

const usesRates = (m: ParityMetric): boolean => !m.startsWith('demographic_parity');

/** NaN → null: the evidence is plain JSON. */
const num = (x: number): number | null => (Number.isFinite(x) ? x : null);
const norm = (v: FairnessLabel): number | string => (typeof v === 'boolean' ? (v ? 1 : 0) : v);

/** The between-groups value of the metric from the frames (equalized odds: the worse of TPR and FPR, NaN skipped). */
function parityValue(metric: ParityMetric, sel: MetricFrameResult, tpr: MetricFrameResult | null, fpr: MetricFrameResult | null): number {
  const kind = metric.endsWith('_ratio') ? 'ratio' : 'difference';
  if (metric.startsWith('demographic_parity')) return sel[kind].between_groups;
  if (metric.startsWith('equal_opportunity')) return tpr![kind].between_groups;
  const parts = [tpr![kind].between_groups, fpr![kind].between_groups].filter((x) => !Number.isNaN(x));
  if (parts.length === 0) return NaN;
  return kind === 'difference' ? Math.max(...parts) : Math.min(...parts);
}

/** One model's value and per-group counts and rates on the holdout. */
export function fairnessOf(
  spec: CheckedFairness,
  truth: readonly unknown[],
  features: readonly Record<string, unknown>[],
  outputs: readonly unknown[],
  minGroupSize: number,
  who: 'candidate' | 'champion',
): FairnessModelEvidence {
  const rows: number[] = [];
  const yPred: FairnessLabel[] = [];
  outputs.forEach((o, i) => {
    if (!isLabel(truth[i]) || o === null || typeof o !== 'object' || Array.isArray(o)) return;
    const label = predictedLabel(o as Record<string, unknown>);
    if (label === null) return;
    rows.push(i);
    yPred.push(label);
  });
  const groupOf = (i: number): number | string => {
    const v = features[i]?.[spec.feature];
    return isLabel(v) ? norm(v) : MISSING;
  };
  // Counts per group, in Fairlearn's order (numbers ascending, then strings by code point).
  const counts = new Map<number | string, number>();
  for (const i of rows) counts.set(groupOf(i), (counts.get(groupOf(i)) ?? 0) + 1);
  const keys = [...counts.keys()].sort((a, b) => (typeof a !== typeof b ? (typeof a === 'number' ? -1 : 1) : a < b ? -1 : a > b ? 1 : 0));
  const kept = new Set(keys.filter((k) => counts.get(k)! >= minGroupSize));
  const insufficient = keys.filter((k) => !kept.has(k)).map(String);
  const out: FairnessModelEvidence = {
    rows: rows.length,
    unscorable: outputs.length - rows.length,
    value: null,
    not_computed: null,
    groups: keys.map((k) => emptyGroup(k, counts.get(k)!, !kept.has(k))),
    insufficient_groups: insufficient,
  };
  const pos = spec.pos_label === null ? null : norm(spec.pos_label);
  if (pos === null) {
    const bad = yPred.find((v) => ![0, 1, -1].includes(norm(v) as number)) ?? null;
    const badTruth = usesRates(spec.metric) ? (rows.map((i) => truth[i] as FairnessLabel).find((v) => ![0, 1, -1].includes(norm(v) as number)) ?? null) : null;
    if (bad !== null || badTruth !== null) {
      const what = bad !== null ? `the ${who} predicts ${JSON.stringify(bad)}` : `the holdout's labels hold ${JSON.stringify(badTruth)}`;
      out.not_computed = `${what}: without pos_label, labels must be from {0, 1} or {−1, 1}`;
      return out;
    }
  }
  if (kept.size < 2) {
    out.not_computed =
      rows.length === 0
        ? `the ${who} gave no predicted label for any holdout row`
        : `fewer than two groups of ${spec.feature} have ${plural(minGroupSize, 'row')}`;
    return out;
  }
  const idx = rows.map((i, j) => j).filter((j) => kept.has(groupOf(rows[j]!)));
  const input = (metric: 'selection_rate' | 'true_positive_rate' | 'false_positive_rate') =>
    metricFrame({
      metric,
      yTrue: idx.map((j) => truth[rows[j]!] as FairnessLabel),
      yPred: idx.map((j) => yPred[j]!),
      sensitiveFeatures: [{ name: spec.feature, values: idx.map((j) => groupOf(rows[j]!)) }],
      posLabel: spec.pos_label,
      minGroupSize,
    });
  let sel: MetricFrameResult;
  let tpr: MetricFrameResult | null = null;
  let fpr: MetricFrameResult | null = null;
  try {
    sel = input('selection_rate');
    if (usesRates(spec.metric)) {
      tpr = input('true_positive_rate');
      fpr = input('false_positive_rate');
    }
  } catch (err) {
    if (!isFerryError(err) || err.status !== 400) throw err;
    out.not_computed = (err as Error).message.replace(/\.$/, '');
    return out;
  }
  const posLabel = sel.posLabel;
  for (const g of out.groups) {
    if (g.insufficient) continue;
    const at = (f: MetricFrameResult | null) => (f ? num(f.byGroup.find((x) => x.key[0] === g.value)!.value) : null);
    g.selection_rate = at(sel);
    g.true_positive_rate = at(tpr);
    g.false_positive_rate = at(fpr);
  }
  // Counts behind the rates, over the groups' rows, so anyone can check them by hand.
  for (const j of idx) {
    const g = out.groups.find((x) => x.value === groupOf(rows[j]!))!;
    const predPos = norm(yPred[j]!) === posLabel;
    g.selected = (g.selected ?? 0) + (predPos ? 1 : 0);
    if (usesRates(spec.metric)) {
      const truePos = norm(truth[rows[j]!] as FairnessLabel) === (tpr?.posLabel ?? posLabel);
      if (truePos) {
        g.positives = (g.positives ?? 0) + 1;
        g.true_positives = (g.true_positives ?? 0) + (predPos ? 1 : 0);
      } else {
        g.negatives = (g.negatives ?? 0) + 1;
        g.false_positives = (g.false_positives ?? 0) + (predPos ? 1 : 0);
      }
    }
  }
  const value = parityValue(spec.metric, sel, tpr, fpr);
  out.value = num(value);
  if (out.value === null) out.not_computed = `${spec.metric} is undefined on these groups (a 0/0 ratio: every group's rate is 0)`;
  return out;
}

function emptyGroup(value: number | string, n: number, insufficient: boolean): FairnessGroupEvidence {
  const zero = insufficient ? null : 0;
  return {
    value,
    n,
    insufficient,
    selected: zero,
    selection_rate: null,
    positives: null,
    true_positives: null,
    true_positive_rate: null,
    negatives: null,
    false_positives: null,
    false_positive_rate: null,
  };
}

/** The condition's short phrase, from its evidence alone: "demographic_parity_ratio of region is 0.612, below its minimum 0.800". */
export function fairnessPhrase(e: FairnessEvidence): string {
  const head = `the candidate's ${e.metric} for ${e.feature}`;
  const c = e.candidate;
  if (c.value === null) return `${head} could not be judged: ${c.not_computed ?? 'no value'}`;
  const left = c.insufficient_groups.length > 0 ? ` (${plural(c.insufficient_groups.length, 'group')} under ${e.min_group_size} rows left out)` : '';
  if (e.min !== null && c.value < e.min) return `${head} is ${fmt(c.value)}, below its minimum ${fmt(e.min)}${left}`;
  if (e.max !== null && c.value > e.max) return `${head} is ${fmt(c.value)}, above its maximum ${fmt(e.max)}${left}`;
  const bounds = [e.min !== null ? `≥ ${fmt(e.min)}` : null, e.max !== null ? `≤ ${fmt(e.max)}` : null].filter(Boolean).join(' and ');
  return `${head} is ${fmt(c.value)}, within ${bounds}${left}`;
}

/** Every condition on the holdout: the candidate judged, the champion shown. */
export function evaluateFairness(
  specs: CheckedFairness[],
  source: number,
  holdout: { truth: readonly unknown[]; features: readonly Record<string, unknown>[]; candidate: readonly unknown[]; champion: readonly unknown[] | null },
  minGroupSize: number,
): FairnessEvidence[] {
  return specs.map((s, i) => {
    const candidate = fairnessOf(s, holdout.truth, holdout.features, holdout.candidate, minGroupSize, 'candidate');
    const champion = holdout.champion === null ? null : fairnessOf(s, holdout.truth, holdout.features, holdout.champion, minGroupSize, 'champion');
    const v = candidate.value;
    const kind = v === null ? 'undefined' : s.min !== null && v < s.min ? 'value_lower' : s.max !== null && v > s.max ? 'value_upper' : null;
    const e: FairnessEvidence = {
      condition: i,
      feature: s.feature,
      metric: s.metric,
      method: 'between_groups',
      min: s.min,
      max: s.max,
      pos_label: s.pos_label,
      min_group_size: minGroupSize,
      source,
      candidate,
      champion,
      passed: kind === null,
      kind,
      phrase: '',
    };
    e.phrase = fairnessPhrase(e);
    return e;
  });
}
