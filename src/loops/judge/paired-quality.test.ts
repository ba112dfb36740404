import { describe, expect, it } from 'vitest';
import { sequential } from '../../stats/abtest/frequentist.js';
import { pairedQuality, type QualityPair } from './paired-quality.js';
import { rowLoss } from './losses.js';

/** Seeded pairs for a regression: the candidate's error is the champion's scaled by `ratio`, plus noise. */
function regressionPairs(n: number, ratio: number, seed = 1): QualityPair[] {
  let s = seed;
  const rand = () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  return Array.from({ length: n }, () => {
    const y = rand() * 10;
    const e = (rand() - 0.5) * 2;
    return { truth: y, champion: { value: y + e }, candidate: { value: y + e * ratio + (rand() - 0.5) * 0.2 } };
  });
}

describe('pairedQuality', () => {
  it.each([
    ['a better candidate passes', 0.5, 0, 'pass'],
    ['a much worse candidate fails', 2, 0, 'fail'],
    ['an equal candidate is inconclusive at margin 0', 1, 0, 'inconclusive'],
    ['an equal candidate passes with a margin', 1, 0.1, 'pass'],
  ] as const)('%s', (_name, ratio, margin, verdict) => {
    const q = pairedQuality(regressionPairs(2000, ratio), { metric: 'absolute_error', alpha: 0.05, margin, prediction: 'value' });
    expect(q.verdict).toBe(verdict);
    expect(q.n).toBe(2000);
    expect(JSON.parse(JSON.stringify(q))).toEqual(q);
  });

  it("is the engine's sequential interval on the per-pair loss differences", () => {
    const pairs = regressionPairs(300, 1.2, 9);
    const q = pairedQuality(pairs, { metric: 'squared_error', alpha: 0.1, margin: 0, prediction: 'value', tuning: 1000 });
    const d = pairs.map((p) => ((p.candidate.value as number) - (p.truth as number)) ** 2 - ((p.champion.value as number) - (p.truth as number)) ** 2);
    const mean = d.reduce((a, b) => a + b, 0) / d.length;
    const v = d.reduce((a, b) => a + (b - mean) ** 2, 0) / (d.length - 1);
    const want = sequential({ estimate: mean, variance: v / d.length }, d.length, 0.1, 1000);
    expect(q.mean_difference).toBeCloseTo(mean, 12);
    expect(q.lower).toBeCloseTo(want.lower, 12);
    expect(q.upper).toBeCloseTo(want.upper, 12);
    expect(q.p_value).toBeCloseTo(want.pValue, 12);
  });

  it('is insufficient below min pairs and counts pairs it cannot score', () => {
    const pairs: QualityPair[] = [...regressionPairs(29, 1), { truth: 'x', champion: { value: 1 }, candidate: { value: 1 } }];
    const q = pairedQuality(pairs, { metric: 'absolute_error', alpha: 0.05, margin: 0, prediction: 'value' });
    expect([q.verdict, q.n, q.unscored, q.lower, q.upper]).toEqual(['insufficient_data', 29, 1, null, null]);
  });

  it('decides on the point when every pair has the same difference (identical models pass at margin 0)', () => {
    const same = Array.from({ length: 50 }, (_, i) => ({ truth: i % 2, champion: { label: i % 2 }, candidate: { label: i % 2 } }));
    const q = pairedQuality(same, { metric: 'accuracy', alpha: 0.05, margin: 0 });
    expect([q.verdict, q.note, q.lower, q.upper]).toEqual(['pass', 'no_variance', 0, 0]);
  });
});

describe('rowLoss', () => {
  it.each([
    ['accuracy: right', 'accuracy', 1, { label: 1 }, 0],
    ['accuracy: wrong', 'accuracy', 'cat', { label: 'dog' }, 1],
    ['accuracy: a boolean truth is the label 1', 'accuracy', true, { label: 1 }, 0],
    ['accuracy: a number against a string cannot be scored', 'accuracy', 1, { label: '1' }, null],
    ['log_loss from class probabilities', 'log_loss', 1, { label: 1, probabilities: [0.2, 0.8] }, -Math.log(0.8)],
    ['log_loss from P(1) as a number', 'log_loss', 0, { p: 0.25 }, -Math.log(0.75)],
    ['log_loss clips p = 0 at 2⁻⁵²', 'log_loss', 0, { probabilities: [0, 1] }, -Math.log(2 ** -52)],
    ['log_loss: a class beyond the probabilities', 'log_loss', 2, { probabilities: [0.5, 0.5] }, null],
    ['absolute error', 'absolute_error', 3, { y: 1.5 }, 1.5],
    ['squared error', 'squared_error', 3, { y: 1.5 }, 2.25],
    ['squared error: no numeric output', 'squared_error', 3, { y: 'a' }, null],
  ] as const)('%s', (_name, metric, truth, outputs, want) => {
    const got = rowLoss(metric, truth, outputs, {});
    if (want === null) expect(got).toBeNull();
    else expect(got).toBeCloseTo(want, 14);
  });
});
