/**
 * The plain-JSON reports live performance answers: every metric that applies, `null` (never NaN) where one
 * cannot be computed, and a note saying why. The single-pass reports here and the merged accumulators
 * (accumulators.ts) share `assembleClassificationReport`, so both have one shape.
 */
import { InvalidParameterError } from '../../errors.js';
import {
  type Average,
  type ClassScores,
  type ConfusionMatrix,
  type Prf,
  choosePositive,
  confusionMatrix,
  prfFromScores,
  problemLabels,
  scoresFromConfusion,
} from './classification.js';
import { type Label, type LabelInput, type NumberInput, requireRows, requireSameLength } from './labels.js';
import { type ProbabilityInput, isMatrix, logLossSum } from './log-loss.js';
import { type RegressionMetrics, regressionMetrics } from './regression.js';
import { rocAucFromFlags, rocAucPerClass, sumsToOne } from './roc-auc.js';

export interface ClassificationOptions {
  /** Binary: one score per row, higher meaning more likely the positive label (decision function or probability). */
  scores?: NumberInput;
  /** One probability per row (of the positive label, binary only) or one row per label, columns in `labels` order. */
  probabilities?: ProbabilityInput;
  /** The labels in order (rows/columns of the confusion matrix, probability columns); default: sorted union. */
  labels?: Label[];
  /** Same as `labels` (the model's classes); kept for callers of the first version. */
  classes?: readonly Label[];
  /** Binary metrics score this label; default: the greatest label (roc_auc_score's and log_loss's choice). */
  positiveLabel?: Label;
  /** Default: 'binary' for two labels, 'macro' for more. */
  average?: Average;
}

export interface ClassificationReport {
  n: number;
  labels: Label[];
  positive_label: Label | null;
  average: Average;
  accuracy: number;
  /** Under `average`: the positive label's in a binary problem, the macro mean otherwise. */
  precision: number;
  recall: number;
  f1: number;
  macro: Prf;
  weighted: Prf;
  micro: Prf;
  per_class: ClassScores[];
  /** Rows: true label, columns: predicted label, both in `labels` order. */
  confusion_matrix: number[][];
  /** Binary AUC of the positive label, or one-vs-rest macro AUC for more than two labels. */
  roc_auc: number | null;
  /** 'exact', or 'binned' when an accumulator passed its cap (then see roc_auc_error_bound). */
  roc_auc_mode: 'exact' | 'binned' | null;
  roc_auc_error_bound: number | null;
  log_loss: number | null;
  notes: string[];
}

export interface RegressionReport extends RegressionMetrics {
  notes: string[];
}

export type AucPart = { auc: number; mode: 'exact' | 'binned'; error_bound: number } | { reason: string };
export type LossPart = { log_loss: number } | { reason: string };

const show = (labels: Label[]) => labels.map((l) => JSON.stringify(l)).join(', ');

/** Shared shape of single-pass and merged classification reports. */
export function assembleClassificationReport(
  cm: ConfusionMatrix,
  opts: { positiveLabel?: Label; average?: Average },
  auc: AucPart,
  loss: LossPart,
  notes: string[] = [],
): ClassificationReport {
  const s = scoresFromConfusion(cm);
  const binary = cm.labels.length <= 2;
  const positive = binary ? choosePositive(cm.labels, opts.positiveLabel) : null;
  if (!binary && opts.positiveLabel !== undefined) notes.push('positiveLabel applies to two labels only; precision/recall/F1 are macro averages.');
  const average = opts.average ?? (binary ? 'binary' : 'macro');
  const main = prfFromScores(s, average, positive ?? undefined);
  const u = s.undefined_for;
  if (u.precision.length) notes.push(`Precision of ${show(u.precision)} is 0: never predicted (zero_division=0).`);
  if (u.recall.length) notes.push(`Recall of ${show(u.recall)} is 0: absent from y_true (zero_division=0).`);
  if ('reason' in auc) notes.push(`ROC AUC: ${auc.reason}`);
  if ('reason' in loss) notes.push(`Log loss: ${loss.reason}`);
  return {
    n: s.n,
    labels: cm.labels,
    positive_label: positive,
    average,
    accuracy: s.accuracy,
    ...main,
    macro: s.macro,
    weighted: s.weighted,
    micro: s.micro,
    per_class: s.per_class,
    confusion_matrix: cm.matrix,
    roc_auc: 'reason' in auc ? null : auc.auc,
    roc_auc_mode: 'reason' in auc ? null : auc.mode,
    roc_auc_error_bound: 'reason' in auc ? null : auc.error_bound,
    log_loss: 'reason' in loss ? null : loss.log_loss,
    notes,
  };
}

