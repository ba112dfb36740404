/**
 * Whether a model's scores need calibrating, as nannyml 0.13.1's `needs_calibration` decides: not with one class
 * or a reference ROC AUC above 0.999; otherwise, over stratified shuffle splits (10 × 10 % test), fit isotonic
 * regression on each train part, calibrate its test part, concatenate the test parts and compare the expected
 * calibration error (equal-count bins) before and after: calibrate when it drops.
 *
 * nannyml draws the splits with scikit-learn's `StratifiedShuffleSplit(random_state=42)`, whose random stream is
 * numpy's and is not reproduced here. `calibrationDecision` takes the splits as given (so the rule is tested
 * against nannyml with scikit-learn's own splits); `stratifiedShuffleSplits` draws Ferry's own, seeded.
 */
import { InvalidParameterError } from '../../errors.js';
import { Rng } from '../sketch/index.js';
import { isotonicFit, isotonicPredict } from './isotonic.js';
import { argsort, npMean } from './numeric.js';
import { sklearnRocAuc } from './realized.js';

/** nannyml's `_get_bin_index_edges`: equal-count bins by position; n ≤ 2·bins gives n // 2 bins (at least 2). */
export function binIndexEdges(length: number, binCount: number): Array<[number, number]> {
  let bins = binCount;
  if (length <= 2 * bins) {
    bins = Math.floor(length / 2);
    if (bins < 2) {
      throw new InvalidParameterError('y_proba', `cannot split ${length} calibration rows into at least 2 bins; the reference needs more rows.`);
    }
  }
  const width = Math.floor(length / bins);
  const edges: number[] = [];
  for (let e = 0; e <= length; e += width) edges.push(e);
  edges[edges.length - 1] = length;
  const out: Array<[number, number]> = [];
  for (let i = 0; i + 1 < edges.length; i++) out.push([edges[i], edges[i + 1]]);
  return out;
}

/**
 * Expected calibration error over equal-count bins of the rows sorted by score: Σ (|bin| / n)·|mean p − mean y|.
 * Ties in the score are kept in row order (nannyml's argsort is not stable; with ties across a bin edge its bins
 * can differ).
 */
export function expectedCalibrationError(yTrue: ArrayLike<number>, yProba: ArrayLike<number>, edges: Array<[number, number]>): number {
  const n = yProba.length;
  const order = argsort(yProba);
  const p = new Float64Array(n);
  const y = new Float64Array(n);
  order.forEach((i, k) => {
    p[k] = yProba[i];
    y[k] = yTrue[i];
  });
  const terms = edges.map(([l, r]) => ((r - l) / n) * Math.abs(npMean(p, l, r) - npMean(y, l, r)));
  // np.sum over a list of at most a dozen terms: sequential below 8, pairwise blocks above, as numpy does.
  return sumSmall(terms);
}

function sumSmall(terms: number[]): number {
  if (terms.length < 8) return terms.reduce((s, v) => s + v, 0);
  const r = terms.slice(0, 8);
  let i = 8;
  for (; i < terms.length - (terms.length % 8); i += 8) for (let j = 0; j < 8; j++) r[j] += terms[i + j];
  let res = r[0] + r[1] + (r[2] + r[3]) + (r[4] + r[5] + (r[6] + r[7]));
  for (; i < terms.length; i++) res += terms[i];
  return res;
}

export interface Split {
  train: number[];
  test: number[];
}

export interface CalibrationDecision {
  calibrate: boolean;
  /** Why, in one sentence. */
  reason: string;
  /** Null when the decision needed no splits (one class, or ROC AUC above 0.999). */
  eceBefore: number | null;
  eceAfter: number | null;
  referenceRocAuc: number | null;
}

const BIN_COUNT = 10;
const AUC_CUTOFF = 0.999;

/** nannyml's needs_calibration over the given splits (scikit-learn's, in the reference tests; Ferry's own in use). */
export function calibrationDecision(yTrue: ArrayLike<number>, yProba: ArrayLike<number>, splits: readonly Split[]): CalibrationDecision {
  let hasZero = false;
  let hasOne = false;
  for (let i = 0; i < yTrue.length; i++) {
    if (yTrue[i] === 1) hasOne = true;
    else hasZero = true;
  }
  if (!(hasZero && hasOne)) {
    return {
      calibrate: false,
      reason: 'The reference labels hold one class only, so there is nothing to calibrate against.',
      eceBefore: null,
      eceAfter: null,
      referenceRocAuc: null,
    };
  }
  const auc = sklearnRocAuc(yTrue, yProba);
  if (auc > AUC_CUTOFF) {
    return {
      calibrate: false,
      reason: `The reference ROC AUC is ${auc.toFixed(4)} (above ${AUC_CUTOFF}): the scores separate the classes, calibration is skipped.`,
      eceBefore: null,
      eceAfter: null,
      referenceRocAuc: auc,
    };
  }
  const testY: number[] = [];
  const testP: number[] = [];
  const testC: number[] = [];
  for (const { train, test } of splits) {
    const fit = isotonicFit(
      train.map((i) => yProba[i]),
      train.map((i) => yTrue[i]),
    );
    const calibrated = isotonicPredict(
      fit,
      test.map((i) => yProba[i]),
    );
    test.forEach((i, k) => {
      testY.push(yTrue[i]);
      testP.push(yProba[i]);
      testC.push(calibrated[k]);
    });
  }
  const edges = binIndexEdges(testP.length, BIN_COUNT);
  const before = expectedCalibrationError(testY, testP, edges);
  const after = expectedCalibrationError(testY, testC, edges);
  const calibrate = before > after;
  return {
    calibrate,
    reason: calibrate
      ? `Isotonic calibration lowers the expected calibration error on held-out reference rows from ${before.toPrecision(4)} to ${after.toPrecision(4)}, so scores are calibrated.`
      : `Isotonic calibration does not lower the expected calibration error on held-out reference rows (${before.toPrecision(4)} before, ${after.toPrecision(4)} after), so scores are used as they are.`,
    eceBefore: before,
    eceAfter: after,
    referenceRocAuc: auc,
  };
}

/**
 * Ferry's seeded stratified shuffle splits: `count` splits, each class shuffled on its own with a test share of
 * `testSize` (rounded, at least one row of a class with two or more rows), like scikit-learn's
 * StratifiedShuffleSplit but with Ferry's random stream.
 */
export function stratifiedShuffleSplits(yTrue: ArrayLike<number>, count = 10, testSize = 0.1, seed = 42): Split[] {
  const rng = new Rng(seed);
  const classes = new Map<number, number[]>();
  for (let i = 0; i < yTrue.length; i++) {
    const list = classes.get(yTrue[i]) ?? [];
    list.push(i);
    classes.set(yTrue[i], list);
  }
  const keys = [...classes.keys()].sort((a, b) => a - b);
  const splits: Split[] = [];
  for (let s = 0; s < count; s++) {
    const train: number[] = [];
    const test: number[] = [];
    for (const key of keys) {
      const rows = [...(classes.get(key) ?? [])];
      for (let i = rows.length - 1; i > 0; i--) {
        const j = rng.nextInt(i + 1);
        [rows[i], rows[j]] = [rows[j], rows[i]];
      }
      const nTest = rows.length < 2 ? 0 : Math.max(1, Math.round(rows.length * testSize));
      // Loops, not push(...rows): spreading 10⁵ arguments overflows the stack.
      for (let i = 0; i < rows.length; i++) (i < nTest ? test : train).push(rows[i]!);
    }
    splits.push({ train, test });
  }
  return splits;
}
