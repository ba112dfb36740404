/**
 * Log loss as scikit-learn 1.9's log_loss computes it: probabilities are clipped to [eps, 1 - eps] with
 * eps = 2^-52 (float64 machine epsilon), so a confident mistake costs about 36 instead of infinity.
 * Probabilities outside [0, 1] are refused. Rows that do not sum to 1 are NOT renormalised: 1.9 only warns
 * (older releases renormalised); they are counted so a report can say so.
 */
import { InvalidParameterError } from '../../errors.js';
import { type Label, type LabelInput, type NumberInput, CompensatedSum, requireRows, requireSameLength, resolveLabels, sortLabels } from './labels.js';

export const FLOAT64_EPS = 2.220446049250313e-16;

/** Probabilities: one number per row (the positive label's) or one row of per-label probabilities. */
export type ProbabilityInput = NumberInput | ArrayLike<NumberInput>;

export interface LogLossOptions {
  /** Column order of a probability matrix; default: the sorted labels of y_true (LabelBinarizer's order). */
  labels?: Label[];
  /** With one probability per row: the label it is the probability of. Default: the greatest label. */
  positiveLabel?: Label;
}

export interface LogLossSum {
  sum: number;
  n: number;
  /** Rows whose probabilities are not within scikit-learn's tolerance of summing to 1. */
  unnormalized: number;
}

/** One row's loss given the probability assigned to its true label. */
export function rowLogLoss(pTrue: number): number {
  const p = pTrue < FLOAT64_EPS ? FLOAT64_EPS : pTrue > 1 - FLOAT64_EPS ? 1 - FLOAT64_EPS : pTrue;
  return -Math.log(p);
}

export function checkProbability(p: unknown, row: number): number {
  if (typeof p !== 'number' || Number.isNaN(p) || p < 0 || p > 1) {
    throw new InvalidParameterError('probabilities', `'probabilities' row ${row} has ${String(p)}: probabilities lie in [0, 1].`);
  }
  return p;
}

/** log_loss's check: isclose(row sum, 1, rtol=sqrt(eps)) with array-api-extra's atol 1e-8. */
export function isNormalized(sum: number): boolean {
  return Math.abs(sum - 1) <= 1e-8 + Math.sqrt(FLOAT64_EPS);
}

export function isMatrix(p: ProbabilityInput): p is ArrayLike<NumberInput> {
  return p.length > 0 && typeof p[0] === 'object' && p[0] !== null;
}

/**
 * Sum of per-row losses over rows whose labels are all in `labels` (columns of a matrix follow it; a
 * vector is the probability of `positive`, the other label getting 1 - p as scikit-learn does).
 */
export function logLossSum(yTrue: LabelInput, probabilities: ProbabilityInput, labels: readonly Label[], positive?: Label): LogLossSum {
  requireSameLength(yTrue, probabilities, 'y_true', 'probabilities');
  const sum = new CompensatedSum();
  let unnormalized = 0;
  if (isMatrix(probabilities)) {
    const index = new Map(labels.map((l, i) => [l, i] as const));
    for (let i = 0; i < yTrue.length; i++) {
      const row = probabilities[i];
      if (row.length !== labels.length) {
        throw new InvalidParameterError('probabilities', `'probabilities' row ${i} has ${row.length} columns, expected ${labels.length} (one per label).`);
      }
      let s = 0;
      for (let j = 0; j < row.length; j++) s += checkProbability(row[j], i);
      if (!isNormalized(s)) unnormalized++;
      sum.add(rowLogLoss(row[index.get(yTrue[i]) as number]));
    }
  } else {
    if (labels.length !== 2) {
      throw new InvalidParameterError('probabilities', `One probability per row needs two labels, got ${labels.length}; pass a row per label.`);
    }
    for (let i = 0; i < yTrue.length; i++) {
      const p = checkProbability(probabilities[i], i);
      sum.add(rowLogLoss(yTrue[i] === positive ? p : 1 - p));
    }
  }
  return { sum: sum.value, n: yTrue.length, unnormalized };
}

/** log_loss(y_true, probabilities, labels=labels): the mean per-row loss. */
export function logLoss(yTrue: LabelInput, probabilities: ProbabilityInput, opts: LogLossOptions = {}): number {
  requireRows(yTrue.length, 'y_true');
  const labels = resolveLabels(Array.from(yTrue), opts.labels, 'y_true');
  if (labels.length < 2) {
    throw new InvalidParameterError('y_true', "'y_true' holds one label: log loss needs 'labels' naming at least two.");
  }
  const positive = opts.positiveLabel ?? sortLabels(labels)[labels.length - 1];
  const r = logLossSum(yTrue, probabilities, labels, positive);
  return r.sum / r.n;
}
