/** The classification report live performance answers: every metric that applies, null where one cannot be computed. */
import { InvalidParameterError } from '../../errors.js';
import { accuracy, averaged, confusionMatrix, type Label, logLoss, perLabel, rocAuc, rocAucOvr, sortedLabels } from './classification.js';

export interface ClassificationReport {
  n: number;
  labels: Label[];
  accuracy: number;
  /** Binary: of the positive label. Multiclass: macro average. */
  precision: number;
  recall: number;
  f1: number;
  weighted: { precision: number; recall: number; f1: number };
  positive_label: Label | null;
  roc_auc: number | null;
  log_loss: number | null;
  confusion_matrix: number[][];
  notes: string[];
}

export interface ClassificationOptions {
  /** Per row, class probabilities in the order of `classes` (the model's classes, sorted). */
  probabilities?: readonly (readonly number[])[];
  /** The classes the probabilities' columns stand for (default: the labels seen, sorted). */
  classes?: readonly Label[];
  /** Binary metrics are of this label (default 1, true or the larger label). */
  positiveLabel?: Label;
}

export function classificationReport(yTrue: readonly Label[], yPred: readonly Label[], opts: ClassificationOptions = {}): ClassificationReport {
  const labels = sortedLabels([...yTrue], [...yPred], [...(opts.classes ?? [])]);
  const m = confusionMatrix(yTrue, yPred, labels);
  const per = perLabel(m);
  const notes: string[] = [];
  const binary = labels.length <= 2;
  let positive: Label | null = null;
  let main = averaged(per, 'macro');
  if (binary) {
    positive = opts.positiveLabel ?? (labels.includes(1) ? 1 : labels.includes(true) ? true : labels[labels.length - 1]!);
    const k = labels.indexOf(positive);
    if (k < 0) throw new InvalidParameterError('positive_label', `The positive label ${JSON.stringify(positive)} is not among the labels.`);
    main = per[k]!;
  }
  const classes = opts.classes ? [...opts.classes] : labels;
  let auc: number | null = null;
  let loss: number | null = null;
  if (opts.probabilities) {
    if (opts.probabilities.some((p) => p.length !== classes.length)) throw new InvalidParameterError('probabilities', `Each row needs ${classes.length} probabilities (one per class).`);
    loss = logLoss(yTrue, opts.probabilities, classes);
    auc = classes.length === 2 ? rocAuc(yTrue.map((y) => y === (positive ?? classes[1])), opts.probabilities.map((p) => p[classes.indexOf(positive ?? classes[1]!)]!)) : rocAucOvr(yTrue, opts.probabilities, classes);
    if (auc === null) notes.push('ROC AUC needs both classes among the labels.');
  } else notes.push('No probabilities: ROC AUC and log loss need them.');
  return { n: yTrue.length, labels, accuracy: accuracy(yTrue, yPred), ...main, weighted: averaged(per, 'weighted'), positive_label: positive, roc_auc: auc, log_loss: loss, confusion_matrix: m, notes };
}
