import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chiSquareCdf, chiSquareSf, gammaP, gammaQ, logGamma, normalCdf, normalPdf, normalSf } from './index.js';

// Reference values from scipy 1.17.1 on a grid (python/reference/dists_grid.py writes the fixture;
// python/tests/test_dists_grid.py keeps it in step with scipy).
interface Grid {
  scipy: string;
  normal: { z: number[]; cdf: number[]; sf: number[] };
  chi2: { dof: number; x: number[]; cdf: number[]; sf: number[] }[];
  gamma: { a: number; x: number[]; p: number[]; q: number[] }[];
  gammaln: { x: number[]; value: number[] };
}
const GRID: Grid = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', '..', 'test', 'fixtures', 'stats', 'dists-scipy.json'), 'utf8'));

/** The promise: relative error at most 1e-12 against scipy. */
const REL_TOL = 1e-12;
/**
 * Relative error is compared wherever the reference is a normal double (≥ 2.2e-308, so every value
 * ≥ 1e-300). Below that, doubles are subnormal (fewer digits) and scipy answers 0 for some tails that are
 * not 0 (its underflow cut at e^−708), so there both sides need only be below 1e-300.
 */
const MIN_NORMAL = 2.2250738585072014e-308;
const SMALL = 1e-300;

/**
 * Where scipy itself is less accurate than 1e-12, the tolerance is scipy's own error bound. For
 * |x − a| > 0.4a its incomplete gamma forms x^a·e^(−x)/Γ(a) as exp(a·ln x − x − ln Γ(a)), three terms of
 * size a·ln a whose rounding stays in the result: 1e-11 at a = 5000 (scipy 6.2801123535180e-156 against
 * mpmath's 6.2801123535815e-156 for chi2.sf(14242.64, 10000); this code gives 6.2801123535814e-156, see
 * the mpmath test below). Only the tail computed from that factor (the reference below ½) is affected.
 */
function gammaTolerance(a: number, x: number, reference: number): number {
  if (Math.abs(x - a) <= 0.4 * a || reference >= 0.5) return REL_TOL;
  const scipyRounding = 2 * Number.EPSILON * (Math.abs(a * Math.log(x)) + x + Math.abs(logGamma(a)));
  return Math.max(REL_TOL, scipyRounding);
}

interface Miss {
  what: string;
  got: number;
  want: number;
  err: number;
}

/** Compares one value; returns a description when it is out of tolerance. */
function check(what: string, got: number, want: number, tol = REL_TOL): Miss | undefined {
  if (want >= MIN_NORMAL) {
    const err = Math.abs(got - want) / want;
    return err <= tol ? undefined : { what, got, want, err };
  }
  const ok = want === 0 ? got >= 0 && got < SMALL : got >= 0 && Math.abs(got - want) < SMALL;
  return ok ? undefined : { what, got, want, err: Infinity };
}

function misses(rows: (Miss | undefined)[]): Miss[] {
  return rows.filter((r): r is Miss => r !== undefined);
}

describe('normal distribution against scipy', () => {
  it(`matches norm.cdf and norm.sf to ${REL_TOL} on z ∈ [−38.4, 38.4] (${GRID.normal.z.length} points)`, () => {
    const { z, cdf, sf } = GRID.normal;
    const rows = z.flatMap((v, i) => [check(`cdf(${v})`, normalCdf(v), cdf[i]), check(`sf(${v})`, normalSf(v), sf[i])]);
    expect(misses(rows)).toEqual([]);
  });

  it('keeps the far tail: 2·Φ(−37) ≈ 1.1e-299, not 0', () => {
    // scipy: 2 * norm.cdf(-37) = 1.1451142445047853e-299
    expect(check('2·Φ(−37)', 2 * normalCdf(-37), 1.1451142445047853e-299)).toBeUndefined();
    expect(normalSf(38)).toBeGreaterThan(0); // ≈ 2.9e-316: subnormal, but not rounded away
  });

  it('handles the edges', () => {
    expect(normalCdf(Infinity)).toBe(1);
    expect(normalCdf(-Infinity)).toBe(0);
    expect(normalSf(-Infinity)).toBe(1);
    expect(normalCdf(0)).toBe(0.5);
    expect(normalCdf(NaN)).toBeNaN();
    expect(normalPdf(0)).toBeCloseTo(0.3989422804014327, 16);
    expect(normalPdf(Infinity)).toBe(0);
    expect(normalSf(50)).toBe(0);
  });
});

