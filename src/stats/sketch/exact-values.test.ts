import { describe, expect, it } from 'vitest';
import { ColumnProfile, type ColumnProfileJSON } from './column-profile.js';
import { ExactValues } from './exact-values.js';
import { Rng } from './rng.js';

function of(xs: number[]): ExactValues {
  const e = new ExactValues();
  for (const x of xs) e.update(x);
  return e;
}

const numeric = (xs: number[]) => Float64Array.from(xs).sort();

describe('ExactValues', () => {
  it('holds every value, sorted, with repeats counted once per distinct value', () => {
    const rng = new Rng(5);
    const xs = Array.from({ length: 20_000 }, () => Math.floor(rng.nextFloat() * 300) / 4);
    const e = of(xs);
    expect(e.n).toBe(xs.length);
    expect(e.distinct).toBe(new Set(xs).size);
    expect(e.sorted()).toEqual(numeric(xs));
  });

  it('merges to the set of the concatenated stream, in any order', () => {
    const rng = new Rng(9);
    const xs = Array.from({ length: 9000 }, () => rng.nextFloat() * 10 - 5);
    const parts = [xs.slice(0, 10), xs.slice(10, 5000), xs.slice(5000)];
    const a = of(parts[0]).merge(of(parts[1])).merge(of(parts[2]));
    const b = of(parts[2]).merge(of(parts[0]).merge(of(parts[1])));
    expect(a.sorted()).toEqual(numeric(xs));
    expect(a.toBytes()).toEqual(b.toBytes());
    expect(a.merge(a).n).toBe(2 * xs.length);
  });

  it("quantiles follow numpy's inverted_cdf and pmf counts follow the sketch's split convention", () => {
    const e = of([3, 1, 2, 2, 5, 4, 4, 4]); // sorted: 1 2 2 3 4 4 4 5
    expect([0, 0.125, 0.126, 0.5, 0.51, 0.875, 0.9, 1].map((q) => e.quantile(q))).toEqual([1, 1, 2, 3, 4, 4, 5, 5]);
    expect(e.pmf([2, 4])).toEqual([3, 4, 1]);
    expect(e.pmf([])).toEqual([8]);
    expect(new ExactValues().quantile(0.5)).toBeNaN();
  });

  it('round-trips its bytes: float32 values when all fit, varint counts only with repeats, -0 and +0 as one value', () => {
    for (const xs of [[0.5, 0.25, 1e30, -Infinity], [0.1, 0.1, 0.2], [1, 1, 1, -0, 0, 2 ** 40], []]) {
      const e = of(xs);
      const back = ExactValues.fromBytes(e.toBytes());
      expect(back.n).toBe(xs.length);
      expect(back.sorted()).toEqual(e.sorted());
      expect(ExactValues.fromJSON(e.toJSON()).toBytes()).toEqual(e.toBytes());
    }
    // 0.5, 0.25 fit float32; 0.1 does not.
    expect(of([0.5, 0.25]).toBytes().length).toBe(7 + 2 * 4);
    expect(of([0.1, 0.2]).toBytes().length).toBe(7 + 2 * 8);
    expect(of([1, 1, 1, 2]).toBytes().length).toBe(7 + 2 * 4 + 2);
    expect(of([-0, 0]).distinct).toBe(1);
  });

  it('decodes from a Node Buffer that is a view into a shared pool (as base64 from a store row gives)', () => {
    const rng = new Rng(2);
    const c = new ColumnProfile({ kind: 'numerical' });
    for (let i = 0; i < 3000; i++) c.update(i % 3 ? Math.fround(rng.nextFloat()) : rng.nextFloat());
    const views = (bytes: Uint8Array) => {
      const padded = new Uint8Array(bytes.length + 3);
      padded.set(bytes, 3);
      return [Buffer.from(Buffer.from(bytes).toString('base64'), 'base64'), padded.subarray(3)];
    };
    for (const e of [of([0.5, 0.25, 8]), of(Array.from({ length: 100 }, (_, i) => i / 10))]) {
      for (const view of views(e.toBytes())) expect(ExactValues.fromBytes(view).sorted()).toEqual(e.sorted());
    }
    // KLL levels and float32 / float64 exact values inside a column profile.
    for (const view of views(c.toBytes())) expect(ColumnProfile.fromBytes(view).toBytes()).toEqual(c.toBytes());
  });

  it('refuses corrupt bytes', () => {
    const bytes = of([1, 2, 3]).toBytes();
    expect(() => ExactValues.fromBytes(bytes.subarray(0, bytes.length - 1))).toThrow(/truncated/);
    const swapped = of([0.5, 0.25]).toBytes();
    swapped.set(swapped.slice(7, 11), 11);
    expect(() => ExactValues.fromBytes(swapped)).toThrow(/ascending/);
  });

  it('encodes a full default budget compactly (sizes printed for docs/monitoring.md)', () => {
    const rng = new Rng(1);
    const n = 100_000;
    const f32 = new Float32Array(n).map(() => rng.nextFloat() * 100);
    const f64 = Array.from({ length: n }, () => rng.nextFloat() * 100);
    const ints = Array.from({ length: n }, () => Math.floor(rng.nextFloat() * 120));
    const sizes = { float32: of([...f32]).toBytes().length, float64: of(f64).toBytes().length, ints: of(ints).toBytes().length };
    console.log('exact values encoded, 100,000 values:', sizes);
    // Float32 values repeat now and then, which adds a one-byte count per distinct value.
    expect(sizes.float32).toBeLessThanOrEqual(7 + 5 * n);
    expect(sizes.float64).toBe(7 + 8 * n);
    expect(sizes.ints).toBeLessThan(7 + 120 * 7);
  });
});

