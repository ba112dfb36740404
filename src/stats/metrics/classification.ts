/**
 * Classification metrics that follow from the confusion matrix (accuracy, precision, recall, F1), as
 * scikit-learn 1.9 computes them with zero_division=0: a ratio whose denominator is 0 (a class never
 * predicted, never true, or both) counts as 0 and is named in `undefined_for`. Counts are exact integers,
 * so a matrix merged from windows gives the same scores as one built from all rows.
 * ROC AUC and log loss, which need scores, live in roc-auc.ts and log-loss.ts.
 */
import { InvalidParameterError } from '../../errors.js';
import { type Label, type LabelInput, compareLabels, requireRows, requireSameLength, resolveLabels } from './labels.js';

export interface ConfusionMatrix {
  /** Row and column order: the caller's `labels`, else the sorted union of y_true and y_pred. */
  labels: Label[];
  /** matrix[i][j]: rows whose true label is labels[i] and predicted label labels[j]. */
  matrix: number[][];
}

export type Average = 'binary' | 'macro' | 'weighted' | 'micro';

export interface Prf {
  precision: number;
  recall: number;
  f1: number;
}

export interface ClassScores extends Prf {
  label: Label;
  /** Rows whose true label is this class. */
  support: number;
}

export interface ConfusionScores {
  n: number;
  accuracy: number;
  per_class: ClassScores[];
  macro: Prf;
  weighted: Prf;
  micro: Prf;
  /** Labels whose ratio had a zero denominator and was set to 0 (scikit-learn's zero_division=0). */
  undefined_for: { precision: Label[]; recall: Label[]; f1: Label[] };
}

export interface PrfOptions {
  /** Default: 'binary' when there are at most two labels, otherwise 'macro'. */
  average?: Average;
  /** The class scored by average='binary'. Default: the greatest label (scikit-learn's roc_auc_score convention). */
  positiveLabel?: Label;
  labels?: Label[];
}

export function confusionMatrix(yTrue: LabelInput, yPred: LabelInput, labels?: Label[]): ConfusionMatrix {
  requireSameLength(yTrue, yPred, 'y_true', 'y_pred');
  requireRows(yTrue.length, 'y_true');
  const order = resolveLabels([...Array.from(yTrue), ...Array.from(yPred)], labels, 'y_true');
  const index = new Map(order.map((l, i) => [l, i] as const));
  const matrix = order.map(() => new Array<number>(order.length).fill(0));
  for (let r = 0; r < yTrue.length; r++) {
    matrix[index.get(yTrue[r]) as number][index.get(yPred[r]) as number]++;
  }
  return { labels: order, matrix };
}

export function accuracy(yTrue: LabelInput, yPred: LabelInput): number {
  requireSameLength(yTrue, yPred, 'y_true', 'y_pred');
  requireRows(yTrue.length, 'y_true');
  let correct = 0;
  for (let r = 0; r < yTrue.length; r++) if (yTrue[r] === yPred[r]) correct++;
  return correct / yTrue.length;
}

/** Zero-division rule of scikit-learn's _prf_divide with zero_division=0. */
function ratio(num: number, den: number): number {
  return den === 0 ? 0 : num / den;
}

function mean(xs: number[], weights?: number[]): number {
  let s = 0;
  let w = 0;
  for (let i = 0; i < xs.length; i++) {
    const wi = weights ? weights[i] : 1;
    s += xs[i] * wi;
    w += wi;
  }
  return w === 0 ? 0 : s / w;
}

