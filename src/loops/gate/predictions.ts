/**
 * What one row's model outputs (ONNX output name → value, as serving's `scoreVersion` returns them) and its truth
 * give each gate metric, with the conventions of abtests' quality metrics (quality-metrics.ts):
 *
 * - the predicted label is the model's first scalar output (skl2onnx's `label`, a regressor's `variable`); a
 *   one-element list counts as its element (a regressor shaped [N, 1]);
 * - the class probabilities are the first list of more than one number (skl2onnx's `probabilities`), indexed by
 *   the truth when it is an integer 0..k−1 (false/true index 0/1), or a map class → probability (a ZipMap
 *   output), keyed by the truth as a string;
 * - accuracy: the predicted label, of the same kind as the truth (a string '1' never silently equals 1);
 * - log_loss: the probability of the true class (the statistics clip it to [2⁻⁵², 1 − 2⁻⁵²], as scikit-learn);
 * - roc_auc: binary only, the probability of the positive class (index 1, or the greatest key of a map, as
 *   scikit-learn's greatest-label rule) and whether the row is positive;
 * - mae / rmse: the predicted number against a numeric truth.
 *
 * A row that cannot give a metric is answered with the reason, so the evaluator counts and reports it.
 */
import type { GATE_METRICS } from '../../contract/loops.js';
import { compareLabels } from '../../stats/index.js';

export type GateMetric = (typeof GATE_METRICS)[number];
export type Truth = number | string | boolean;
export type Label = number | string | boolean;

/** One row's input to one metric: `value` is the label (accuracy), p(true class) (log_loss), p(positive) (roc_auc) or ŷ. */
export type RowInput = { ok: true; value: Label; positive?: boolean } | { ok: false; reason: string };

const isLabel = (v: unknown): v is Label => typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v));

/** The model's first scalar output (a one-element list counts as its element); null when there is none. */
export function predictedLabel(outputs: Record<string, unknown>): Label | null {
  for (const v of Object.values(outputs)) {
    if (isLabel(v)) return v;
    if (Array.isArray(v) && v.length === 1 && isLabel(v[0])) return v[0] as Label;
  }
  return null;
}

/** The class probabilities: the first list of more than one number, or the first map class → number. */
export function classProbabilities(outputs: Record<string, unknown>): number[] | Record<string, number> | null {
  for (const v of Object.values(outputs)) {
    if (Array.isArray(v) && v.length > 1 && v.every((x) => typeof x === 'number')) return v as number[];
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      const values = Object.values(v);
      if (values.length > 1 && values.every((x) => typeof x === 'number')) return v as Record<string, number>;
    }
  }
  return null;
}

/** The index a truth gives a list of probabilities: an integer 0..k−1, false/true → 0/1. */
function classIndex(truth: Truth): number | null {
  if (typeof truth === 'boolean') return truth ? 1 : 0;
  if (typeof truth === 'number' && Number.isInteger(truth) && truth >= 0) return truth;
  return null;
}

const kind = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'a list' : `a ${typeof v}`);

function probabilityOf(p: number, what: string): RowInput {
  if (!Number.isFinite(p) || p < 0 || p > 1) return { ok: false, reason: `${what} is ${String(p)}, outside [0, 1]` };
  return { ok: true, value: p };
}

function trueClassProbability(truth: Truth, probs: number[] | Record<string, number>): RowInput {
  if (Array.isArray(probs)) {
    const i = classIndex(truth);
    if (i === null || i >= probs.length) return { ok: false, reason: `the truth does not index the model's ${probs.length} class probabilities` };
    return probabilityOf(probs[i]!, 'the probability of the true class');
  }
  const p = probs[String(truth)];
  if (p === undefined) return { ok: false, reason: "the truth is not a class of the model's probabilities" };
  return probabilityOf(p, 'the probability of the true class');
}

function positiveClassProbability(truth: Truth, probs: number[] | Record<string, number>): RowInput {
  if (Array.isArray(probs)) {
    if (probs.length !== 2) return { ok: false, reason: `roc_auc needs a binary model; this one answers ${probs.length} class probabilities` };
    const i = classIndex(truth);
    if (i === null || i > 1) return { ok: false, reason: "the truth does not index the model's 2 class probabilities" };
    const r = probabilityOf(probs[1]!, 'the probability of the positive class');
    return r.ok ? { ...r, positive: i === 1 } : r;
  }
  const keys = Object.keys(probs);
  if (keys.length !== 2) return { ok: false, reason: `roc_auc needs a binary model; this one answers ${keys.length} class probabilities` };
  // scikit-learn's rule: the greatest class is the positive one (numbers compared as numbers).
  const numeric = keys.every((k) => k.trim() !== '' && Number.isFinite(Number(k)));
  const sorted = numeric ? [...keys].sort((a, b) => Number(a) - Number(b)) : [...keys].sort(compareLabels);
  const positiveKey = sorted[1]!;
  if (!keys.includes(String(truth))) return { ok: false, reason: "the truth is not a class of the model's probabilities" };
  const r = probabilityOf(probs[positiveKey]!, 'the probability of the positive class');
  return r.ok ? { ...r, positive: String(truth) === positiveKey } : r;
}

