import { describe, expect, it } from 'vitest';
import { accuracy, confusionMatrix, f1Score, precision, precisionRecallF1, recall } from './classification.js';
import { compareLabels, sortLabels } from './labels.js';
import { logLoss } from './log-loss.js';
import { rocAuc, rocAucBinned, rocAucOvr } from './roc-auc.js';

// Expected values from scikit-learn 1.9.1 on the same inputs.
const yt = ['cat', 'dog', 'bird', 'dog', 'cat', 'bird', 'dog'];
const yp = ['cat', 'bird', 'bird', 'dog', 'dog', 'bird', 'dog'];

describe('labels', () => {
  it('sorts as numpy does: numbers ascending, strings by code point, false before true', () => {
    expect(sortLabels([10, 2, -1, 2])).toEqual([-1, 2, 10]);
    expect(sortLabels(['b', 'B', 'a', '\u{1F600}', '\uFFFD'])).toEqual(['B', 'a', 'b', '\uFFFD', '\u{1F600}']);
    expect(sortLabels([true, false])).toEqual([false, true]);
    expect(compareLabels('ab', 'a')).toBeGreaterThan(0);
  });
});

describe('confusion-matrix metrics', () => {
  it('builds the confusion matrix with sorted labels', () => {
    expect(confusionMatrix(yt, yp)).toEqual({
      labels: ['bird', 'cat', 'dog'],
      matrix: [
        [2, 0, 0],
        [0, 1, 1],
        [1, 0, 2],
      ],
    });
    expect(confusionMatrix(yt, yp, ['dog', 'cat', 'bird']).matrix).toEqual([
      [2, 0, 1],
      [1, 1, 0],
      [0, 0, 2],
    ]);
  });

  it('matches scikit-learn macro, weighted and micro averages', () => {
    expect(precisionRecallF1(yt, yp)).toEqual({ precision: 0.7777777777777777, recall: 0.7222222222222222, f1: 0.7111111111111111 });
    const w = precisionRecallF1(yt, yp, { average: 'weighted' });
    expect(w.precision).toBeCloseTo(0.7619047619047619, 15);
    expect(w.f1).toBeCloseTo(0.7047619047619048, 15);
    expect(precision(yt, yp, { average: 'micro' })).toBeCloseTo(0.7142857142857143, 15);
    expect(accuracy(yt, yp)).toBeCloseTo(0.7142857142857143, 15);
  });

  it('scores the positive label in a binary problem, default the greatest label', () => {
    const t = [0, 1, 1, 0, 1];
    const p = [0, 1, 0, 1, 1];
    expect(precision(t, p)).toBeCloseTo(2 / 3, 15);
    expect(recall(t, p, { positiveLabel: 0 })).toBe(0.5);
    expect(f1Score(['no', 'yes'], ['yes', 'yes'])).toBeCloseTo(2 / 3, 15);
  });

  it('counts a zero denominator as 0 (zero_division=0)', () => {
    expect(precisionRecallF1([0, 0, 0], [0, 0, 0], { positiveLabel: 1 })).toEqual({ precision: 0, recall: 0, f1: 0 });
    expect(precisionRecallF1([1, 1], [1, 1])).toEqual({ precision: 1, recall: 1, f1: 1 });
  });

  it('refuses empty, mismatched, mixed and unknown labels with InvalidParameterError', () => {
    expect(() => accuracy([], [])).toThrow(/'y_true' is empty/);
    expect(() => confusionMatrix([1, 0], [1])).toThrow(/'y_true' has 2 rows but 'y_pred' has 1/);
    expect(() => confusionMatrix([1, 'a'], [1, 1])).toThrow(/mixes number and string/);
    expect(() => confusionMatrix([1, NaN], [1, 1])).toThrow(/non-finite/);
    expect(() => confusionMatrix([1, 2], [1, 1], [1])).toThrow(/missing from 'labels'/);
    expect(() => precision([0, 1], [0, 1], { positiveLabel: 7 })).toThrow(/positiveLabel/);
    expect(() => precision(yt, yp, { average: 'binary' })).toThrow(/at most two labels/);
    expect(() => accuracy([], [])).toThrow(expect.objectContaining({ code: 'INVALID_PARAMETER_VALUE' }));
  });
});

