/**
 * CBPE's estimates for one chunk, as nannyml 0.13.1 computes them from calibrated probabilities c and the model's
 * predicted labels ŷ: the expected confusion matrix (TP = Σ_{ŷ=1} c, FP = Σ_{ŷ=1} 1−c, FN = Σ_{ŷ=0} c,
 * TN = Σ_{ŷ=0} 1−c), the metrics built on it (0 when a denominator is 0), and ROC AUC and average precision from the
 * rows ordered by the uncalibrated score with the expected positives as weights (cumulative sums rounded to 5
 * decimals, half to even, as nannyml does).
 */
import { argsort, npRound, npSum, sklearnAuc } from './numeric.js';

export interface ExpectedConfusion {
  tp: number;
  fp: number;
  fn: number;
  tn: number;
}

/** The four sums as numpy forms them: full-length arrays with zeros where the prediction does not apply. */
export function expectedConfusion(yPred: ArrayLike<number>, c: ArrayLike<number>): ExpectedConfusion {
  const n = c.length;
  const tp = new Float64Array(n);
  const fp = new Float64Array(n);
  const fn = new Float64Array(n);
  const tn = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    if (yPred[i] === 1) {
      tp[i] = c[i];
      fp[i] = 1 - c[i];
    } else {
      fn[i] = c[i];
      tn[i] = 1 - c[i];
    }
  }
  return { tp: npSum(tp), fp: npSum(fp), fn: npSum(fn), tn: npSum(tn) };
}

export function estimateF1(m: ExpectedConfusion): number {
  const d = m.tp + 0.5 * (m.fp + m.fn);
  return d !== 0 ? m.tp / d : 0;
}

export function estimatePrecision(m: ExpectedConfusion): number {
  const d = m.tp + m.fp;
  return d !== 0 ? m.tp / d : 0;
}

export function estimateRecall(m: ExpectedConfusion): number {
  const d = m.tp + m.fn;
  return d !== 0 ? m.tp / d : 0;
}

export function estimateSpecificity(m: ExpectedConfusion): number {
  const d = m.tn + m.fp;
  return d !== 0 ? m.tn / d : 0;
}

export function estimateAccuracy(m: ExpectedConfusion, n: number): number {
  return (m.tp + m.tn) / n;
}

/** Rows by uncalibrated score, descending; tied scores have equal calibrated values, so their order is immaterial. */
function descending(score: ArrayLike<number>): Uint32Array {
  return argsort(score, true);
}

/** Estimated ROC AUC: NaN when the chunk expects no positive or no negative (nannyml's 0/0). */
export function estimateRocAuc(c: ArrayLike<number>, score: ArrayLike<number>): number {
  const order = descending(score);
  const n = order.length;
  const tps = new Float64Array(n + 1);
  const fps = new Float64Array(n + 1);
  let cum = 0;
  for (let i = 0; i < n; i++) {
    cum += c[order[i]];
    tps[i + 1] = npRound(cum, 5);
    fps[i + 1] = npRound(1 + i - cum, 5);
  }
  const lastT = tps[n];
  const lastF = fps[n];
  const tpr = tps.map((v) => v / lastT);
  const fpr = fps.map((v) => v / lastF);
  return sklearnAuc(fpr, tpr);
}

/** Estimated average precision: NaN when the chunk expects no positive. */
export function estimateAveragePrecision(c: ArrayLike<number>, score: ArrayLike<number>): number {
  const order = descending(score);
  const n = order.length;
  // precision with a leading 1, recall with a leading 0, both reversed; AP = −Σ Δrecall · precision.
  const tps = new Float64Array(n);
  let cum = 0;
  for (let i = 0; i < n; i++) {
    cum += c[order[i]];
    tps[i] = npRound(cum, 5);
  }
  const last = n > 0 ? tps[n - 1] : 0;
  const precision = new Float64Array(n + 1);
  const recall = new Float64Array(n + 1);
  precision[0] = 1;
  recall[0] = 0 / last;
  for (let i = 0; i < n; i++) {
    precision[i + 1] = tps[i] / (i + 1);
    recall[i + 1] = tps[i] / last;
  }
  const terms = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    // reversed arrays: rev[k] = arr[n − k]; diff(rev)[k] · rev_precision[k]
    terms[k] = (recall[n - k - 1] - recall[n - k]) * precision[n - k];
  }
  return -npSum(terms);
}
