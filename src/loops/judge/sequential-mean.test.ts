import { describe, expect, it } from 'vitest';
import { sequential } from '../../stats/index.js';
import { sequentialMeanInterval } from './sequential-mean.js';

describe('the sequential interval of a mean', () => {
  it('is the mean with variance s²/n over n units (hand-checked) and refuses fewer than 2 values', () => {
    const xs = [1, 2, 3, 4, 10];
    const got = sequentialMeanInterval(xs, 0.05, 5000);
    expect(got.mean).toBe(4);
    expect(got.variance).toBe(12.5); // Σ(x − 4)² = 9 + 4 + 1 + 0 + 36 = 50, / 4
    expect(got).toMatchObject(sequential({ estimate: 4, variance: 12.5 / 5 }, 5, 0.05, 5000));
    expect(sequentialMeanInterval([2, 2, 2], 0.05, 5000)).toEqual({ n: 3, mean: 2, variance: 0, lower: 2, upper: 2, pValue: null });
    expect(() => sequentialMeanInterval([1], 0.05, 5000)).toThrow(/2 values/);
  });
});
