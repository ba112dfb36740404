import { describe, expect, it } from 'vitest';
import { FrequentItems } from './frequent.js';
import { Rng } from './rng.js';

/** Zipf-like stream over `distinct` values: a few heavy hitters and a long tail. */
function zipfStream(n: number, distinct: number, seed: number): string[] {
  const rng = new Rng(seed);
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(`v${Math.floor(distinct ** rng.nextFloat()) - 1}`);
  return out;
}

function exactCounts(items: string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const x of items) m.set(x, (m.get(x) ?? 0) + 1);
  return m;
}

function sketchOf(items: string[], maxItems: number): FrequentItems {
  const f = new FrequentItems({ maxItems });
  for (const x of items) f.update(x);
  return f;
}

function checkBounds(f: FrequentItems, exact: Map<string, number>): void {
  expect(f.maximumError).toBeLessThanOrEqual(FrequentItems.errorBound(f.maxItems, f.n));
  const bad = [...exact].filter(([item, c]) => f.lowerBound(item) > c || f.upperBound(item) < c);
  expect(bad).toEqual([]);
}

describe('FrequentItems', () => {
  it('counts exactly below the cap', () => {
    const items = zipfStream(20_000, 300, 1);
    const exact = exactCounts(items);
    const f = sketchOf(items, 1000);
    expect(f.isExact).toBe(true);
    expect(f.numTracked).toBe(exact.size);
    for (const [item, c] of exact) expect(f.estimate(item)).toBe(c);
    expect(f.estimate('never')).toBe(0);
    const top = f.top(3);
    const want = [...exact].sort((a, b) => b[1] - a[1]).slice(0, 3);
    expect(top.map((r) => [r.value, r.estimate])).toEqual(want);
  });

  it('keeps every item inside [lower, upper] and maxError <= 2n/(maxItems+1) past the cap', () => {
    for (let seed = 1; seed <= 8; seed++) {
      const items = zipfStream(100_000, 50_000, seed);
      const f = sketchOf(items, 200);
      expect(f.isExact).toBe(false);
      expect(f.numTracked).toBeLessThanOrEqual(200);
      checkBounds(f, exactCounts(items));
    }
  });

  it('finds every item above the error with noFalseNegatives, and only real ones with noFalsePositives', () => {
    const items = zipfStream(200_000, 100_000, 3);
    const exact = exactCounts(items);
    const f = sketchOf(items, 100);
    const threshold = 0.02 * items.length;
    const truly = [...exact].filter(([, c]) => c > threshold).map(([v]) => v);
    const nfn = new Set(f.frequentItems(threshold, 'noFalseNegatives').map((r) => r.value));
    for (const v of truly) expect(nfn.has(v)).toBe(true);
    for (const r of f.frequentItems(threshold, 'noFalsePositives')) expect(exact.get(r.value)!).toBeGreaterThan(threshold);
  });

  it('merges: exact parts equal the single stream; bounds hold; order does not matter', () => {
    const items = zipfStream(120_000, 30_000, 5);
    const parts = [0, 1, 2, 3].map((p) => sketchOf(items.slice(p * 30_000, (p + 1) * 30_000), 300));
    const merged = parts.reduce((a, b) => a.merge(b), new FrequentItems({ maxItems: 300 }));
    expect(merged.n).toBe(items.length);
    checkBounds(merged, exactCounts(items));
    const ab = parts[0].clone().merge(parts[1]);
    const ba = parts[1].clone().merge(parts[0]);
    expect(ab.toBytes()).toEqual(ba.toBytes()); // commutative bit for bit
    // Exact (below-cap) merges are associative too, and equal the single stream.
    const small = zipfStream(9000, 100, 6);
    const [x, y, z] = [0, 1, 2].map((p) => sketchOf(small.slice(p * 3000, (p + 1) * 3000), 1000));
    const left = x.clone().merge(y).merge(z);
    const right = x.clone().merge(y.clone().merge(z));
    expect(left.toBytes()).toEqual(right.toBytes());
    expect(left.toBytes()).toEqual(sketchOf(small, 1000).toBytes());
    expect(x.clone().merge(x).estimate(small[0])).toBe(2 * x.estimate(small[0]));
  });

  it('round-trips through bytes and JSON, and is canonical', () => {
    const items = zipfStream(50_000, 5000, 9);
    const f = sketchOf(items, 500);
    const bytes = f.toBytes();
    expect(FrequentItems.fromBytes(bytes).toBytes()).toEqual(bytes);
    expect(FrequentItems.fromJSON(JSON.parse(JSON.stringify(f))).toBytes()).toEqual(bytes);
    expect(sketchOf(items, 500).toBytes()).toEqual(bytes);
    const unicode = sketchOf(['é', '日本', '', 'é'], 10);
    expect(FrequentItems.fromBytes(unicode.toBytes()).estimate('é')).toBe(2);
    const empty = new FrequentItems();
    expect(FrequentItems.fromBytes(empty.toBytes()).n).toBe(0);
    expect(empty.top()).toEqual([]);
    expect(() => new FrequentItems({ maxItems: 1 })).toThrow();
  });
});
