import { describe, expect, it } from 'vitest';
import { classificationReport } from './report.js';

const noNaN = (x: unknown) => expect(JSON.stringify(x)).not.toMatch(/NaN|Infinity/);

describe('classificationReport', () => {
  it('reports a binary problem with string labels, scores and probabilities', () => {
    const r = classificationReport(['no', 'yes', 'yes', 'no'], ['no', 'yes', 'no', 'no'], { probabilities: [0.1, 0.9, 0.4, 0.3] });
    expect(r).toMatchObject({ n: 4, labels: ['no', 'yes'], positive_label: 'yes', average: 'binary', accuracy: 0.75, precision: 1, recall: 0.5 });
    expect(r.roc_auc).toBe(1);
    expect(r.roc_auc_mode).toBe('exact');
    expect(r.log_loss).toBeCloseTo((-Math.log(0.9) * 2 - Math.log(0.4) - Math.log(0.7)) / 4, 15);
    expect(r.confusion_matrix).toEqual([
      [2, 0],
      [1, 1],
    ]);
    expect(r.notes).toEqual([]);
  });

  it('takes the probability column of the positive label from a matrix, and `classes` as labels', () => {
    const r = classificationReport([0, 1, 1], [0, 1, 0], {
      probabilities: [
        [0.8, 0.2],
        [0.3, 0.7],
        [0.6, 0.4],
      ],
      classes: [0, 1],
      positiveLabel: 0,
    });
    expect(r.positive_label).toBe(0);
    expect(r.precision).toBe(0.5);
    expect(r.roc_auc).toBe(1);
  });

  it('answers null with a note for metrics that do not apply, never NaN', () => {
    const one = classificationReport([1, 1, 1], [1, 1, 1], { scores: [0.2, 0.5, 0.9] });
    expect(one).toMatchObject({ accuracy: 1, precision: 1, recall: 1, f1: 1, roc_auc: null, log_loss: null });
    expect(one.notes.join(' ')).toMatch(/two labels/);
    noNaN(one);
    const none = classificationReport([0, 1, 1], [0, 0, 0]);
    expect(none).toMatchObject({ precision: 0, recall: 0, f1: 0, roc_auc: null, log_loss: null });
    expect(none.notes.join(' ')).toMatch(/Precision of 1 is 0: never predicted.*no scores.*no probabilities/);
    const absent = classificationReport(['a', 'b', 'a'], ['a', 'b', 'c'], {
      probabilities: [
        [0.5, 0.3, 0.2],
        [0.1, 0.8, 0.1],
        [0.6, 0.2, 0.2],
      ],
    });
    expect(absent.roc_auc).toBeNull();
    expect(absent.notes.join(' ')).toMatch(/"c" \(absent from y_true\)/);
    expect(absent.log_loss).toBeCloseTo(-(Math.log(0.5) + Math.log(0.8) + Math.log(0.6)) / 3, 15);
  });

  it('reports a multiclass problem with macro averages by default', () => {
    const r = classificationReport([0, 1, 2, 1, 2], [0, 1, 2, 2, 2], {
      probabilities: [
        [0.7, 0.2, 0.1],
        [0.1, 0.8, 0.1],
        [0.2, 0.2, 0.6],
        [0.3, 0.4, 0.3],
        [0.5, 0.1, 0.4],
      ],
    });
    expect(r.average).toBe('macro');
    expect(r.positive_label).toBeNull();
    expect(r.roc_auc).toBe(1);
    expect(r.log_loss).toBeCloseTo(0.5846451165534485, 15);
    expect(r.per_class.map((c) => c.support)).toEqual([1, 2, 2]);
    expect(classificationReport([0, 1, 2], [0, 1, 1], { average: 'micro' }).precision).toBeCloseTo(2 / 3, 15);
  });

  it('refuses empty and mismatched input', () => {
    expect(() => classificationReport([], [])).toThrow(/'y_true' is empty/);
    expect(() => classificationReport([0, 1], [0])).toThrow(/'y_pred' has 1/);
    expect(() => classificationReport([0, 1], [0, 1], { scores: [0.5] })).toThrow(/'scores' has 1/);
    expect(() =>
      classificationReport([0, 1], [0, 1], {
        probabilities: [
          [0.5, 0.2, 0.3],
          [0.1, 0.2, 0.7],
        ],
      }),
    ).toThrow(/columns/);
    expect(() => classificationReport([0, 1], [0, 1], { positiveLabel: 7 })).toThrow(/positiveLabel/);
  });
});
