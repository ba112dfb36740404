import { describe, expect, it } from 'vitest';
import { ColumnProfile, EXACT_DEFAULT_BUDGET, featureDrift, KllSketch, ks2samp, Rng, wassersteinNormed } from '../stats/index.js';
import { PROFILE_OPTIONS } from '../prediction-log/index.js';

function column(values: number[], seed: number, exactBudget?: number): ColumnProfile {
  const c = new ColumnProfile({ ...PROFILE_OPTIONS, kind: 'numerical', seed, ...(exactBudget === undefined ? {} : { exactBudget }) });
  for (const v of values) c.update(v);
  return c;
}

function normals(seed: number) {
  const rng = new Rng(seed);
  return () => Math.sqrt(-2 * Math.log(rng.nextOpenFloat())) * Math.cos(2 * Math.PI * rng.nextFloat());
}

describe('drift from profiles', () => {
  it('computes Wasserstein exactly while both sides fit the budget (the held-out 4,000 vs 3,000 case)', () => {
    const normal = normals(3);
    const ref = Array.from({ length: 4000 }, () => 10 + normal());
    const cur = Array.from({ length: 3000 }, () => 10.2 + 1.1 * normal());
    // Split over windows/replicas: merged exact values are still every value.
    const live = column(cur.slice(0, 1000), 2).merge(column(cur.slice(1000), 3));
    const d = featureDrift('x', column(ref, 1), live)!;
    expect(d).toMatchObject({ method: 'wasserstein', basis: 'exact' });
    expect(d.statistic).toBe(wassersteinNormed(Float64Array.from(ref).sort(), Float64Array.from(cur).sort()));
    const ks = featureDrift('x', column(ref, 1), live, { methods: { x: 'ks' } })!;
    expect(ks.basis).toBe('exact');
    expect(ks.p_value).toBe(ks2samp(ref, cur).p_value);
  });

  it('switches to the sketch past the budget, within the documented bound at the switch-over size', () => {
    const normal = normals(11);
    // One value over the default budget on each side: the smallest sizes the sketch answers for.
    const n = EXACT_DEFAULT_BUDGET + 1;
    const ref = Array.from({ length: n }, () => 10 + normal());
    const cur = Array.from({ length: n }, () => 10.3 + 1.2 * normal());
    const refCol = column(ref, 1);
    expect(refCol.exact).toBeNull();
    const d = featureDrift('x', refCol, column(cur, 2))!;
    expect(d).toMatchObject({ method: 'wasserstein', basis: 'sketch' });
    const exact = wassersteinNormed(Float64Array.from(ref).sort(), Float64Array.from(cur).sort());
    const eps = KllSketch.normalizedRankError(200, false);
    let [rlo, rhi, clo, chi, mean] = [Infinity, -Infinity, Infinity, -Infinity, 0];
    for (const v of ref) [rlo, rhi, mean] = [Math.min(rlo, v), Math.max(rhi, v), mean + v / n];
    for (const v of cur) [clo, chi] = [Math.min(clo, v), Math.max(chi, v)];
    const std = Math.sqrt(ref.reduce((a, b) => a + (b - mean) ** 2, 0) / n);
    expect(Math.abs(d.statistic! - exact)).toBeLessThanOrEqual((eps * (rhi - rlo + (chi - clo))) / std);
    // One value fewer on each side is exact.
    const under = featureDrift('x', column(ref.slice(1), 1), column(cur.slice(1), 2))!;
    expect(under.basis).toBe('exact');
  });

  it('keeps the sketch-based Wasserstein within its documented bound of the exact value', () => {
    const normal = normals(7);
    for (const [shift, scale] of [
      [0, 1],
      [0.05, 1],
      [0.5, 1.3],
      [2, 0.5],
    ] as const) {
      const ref = Array.from({ length: 50_000 }, () => 10 + normal());
      const cur = Array.from({ length: 40_000 }, () => 10 + shift + scale * normal());
      // A budget below the sizes forces the sketch path.
      const d = featureDrift('x', column(ref, 1, 1000), column(cur, 2, 1000))!;
      expect(d).toMatchObject({ method: 'wasserstein', basis: 'sketch' });
      const exact = wassersteinNormed(Float64Array.from(ref).sort(), Float64Array.from(cur).sort());
      // docs/monitoring.md: |W1(sketch) - W1| <= eps * (range(ref) + range(cur)) / std(ref), eps the single-query rank error.
      const eps = KllSketch.normalizedRankError(200, false);
      const range = (xs: number[]) => Math.max(...xs) - Math.min(...xs);
      const mean = ref.reduce((a, b) => a + b, 0) / ref.length;
      const std = Math.sqrt(ref.reduce((a, b) => a + (b - mean) ** 2, 0) / ref.length);
      const bound = (eps * (range(ref) + range(cur))) / std;
      expect(Math.abs(d.statistic! - exact)).toBeLessThanOrEqual(bound);
      // In practice far tighter than the bound.
      expect(Math.abs(d.statistic! - exact)).toBeLessThan(0.02);
    }
  });

  it('runs exact tests on a small reference and says so', () => {
    const ref = Array.from({ length: 300 }, (_, i) => i % 97);
    const d = featureDrift(
      'x',
      column(ref, 1),
      column(
        ref.map((v) => v + 40),
        2,
      ),
    )!;
    expect(d).toMatchObject({ method: 'ks', basis: 'exact', drifted: true });
    expect(d.p_value).toBeLessThan(1e-10);
  });

  it('has no verdict without values on either side', () => {
    expect(featureDrift('x', column([1, 2, 3], 1), column([], 2))).toBeNull();
  });
});
