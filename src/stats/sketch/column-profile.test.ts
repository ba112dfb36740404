import { describe, expect, it } from 'vitest';
import { ColumnProfile } from './column-profile.js';
import { DatasetProfile } from './dataset-profile.js';
import { KllSketch } from './kll.js';
import { ExactRanks, makeStream } from './test-streams.js';

const EPS = KllSketch.normalizedRankError(200, false);

function profile(values: ArrayLike<unknown>, seed = 1, kind?: 'numerical' | 'categorical'): ColumnProfile {
  const p = new ColumnProfile({ seed, kind });
  p.updateMany(values);
  return p;
}

describe('ColumnProfile', () => {
  it('infers numerical and counts nulls and type errors', () => {
    const p = profile([null, 1, 2, NaN, undefined, 'x', true, { a: 1 }, 3]);
    const s = p.summary();
    expect(s.kind).toBe('numerical');
    expect([s.count, s.nulls, s.type_errors]).toEqual([9, 3, 3]);
    expect(s.null_rate).toBeCloseTo(3 / 9);
    expect([s.min, s.max, s.mean, s.std]).toEqual([1, 3, 2, 1]);
    expect(s.quantiles).toEqual({ p01: 1, p05: 1, p25: 1, p50: 2, p75: 3, p95: 3, p99: 3 });
    expect(s.top).toEqual([]);
    expect(p.reservoir!.values()).toEqual([1, 2, 3]);
  });

  it('infers categorical; booleans and numbers become category labels; objects are type errors', () => {
    const s = profile(['a', 'b', 'a', true, 7, [1], null]).summary();
    expect(s.kind).toBe('categorical');
    expect([s.count, s.nulls, s.type_errors, s.unique_estimate]).toEqual([7, 1, 1, 4]);
    expect(s.top[0]).toEqual({ value: 'a', count: 2 });
    expect(s.min).toBeNull();
    expect(s.quantiles).toBeNull();
  });

  it('lets the caller fix the kind', () => {
    const s = profile(['1', 2, '3'], 1, 'numerical').summary();
    expect([s.kind, s.type_errors, s.count]).toEqual(['numerical', 2, 3]);
    expect(profile([], 1, 'categorical').kind).toBe('categorical');
  });

  it('summarizes empty and all-null columns without NaN', () => {
    const empty = new ColumnProfile().summary();
    expect(empty).toEqual({
      kind: 'unknown',
      count: 0,
      nulls: 0,
      null_rate: null,
      type_errors: 0,
      min: null,
      max: null,
      mean: null,
      std: null,
      quantiles: null,
      top: [],
    });
    const nulls = profile([null, NaN]);
    expect(nulls.summary().null_rate).toBe(1);
    expect(ColumnProfile.fromBytes(nulls.toBytes()).summary()).toEqual(nulls.summary());
    expect(nulls.merge(profile([1.5])).summary().kind).toBe('numerical');
  });

  it('Float64Array fast path equals the generic path bit for bit', () => {
    const xs = makeStream('random', 20_000, 3);
    xs[5] = NaN;
    const fast = profile(xs, 9);
    const slow = profile(Array.from(xs), 9);
    expect(fast.toBytes()).toEqual(slow.toBytes());
    expect(fast.nulls).toBe(1);
  });

  it('merged profiles equal one profile: exact parts equal, quantiles within the bound', () => {
    const xs = makeStream('normal', 120_000, 4);
    const exact = new ExactRanks(xs);
    const parts = [0, 1, 2, 3].map((i) => profile(xs.subarray(i * 30_000, (i + 1) * 30_000), i + 10));
    const merged = parts.reduce((a, b) => a.merge(b), new ColumnProfile());
    const single = profile(xs).summary();
    const m = merged.summary();
    expect([m.count, m.nulls, m.min, m.max]).toEqual([single.count, single.nulls, single.min, single.max]);
    expect(Math.abs(m.mean! - single.mean!) / single.mean!).toBeLessThan(1e-15);
    expect(Math.abs(m.std! - single.std!) / single.std!).toBeLessThan(1e-9);
    for (const [key, q] of [
      ['p01', 0.01],
      ['p50', 0.5],
      ['p99', 0.99],
    ] as const) {
      expect(exact.rankError(q, m.quantiles![key])).toBeLessThanOrEqual(EPS);
    }
    expect(merged.reservoir!.n).toBe(120_000);
  });

  it('categorical merges are exact below the cap and order-independent', () => {
    const a = profile(['x', 'y', 'x', null]);
    const b = profile(['y', 'z', 'y']);
    const ab = a.clone().merge(b).summary();
    const ba = b.clone().merge(a).summary();
    expect(ab.top).toEqual([
      { value: 'y', count: 3 },
      { value: 'x', count: 2 },
      { value: 'z', count: 1 },
    ]);
    expect(ba.top).toEqual(ab.top);
    expect([ab.count, ab.nulls, ab.unique_estimate]).toEqual([7, 1, 3]);
  });

  it('refuses to merge different kinds or options, leaving the profile unchanged', () => {
    const num = profile([1, 2]);
    const before = num.toBytes();
    expect(() => num.merge(profile(['a']))).toThrow(/numerical.*categorical/);
    expect(() => num.merge(new ColumnProfile({ kllK: 100 }))).toThrow(/kllK/);
    expect(num.toBytes()).toEqual(before);
  });

  it('round-trips through bytes and JSON; same seed, same bytes', () => {
    for (const values of [makeStream('random', 5000, 1), ['a', 'b', null, 'a', 3]]) {
      const p = profile(values, 5);
      const bytes = p.toBytes();
      expect(profile(values, 5).toBytes()).toEqual(bytes);
      expect(ColumnProfile.fromBytes(bytes).toBytes()).toEqual(bytes);
      expect(ColumnProfile.fromJSON(JSON.parse(JSON.stringify(p))).toBytes()).toEqual(bytes);
    }
    expect(() => ColumnProfile.fromBytes(new Uint8Array([0x43, 9]))).toThrow(/version/);
    // JSON has no Infinity: it survives as a marker, and a category named "Infinity" stays a string.
    for (const values of [
      [1, Infinity, -Infinity, 2],
      ['Infinity', '-Infinity'],
    ]) {
      const p = profile(values);
      expect(ColumnProfile.fromJSON(JSON.parse(JSON.stringify(p))).toBytes()).toEqual(p.toBytes());
    }
  });
});

