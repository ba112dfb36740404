import { describe, expect, it } from 'vitest';
import { kstwoSf } from './kolmogorov.js';
import { ks2samp, ksStatisticSorted } from './ks.js';
import { isSortedFloat64, sortFloat64 } from './sort.js';

// Expected values from scipy 1.17.1 (ks_2samp, kstwo.sf).
describe('ks2samp', () => {
  it('matches scipy on a small exact case', () => {
    const r = ks2samp([1, 2, 3, 4, 5], [3, 4, 5, 6, 7, 8]);
    expect(r.statistic).toBe(0.5);
    expect(r.p_value).toBeCloseTo(0.35714285714285715, 14);
    expect(r.mode).toBe('exact');
  });

  it('evaluates both ECDFs after all copies of a tied value', () => {
    const r = ks2samp([0, 0, 1, 1, 1], [0, 1, 1, 2, 2, 2]);
    expect(r.statistic).toBe(0.5);
    expect(r.p_value).toBeCloseTo(0.35714285714285715, 14);
  });

  it('gives D = 0 and p = 1 when every value is the same', () => {
    expect(ks2samp([3, 3, 3], [3, 3])).toEqual({ statistic: 0, p_value: 1, mode: 'exact' });
  });

  it('gives D = 1 for disjoint samples', () => {
    const r = ks2samp([1, 2, 3, 4, 5, 6, 7], [10, 11, 12, 13, 14, 15, 16, 17, 18]);
    expect(r.statistic).toBe(1);
    expect(r.p_value).toBeCloseTo(0.00017482517482517485, 15);
  });

  it('switches to the asymptotic distribution above 10000 values, like scipy', () => {
    const a = Float64Array.from({ length: 10001 }, (_, i) => i);
    const b = Float64Array.from({ length: 50 }, (_, i) => i * 200);
    expect(ks2samp(a, b).mode).toBe('asymp');
    expect(ks2samp(a.subarray(0, 10000), b).mode).toBe('exact');
  });

  it('refuses empty samples', () => {
    expect(() => ks2samp([], [1])).toThrow(/must not be empty/);
  });

  it('does not modify its inputs', () => {
    const a = [3, 1, 2];
    ks2samp(a, [0.5, 2.5]);
    expect(a).toEqual([3, 1, 2]);
  });

  it('computes D in one merge over sorted arrays', () => {
    expect(ksStatisticSorted(Float64Array.of(1, 2), Float64Array.of(1, 2))).toBe(0);
    expect(ksStatisticSorted(Float64Array.of(0), Float64Array.of(1, 2, 3))).toBe(1);
  });
});

describe('kstwoSf', () => {
  it.each([
    [30000, 0.01, 0.004924125582072432],
    [5000, 0.02, 0.03613941395325637],
    [100, 0.3, 1.7719869892662917e-8],
    [100, 0.1, 0.2526927570063874],
  ])('kstwo.sf(%s, %s) as scipy', (n, x, want) => {
    expect(Math.abs(kstwoSf(n, x) - want)).toBeLessThanOrEqual(1e-6 * want);
  });

  it('is 1 at 0 and 0 at 1', () => {
    expect(kstwoSf(10, 0)).toBe(1);
    expect(kstwoSf(10, 1)).toBe(0);
    expect(kstwoSf(10.5, 0.1)).toBeNaN();
  });
});

describe('sortFloat64', () => {
  it('orders like the typed-array sort above the radix threshold (negatives, ±0, subnormals, ±Infinity)', () => {
    const n = 100_000;
    const a = new Float64Array(n);
    let s = 12345;
    for (let i = 0; i < n; i++) {
      s = (s * 1103515245 + 12345) % 2147483648;
      a[i] = ((s / 2147483648) * 2 - 1) * 10 ** ((i % 40) - 20);
    }
    a.set([-0, 0, 5e-324, -5e-324, Infinity, -Infinity, 1, 1, -1], 0);
    const want = a.slice().sort();
    const got = sortFloat64(a.slice());
    expect(Array.from(got).map((v) => (Object.is(v, -0) ? '-0' : v))).toEqual(Array.from(want).map((v) => (Object.is(v, -0) ? '-0' : v)));
  });

  it('leaves sorted input as it is and still sorts input that is sorted but for one pair (+0 before −0 included)', () => {
    const sorted = Float64Array.from([-3, -1, -0, 0, 0, 2, 2, 7]);
    expect(isSortedFloat64(sorted)).toBe(true);
    expect(sortFloat64(sorted)).toBe(sorted);
    expect(Array.from(sorted)).toEqual([-3, -1, -0, 0, 0, 2, 2, 7]);
    const zeros = Float64Array.from([-1, 0, -0, 1]);
    expect(isSortedFloat64(zeros)).toBe(false);
    expect(Object.is(sortFloat64(zeros)[1], -0)).toBe(true);
    const swapped = Float64Array.from([1, 2, 4, 3, 5]);
    expect(isSortedFloat64(swapped)).toBe(false);
    expect(Array.from(sortFloat64(swapped))).toEqual([1, 2, 3, 4, 5]);
    expect(isSortedFloat64(new Float64Array(0))).toBe(true);
  });
});
