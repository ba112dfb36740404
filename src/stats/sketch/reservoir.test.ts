import { describe, expect, it } from 'vitest';
import { Reservoir, reservoirInclusionCounts } from './reservoir.js';

/** Pearson chi-square of inclusion counts against the uniform expectation. */
function chiSquare(counts: number[]): number {
  const total = counts.reduce((a, b) => a + b, 0);
  const e = total / counts.length;
  return counts.reduce((s, c) => s + ((c - e) * (c - e)) / e, 0);
}

/** Deterministic acceptance: chi-square(df) has mean df and sd sqrt(2 df); 5 sd is far beyond p=1e-4. */
function expectUniform(counts: number[]): void {
  const df = counts.length - 1;
  expect(chiSquare(counts)).toBeLessThan(df + 5 * Math.sqrt(2 * df));
  // and not suspiciously perfect either (a sample that ignored the rng would be exactly uniform or far off)
  expect(chiSquare(counts)).toBeGreaterThan(df - 5 * Math.sqrt(2 * df));
}

function filled(values: number[], capacity: number, seed: number): Reservoir<number> {
  const r = new Reservoir<number>({ capacity, seed });
  for (const v of values) r.update(v);
  return r;
}

describe('Reservoir', () => {
  it('keeps everything until full, then exactly capacity items', () => {
    const r = filled([1, 2, 3], 5, 1);
    expect([...r.values()]).toEqual([1, 2, 3]);
    const big = filled(
      Array.from({ length: 10_000 }, (_, i) => i),
      100,
      1,
    );
    expect(big.size).toBe(100);
    expect(big.n).toBe(10_000);
    expect(new Set(big.values()).size).toBe(100);
  });

  it('samples uniformly (chi-square over 3000 seeded runs)', () => {
    expectUniform(reservoirInclusionCounts(500, 50, 3000));
  });

  it('merged samples stay uniform, including lopsided and under-capacity parts', () => {
    expectUniform(reservoirInclusionCounts(500, 50, 3000, [100, 400]));
    expectUniform(reservoirInclusionCounts(500, 50, 3000, [20, 460, 20]));
    expectUniform(reservoirInclusionCounts(500, 50, 3000, [125, 125, 125, 125]));
  });

  it('keeps sampling uniformly after a merge and after a round trip', () => {
    const counts = new Array<number>(400).fill(0);
    for (let rep = 0; rep < 3000; rep++) {
      const a = filled(
        Array.from({ length: 100 }, (_, i) => i),
        40,
        rep * 3 + 1,
      );
      const b = filled(
        Array.from({ length: 100 }, (_, i) => 100 + i),
        40,
        rep * 3 + 2,
      );
      const m = Reservoir.fromBytes<number>(a.merge(b).toBytes());
      for (let i = 200; i < 400; i++) m.update(i);
      for (const x of m.values()) counts[x]++;
    }
    expectUniform(counts);
  });

  it('is deterministic and round-trips numbers, strings and mixed samples', () => {
    const xs = Array.from({ length: 5000 }, (_, i) => i * 0.5);
    const a = filled(xs, 64, 7);
    expect(filled(xs, 64, 7).toBytes()).toEqual(a.toBytes());
    expect(filled(xs, 64, 8).toBytes()).not.toEqual(a.toBytes());
    const b = Reservoir.fromBytes<number>(a.toBytes());
    const c = Reservoir.fromJSON<number>(JSON.parse(JSON.stringify(a)));
    for (let i = 0; i < 3000; i++) [a, b, c].forEach((r) => r.update(-i));
    expect(b.toBytes()).toEqual(a.toBytes());
    expect(c.toBytes()).toEqual(a.toBytes());
    const s = new Reservoir<string>({ capacity: 3 });
    ['x', 'é', 'z', 'w'].forEach((v) => s.update(v));
    expect(Reservoir.fromBytes(s.toBytes()).values()).toEqual(s.values());
    const mixed = new Reservoir({ capacity: 4 });
    [1, 'a', 2.5, 'b'].forEach((v) => mixed.update(v));
    expect(Reservoir.fromBytes(mixed.toBytes()).values()).toEqual([1, 'a', 2.5, 'b']);
  });

  it('handles empty reservoirs and rejects mismatched capacities', () => {
    const e = new Reservoir<number>({ capacity: 10 });
    expect(Reservoir.fromBytes(e.toBytes()).size).toBe(0);
    const f = filled([1, 2], 10, 1);
    expect(f.merge(e).n).toBe(2);
    expect(e.merge(f).values()).toEqual([1, 2]);
    expect(f.merge(f).n).toBe(4);
    expect(() => f.merge(new Reservoir<number>({ capacity: 5 }))).toThrow(/capacity/);
    expect(() => new Reservoir({ capacity: 0 })).toThrow();
  });
});
