import { describe, expect, it } from 'vitest';
import { ColumnProfile, featureDrift, KllSketch, Rng, wassersteinNormed } from '../stats/index.js';
import { PROFILE_OPTIONS } from '../prediction-log/index.js';

function column(values: number[], seed: number): ColumnProfile {
  const c = new ColumnProfile({ ...PROFILE_OPTIONS, kind: 'numerical', seed });
  for (const v of values) c.update(v);
  return c;
}

describe('drift from profiles', () => {
  it('keeps the sketch-based Wasserstein within its documented bound of the exact value', () => {
    const rng = new Rng(7);
    const normal = () => Math.sqrt(-2 * Math.log(rng.nextOpenFloat())) * Math.cos(2 * Math.PI * rng.nextFloat());
    for (const [shift, scale] of [
      [0, 1],
      [0.05, 1],
      [0.5, 1.3],
      [2, 0.5],
    ] as const) {
      const ref = Array.from({ length: 50_000 }, () => 10 + normal());
      const cur = Array.from({ length: 40_000 }, () => 10 + shift + scale * normal());
      const d = featureDrift('x', column(ref, 1), column(cur, 2))!;
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