describe('DatasetProfile', () => {
  it('counts missing and late features as nulls, row by row and column by column', () => {
    const d = new DatasetProfile({ schema: { flag: 'categorical' } });
    d.updateRow({ age: 30, city: 'Paris' });
    d.updateRow({ age: 40 });
    d.updateRow({ age: null, city: 'Oslo', late: 1 });
    d.updateColumns({ age: Float64Array.of(50, NaN) });
    const s = d.summary();
    expect(s.rows).toBe(5);
    for (const c of Object.values(s.columns)) expect(c.count).toBe(5);
    expect(s.columns.age.nulls).toBe(2);
    expect(s.columns.city.nulls).toBe(3);
    expect(s.columns.late.nulls).toBe(4);
    expect(s.columns.flag.kind).toBe('categorical');
    expect(s.columns.flag.nulls).toBe(5);
  });

  it('merges windows: disjoint features become nulls; bytes and JSON round-trip', () => {
    const a = new DatasetProfile({ seed: 3 });
    const b = new DatasetProfile({ seed: 3 });
    for (let i = 0; i < 100; i++) a.updateRow({ x: i, c: i % 2 ? 'odd' : 'even' });
    for (let i = 0; i < 50; i++) b.updateRow({ x: -i, y: 'new' });
    const m = a.clone().merge(b).summary();
    expect(m.rows).toBe(150);
    expect([m.columns.x.count, m.columns.x.min, m.columns.x.max]).toEqual([150, -49, 99]);
    expect(m.columns.c.nulls).toBe(50);
    expect(m.columns.y.nulls).toBe(100);
    const bytes = a.toBytes();
    expect(DatasetProfile.fromBytes(bytes).toBytes()).toEqual(bytes);
    expect(DatasetProfile.fromJSON(JSON.parse(JSON.stringify(a))).toBytes()).toEqual(bytes);
    expect(new DatasetProfile().merge(new DatasetProfile()).summary()).toEqual({ rows: 0, columns: {} });
  });
});
