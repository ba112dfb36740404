/**
 * nannyml 0.13.1's sampling-error components, computed once on the reference (labels, predictions, scores), and
 * the standard error they give a chunk of n rows: std / √(n · fraction). The observation arrays are built in
 * nannyml's order, since their order decides the last bits of numpy's pairwise sums.
 */
import { argsort, npStd } from './numeric.js';
import { sklearnAveragePrecision } from './realized.js';

/** std and fraction; null stands for NaN (a component nannyml cannot compute), so the JSON stays valid. */
export interface Component {
  std: number | null;
  fraction: number | null;
}

export interface ApComponent {
  std: number | null;
  sampleSize: number;
}

export interface Components {
  roc_auc: Component;
  f1: Component;
  precision: Component;
  recall: Component;
  specificity: Component;
  accuracy: Component;
  average_precision: ApComponent;
}

export const nullable = (v: number): number | null => (Number.isNaN(v) ? null : v);
export const num = (v: number | null): number => (v === null ? NaN : v);

function repeat(ones: number, zeros: number): Float64Array {
  const a = new Float64Array(ones + zeros);
  a.fill(1, 0, ones);
  return a;
}

/** The AUROC components: flip to the minority class, rank positives among negatives, std of their shares. */
export function aurocComponent(yTrue: ArrayLike<number>, yProba: ArrayLike<number>): Component {
  const n = yTrue.length;
  let y = Float64Array.from(yTrue);
  let p = Float64Array.from(yProba);
  let sum = 0;
  for (let i = 0; i < n; i++) sum += y[i];
  if (sum / n > 0.5) {
    y = y.map((v) => Math.abs(v - 1));
    p = p.map((v) => 1 - v);
  }
  // Sorted ascending by score; ties kept in row order (numpy's argsort is not stable, so with tied scores
  // across classes nannyml's figure depends on its sort — the reference tests avoid such ties).
  const order = argsort(p);
  // np.unique(y · rank)[1:]: the distinct positive ranks, minus the smallest value (0, when any negative or a
  // positive at rank 0 is present: nannyml then drops a positive ranked first).
  const ranks = new Set<number>();
  order.forEach((row, rank) => ranks.add(y[row] * rank));
  const sorted = Float64Array.from(ranks).sort().subarray(1); // typed arrays sort numerically
  let nPos = 0;
  for (let i = 0; i < n; i++) nPos += y[i];
  const nNeg = n - nPos;
  const shares = Float64Array.from(sorted, (rank, i) => (rank - i) / nNeg);
  return { std: nullable(npStd(shares)), fraction: nullable(nPos / n) };
}

export function f1Component(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): Component {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (let i = 0; i < yTrue.length; i++) {
    if (yTrue[i] === yPred[i] && yPred[i] === 1) tp++;
    else if (yTrue[i] !== yPred[i] && yPred[i] === 1) fp++;
    else if (yTrue[i] !== yPred[i] && yPred[i] === 0) fn++;
  }
  const size = tp + fn + fp;
  if (size === 0) return { std: null, fraction: 0 };
  const factor = size / ((fn + fp) * 0.5 + tp);
  const obs = repeat(tp, fn + fp).map((v) => v * factor);
  return { std: nullable(npStd(obs)), fraction: size / yPred.length };
}

export function precisionComponent(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): Component {
  let tp = 0;
  let fp = 0;
  let predicted = 0;
  for (let i = 0; i < yTrue.length; i++) {
    predicted += yPred[i];
    if (yPred[i] === 1) {
      if (yTrue[i] === 1) tp++;
      else fp++;
    }
  }
  return { std: nullable(npStd(repeat(tp, fp))), fraction: predicted / yPred.length };
}

export function recallComponent(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): Component {
  let tp = 0;
  let fn = 0;
  let positives = 0;
  for (let i = 0; i < yTrue.length; i++) {
    positives += yTrue[i];
    if (yTrue[i] === 1) {
      if (yPred[i] === 1) tp++;
      else fn++;
    }
  }
  return { std: nullable(npStd(repeat(tp, fn))), fraction: positives / yPred.length };
}

export function specificityComponent(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): Component {
  let tn = 0;
  let fp = 0;
  for (let i = 0; i < yTrue.length; i++) {
    if (yTrue[i] === 0 && yPred[i] === 0) tn++;
    else if (yTrue[i] === 0 && yPred[i] === 1) fp++;
  }
  return { std: nullable(npStd(repeat(tn, fp))), fraction: (tn + fp) / yPred.length };
}

export function accuracyComponent(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): Component {
  const correct = Float64Array.from({ length: yTrue.length }, (_, i) => (yTrue[i] === yPred[i] ? 1 : 0));
  return { std: nullable(npStd(correct)), fraction: 1 };
}

/** nannyml draws 50 resamples of half the reference (at most 50,000 rows) with replacement. */
export const AP_RESAMPLES = 50;
export const AP_MAX_RESAMPLE_SIZE = 50_000;

export function apSampleSize(n: number): number {
  return Math.min(Math.floor(n / 2), AP_MAX_RESAMPLE_SIZE);
}

/**
 * The AP components from given resamples (row indices): the std of sklearn's average precision over them.
 * nannyml draws its resamples with numpy's unseeded global random state; Ferry passes its own seeded draws,
 * and the reference tests pass numpy's (seeded there) to check this function to 1e-12.
 */
export function apComponentFromResamples(yTrue: ArrayLike<number>, yProba: ArrayLike<number>, resamples: readonly (readonly number[])[]): ApComponent {
  let positives = 0;
  for (let i = 0; i < yTrue.length; i++) positives += yTrue[i];
  const sampleSize = resamples[0]?.length ?? apSampleSize(yTrue.length);
  if (positives === 0) return { std: null, sampleSize: 0 };
  const results = resamples.map((idx) => {
    const y = idx.map((i) => yTrue[i]);
    const p = idx.map((i) => yProba[i]);
    // sklearn's average_precision_score of a resample without positives is 0 (recall set to 1 then, with a warning).
    return sklearnAveragePrecision(y, p);
  });
  return { std: nullable(npStd(results)), sampleSize };
}

/** std / √(n · fraction); NaN (null in JSON) when a component is missing. */
export function universalSamplingError(c: Component, n: number): number {
  return num(c.std) / Math.sqrt(n * num(c.fraction));
}

export function apSamplingError(c: ApComponent, n: number): number {
  return num(c.std) * Math.sqrt(c.sampleSize / n);
}
