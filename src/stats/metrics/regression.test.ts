import { describe, expect, it } from 'vitest';
import { maxError, meanAbsolutePercentageError, r2Score, regressionMetrics } from './regression.js';
import { regressionReport } from './report.js';

// Expected values from scikit-learn 1.9.1.
describe('regression metrics', () => {
  it('match scikit-learn, including MAPE with a zero target', () => {
    const m = regressionMetrics([3, -0.5, 2, 7, 0], new Float64Array([2.5, 0, 2, 8, 0.5]));
    expect(m.mae).toBe(0.5);
    expect(m.mse).toBeCloseTo(0.35, 15);
    expect(m.rmse).toBeCloseTo(Math.sqrt(0.35), 15);
    expect(m.r2).toBeCloseTo(0.9511173184357542, 15);
    expect(m.mape / 450359962737049.9).toBeCloseTo(1, 14);
    expect(m.max_error).toBe(1);
    expect(m.n).toBe(5);
  });

  it('gives R² = 1 for a perfect constant fit, 0 for an imperfect one, null below two rows', () => {
    expect(r2Score([7, 7, 7], [7, 7, 7])).toBe(1);
    expect(r2Score([7, 7, 7], [7, 7, 8])).toBe(0);
    // scikit-learn gives about -5e29 here (its rounded mean of 0.1, 0.1, 0.1 is not 0.1): see regression.ts.
    expect(r2Score([0.1, 0.1, 0.1], [0.11, 0.1, 0.1])).toBe(0);
    const one = regressionReport([2], [3]);
    expect(one.r2).toBeNull();
    expect(one.notes[0]).toMatch(/two rows/);
    expect(JSON.parse(JSON.stringify(one))).toEqual(one);
  });

  it('all-correct predictions give zero errors', () => {
    expect(regressionReport([1, 2, 3], [1, 2, 3])).toMatchObject({ mae: 0, mse: 0, rmse: 0, r2: 1, mape: 0, max_error: 0 });
    expect(maxError([0, 0], [-3, 2])).toBe(3);
    expect(meanAbsolutePercentageError([0], [0])).toBe(0);
  });

  it('refuses empty, mismatched and non-finite input', () => {
    expect(() => regressionReport([], [])).toThrow(/'y_true' is empty/);
    expect(() => regressionReport([1], [1, 2])).toThrow(/'y_pred' has 2/);
    expect(() => regressionReport([1, NaN], [1, 2])).toThrow(/non-finite value at index 1/);
    expect(() => regressionReport([1, 2], [1, Infinity])).toThrow(/'y_pred'/);
  });
});
