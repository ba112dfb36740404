/**
 * CBPE's own properties (its numbers are checked against nannyml in python/tests/test_stats_cbpe.py): the fitted
 * estimator survives JSON, 'auto' is deterministic for a seed, the expected confusion matrix adds up to the rows,
 * the band holds the estimate within [0, 1], round-half-to-even, and refusals name the field.
 */
import { describe, expect, it } from 'vitest';
import { Rng } from '../sketch/index.js';
import { cbpeEstimate, cbpeFit, cbpeIsotonicFit, cbpeIsotonicPredict } from './index.js';
import { argsort, npRound, npSum, rint } from './numeric.js';

function data(seed: number, n: number, power: number) {
  const rng = new Rng(seed);
  const yProba = Array.from({ length: n }, () => rng.nextFloat());
  const yTrue = yProba.map((p) => (rng.nextFloat() < p ** power ? 1 : 0));
  const yPred = yProba.map((p) => (p >= 0.5 ? 1 : 0));
  return { yTrue, yProba, yPred };
}

describe('cbpe', () => {
  const ref = data(1, 2000, 2);
  const chunk = data(2, 500, 2);

  it('fits an estimator that survives JSON and estimates the same after the round trip', () => {
    const fitted = cbpeFit(ref);
    const back = JSON.parse(JSON.stringify(fitted)) as typeof fitted;
    expect(cbpeEstimate(back, chunk)).toEqual(cbpeEstimate(fitted, chunk));
  });

  it("decides calibration the same way every time for a seed ('auto'), and calibrates miscalibrated scores", () => {
    const a = cbpeFit(ref, { seed: 7 });
    expect(cbpeFit(ref, { seed: 7 })).toEqual(a);
    expect(a.calibration.method).toBe('isotonic'); // y ~ Bernoulli(p²): the raw scores are far from calibrated
    expect(a.calibration.eceAfter!).toBeLessThan(a.calibration.eceBefore!);
    expect(a.calibration.reason).toMatch(/lowers the expected calibration error/);
    const calibrated = cbpeFit(data(3, 2000, 1), { seed: 7 });
    expect(calibrated.calibration.reason).toMatch(/calibrat/);
    expect(cbpeFit(ref, { calibration: 'none' }).calibration).toMatchObject({ method: 'none', isotonic: null });
  });

  it('expects TP + FP + FN + TN = n, and keeps every band within [0, 1] around its estimate', () => {
    const e = cbpeEstimate(cbpeFit(ref), { ...chunk, yTrue: chunk.yTrue.map((y, i) => (i % 2 ? y : null)) });
    const c = e.expectedConfusion;
    expect(c.tp + c.fp + c.fn + c.tn).toBeCloseTo(500, 9);
    expect(e.labelled).toBe(250);
    for (const m of Object.values(e.metrics)) {
      expect(m.lower!).toBeGreaterThanOrEqual(0);
      expect(m.upper!).toBeLessThanOrEqual(1);
      expect(m.lower!).toBeLessThanOrEqual(m.value!);
      expect(m.upper!).toBeGreaterThanOrEqual(m.value!);
      expect(m.realizedOutsideBand).toBe(m.realized! < m.lower! || m.realized! > m.upper!);
    }
  });

  it('rounds half to even as numpy does, and sums pairwise', () => {
    expect([rint(0.5), rint(1.5), rint(2.5), rint(-0.5), rint(-1.5), rint(2.4999)]).toEqual([0, 2, 2, -0, -2, 2]);
    expect(rint(-0.3)).toBe(-0);
    // np.round(x, 5) multiplies, rounds half to even, divides: these are numpy 2.4's answers.
    expect([npRound(0.125, 2), npRound(2.675, 2), npRound(1.000005, 5), npRound(3.000015, 5)]).toEqual([0.12, 2.68, 1, 3.00002]);
    const xs = Array.from({ length: 1000 }, (_, i) => 0.1 * (i % 7));
    expect(npSum(xs)).toBeCloseTo(
      xs.reduce((a, b) => a + b, 0),
      9,
    );
  });

  it('argsorts stably, ascending or descending, with a second key before the index', () => {
    const keys = [3, 1, 2, 1, 3, 2];
    expect(Array.from(argsort(keys))).toEqual([1, 3, 2, 5, 0, 4]);
    expect(Array.from(argsort(keys, true))).toEqual([0, 4, 2, 5, 1, 3]);
    expect(Array.from(argsort(keys, false, [0, 9, 0, 5, 0, 0]))).toEqual([3, 1, 2, 5, 0, 4]);
    const big = Array.from({ length: 5000 }, (_, i) => (i * 7919) % 101);
    const order = Array.from(argsort(big));
    expect(order).toEqual(Array.from({ length: 5000 }, (_, i) => i).sort((a, b) => big[a]! - big[b]! || a - b));
  });

  it('fits isotonic regression that is non-decreasing and clips outside the fitted range', () => {
    const fit = cbpeIsotonicFit([0.1, 0.2, 0.3, 0.4], [1, 0, 1, 1]);
    expect(fit).toEqual({ x: [0.1, 0.2, 0.3, 0.4], y: [0.5, 0.5, 1, 1] });
    expect(Array.from(cbpeIsotonicPredict(fit, [0, 0.15, 0.25, 0.9]))).toEqual([0.5, 0.5, 0.75, 1]);
  });

  it('refuses what it cannot use, naming the field', () => {
    const fitted = cbpeFit(ref);
    expect(() => cbpeFit({ ...ref, yTrue: ref.yTrue.map(() => 2) })).toThrow(/'y_true\[0\]' must be 0 or 1/);
    expect(() => cbpeFit({ ...ref, yProba: ref.yProba.slice(1) })).toThrow(/'y_proba' has 1999 values/);
    expect(() => cbpeFit(ref, { calibration: 'platt' as never })).toThrow(/'calibration'/);
    expect(() => cbpeEstimate(fitted, { yProba: [1.5], yPred: [1] })).toThrow(/'y_proba\[0\]' must be a probability/);
    expect(() => cbpeEstimate(fitted, { yProba: [], yPred: [] })).toThrow(/'y_proba' is empty/);
    expect(() => cbpeEstimate(fitted, { yProba: [0.5], yPred: [1], yTrue: ['yes'] })).toThrow(/'y_true\[0\]'/);
    expect(() => cbpeEstimate({ kind: 'x' } as never, chunk)).toThrow(/'fitted'/);
  });
});
