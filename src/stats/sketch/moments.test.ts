import { describe, expect, it } from 'vitest';
import { Moments } from './moments.js';
import { makeStream } from './test-streams.js';

/** Two-pass reference: exact enough to judge the one-pass result. */
function reference(xs: ArrayLike<number>): { mean: number; m2: number } {
  let sum = 0;
  for (let i = 0; i < xs.length; i++) sum += xs[i];
  let mean = sum / xs.length;
  let corr = 0;
  for (let i = 0; i < xs.length; i++) corr += xs[i] - mean;
  mean += corr / xs.length;
  let m2 = 0;
  for (let i = 0; i < xs.length; i++) m2 += (xs[i] - mean) ** 2;
  return { mean, m2 };
}

function rel(a: number, b: number): number {
  return Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);
}

describe('Moments', () => {
  it('matches a two-pass reference, even around 1e9', () => {
    const xs = makeStream('normal', 100_000, 1); // 1e9 + N(0, 1)
    const m = new Moments();
    m.updateMany(xs);
    const ref = reference(xs);
    expect(rel(m.mean, ref.mean)).toBeLessThan(1e-12);
    expect(rel(m.m2, ref.m2)).toBeLessThan(1e-11);
    expect(m.varianceSample()).toBeCloseTo(1, 1);
  });

  it('update and updateMany agree bit for bit; NaN is skipped by updateMany', () => {
    const xs = makeStream('random', 1000, 2);
    const a = new Moments();
    for (const x of xs) a.update(x);
    const b = new Moments();
    b.updateMany(Float64Array.from([...xs, NaN]));
    expect(b.toBytes()).toEqual(a.toBytes());
  });

  it('merges like one stream (Chan), associative and commutative up to rounding', () => {
    const xs = makeStream('normal', 90_000, 3);
    const parts = [0, 1, 2].map((p) => {
      const m = new Moments();
      m.updateMany(xs, p * 30_000, (p + 1) * 30_000);
      return m;
    });
    const single = new Moments();
    single.updateMany(xs);
    const left = parts[0].clone().merge(parts[1]).merge(parts[2]);
    const right = parts[2].clone().merge(parts[1].clone().merge(parts[0]));
    for (const m of [left, right]) {
      expect(m.count).toBe(single.count);
      expect(m.min).toBe(single.min);
      expect(m.max).toBe(single.max);
      expect(rel(m.mean, single.mean)).toBeLessThan(1e-14);
      expect(rel(m.m2, single.m2)).toBeLessThan(1e-9);
    }
  });

  it('handles empty and single-value edge cases', () => {
    const e = new Moments();
    expect(e.variancePopulation()).toBeNaN();
    expect(e.varianceSample()).toBeNaN();
    expect(e.toJSON()).toEqual({ count: 0, shift: 0, delta: 0, m2: 0, min: null, max: null });
    expect(e.mean).toBeNaN();
    const one = new Moments();
    one.update(5);
    expect(one.variancePopulation()).toBe(0);
    expect(one.varianceSample()).toBeNaN();
    expect(e.clone().merge(one).toBytes()).toEqual(one.toBytes());
    expect(one.clone().merge(e).toBytes()).toEqual(one.toBytes());
  });

  it('round-trips through bytes and JSON, infinities included', () => {
    const m = new Moments();
    m.updateMany([1, 2, 3, Infinity]);
    expect(Moments.fromBytes(m.toBytes()).toBytes()).toEqual(m.toBytes());
    expect(Moments.fromJSON(JSON.parse(JSON.stringify(m))).toBytes()).toEqual(m.toBytes());
    expect(Moments.fromBytes(new Moments().toBytes()).count).toBe(0);
    expect(Moments.fromJSON(JSON.parse(JSON.stringify(new Moments()))).toBytes()).toEqual(new Moments().toBytes());
  });
});