/** What one row gives `metric`, from one model's outputs and the row's truth. */
export function rowInput(metric: GateMetric, truth: unknown, outputs: unknown): RowInput {
  if (!isLabel(truth))
    return { ok: false, reason: `the truth is ${kind(truth)}${typeof truth === 'number' ? ` (${String(truth)})` : ''}, not a label or a finite number` };
  if (outputs === null || typeof outputs !== 'object' || Array.isArray(outputs)) return { ok: false, reason: 'the model gave no outputs for the row' };
  const out = outputs as Record<string, unknown>;
  switch (metric) {
    case 'accuracy': {
      const label = predictedLabel(out);
      if (label === null) return { ok: false, reason: 'the model answers no predicted label' };
      if (typeof label !== typeof truth) return { ok: false, reason: `the predicted label is a ${typeof label} but the truth is a ${typeof truth}` };
      return { ok: true, value: label };
    }
    case 'log_loss':
    case 'roc_auc': {
      const probs = classProbabilities(out);
      if (probs === null) return { ok: false, reason: 'the model answers no class probabilities' };
      return metric === 'log_loss' ? trueClassProbability(truth, probs) : positiveClassProbability(truth, probs);
    }
    case 'mae':
    case 'rmse': {
      if (typeof truth !== 'number') return { ok: false, reason: `the truth is ${kind(truth)}, not a number` };
      const y = predictedLabel(out);
      if (typeof y !== 'number') return { ok: false, reason: 'the model answers no numeric prediction' };
      return { ok: true, value: y };
    }
  }
}

/** The inputs of one metric for every row: per model, the value or why the row cannot give it. */
export interface MetricRows {
  metric: GateMetric;
  candidate: RowInput[];
  champion: RowInput[] | null;
}

export function metricRows(metric: GateMetric, truth: readonly unknown[], candidate: readonly unknown[], champion: readonly unknown[] | null): MetricRows {
  return {
    metric,
    candidate: truth.map((t, i) => rowInput(metric, t, candidate[i])),
    champion: champion === null ? null : truth.map((t, i) => rowInput(metric, t, champion[i])),
  };
}

/** Why rows could not be scored: one entry per model and reason, with how many and the first few row numbers. */
export interface UnscorableRows {
  metric: GateMetric;
  model: 'candidate' | 'champion';
  reason: string;
  count: number;
  /** The first (at most 5) 0-based row numbers, to look them up. */
  examples: number[];
}

export const UNSCORABLE_EXAMPLES = 5;

export function unscorable(rows: MetricRows): UnscorableRows[] {
  const out: UnscorableRows[] = [];
  const add = (model: 'candidate' | 'champion', inputs: RowInput[]) => {
    const byReason = new Map<string, UnscorableRows>();
    inputs.forEach((r, i) => {
      if (r.ok) return;
      let e = byReason.get(r.reason);
      if (!e) byReason.set(r.reason, (e = { metric: rows.metric, model, reason: r.reason, count: 0, examples: [] }));
      e.count++;
      if (e.examples.length < UNSCORABLE_EXAMPLES) e.examples.push(i);
    });
    out.push(...byReason.values());
  };
  add('candidate', rows.candidate);
  if (rows.champion) add('champion', rows.champion);
  return out;
}

/**
 * The paired inputs of a metric on some rows (a slice): only rows both models can score. `yTrue` is what the
 * statistics take: the labels (accuracy), numbers (mae, rmse), 1/0 for positive/negative (roc_auc) and 1 for
 * every row (log_loss, whose values are already p(true class), so the positive label 1 makes the binary
 * statistics compute −log p(true class), the multiclass log loss too).
 */
export interface PairedInputs {
  rows: number;
  yTrue: Label[];
  candidate: Label[];
  champion: Label[] | null;
  /** Rows of the slice that could not be scored by one of the models. */
  dropped: number;
  /** roc_auc: the rows of the slice that were positive (null for other metrics). */
  positives: number | null;
}

export function pairedInputs(m: MetricRows, truth: readonly unknown[], slice: readonly number[]): PairedInputs {
  const yTrue: Label[] = [];
  const candidate: Label[] = [];
  const champion: Label[] | null = m.champion ? [] : null;
  let dropped = 0;
  let positives = 0;
  for (const i of slice) {
    const c = m.candidate[i]!;
    const b = m.champion ? m.champion[i]! : null;
    if (!c.ok || (b !== null && !b.ok)) {
      dropped++;
      continue;
    }
    // Both models must agree on which class is positive (the same classes); otherwise the row is not comparable.
    if (m.metric === 'roc_auc' && b !== null && b.ok && b.positive !== c.positive) {
      dropped++;
      continue;
    }
    candidate.push(c.value);
    if (champion && b && b.ok) champion.push(b.value);
    if (m.metric === 'roc_auc') {
      yTrue.push(c.positive ? 1 : 0);
      if (c.positive) positives++;
    } else if (m.metric === 'log_loss') yTrue.push(1);
    else yTrue.push(truth[i] as Label);
  }
  return { rows: candidate.length, yTrue, candidate, champion, dropped, positives: m.metric === 'roc_auc' ? positives : null };
}
