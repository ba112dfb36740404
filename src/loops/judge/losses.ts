/**
 * Per-request losses of one model's outputs against the truth (lower is better), for the paired comparison:
 * accuracy → 0/1 loss (1 when the predicted label differs); log_loss → −ln(clip(p_true, ε, 1 − ε)) with
 * ε = 2⁻⁵² as scikit-learn's log_loss; absolute_error → |ŷ − y|; squared_error → (ŷ − y)². Null: the row cannot
 * be scored (the output is missing, of another kind than the truth, or the truth is not a label or number).
 */
import { FLOAT64_EPS } from '../../stats/index.js';
import type { QualityMetric } from './types.js';

type Outputs = Record<string, unknown>;

/** The output a prediction is read from: `name`, else the first scalar output (outputs keep the model's order). */
export function predictionOf(outputs: Outputs, name: string | undefined): unknown {
  if (name !== undefined) return outputs[name];
  for (const v of Object.values(outputs)) if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return v;
  return undefined;
}

/** Class probabilities: `name`'s list, else the first list of numbers among the outputs (performance.ts's rule). */
function probabilitiesOf(outputs: Outputs, name: string | undefined): number[] | null {
  const pick = (v: unknown): number[] | null => (Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'number') ? (v as number[]) : null);
  if (name !== undefined) return pick(outputs[name]);
  for (const v of Object.values(outputs)) {
    const p = pick(v);
    if (p) return p;
  }
  return null;
}

/** Booleans are the labels 0 and 1; numbers compare as numbers, strings as strings; other kinds never match. */
function labelKey(v: unknown): string | null {
  if (typeof v === 'boolean') return `n:${v ? 1 : 0}`;
  if (typeof v === 'number' && Number.isFinite(v)) return `n:${v}`;
  if (typeof v === 'string') return `s:${v}`;
  return null;
}

function clipLogLoss(p: number): number {
  return -Math.log(Math.min(Math.max(p, FLOAT64_EPS), 1 - FLOAT64_EPS));
}

export interface LossOptions {
  /** The output holding the predicted label or value. */
  prediction?: string;
  /** log_loss: the output holding the class probabilities (columns = classes 0..k−1). */
  probabilities?: string;
}

export function rowLoss(metric: QualityMetric, truth: unknown, outputs: Outputs, o: LossOptions): number | null {
  if (metric === 'accuracy') {
    const t = labelKey(truth);
    const p = labelKey(predictionOf(outputs, o.prediction));
    if (t === null || p === null || t[0] !== p[0]) return null;
    return t === p ? 0 : 1;
  }
  if (metric === 'log_loss') {
    const y = typeof truth === 'boolean' ? (truth ? 1 : 0) : truth;
    if (typeof y !== 'number' || !Number.isInteger(y) || y < 0) return null;
    const probs = probabilitiesOf(outputs, o.probabilities);
    if (probs && probs.length >= 2) return y < probs.length && Number.isFinite(probs[y]) ? clipLogLoss(probs[y]!) : null;
    // A single probability of the positive class (binary models answering P(1) as a number).
    const p = predictionOf(outputs, o.prediction);
    if (typeof p !== 'number' || !(p >= 0 && p <= 1) || y > 1) return null;
    return clipLogLoss(y === 1 ? p : 1 - p);
  }
  const p = predictionOf(outputs, o.prediction);
  if (typeof truth !== 'number' || typeof p !== 'number' || !Number.isFinite(truth) || !Number.isFinite(p)) return null;
  return metric === 'absolute_error' ? Math.abs(p - truth) : (p - truth) ** 2;
}
