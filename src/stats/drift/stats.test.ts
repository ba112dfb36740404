import { describe, expect, it } from 'vitest';
import { fillZeroes, histogramSorted, sturgesEdges } from './bins.js';
import { chiSquare, chiSquareDrift } from './chi2.js';
import { hellinger, jensenShannon, klDivergence, psi, wassersteinSorted, wassersteinWeighted } from './distances.js';
import { zTestDrift } from './ztest.js';

// Expected values from scipy 1.17.1 / numpy 2.4.
describe('bins', () => {
  it('Sturges edges as numpy.histogram_bin_edges', () => {
    const edges = sturgesEdges(0, 99, 100);
    expect(Array.from(edges)).toEqual([0, 12.375, 24.75, 37.125, 49.5, 61.875, 74.25, 86.625, 99]);
    expect(Array.from(sturgesEdges(3, 3, 10))).toEqual([2.5, 3.5]);
  });

  it('histogram counts [e_i, e_i+1) with the last bin closed, plus outer bins on request', () => {
    const sorted = Float64Array.of(-1, 0, 0.5, 1, 2, 2, 3);
    const edges = Float64Array.of(0, 1, 2);
    expect(Array.from(histogramSorted(sorted, edges, false))).toEqual([2, 3]);
    expect(Array.from(histogramSorted(sorted, edges, true))).toEqual([1, 2, 3, 1]);
  });

  it("fills empty shares as Evidently's feel_zeroes", () => {
    expect(Array.from(fillZeroes(Float64Array.of(0.5, 0, 0.5)))).toEqual([0.5, 0.0001, 0.5]);
    expect(Array.from(fillZeroes(Float64Array.of(0.99995, 0, 0.00005)))).toEqual([0.99995, 0.00005 / 1e6, 0.00005]);
  });
});

describe('tests and distances', () => {
  it('chi-squared as scipy.stats.chisquare', () => {
    const r = chiSquare([30, 10, 10], [20, 15, 15]);
    expect(r.statistic).toBeCloseTo(8.333333333333334, 12);
    expect(r.p_value).toBeCloseTo(0.015503853599009307, 12);
    expect(() => chiSquare([1, 2], [1, 1])).toThrow(/differs from expected total/);
    // Evidently's scaling: expected = reference counts × n_cur / n_ref
    expect(chiSquareDrift([40, 30, 30], [30, 10, 10]).statistic).toBeCloseTo(8.333333333333334, 12);
    expect(chiSquare([5], [5])).toEqual({ statistic: 0, p_value: 1, dof: 0 });
  });

  it('Z-test: one shared value gives p = 1; a shift gives a small p', () => {
    expect(zTestDrift([10, 0], [4, 0])).toEqual({ statistic: 0, p_value: 1 });
    const r = zTestDrift([50, 50], [80, 20]);
    // p1 = 0.5, p2 = 0.2, pooled 0.35: z = 0.3 / sqrt(0.35·0.65·0.02)
    expect(r.statistic).toBeCloseTo(0.3 / Math.sqrt(0.35 * 0.65 * 0.02), 12);
    expect(r.p_value).toBeLessThan(1e-4);
  });

  it('keeps tiny p-values as scipy does instead of rounding them to 0', () => {
    const rel = (got: number, want: number) => Math.abs(got - want) / want;
    // scipy 1.17.1: chisquare([5000, 2500, 2500], [3334, 3333, 3333])
    const chi = chiSquareDrift([3334, 3333, 3333], [5000, 2500, 2500]);
    expect(rel(chi.statistic, 1248.8753374437624)).toBeLessThan(1e-12);
    expect(rel(chi.p_value, 6.459013340748156e-272)).toBeLessThan(1e-12);
    // z = −21.22 (5 of 100 vs 900 of 1000 above the smallest value): 2·norm.sf(21.22…) = 6.06e-100
    const z = zTestDrift([95, 5], [100, 900]);
    expect(rel(z.statistic, -21.221382486927354)).toBeLessThan(1e-12);
    expect(rel(z.p_value, 6.06153471555842e-100)).toBeLessThan(1e-12);
  });

  it('Wasserstein as scipy.stats.wasserstein_distance', () => {
    expect(wassersteinSorted(Float64Array.of(0, 1, 3), Float64Array.of(5, 6, 8))).toBe(5);
    expect(wassersteinWeighted([0, 1, 3], [5, 6, 8], [1, 2, 3], [3, 2, 1])).toBeCloseTo(4, 12);
    expect(wassersteinSorted(Float64Array.of(2, 2), Float64Array.of(2))).toBe(0);
    expect(() => wassersteinWeighted([1], [2], [0], [1])).toThrow(/sum to 0/);
  });

  it('Jensen-Shannon, KL, PSI, Hellinger', () => {
    expect(jensenShannon([0.2, 0.3, 0.5], [0.5, 0.3, 0.2])).toBeCloseTo(0.25770974832606103, 14);
    expect(jensenShannon([1, 1], [1, 1])).toBe(0);
    expect(klDivergence([0.2, 0.3, 0.5], [0.5, 0.3, 0.2])).toBeCloseTo(0.27488721956224654, 14);
    expect(psi([0.2, 0.3, 0.5], [0.5, 0.3, 0.2])).toBeCloseTo(2 * 0.3 * Math.log(2.5), 14);
    expect(hellinger([0.5, 0.5], [0.5, 0.5])).toBe(0);
    expect(hellinger([1, 0], [0, 1])).toBe(1);
  });
});