describe('chi-square distribution against scipy', () => {
  for (const { dof, x, cdf, sf } of GRID.chi2) {
    it(`matches chi2.cdf and chi2.sf for dof = ${dof} (${x.length} statistics)`, () => {
      const a = dof / 2;
      const rows = x.flatMap((v, i) => [
        check(`cdf(${v}, ${dof})`, chiSquareCdf(v, dof), cdf[i], gammaTolerance(a, v / 2, cdf[i])),
        check(`sf(${v}, ${dof})`, chiSquareSf(v, dof), sf[i], gammaTolerance(a, v / 2, sf[i])),
      ]);
      expect(misses(rows)).toEqual([]);
    });
  }

  it('is more accurate than scipy where scipy loses digits (mpmath 1.4.1, 40 digits, at the same doubles)', () => {
    const truth: [number, number, 'cdf' | 'sf', number][] = [
      [14242.6406871193, 10000, 'sf', 6.280112353581483e-156],
      [15000, 10000, 'sf', 5.91586882905196e-208],
      [16000, 10000, 'sf', 4.890450098507124e-285],
      [5623.41325190349, 10000, 'cdf', 2.976904525676969e-302],
    ];
    const rows = truth.map(([x, dof, side, want]) => check(`${side}(${x}, ${dof})`, side === 'sf' ? chiSquareSf(x, dof) : chiSquareCdf(x, dof), want));
    expect(misses(rows)).toEqual([]);
    const rowsGamma = [
      check('P(2718.28, 1261.71…)', gammaP(2718.28, 1261.71380946329), 4.3629641859524006e-276),
      check('Q(2718.28, 3989.88…)', gammaQ(2718.28, 3989.88939319172), 1.0147248134053376e-101),
    ];
    expect(misses(rowsGamma)).toEqual([]);
  });

  it('handles the edges', () => {
    expect(chiSquareCdf(0, 3)).toBe(0);
    expect(chiSquareSf(0, 3)).toBe(1);
    expect(chiSquareCdf(-1, 3)).toBe(0);
    expect(chiSquareSf(-1, 3)).toBe(1);
    expect(chiSquareSf(Infinity, 3)).toBe(0);
    expect(chiSquareCdf(Infinity, 3)).toBe(1);
    expect(chiSquareSf(NaN, 3)).toBeNaN();
    expect(chiSquareSf(1, 0)).toBeNaN();
    expect(chiSquareSf(1, -2)).toBeNaN();
    // Two degrees of freedom: sf(x) = e^(−x/2) exactly.
    expect(Math.abs(chiSquareSf(1380, 2) - Math.exp(-690)) / Math.exp(-690)).toBeLessThan(REL_TOL);
  });

  it('converges for huge degrees of freedom near the mean (scipy: its asymptotic series there)', () => {
    // scipy 1.17.1: chi2.sf(1e6 + 3·√(2e6), 1e6) and chi2.sf(1e8 + 1.5·√(2e8), 1e8).
    const rows = [
      check('sf(1004242.64…, 1e6)', chiSquareSf(1004242.6406871193, 1e6), 0.0013666602638577308),
      check('cdf(1004242.64…, 1e6)', chiSquareCdf(1004242.6406871193, 1e6), 0.9986333397361423),
      check('sf(100021213.20…, 1e8)', chiSquareSf(100021213.2034356, 1e8), 0.06681483191174571),
    ];
    expect(misses(rows)).toEqual([]);
  });
});

describe('incomplete gamma and log-gamma against scipy', () => {
  for (const { a, x, p, q } of GRID.gamma) {
    it(`matches gammainc and gammaincc for a = ${a} (${x.length} points)`, () => {
      const rows = x.flatMap((v, i) => [
        check(`P(${a}, ${v})`, gammaP(a, v), p[i], gammaTolerance(a, v, p[i])),
        check(`Q(${a}, ${v})`, gammaQ(a, v), q[i], gammaTolerance(a, v, q[i])),
      ]);
      expect(misses(rows)).toEqual([]);
    });
  }

  it(`matches gammaln to ${REL_TOL}·max(1, |ln Γ|) on x ∈ [1e-300, 1e300]`, () => {
    // Absolute near ln Γ = 0 (x = 1 and 2), where a relative error means nothing.
    const { x, value } = GRID.gammaln;
    const bad = x
      .map((v, i) => ({ v, got: logGamma(v), want: value[i] }))
      .filter(({ got, want }) => !(Math.abs(got - want) <= REL_TOL * Math.max(1, Math.abs(want))));
    expect(bad).toEqual([]);
  });

  it('handles the edges', () => {
    expect(gammaP(2, 0)).toBe(0);
    expect(gammaQ(2, 0)).toBe(1);
    expect(gammaP(2, Infinity)).toBe(1);
    expect(gammaQ(2, Infinity)).toBe(0);
    expect(gammaP(Infinity, 3)).toBe(0);
    expect(gammaQ(Infinity, 3)).toBe(1);
    expect(gammaP(Infinity, Infinity)).toBeNaN();
    expect(gammaP(0, 1)).toBeNaN();
    expect(gammaQ(-1, 1)).toBeNaN();
    expect(gammaP(1, -1)).toBeNaN();
    expect(logGamma(0)).toBeNaN();
    expect(logGamma(-2.5)).toBeNaN();
    expect(logGamma(Infinity)).toBe(Infinity);
    expect(Math.abs(logGamma(1))).toBeLessThan(1e-14);
    expect(Math.abs(logGamma(2))).toBeLessThan(1e-14);
  });
});
