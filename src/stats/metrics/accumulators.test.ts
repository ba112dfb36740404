import { describe, expect, it } from 'vitest';
import { ClassificationAccumulator, RegressionAccumulator } from './accumulators.js';
import { AucSketch } from './auc-sketch.js';
import { regressionMetrics } from './regression.js';
import { classificationReport } from './report.js';
import { rocAuc } from './roc-auc.js';

/** A small deterministic generator, so the cases repeat. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

function binaryRows(n: number, seed: number) {
  const r = lcg(seed);
  const y = Array.from({ length: n }, () => (r() < 0.4 ? 1 : 0));
  const p = y.map((t) => Math.min(1, Math.max(0, 0.3 + 0.3 * t + (r() - 0.5) * 0.8)));
  return { y, p, pred: p.map((x) => (x >= 0.5 ? 1 : 0)) };
}

describe('RegressionAccumulator', () => {
  it('merged windows equal the single pass, through JSON', () => {
    const r = lcg(3);
    const y = Array.from({ length: 300 }, (_, i) => (i % 7 === 0 ? 0 : 1e6 + r() * 10));
    const p = y.map((v) => v + (r() - 0.5) * 4);
    const acc = new RegressionAccumulator();
    for (let i = 0; i < 300; i += 70) {
      const part = RegressionAccumulator.fromJSON(new RegressionAccumulator().add(y.slice(i, i + 70), p.slice(i, i + 70)).toJSON());
      acc.merge(part);
    }
    const want = regressionMetrics(y, p);
    const got = acc.metrics();
    for (const k of ['mae', 'mse', 'rmse', 'r2', 'mape', 'max_error'] as const) {
      expect(Math.abs((got[k] as number) - (want[k] as number))).toBeLessThanOrEqual(1e-12 * Math.abs(want[k] as number));
    }
    expect(got.n).toBe(300);
  });

  it('keeps a constant target exact across windows, and refuses an empty report', () => {
    const acc = new RegressionAccumulator().add([0.1, 0.1], [0.1, 0.2]).merge(new RegressionAccumulator().add([0.1], [0.1]));
    expect(acc.metrics().r2).toBe(0);
    expect(() => new RegressionAccumulator().report()).toThrow(/empty/);
  });
});

describe('ClassificationAccumulator', () => {
  it('merged windows equal the single-pass report (binary, one probability per row)', () => {
    const { y, p, pred } = binaryRows(500, 11);
    const acc = new ClassificationAccumulator();
    for (let i = 0; i < 500; i += 120) {
      acc.merge(
        ClassificationAccumulator.fromJSON(
          new ClassificationAccumulator().add(y.slice(i, i + 120), pred.slice(i, i + 120), { probabilities: p.slice(i, i + 120) }).toJSON(),
        ),
      );
    }
    const got = acc.report();
    const want = classificationReport(y, pred, { probabilities: p });
    expect(got.confusion_matrix).toEqual(want.confusion_matrix);
    expect(got.roc_auc).toBe(want.roc_auc);
    expect(got.log_loss).toBeCloseTo(want.log_loss as number, 13);
    expect({ ...got, log_loss: 0 }).toEqual({ ...want, log_loss: 0 });
  });

  it('moves past the cap to bins, within the reported bound of the exact AUC', () => {
    const { y, p, pred } = binaryRows(5000, 5);
    const acc = new ClassificationAccumulator({ exactCap: 1000 });
    for (let i = 0; i < 5000; i += 700)
      acc.merge(new ClassificationAccumulator({ exactCap: 1000 }).add(y.slice(i, i + 700), pred.slice(i, i + 700), { scores: p.slice(i, i + 700) }));
    const r = acc.report();
    expect(r.roc_auc_mode).toBe('binned');
    expect(r.roc_auc_error_bound).toBeGreaterThan(0);
    expect(Math.abs((r.roc_auc as number) - (rocAuc(y, p) as number))).toBeLessThanOrEqual(r.roc_auc_error_bound as number);
  });

  it('needs labels for a probability matrix, and refuses mixed shapes and options', () => {
    expect(() =>
      new ClassificationAccumulator().add([0, 1], [0, 1], {
        probabilities: [
          [0.5, 0.5],
          [0.5, 0.5],
        ],
      }),
    ).toThrow(/labels/);
    const a = new ClassificationAccumulator({ labels: [0, 1] }).add([0, 1], [0, 1], {
      probabilities: [
        [0.5, 0.5],
        [0.2, 0.8],
      ],
    });
    expect(() => a.add([0], [0], { probabilities: [0.3] })).toThrow(/mix/);
    expect(() => a.merge(new ClassificationAccumulator())).toThrow(/different labels/);
    expect(() => new ClassificationAccumulator().report()).toThrow(/empty/);
  });

  it('reports null with a reason when only some rows had scores', () => {
    const acc = new ClassificationAccumulator().add([0, 1], [0, 1], { scores: [0.1, 0.9] }).add([1], [1]);
    const r = acc.report();
    expect(r.roc_auc).toBeNull();
    expect(r.notes.join(' ')).toMatch(/scores given for 2 of 3 rows/);
  });
});

describe('AucSketch', () => {
  it('one-vs-rest in bins: per column, rows of the class against all rows', () => {
    const s = new AucSketch({ exactCap: 0, bins: 10 });
    s.addRow(0, [0.85, 0.1, 0.05]);
    s.addRow(1, [0.15, 0.75, 0.1]);
    s.addRow(2, [0.05, 0.05, 0.9]);
    expect(s.result(2, [0, 1, 2])).toEqual({ auc: 1, mode: 'binned', error_bound: 0, undefined_for: [] });
    expect(AucSketch.fromJSON(JSON.parse(JSON.stringify(s.toJSON()))).result(2, [0, 1, 2]).auc).toBe(1);
  });
});