/** Every count-based score from one confusion matrix (the single pass and the merged accumulator share this). */
export function scoresFromConfusion(cm: ConfusionMatrix): ConfusionScores {
  const k = cm.labels.length;
  const tp: number[] = [];
  const predSum = new Array<number>(k).fill(0);
  const trueSum = new Array<number>(k).fill(0);
  let n = 0;
  for (let i = 0; i < k; i++) {
    tp.push(cm.matrix[i][i]);
    for (let j = 0; j < k; j++) {
      trueSum[i] += cm.matrix[i][j];
      predSum[j] += cm.matrix[i][j];
      n += cm.matrix[i][j];
    }
  }
  if (n === 0) throw new InvalidParameterError('y_true', "'y_true' is empty: a metric needs at least one row.");
  const undefinedFor = { precision: [] as Label[], recall: [] as Label[], f1: [] as Label[] };
  const perClass = cm.labels.map((label, i): ClassScores => {
    if (predSum[i] === 0) undefinedFor.precision.push(label);
    if (trueSum[i] === 0) undefinedFor.recall.push(label);
    if (trueSum[i] + predSum[i] === 0) undefinedFor.f1.push(label);
    return {
      label,
      precision: ratio(tp[i], predSum[i]),
      recall: ratio(tp[i], trueSum[i]),
      // scikit-learn's form 2tp / (2tp + fp + fn): defined whenever either ratio is.
      f1: ratio(2 * tp[i], trueSum[i] + predSum[i]),
      support: trueSum[i],
    };
  });
  const pick = (key: keyof Prf) => perClass.map((c) => c[key]);
  const averaged = (weights?: number[]): Prf => ({
    precision: mean(pick('precision'), weights),
    recall: mean(pick('recall'), weights),
    f1: mean(pick('f1'), weights),
  });
  const tpAll = tp.reduce((a, b) => a + b, 0);
  const predAll = predSum.reduce((a, b) => a + b, 0);
  const trueAll = trueSum.reduce((a, b) => a + b, 0);
  return {
    n,
    accuracy: tpAll / n,
    per_class: perClass,
    macro: averaged(),
    weighted: averaged(trueSum),
    micro: {
      precision: ratio(tpAll, predAll),
      recall: ratio(tpAll, trueAll),
      f1: ratio(2 * tpAll, trueAll + predAll),
    },
    undefined_for: undefinedFor,
  };
}

/** The positive label: the caller's, else the greatest label (what roc_auc_score and log_loss score). */
export function choosePositive(labels: readonly Label[], positiveLabel: Label | undefined): Label {
  if (positiveLabel !== undefined) {
    if (!labels.includes(positiveLabel)) {
      throw new InvalidParameterError('positiveLabel', `'positiveLabel' ${JSON.stringify(positiveLabel)} is not one of the labels ${JSON.stringify(labels)}.`);
    }
    return positiveLabel;
  }
  return [...labels].sort(compareLabels)[labels.length - 1];
}

/** Precision, recall and F1 under one averaging rule, from a confusion matrix. */
export function prfFromScores(scores: ConfusionScores, average: Average, positive?: Label): Prf {
  if (average === 'binary') {
    if (scores.per_class.length > 2) {
      throw new InvalidParameterError(
        'average',
        `average='binary' needs at most two labels, got ${scores.per_class.length}; use 'macro', 'weighted' or 'micro'.`,
      );
    }
    const c = scores.per_class.find((row) => row.label === positive);
    if (!c) throw new InvalidParameterError('positiveLabel', "average='binary' needs a positive label among the labels.");
    return { precision: c.precision, recall: c.recall, f1: c.f1 };
  }
  return scores[average];
}

/**
 * The label list of a problem. A positive label not seen joins a one-label problem (all rows one class,
 * scored against the other); with two or more labels seen it must be one of them, as scikit-learn requires.
 */
export function problemLabels(seen: Label[], given: Label[] | undefined, positiveLabel: Label | undefined): Label[] {
  const labels = resolveLabels(seen, given, 'y_true');
  if (given !== undefined || positiveLabel === undefined || labels.includes(positiveLabel)) return labels;
  if (labels.length >= 2) choosePositive(labels, positiveLabel); // throws, naming the labels
  return resolveLabels([...seen, positiveLabel], undefined, 'positiveLabel');
}

export function precisionRecallF1(yTrue: LabelInput, yPred: LabelInput, opts: PrfOptions = {}): Prf {
  requireSameLength(yTrue, yPred, 'y_true', 'y_pred');
  requireRows(yTrue.length, 'y_true');
  const labels = problemLabels([...Array.from(yTrue), ...Array.from(yPred)], opts.labels, opts.positiveLabel);
  const scores = scoresFromConfusion(confusionMatrix(yTrue, yPred, labels));
  const average = opts.average ?? (labels.length <= 2 ? 'binary' : 'macro');
  const positive = average === 'binary' ? choosePositive(labels, opts.positiveLabel) : undefined;
  return prfFromScores(scores, average, positive);
}

export function precision(yTrue: LabelInput, yPred: LabelInput, opts: PrfOptions = {}): number {
  return precisionRecallF1(yTrue, yPred, opts).precision;
}

export function recall(yTrue: LabelInput, yPred: LabelInput, opts: PrfOptions = {}): number {
  return precisionRecallF1(yTrue, yPred, opts).recall;
}

export function f1Score(yTrue: LabelInput, yPred: LabelInput, opts: PrfOptions = {}): number {
  return precisionRecallF1(yTrue, yPred, opts).f1;
}