describe('ColumnProfile exact values', () => {
  const col = (xs: number[], exactBudget = 10) => {
    const c = new ColumnProfile({ kind: 'numerical', exactBudget });
    c.updateMany(Float64Array.from(xs));
    return c;
  };

  it('keeps numbers exactly up to the budget, then drops them for the sketch', () => {
    const c = col([1, NaN, 2, 3]);
    expect(c.exact!.sorted()).toEqual(Float64Array.from([1, 2, 3]));
    for (let i = 0; i < 7; i++) c.update(i);
    expect(c.exact!.n).toBe(10);
    c.update(99);
    expect(c.exact).toBeNull();
    expect(c.isExact).toBe(false);
    expect(new ColumnProfile({ kind: 'numerical', exactBudget: 0 }).exact).toBeNull();
    expect(() => new ColumnProfile({ exactBudget: -1 })).toThrow(/exactBudget/);
  });

  it('merges exactly while the sum fits the budget; an overflowed side makes the merge inexact', () => {
    expect(
      col([1, 2, 3])
        .merge(col([4, 5]))
        .exact!.sorted(),
    ).toEqual(Float64Array.from([1, 2, 3, 4, 5]));
    expect(col([1, 2, 3, 4, 5, 6]).merge(col([1, 2, 3, 4, 5])).exact).toBeNull();
    const over = col([...Array(11).keys()]);
    expect(col([1]).merge(over).exact).toBeNull();
    // A profile with no budget never starts holding values by merging.
    expect(new ColumnProfile({ exactBudget: 0 }).merge(new ColumnProfile({ kind: 'numerical' })).exact).toBeNull();
    // A column of nulls (kind still open) merges in without costing exactness.
    const nulls = () => {
      const c = new ColumnProfile({ exactBudget: 10 });
      c.update(null);
      return c;
    };
    expect(nulls().merge(col([1, 2])).exact!.n).toBe(2);
    expect(col([1, 2]).merge(nulls()).exact!.n).toBe(2);
  });

  it('gives exact summary quantiles while exact (the sketch would quantise them)', () => {
    const xs = Array.from({ length: 5000 }, (_, i) => (i * 7919) % 5000);
    const s = col(xs, 10_000).summary();
    expect(s.quantiles).toMatchObject({ p01: 49, p25: 1249, p50: 2499, p99: 4949 });
  });

  it('round-trips through bytes and JSON, and still decodes version 1 profiles (no exact values)', () => {
    const c = col([0.1, 0.2, 0.2, -5]);
    expect(ColumnProfile.fromBytes(c.toBytes()).exact!.sorted()).toEqual(c.exact!.sorted());
    const j = c.toJSON();
    expect(j.version).toBe(2);
    expect(ColumnProfile.fromJSON(JSON.parse(JSON.stringify(j)) as ColumnProfileJSON).toBytes()).toEqual(c.toBytes());
    const { exact: _exact, ...v1 } = j;
    const { exactBudget: _budget, ...options } = j.options;
    const old = ColumnProfile.fromJSON({ ...v1, version: 1, options });
    expect(old.exact).toBeNull();
    expect(old.summary().quantiles!.p50).toBe(c.summary().quantiles!.p50);
    // An old, empty numerical column starts exact.
    const empty = new ColumnProfile({ kind: 'numerical' }).toJSON();
    const { exactBudget: _b, ...emptyOptions } = empty.options;
    const revived = ColumnProfile.fromJSON({ ...empty, version: 1, options: emptyOptions });
    revived.update(4);
    expect(revived.exact!.n).toBe(1);
    // Exact values that disagree with the column's count are refused.
    expect(() => ColumnProfile.fromJSON({ ...j, exact: col([1]).exact!.toJSON() })).toThrow(/exact values/);
  });
});
