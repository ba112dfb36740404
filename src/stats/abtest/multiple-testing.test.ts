import { describe, expect, it } from 'vitest';
import { adjustPValues } from './multiple-testing.js';
import { sampleRatioMismatch } from './srm.js';

describe('adjustPValues', () => {
  const p = [0.01, 0.04, 0.03, 0.2, 0.005];

  it('Holm is the Bonferroni bound on the smallest p and never below Benjamini–Hochberg', () => {
    const holm = adjustPValues(p, 'holm') as number[];
    const bh = adjustPValues(p, 'benjamini-hochberg') as number[];
    expect(holm[4]).toBeCloseTo(0.005 * 5, 15);
    holm.forEach((h, i) => {
      expect(h).toBeGreaterThanOrEqual(bh[i]!);
      expect(bh[i]).toBeGreaterThanOrEqual(p[i]!);
      expect(h).toBeLessThanOrEqual(1);
    });
    // BH's largest adjusted p is the largest raw p (k = m).
    expect(bh[3]).toBe(0.2);
  });

  it('keeps nulls in place, out of the family', () => {
    expect(adjustPValues([null, 0.01, null, 0.04], 'holm')).toEqual([null, 0.02, null, 0.04]);
    expect(adjustPValues([null], 'benjamini-hochberg')).toEqual([null]);
    expect(adjustPValues(p, 'none')).toEqual(p);
  });
});

describe('sampleRatioMismatch', () => {
  it('normalizes the weights and flags below p = 0.001', () => {
    const a = sampleRatioMismatch([5200, 4800], [0.5, 0.5]);
    expect(a).toEqual(sampleRatioMismatch([5200, 4800], [1, 1]));
    expect(a.chiSquared).toBeCloseTo(16, 12); // (200²/5000)·2
    expect(a.flagged).toBe(true);
    expect(sampleRatioMismatch([5020, 4980], [1, 1]).flagged).toBe(false);
    expect(a.expected).toEqual([5000, 5000]);
  });

  it('answers p = 1 for no units and rejects malformed input', () => {
    expect(sampleRatioMismatch([0, 0], [1, 1])).toMatchObject({ pValue: 1, flagged: false });
    expect(() => sampleRatioMismatch([1, 2], [1])).toThrow(RangeError);
    expect(() => sampleRatioMismatch([1], [1])).toThrow(RangeError);
    expect(() => sampleRatioMismatch([1, NaN], [1, 1])).toThrow(RangeError);
    expect(() => sampleRatioMismatch([1, 2], [1, -1])).toThrow(RangeError);
  });
});
