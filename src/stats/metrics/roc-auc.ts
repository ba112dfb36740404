/**
 * ROC AUC as scikit-learn's roc_auc_score computes it. The area under roc_curve's steps equals the
 * probability that a random positive outscores a random negative with ties counted half, so it is
 * computed from tie groups of the sorted scores (exact integer counts, no curve). Binned AUC is the
 * same sum over fixed score bins, where rows sharing a bin count as ties; its distance from the exact
 * value is at most sum_b(pos_b * neg_b) / (2 * P * N), which is returned with it.
 */
import { InvalidParameterError } from '../../errors.js';
import { type Label, type LabelInput, type NumberInput, requireRows, requireSameLength, sortLabels } from './labels.js';

export interface BinnedAuc {
  auc: number | null;
  /** Largest possible distance from the exact AUC of the binned rows (0 when no bin mixes classes). */
  error_bound: number;
}

/** Exact binary AUC from a positive flag per row; null when every row is of one class. */
export function rocAucFromFlags(isPositive: ArrayLike<boolean>, scores: NumberInput): number | null {
  const n = scores.length;
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(scores[i])) {
      throw new InvalidParameterError('scores', `'scores' has a missing or non-finite value at index ${i}.`);
    }
    order[i] = i;
  }
  order.sort((a, b) => scores[b] - scores[a]);
  let posAbove = 0;
  let area = 0; // pairs (positive above negative) + half the tied pairs, in counts
  let negatives = 0;
  for (let start = 0; start < n;) {
    const s = scores[order[start]];
    let pos = 0;
    let neg = 0;
    let end = start;
    for (; end < n && scores[order[end]] === s; end++) {
      if (isPositive[order[end]]) pos++;
      else neg++;
    }
    area += neg * (posAbove + pos / 2);
    posAbove += pos;
    negatives += neg;
    start = end;
  }
  if (posAbove === 0 || negatives === 0) return null;
  return area / (posAbove * negatives);
}

/**
 * Binary ROC AUC of `scores` (higher = more likely `positiveLabel`). Default positive: the greatest label,
 * as roc_auc_score does. Null when y_true holds one class (scikit-learn warns and answers NaN).
 */
export function rocAuc(yTrue: LabelInput, scores: NumberInput, positiveLabel?: Label): number | null {
  requireSameLength(yTrue, scores, 'y_true', 'scores');
  requireRows(yTrue.length, 'y_true');
  const labels = sortLabels(Array.from(yTrue));
  if (labels.length > 2 && positiveLabel === undefined) {
    throw new InvalidParameterError('y_true', `'y_true' has ${labels.length} labels: binary ROC AUC needs a positive label.`);
  }
  const positive = positiveLabel ?? labels[labels.length - 1];
  const flags = Array.from(yTrue, (y) => y === positive);
  return rocAucFromFlags(flags, scores);
}

/** np.allclose(1, row sum): roc_auc_score refuses multiclass scores that are not probabilities. */
export function sumsToOne(row: NumberInput): boolean {
  let s = 0;
  for (let j = 0; j < row.length; j++) s += row[j];
  return Math.abs(1 - s) <= 1e-8 + 1e-5 * Math.abs(s);
}

/** One-vs-rest AUC per class (null for a class absent from y_true or present in every row). */
export function rocAucPerClass(yTrue: LabelInput, probabilities: ArrayLike<NumberInput>, labels: readonly Label[]): (number | null)[] {
  requireSameLength(yTrue, probabilities, 'y_true', 'probabilities');
  requireRows(yTrue.length, 'y_true');
  const n = yTrue.length;
  const column = new Float64Array(n);
  return labels.map((label, k) => {
    for (let i = 0; i < n; i++) {
      const row = probabilities[i];
      if (row.length !== labels.length) {
        throw new InvalidParameterError('probabilities', `'probabilities' row ${i} has ${row.length} columns, expected ${labels.length} (one per label).`);
      }
      column[i] = row[k];
    }
    return rocAucFromFlags(
      Array.from(yTrue, (y) => y === label),
      column,
    );
  });
}

/**
 * roc_auc_score(multi_class='ovr', average='macro'): the mean of the per-class AUCs. Columns follow
 * `labels`. Null when a class has no rows (scikit-learn answers NaN); rows that do not sum to 1 are refused.
 */
export function rocAucOvr(yTrue: LabelInput, probabilities: ArrayLike<NumberInput>, labels?: readonly Label[]): number | null {
  const order = labels ? [...labels] : sortLabels(Array.from(yTrue));
  for (let i = 0; i < probabilities.length; i++) {
    if (!sumsToOne(probabilities[i])) {
      throw new InvalidParameterError('probabilities', `'probabilities' row ${i} does not sum to 1: one-vs-rest ROC AUC needs class probabilities.`);
    }
  }
  const per = rocAucPerClass(yTrue, probabilities, order);
  if (per.some((a) => a === null)) return null;
  return (per as number[]).reduce((a, b) => a + b, 0) / per.length;
}

/** Binned AUC from per-bin positive and negative counts (bins in ascending score order). */
export function rocAucBinned(pos: ArrayLike<number>, neg: ArrayLike<number>): BinnedAuc {
  let posAbove = 0;
  let negatives = 0;
  let area = 0;
  let tiedPairs = 0;
  for (let b = pos.length - 1; b >= 0; b--) {
    area += neg[b] * (posAbove + pos[b] / 2);
    tiedPairs += pos[b] * neg[b];
    posAbove += pos[b];
    negatives += neg[b];
  }
  if (posAbove === 0 || negatives === 0) return { auc: null, error_bound: 0 };
  const pairs = posAbove * negatives;
  return { auc: area / pairs, error_bound: tiedPairs / (2 * pairs) };
}
