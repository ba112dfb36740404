/**
 * Fairlearn's fairness metrics (fairlearn/metrics/_fairness_metrics.py, 0.15.0) over metricFrame:
 * demographic parity = selection_rate, equal opportunity = true_positive_rate, equalized odds = both
 * true_positive_rate and false_positive_rate, combined by `agg`.
 *
 * Equalized odds, `agg: 'worst_case'`: Fairlearn takes Python's built-in max()/min() over [tpr, fpr]. Those
 * compare with `>`/`<`, which are false against NaN, so the answer depends on the order: a NaN TPR part wins (the
 * result is NaN) while a NaN FPR part is skipped. `fairlearnCompat: true` reproduces that bit for bit. Ferry's
 * default skips NaN on either side (as pandas does everywhere else in Fairlearn, and as agg='mean' does): NaN only
 * when both parts are NaN.
 */
import { InvalidParameterError } from '../../errors.js';
import { type Label } from './labels.js';
import { type Method, METHODS, type SensitiveFeature, metricFrame, nanMax, nanMin } from './frame.js';

export interface ParityInput {
  yTrue?: Label[];
  yPred: Label[];
  sensitiveFeatures: SensitiveFeature[];
  sampleWeight?: number[];
  method?: Method;
}

export type Agg = 'worst_case' | 'mean';

export interface EqualizedOddsInput extends ParityInput {
  agg?: Agg;
  /** Reproduce Fairlearn's order-dependent NaN handling of agg='worst_case' (see the module comment). */
  fairlearnCompat?: boolean;
}

function methodOf(method: Method | undefined): Method {
  const m = method ?? 'between_groups';
  if (!METHODS.includes(m)) throw new InvalidParameterError('method', `'method' must be 'between_groups' or 'to_overall'.`);
  return m;
}

function aggOf(agg: Agg | undefined): Agg {
  const a = agg ?? 'worst_case';
  if (a !== 'worst_case' && a !== 'mean') throw new InvalidParameterError('agg', `'agg' must be 'worst_case' or 'mean'.`);
  return a;
}

const frame = (metric: 'selection_rate' | 'true_positive_rate' | 'false_positive_rate', i: ParityInput) =>
  metricFrame({ metric, yTrue: i.yTrue, yPred: i.yPred, sensitiveFeatures: i.sensitiveFeatures, sampleWeight: i.sampleWeight });

/** Σw·[ŷ = 1] / Σw over all rows (Fairlearn's selection_rate with pos_label=1). */
export function selectionRate(yPred: Label[], sampleWeight?: number[], posLabel: Label = 1): number {
  return metricFrame({
    metric: 'selection_rate',
    yPred,
    sampleWeight,
    posLabel,
    sensitiveFeatures: [{ name: 'all', values: yPred.map(() => 0) }],
  }).overall;
}

export function demographicParityDifference(i: ParityInput): number {
  return frame('selection_rate', i).difference[methodOf(i.method)];
}
export function demographicParityRatio(i: ParityInput): number {
  return frame('selection_rate', i).ratio[methodOf(i.method)];
}
export function equalOpportunityDifference(i: ParityInput): number {
  return frame('true_positive_rate', i).difference[methodOf(i.method)];
}
export function equalOpportunityRatio(i: ParityInput): number {
  return frame('true_positive_rate', i).ratio[methodOf(i.method)];
}

// Python's max(a, b) / min(a, b): keep a unless b compares strictly greater / smaller.
const pyMax = (a: number, b: number): number => (b > a ? b : a);
const pyMin = (a: number, b: number): number => (b < a ? b : a);
// pandas Series.mean(): NaN skipped.
const nanMean = (a: number, b: number): number => {
  const xs = [a, b].filter((x) => !Number.isNaN(x));
  return xs.length === 0 ? NaN : xs.reduce((s, x) => s + x, 0) / xs.length;
};

function equalizedOdds(i: EqualizedOddsInput, kind: 'difference' | 'ratio'): number {
  const method = methodOf(i.method);
  const agg = aggOf(i.agg);
  const tpr = frame('true_positive_rate', i)[kind][method];
  const fpr = frame('false_positive_rate', i)[kind][method];
  if (agg === 'mean') return nanMean(tpr, fpr);
  if (kind === 'difference') return i.fairlearnCompat ? pyMax(tpr, fpr) : nanMax([tpr, fpr]);
  return i.fairlearnCompat ? pyMin(tpr, fpr) : nanMin([tpr, fpr]);
}

export function equalizedOddsDifference(i: EqualizedOddsInput): number {
  return equalizedOdds(i, 'difference');
}
export function equalizedOddsRatio(i: EqualizedOddsInput): number {
  return equalizedOdds(i, 'ratio');
}