describe('ROC AUC', () => {
  it('counts tied scores as half, like roc_auc_score', () => {
    expect(rocAuc([0, 0, 1, 1, 0, 1], [0.1, 0.4, 0.35, 0.8, 0.4, 0.4])).toBeCloseTo(0.6666666666666667, 15);
    expect(rocAuc([true, false], [0.5, 0.5])).toBe(0.5);
    expect(rocAuc(['n', 'y', 'y'], [0.2, 0.9, 0.1], 'n')).toBe(0.5);
  });

  it('is null with one class and refuses non-finite scores', () => {
    expect(rocAuc([1, 1], [0.1, 0.2])).toBeNull();
    expect(() => rocAuc([0, 1], [0.1, NaN])).toThrow(/non-finite/);
  });

  it('averages one-vs-rest per class and refuses non-probabilities', () => {
    const P = [
      [0.7, 0.2, 0.1],
      [0.1, 0.8, 0.1],
      [0.2, 0.2, 0.6],
      [0.3, 0.4, 0.3],
      [0.5, 0.1, 0.4],
    ];
    expect(rocAucOvr([0, 1, 2, 1, 2], P)).toBe(1);
    expect(rocAucOvr([0, 1, 2, 1, 1], P, [0, 1, 2])).toBeCloseTo(0.8888888888888888, 15);
    expect(rocAucOvr([0, 1, 1, 1, 1], P, [0, 1, 2])).toBeNull();
    expect(() =>
      rocAucOvr(
        [0, 1, 2],
        [
          [0.5, 0.5, 0.5],
          [0.2, 0.3, 0.5],
          [0.1, 0.1, 0.8],
        ],
      ),
    ).toThrow(/sum to 1/);
  });

  it('bins: exact when no bin mixes classes, otherwise within the stated bound', () => {
    expect(rocAucBinned([0, 0, 2], [1, 1, 0])).toEqual({ auc: 1, error_bound: 0 });
    const r = rocAucBinned([1, 1], [1, 1]);
    expect(r.auc).toBe(0.5);
    expect(r.error_bound).toBe(0.25);
  });
});

describe('log loss', () => {
  it('clips certain mistakes at eps = 2^-52 and takes string labels', () => {
    expect(
      logLoss(
        [0, 1, 1, 0],
        [
          [1, 0],
          [0, 1],
          [1, 0],
          [0.3, 0.7],
        ],
      ),
    ).toBeCloseTo(9.311906548360772, 13);
    expect(logLoss(['spam', 'ham', 'ham', 'spam'], [0.9, 0.1, 0.2, 0.65])).toBeCloseTo(0.21616187468057912, 15);
    expect(
      logLoss(
        [0, 1, 2, 1, 2],
        [
          [0.7, 0.2, 0.1],
          [0.1, 0.8, 0.1],
          [0.2, 0.2, 0.6],
          [0.3, 0.4, 0.3],
          [0.5, 0.1, 0.4],
        ],
      ),
    ).toBeCloseTo(0.5846451165534485, 15);
  });

  it('needs two labels and probabilities in [0, 1]', () => {
    expect(() => logLoss([1, 1], [0.5, 0.5])).toThrow(/one label/);
    expect(logLoss([1, 1], [0.5, 0.5], { labels: [0, 1] })).toBeCloseTo(Math.LN2, 15);
    expect(() => logLoss([0, 1], [0.5, 1.5])).toThrow(/\[0, 1\]/);
    expect(() => logLoss([0, 1, 2], [0.5, 0.5, 0.5])).toThrow(/two labels/);
  });
});
