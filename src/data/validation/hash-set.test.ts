import { describe, expect, it } from 'vitest';
import { ADDED, FULL, FingerprintSet, REPEAT, REPEAT_FIRST, fingerprint } from './hash-set.js';

describe('FingerprintSet', () => {
  it('counts distinct values and singletons exactly across growth, remembering first rows and lines', () => {
    const s = new FingerprintSet(1_000_000, true);
    const n = 50_000;
    for (let i = 0; i < n; i++) expect(s.add(i * 0.5, i + 1, i + 2)).toBe(ADDED);
    expect(s.size).toBe(n);
    expect(s.add(123 * 0.5, 999_999, 7)).toBe(REPEAT_FIRST);
    expect([s.lastFirstRow, s.lastFirstLine]).toEqual([124, 125]);
    expect(s.add(123 * 0.5)).toBe(REPEAT);
    expect(s.size).toBe(n);
    expect(s.singletons).toBe(n - 1);
  });

  it('treats 0 and -0 as one value and keeps strings apart from their text', () => {
    const s = new FingerprintSet(10);
    expect(s.add(0)).toBe(ADDED);
    expect(s.add(-0)).toBe(REPEAT_FIRST);
    expect(s.add('a')).toBe(ADDED);
    expect(s.add('b')).toBe(ADDED);
    expect(s.add('a')).toBe(REPEAT_FIRST);
    expect(s.add(true)).toBe(ADDED);
    expect(s.size).toBe(4);
  });

  it('answers FULL past maxValues, while still recognising values it holds', () => {
    const s = new FingerprintSet(3);
    for (const v of ['a', 'b', 'c']) s.add(v);
    expect(s.add('d')).toBe(FULL);
    expect(s.add('a')).toBe(REPEAT_FIRST);
    expect(s.size).toBe(3);
  });

  it('gives distinct fingerprints to 200k similar strings', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200_000; i++) {
      const [hi, lo] = fingerprint(`user-${i}@example.com`);
      seen.add(`${hi}:${lo}`);
    }
    expect(seen.size).toBe(200_000);
  });
});
