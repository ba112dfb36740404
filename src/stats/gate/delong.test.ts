import { describe, expect, it } from 'vitest';
import { refusalOf } from '../../../test/support/refusal.js';
import { delongTest, midranks } from './delong.js';
import { binaryRows } from './test-data.js';

const field = (f: () => unknown) => refusalOf(f).field;

describe('midranks', () => {
  it('gives ties the mean of the ranks they span', () => {
    expect(Array.from(midranks(Float64Array.from([3, 1, 3, 2, 3])))).toEqual([4, 1, 4, 2, 4]);
    expect(Array.from(midranks(Float64Array.from([0.5, 0.5])))).toEqual([1.5, 1.5]);
  });
});

describe('delongTest', () => {
  it('matches the two-positive, two-negative case worked by hand', () => {
    // Candidate orders both positives above both negatives (AUC 1); champion gets one pair of four wrong (AUC 0.75).
    const r = delongTest({ yTrue: [1, 1, 0, 0], candidate: [0.9, 0.8, 0.2, 0.1], champion: [0.9, 0.15, 0.2, 0.1] });
    expect(r.candidate).toBe(1);
    expect(r.champion).toBe(0.75);
    // Champion: V10 = (1, 0.5), V01 = (0.5, 1); candidate's components are all 1 (no variance).
    // Var = var(V10)/2 + var(V01)/2 = 0.125/2 + 0.125/2 = 0.125; the covariance with the constant candidate is 0.
    expect(r.covariance).toEqual([
      [0, 0],
      [0, 0.125],
    ]);
    expect(r.variance).toBe(0.125);
    expect(r.z).toBeCloseTo(0.25 / Math.sqrt(0.125), 14);
  });

  it('identical models: difference 0, variance 0, z and p null, interval the point, no NaN', () => {
    const { y, candidate } = binaryRows(200, 3);
    const r = delongTest({ yTrue: y, candidate, champion: candidate });
    expect(r.difference).toBe(0);
    expect(r.variance).toBe(0);
    expect(r.zeroVariance).toBe(true);
    expect([r.z, r.pValue]).toEqual([null, null]);
    expect(r.interval).toEqual({ lower: 0, upper: 0 });
    expect(r.outcome).toBe('fail'); // 0 is not above −0
    expect(delongTest({ yTrue: y, candidate, champion: candidate, margin: 0.01 }).outcome).toBe('pass');
    expect(r.reason).toContain('zero estimated variance');
    expect(JSON.stringify(r)).not.toContain('NaN');
  });

  it('a monotone transform of the scores is the same ranking: identical to the model itself', () => {
    const { y, candidate } = binaryRows(100, 4);
    const r = delongTest({ yTrue: y, candidate, champion: candidate.map((p) => Math.log(p / (1 - p))) });
    expect(r.variance).toBe(0);
  });

  it('passes iff the one-sided lower bound clears −margin', () => {
    const { y, candidate, champion } = binaryRows(400, 9, 0.02);
    const r = delongTest({ yTrue: y, candidate, champion, alpha: 0.1 });
    const bound = r.bound as number;
    expect(bound).toBeLessThan(r.difference as number);
    expect((r.interval as { lower: number }).lower).toBeLessThan(bound); // two-sided 90% is wider than one-sided 90%
    expect(delongTest({ yTrue: y, candidate, champion, alpha: 0.1, margin: -bound + 1e-9 }).outcome).toBe('pass');
    expect(delongTest({ yTrue: y, candidate, champion, alpha: 0.1, margin: -bound - 1e-9 }).outcome).toBe('fail');
  });

  it('one class, or fewer than 2 of a class: insufficient_data with the reason, no NaN', () => {
    const one = delongTest({ yTrue: [0, 0, 0], candidate: [0.1, 0.2, 0.3], champion: [0.2, 0.1, 0.3] });
    expect(one.outcome).toBe('insufficient_data');
    expect(one.candidate).toBeNull();
    const single = delongTest({ yTrue: [1, 0, 0, 0], candidate: [0.9, 0.2, 0.3, 0.1], champion: [0.2, 0.1, 0.3, 0.4] });
    expect(single.outcome).toBe('insufficient_data');
    expect(single.candidate).toBe(1);
    expect(single.reason).toContain('at least 2 positives and 2 negatives');
    expect(JSON.stringify([one, single])).not.toContain('NaN');
  });

  it('refuses empty, mismatched and non-finite input, naming the field', () => {
    expect(field(() => delongTest({ yTrue: [], candidate: [], champion: [] }))).toBe('yTrue');
    expect(field(() => delongTest({ yTrue: [1, 0], candidate: [0.5], champion: [0.5, 0.2] }))).toBe('candidate');
    expect(field(() => delongTest({ yTrue: [1, 0], candidate: [0.5, 0.1], champion: [0.5] }))).toBe('champion');
    expect(field(() => delongTest({ yTrue: [1, 0], candidate: [0.5, NaN], champion: [0.5, 0.2] }))).toBe('candidate');
    expect(field(() => delongTest({ yTrue: [1, 0], candidate: [0.5, 0.1], champion: [-Infinity, 0.2] }))).toBe('champion');
    expect(field(() => delongTest({ yTrue: [1, 0, 2], candidate: [0.5, 0.1, 0.2], champion: [0.5, 0.2, 0.1] }))).toBe('positiveLabel');
    expect(field(() => delongTest({ yTrue: [1, 0], candidate: [0.5, 0.1], champion: [0.5, 0.2], alpha: 0 }))).toBe('alpha');
  });
});
