import { describe, expect, it } from 'vitest';
import { classificationReport, regressionReport, rocAuc } from './index.js';

describe('performance metrics', () => {
  it('refuses empty and mismatched inputs, naming the field', () => {
    expect(() => classificationReport([], [])).toThrow(/No labelled predictions/);
    expect(() => classificationReport([1, 0], [1])).toThrow(/y_pred has 1/);
    expect(() => regressionReport([1], [1, 2])).toThrow(/y_pred has 2/);
    expect(() => regressionReport([1, NaN], [1, 2])).toThrow(/finite/);
  });

  it('handles string labels, a chosen positive label and perfect predictions', () => {
    const r = classificationReport(['no', 'yes', 'yes'], ['no', 'yes', 'yes'], { positiveLabel: 'yes' });
    expect(r).toMatchObject({ accuracy: 1, precision: 1, recall: 1, f1: 1, positive_label: 'yes', labels: ['no', 'yes'], roc_auc: null });
    expect(r.notes[0]).toMatch(/probabilities/);
    expect(() => classificationReport([0, 1], [0, 1], { positiveLabel: 7 })).toThrow(/positive label/);
  });

  it('counts tied scores as half in ROC AUC', () => {
    expect(rocAuc([true, false], [0.5, 0.5])).toBe(0.5);
    expect(rocAuc([true, false, true, false], [0.9, 0.1, 0.4, 0.4])).toBe(0.875);
    expect(rocAuc([true, true], [0.1, 0.2])).toBeNull();
  });
});
