/**
 * Model-quality metrics of A/B tests: what a feedback row (`label` or `value`) says about the prediction it
 * answers, as outcome events of reserved `model:` metrics keyed by the request's unit. Pure: the recorder
 * (quality-recorder.ts) reads the feedback and the logged outputs, and writes these events.
 *
 * Per scored row: `model:scored` = 1, and
 * - label feedback: `model:accuracy` (1 if the predicted label equals the label, else 0) and, when the model
 *   answers class probabilities and the label indexes them (an integer 0..k-1, as live performance maps them),
 *   `model:log_loss` = −ln p(true class) with p clipped to [eps, 1 − eps], eps = 2^-52 — scikit-learn 1.9's
 *   log_loss clips at the machine precision of the probabilities' dtype, float64 here;
 * - value feedback: `model:absolute_error` |ŷ − y| and `model:squared_error` (ŷ − y)².
 * So `model:accuracy` over `model:scored` (a ratio metric) is the accuracy per prediction, with the delta method.
 */
import { InvalidParameterError } from '../errors.js';
import { FLOAT64_EPS } from '../stats/index.js';
import type { Static } from '@sinclair/typebox';
import type { AbMetric as AbMetricSchema } from '../contract/abtests.js';

type AbMetric = Static<typeof AbMetricSchema>;

export const QUALITY_PREFIX = 'model:';
export const SCORED_METRIC = 'model:scored';
export const QUALITY_METRICS = ['model:accuracy', 'model:log_loss', 'model:absolute_error', 'model:squared_error'] as const;
export type QualityMetric = (typeof QUALITY_METRICS)[number] | typeof SCORED_METRIC;

/** Every name the derived events use (what a replaced feedback row's earlier events may be under). */
export const DERIVED_METRICS: readonly QualityMetric[] = [...QUALITY_METRICS, SCORED_METRIC];

/** Which way is better when a create request does not say: accuracy up, the losses and errors down. */
const BETTER: Record<QualityMetric, 'increase' | 'decrease'> = {
  'model:accuracy': 'increase',
  'model:log_loss': 'decrease',
  'model:absolute_error': 'decrease',
  'model:squared_error': 'decrease',
  'model:scored': 'increase',
};

export const isQualityName = (name: string): boolean => name.startsWith(QUALITY_PREFIX);
const isKnown = (name: string): name is QualityMetric => (DERIVED_METRICS as readonly string[]).includes(name);

function checkName(name: string, field: string): void {
  if (isQualityName(name) && !isKnown(name))
    throw new InvalidParameterError(
      field,
      `${field} '${name}': '${QUALITY_PREFIX}' names are reserved for model-quality metrics derived from feedback (${DERIVED_METRICS.join(', ')}).`,
    );
}

/**
 * A create request's metric with the model-quality conventions: unknown `model:` names refused (naming the
 * field); a `model:` ratio metric without a denominator is over `model:scored` (a per-prediction mean); its
 * direction defaults to the metric's better side. Other metrics are returned as they are.
 */
export function withQualityDefaults(m: AbMetric, field: string): AbMetric {
  checkName(m.metric, `${field}.metric`);
  if (m.denominator !== undefined) checkName(m.denominator, `${field}.denominator`);
  if (!isKnown(m.metric)) return m;
  return {
    ...m,
    ...(m.kind === 'ratio' && m.denominator === undefined && m.metric !== SCORED_METRIC ? { denominator: SCORED_METRIC } : {}),
    direction: m.direction ?? BETTER[m.metric],
  };
}

/** The class probabilities of a row, when the model answers them: its first list of numbers (live performance's rule). */
function probabilitiesOf(outputs: Record<string, unknown>): number[] | null {
  for (const v of Object.values(outputs)) if (Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'number')) return v as number[];
  return null;
}

/** −ln p, p clipped to [eps, 1 − eps] as scikit-learn's log_loss clips float64 probabilities. */
export function clippedLogLoss(p: number): number {
  return -Math.log(Math.min(Math.max(p, FLOAT64_EPS), 1 - FLOAT64_EPS));
}

/**
 * The events one feedback row gives, or none when it cannot be scored (outcome feedback, no prediction output,
 * a value against a non-number). `prediction`: the output monitoring compares feedback with (the model's first).
 */
export function qualityValues(
  kind: string,
  truth: unknown,
  outputs: Record<string, unknown>,
  prediction: string | null,
): { metric: QualityMetric; value: number }[] {
  if (prediction === null) return [];
  const predicted = outputs[prediction];
  if (kind === 'value') {
    if (typeof predicted !== 'number' || !Number.isFinite(predicted) || typeof truth !== 'number' || !Number.isFinite(truth)) return [];
    const d = predicted - truth;
    return [
      { metric: 'model:absolute_error', value: Math.abs(d) },
      { metric: 'model:squared_error', value: d * d },
      { metric: SCORED_METRIC, value: 1 },
    ];
  }
  if (kind !== 'label' || predicted === undefined || predicted === null || Array.isArray(predicted)) return [];
  const out: { metric: QualityMetric; value: number }[] = [{ metric: 'model:accuracy', value: predicted === truth ? 1 : 0 }];
  const probs = probabilitiesOf(outputs);
  if (probs && probs.length > 1 && Number.isInteger(truth) && (truth as number) >= 0 && (truth as number) < probs.length) {
    const p = probs[truth as number]!;
    if (p >= 0 && p <= 1) out.push({ metric: 'model:log_loss', value: clippedLogLoss(p) });
  }
  out.push({ metric: SCORED_METRIC, value: 1 });
  return out;
}
