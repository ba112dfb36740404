/**
 * The group metrics, each a function of weighted sums over a group's rows (so a group, the whole data and a
 * bootstrap resample are all computed the same way). Conventions follow Fairlearn 0.15 and scikit-learn 1.9:
 * selection_rate = Σw·[ŷ = pos] / Σw (0/0 = NaN); the four rates are rows of sklearn's confusion_matrix(normalize=
 * 'true'), whose nan_to_num makes a rate over no rows 0, not NaN; precision/recall use zero_division → 0.
 */
export const METRIC_NAMES = [
  'selection_rate',
  'true_positive_rate',
  'false_positive_rate',
  'true_negative_rate',
  'false_negative_rate',
  'accuracy',
  'precision',
  'recall',
  'count',
] as const;
export type MetricName = (typeof METRIC_NAMES)[number];

/**
 * How each metric reads pos_label: 'fairlearn' = null allowed ({0,1}/{−1,1} rule), 'sklearn' = binary labels with
 * default 1, 'select' = compared with ŷ only (default 1), 'none' = ignored.
 */
export const LABEL_RULE: Record<MetricName, 'fairlearn' | 'sklearn' | 'select' | 'none'> = {
  selection_rate: 'select',
  true_positive_rate: 'fairlearn',
  false_positive_rate: 'fairlearn',
  true_negative_rate: 'fairlearn',
  false_negative_rate: 'fairlearn',
  accuracy: 'none',
  precision: 'sklearn',
  recall: 'sklearn',
  count: 'none',
};

/** Weighted sums over some rows; one pass fills every metric's inputs. */
export interface Sums {
  n: number;
  w: number;
  sel: number; // ŷ = pos
  tp: number;
  fn: number;
  fp: number;
  tn: number;
  correct: number; // y = ŷ
}

export const emptySums = (): Sums => ({ n: 0, w: 0, sel: 0, tp: 0, fn: 0, fp: 0, tn: 0, correct: 0 });

/** Per-row flags, computed once: positive truth, positive prediction, truth equals prediction. */
export interface Rows {
  posTrue: Uint8Array;
  posPred: Uint8Array;
  correct: Uint8Array;
  weight: Float64Array;
}

export function addRow(s: Sums, rows: Rows, i: number): void {
  const w = rows.weight[i];
  s.n += 1;
  s.w += w;
  const pt = rows.posTrue[i] === 1;
  const pp = rows.posPred[i] === 1;
  if (pp) s.sel += w;
  if (pt) {
    if (pp) s.tp += w;
    else s.fn += w;
  } else if (pp) s.fp += w;
  else s.tn += w;
  if (rows.correct[i] === 1) s.correct += w;
}

// sklearn's nan_to_num / zero_division=0: a rate over an empty (zero-weight) row of the confusion matrix is 0.
const rate = (num: number, den: number): number => (den === 0 ? 0 : num / den);

export function metricValue(name: MetricName, s: Sums): number {
  switch (name) {
    case 'selection_rate':
      return s.sel / s.w;
    case 'true_positive_rate':
    case 'recall':
      return rate(s.tp, s.tp + s.fn);
    case 'false_negative_rate':
      return rate(s.fn, s.tp + s.fn);
    case 'false_positive_rate':
      return rate(s.fp, s.fp + s.tn);
    case 'true_negative_rate':
      return rate(s.tn, s.fp + s.tn);
    case 'accuracy':
      return s.correct / s.w;
    case 'precision':
      return rate(s.tp, s.tp + s.fp);
    case 'count':
      return s.n;
  }
}