function column(rows: ArrayLike<NumberInput>, j: number): Float64Array {
  return Float64Array.from({ length: rows.length }, (_, i) => rows[i][j]);
}

function singlePassAuc(yTrue: LabelInput, labels: Label[], positive: Label, opts: ClassificationOptions): AucPart {
  const probs = opts.probabilities;
  if (labels.length < 2) return { reason: 'needs two labels.' };
  if (labels.length === 2) {
    const scores = opts.scores ?? (probs && isMatrix(probs) ? column(probs, labels.indexOf(positive)) : (probs as NumberInput | undefined));
    if (!scores) return { reason: 'no scores or probabilities given.' };
    const auc = rocAucFromFlags(
      Array.from(yTrue, (y) => y === positive),
      scores,
    );
    return auc === null ? { reason: 'y_true holds one class only; AUC is undefined.' } : { auc, mode: 'exact', error_bound: 0 };
  }
  if (!probs || !isMatrix(probs)) return { reason: 'more than two labels need one probability per label per row.' };
  for (let i = 0; i < probs.length; i++) {
    if (!sumsToOne(probs[i])) return { reason: `row ${i} does not sum to 1; one-vs-rest needs probabilities.` };
  }
  const per = rocAucPerClass(yTrue, probs, labels);
  const missing = labels.filter((_, k) => per[k] === null);
  if (missing.length) return { reason: `undefined for ${show(missing)} (absent from y_true).` };
  return { auc: (per as number[]).reduce((a, b) => a + b, 0) / per.length, mode: 'exact', error_bound: 0 };
}

export function lossNotes(unnormalized: number): string[] {
  return unnormalized ? [`${unnormalized} probability rows do not sum to 1; used as given (scikit-learn 1.9 does not renormalise).`] : [];
}

/**
 * Every classification metric for one set of rows. Labels may be strings, numbers or booleans (one kind).
 * Empty or mismatched inputs throw InvalidParameterError; metrics that do not apply are null with a note.
 */
export function classificationReport(yTrue: LabelInput, yPred: LabelInput, opts: ClassificationOptions = {}): ClassificationReport {
  requireSameLength(yTrue, yPred, 'y_true', 'y_pred');
  requireRows(yTrue.length, 'y_true');
  if (opts.scores) requireSameLength(yTrue, opts.scores, 'y_true', 'scores');
  if (opts.probabilities) requireSameLength(yTrue, opts.probabilities, 'y_true', 'probabilities');
  const given = opts.labels ?? (opts.classes ? [...opts.classes] : undefined);
  const labels = problemLabels([...Array.from(yTrue), ...Array.from(yPred)], given, opts.positiveLabel);
  const cm = confusionMatrix(yTrue, yPred, labels);
  const positive = choosePositive(labels, labels.length <= 2 ? opts.positiveLabel : undefined);
  const notes: string[] = [];
  const auc = singlePassAuc(yTrue, labels, positive, opts);
  let loss: LossPart;
  if (!opts.probabilities) loss = { reason: 'no probabilities given.' };
  else if (labels.length < 2) loss = { reason: 'needs two labels.' };
  else {
    const r = logLossSum(yTrue, opts.probabilities, labels, positive);
    notes.push(...lossNotes(r.unnormalized));
    loss = { log_loss: r.sum / r.n };
  }
  return assembleClassificationReport(cm, { positiveLabel: opts.positiveLabel, average: opts.average }, auc, loss, notes);
}

/** Every regression metric for one set of rows; R² is null (with a note) below two rows. */
export function regressionReport(yTrue: NumberInput, yPred: NumberInput): RegressionReport {
  const m = regressionMetrics(yTrue, yPred);
  return { ...m, notes: regressionNotes(m) };
}

export function regressionNotes(m: RegressionMetrics): string[] {
  return m.r2 === null ? ['R² needs at least two rows.'] : [];
}

/** Guards shared with the accumulators: a probability matrix needs its columns named. */
export function requireColumns(probs: ProbabilityInput | undefined, labels: readonly Label[] | undefined): void {
  if (probs && isMatrix(probs) && !labels) {
    throw new InvalidParameterError('labels', "A probability matrix needs 'labels' naming its columns.");
  }
}
