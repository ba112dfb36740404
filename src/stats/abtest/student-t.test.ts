import { describe, expect, it } from 'vitest';
import { normalCdf, normalSf } from '../dists/index.js';
import { normalQuantile } from './normal-quantile.js';
import { studentTCdf, studentTSf, studentTTwoSidedP, studentTUpperQuantile } from './student-t.js';

const rel = (got: number, want: number) => Math.abs(got - want) / Math.abs(want);

// Closed forms independent of the incomplete beta: t(1) is Cauchy, t(2) has sf ½ − t/(2√(2 + t²)).
describe('Student t against closed forms', () => {
  it('matches the Cauchy distribution at ν = 1 and the ν = 2 closed form', () => {
    for (const t of [0.1, 0.7, 1, 2.5, 10, 300]) {
      expect(rel(studentTSf(t, 1), Math.atan2(1, t) / Math.PI)).toBeLessThan(1e-13);
      // ½ − t/(2√(2+t²)) = 1/(√(2+t²)·(√(2+t²) + t)), written without cancellation
      const r = Math.sqrt(2 + t * t);
      expect(rel(studentTSf(t, 2), 1 / (r * (r + t)))).toBeLessThan(1e-13);
    }
  });

  it('tends to the normal distribution for huge ν, in the tails too (quadrature branch)', () => {
    // The true relative gap is about t⁴/(4ν): ≤ 4e-12 here.
    for (const t of [0.5, 1.96, 5, 20]) expect(rel(studentTSf(t, 1e16), normalSf(t))).toBeLessThan(1e-10);
  });

  it('is continuous where it switches from the continued fraction to quadrature (ν = 10⁴)', () => {
    for (const t of [0.3, 2, 8]) expect(rel(studentTSf(t, 9999.999999), studentTSf(t, 1e4))).toBeLessThan(1e-9);
  });

  it('has cdf + sf = 1, a two-sided p of 2·sf, and an upper quantile that inverts sf', () => {
    for (const dof of [1.3, 7.5, 250, 3e4, 2e7]) {
      for (const t of [0.2, 2.1, 6]) {
        expect(studentTCdf(t, dof) + studentTSf(t, dof)).toBeCloseTo(1, 15);
        expect(rel(studentTTwoSidedP(-t, dof), 2 * studentTSf(t, dof))).toBeLessThan(1e-14);
      }
      for (const p of [0.25, 0.025, 1e-9]) expect(rel(studentTSf(studentTUpperQuantile(p, dof), dof), p)).toBeLessThan(1e-12);
    }
  });

  it('normalQuantile inverts the normal CDF, deep tails included', () => {
    for (const p of [1e-300, 1e-20, 0.001, 0.025, 0.5, 0.8, 0.975]) expect(rel(normalCdf(normalQuantile(p)), p)).toBeLessThan(1e-13);
    expect(normalQuantile(0)).toBe(-Infinity);
    expect(normalQuantile(1)).toBe(Infinity);
    expect(normalQuantile(1.5)).toBeNaN();
  });
});
