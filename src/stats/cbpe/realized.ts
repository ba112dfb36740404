/**
 * Realized performance on labelled rows, as nannyml 0.13.1's CBPE reports it beside its estimates (scikit-learn 1.9
 * underneath): ROC AUC and average precision on the uncalibrated scores, the rest on the predicted labels. nannyml's
 * NaN rules are kept: F1, precision and recall are NaN when y_true or y_pred holds one class only, ROC AUC when
 * y_true does, average precision when y_true has no positive, specificity when there are no negatives, and every
 * metric when no row is labelled.
 */
import { argsort, npSum, sklearnAuc } from './numeric.js';

/** Scores in descending order (stable), with the index of the last row of each distinct score (sklearn's thresholds). */
function curve(yTrue: ArrayLike<number>, score: ArrayLike<number>): { tps: number[]; fps: number[] } {
  const n = score.length;
  const order = argsort(score, true);
  const tps: number[] = [];
  const fps: number[] = [];
  let cum = 0;
  for (let k = 0; k < n; k++) {
    cum += yTrue[order[k]];
    const last = k === n - 1 || score[order[k + 1]] !== score[order[k]];
    if (last) {
      tps.push(cum);
      fps.push(1 + k - cum);
    }
  }
  return { tps, fps };
}

/** sklearn.metrics.roc_auc_score for binary 0/1 labels (roc_curve with drop_intermediate, then the trapezoid). */
export function sklearnRocAuc(yTrue: ArrayLike<number>, score: ArrayLike<number>): number {
  const { tps: t0, fps: f0 } = curve(yTrue, score);
  let tps = t0;
  let fps = f0;
  if (fps.length > 2) {
    const keepT: number[] = [tps[0]];
    const keepF: number[] = [fps[0]];
    for (let i = 1; i < fps.length - 1; i++) {
      const d2f = fps[i + 1] - 2 * fps[i] + fps[i - 1];
      const d2t = tps[i + 1] - 2 * tps[i] + tps[i - 1];
      if (d2f !== 0 || d2t !== 0) {
        keepT.push(tps[i]);
        keepF.push(fps[i]);
      }
    }
    keepT.push(tps[tps.length - 1]);
    keepF.push(fps[fps.length - 1]);
    tps = keepT;
    fps = keepF;
  }
  tps = [0, ...tps];
  fps = [0, ...fps];
  const lastF = fps[fps.length - 1];
  const lastT = tps[tps.length - 1];
  const fpr = fps.map((v) => (lastF <= 0 ? NaN : v / lastF));
  const tpr = tps.map((v) => (lastT <= 0 ? NaN : v / lastT));
  return sklearnAuc(fpr, tpr);
}

/** sklearn.metrics.average_precision_score for binary 0/1 labels with at least one positive. */
export function sklearnAveragePrecision(yTrue: ArrayLike<number>, score: ArrayLike<number>): number {
  const { tps, fps } = curve(yTrue, score);
  const m = tps.length;
  const last = tps[m - 1];
  // precision_recall_curve reversed, with (recall 0, precision 1) appended.
  const precision = new Float64Array(m + 1);
  const recall = new Float64Array(m + 1);
  for (let k = 0; k < m; k++) {
    const i = m - 1 - k;
    const ps = tps[i] + fps[i];
    precision[k] = ps !== 0 ? tps[i] / ps : 0;
    recall[k] = last === 0 ? 1 : tps[i] / last;
  }
  precision[m] = 1;
  recall[m] = 0;
  const terms = new Float64Array(m);
  for (let k = 0; k < m; k++) terms[k] = (recall[k + 1] - recall[k]) * precision[k];
  return Math.max(0, -npSum(terms));
}

export interface Confusion {
  tp: number;
  fp: number;
  fn: number;
  tn: number;
}

export function confusion(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): Confusion {
  const c = { tp: 0, fp: 0, fn: 0, tn: 0 };
  for (let i = 0; i < yTrue.length; i++) {
    if (yPred[i] === 1) {
      if (yTrue[i] === 1) c.tp++;
      else c.fp++;
    } else if (yTrue[i] === 1) c.fn++;
    else c.tn++;
  }
  return c;
}

export interface RealizedMetrics {
  roc_auc: number;
  f1: number;
  precision: number;
  recall: number;
  specificity: number;
  accuracy: number;
  average_precision: number;
}

function twoClasses(v: ArrayLike<number>): boolean {
  for (let i = 1; i < v.length; i++) if (v[i] !== v[0]) return true;
  return false;
}

/** Every realized metric of one chunk's labelled rows (yTrue, yPred in {0, 1}; score the uncalibrated probability). */
export function realizedMetrics(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, score: ArrayLike<number>): RealizedMetrics {
  const n = yTrue.length;
  if (n === 0) {
    return {
      roc_auc: NaN,
      f1: NaN,
      precision: NaN,
      recall: NaN,
      specificity: NaN,
      accuracy: NaN,
      average_precision: NaN,
    };
  }
  const c = confusion(yTrue, yPred);
  const bothTrue = twoClasses(yTrue);
  const labelRule = bothTrue && twoClasses(yPred);
  // sklearn's zero_division='warn' answers 0; with both classes in y_true and y_pred no denominator is 0.
  const div = (a: number, b: number): number => (b === 0 ? 0 : a / b);
  return {
    roc_auc: bothTrue ? sklearnRocAuc(yTrue, score) : NaN,
    f1: labelRule ? div(2 * c.tp, 2 * c.tp + c.fp + c.fn) : NaN,
    precision: labelRule ? div(c.tp, c.tp + c.fp) : NaN,
    recall: labelRule ? div(c.tp, c.tp + c.fn) : NaN,
    specificity: c.tn + c.fp === 0 ? NaN : c.tn / (c.tn + c.fp),
    accuracy: (c.tp + c.tn) / n,
    average_precision: c.tp + c.fn > 0 ? sklearnAveragePrecision(yTrue, score) : NaN,
  };
}
