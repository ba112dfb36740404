import { describe, expect, it } from 'vitest';
// The engine's own function (tests may reach inside stats; the judge may not until stats exports it).
import { sequential } from '../../stats/abtest/frequentist.js';
import { engineSequential, sequentialMeanInterval } from './sequential-mean.js';

describe("the judge's copy of the engine's sequential interval", () => {
  it('gives the same bits as src/stats/abtest/frequentist.ts for any effect, units, level and tuning', () => {
    let seed = 7;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let i = 0; i < 500; i++) {
      const e = { estimate: (rand() - 0.5) * 10 ** (rand() * 6 - 3), variance: 10 ** (rand() * 8 - 6) };
      const units = 2 + Math.floor(rand() * 100_000);
      const alpha = [0.01, 0.05, 0.1, 0.2][i % 4]!;
      const tuning = [100, 5000, 1e6][i % 3]!;
      expect(engineSequential(e, units, alpha, tuning)).toEqual(sequential(e, units, alpha, tuning));
    }
  });

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
