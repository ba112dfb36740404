import { describe, expect, it } from 'vitest';
import { pickRoute } from './traffic.js';

describe('pickRoute', () => {
  it('splits traffic by weight within statistical tolerance', () => {
    const n = 20_000;
    const counts = [0, 0];
    for (let i = 0; i < n; i++) counts[pickRoute([90, 10])]!++;
    // Binomial(20000, 0.1): sd ≈ 42; 5 sd either side.
    expect(counts[1]).toBeGreaterThan(2000 - 5 * 42);
    expect(counts[1]).toBeLessThan(2000 + 5 * 42);
  });

  it('pins a sticky value to one route, and spreads many values by weight', () => {
    for (const key of ['alice', 'bob', 'c-123']) {
      const first = pickRoute([50, 50], key);
      for (let i = 0; i < 50; i++) expect(pickRoute([50, 50], key)).toBe(first);
    }
    const counts = [0, 0];
    for (let i = 0; i < 10_000; i++) counts[pickRoute([75, 25], `user-${i}`)]!++;
    expect(counts[1]).toBeGreaterThan(2500 - 5 * 44);
    expect(counts[1]).toBeLessThan(2500 + 5 * 44);
  });

  it('never picks a zero-weight route', () => {
    for (let i = 0; i < 1000; i++) expect(pickRoute([0, 1, 0])).toBe(1);
  });
});
