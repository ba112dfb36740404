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

/** Pearson's chi-squared statistic of a 2×2 table of counts (independence of rows and columns, 1 degree of freedom). */
function chiSquared2x2(t: number[][]): number {
  const n = t[0]![0]! + t[0]![1]! + t[1]![0]! + t[1]![1]!;
  let x2 = 0;
  for (let i = 0; i < 2; i++)
    for (let j = 0; j < 2; j++) {
      const expected = ((t[i]![0]! + t[i]![1]!) * (t[0]![j]! + t[1]![j]!)) / n;
      x2 += (t[i]![j]! - expected) ** 2 / expected;
    }
  return x2;
}

/** The 99.9% quantile of chi-squared with 1 degree of freedom: independent splits exceed it once in 1,000. */
const CHI2_1_999 = 10.828;

describe('pickRoute with an A/B test salt', () => {
  const units = Array.from({ length: 20_000 }, (_, i) => `user-${i}`);

  function table(a: (u: string) => number, b: (u: string) => number): number[][] {
    const t = [
      [0, 0],
      [0, 0],
    ];
    for (const u of units) t[a(u)]![b(u)]!++;
    return t;
  }

  it('splits two tests independently of each other', () => {
    const t = table(
      (u) => pickRoute([50, 50], u, 'salt-of-test-1'),
      (u) => pickRoute([70, 30], u, 'salt-of-test-2'),
    );
    expect(chiSquared2x2(t)).toBeLessThan(CHI2_1_999);
  });

  it('correlates tests without salts (what the salt is for; shows the check can fail)', () => {
    const t = table(
      (u) => pickRoute([50, 50], u),
      (u) => pickRoute([50, 50], u),
    );
    expect(t[0]![1]! + t[1]![0]!).toBe(0);
    expect(chiSquared2x2(t)).toBeGreaterThan(1000);
  });

  it('splits by the weights', () => {
    const counts = [0, 0, 0];
    for (const u of units) counts[pickRoute([60, 30, 10], u, 'a-salt')]!++;
    // Binomial(20000, p): sd = sqrt(n p (1 - p)); 5 sd either side.
    for (const [i, p] of [0.6, 0.3, 0.1].entries()) {
      const sd = Math.sqrt(units.length * p * (1 - p));
      expect(Math.abs(counts[i]! - units.length * p)).toBeLessThan(5 * sd);
    }
  });

  it('keeps a unit in one arm for the same salt, and moves some units between salts', () => {
    let moved = 0;
    for (const u of units.slice(0, 500)) {
      const first = pickRoute([50, 50], u, 'salt-x');
      for (let i = 0; i < 5; i++) expect(pickRoute([50, 50], u, 'salt-x')).toBe(first);
      if (pickRoute([50, 50], u, 'salt-y') !== first) moved++;
    }
    // About half move (Binomial(500, 0.5): sd ≈ 11).
    expect(moved).toBeGreaterThan(250 - 5 * 11);
    expect(moved).toBeLessThan(250 + 5 * 11);
  });

  it('hashes salt, a NUL and the unit (no salt/unit pair collides with another split of the same text)', () => {
    const splits = [
      ['ab', 'c'],
      ['a', 'bc'],
    ] as const;
    // Same concatenation, different pairs: with the separator they are different inputs to the hash.
    const n = 2_000;
    let same = 0;
    for (let i = 0; i < n; i++) {
      const [s1, u1] = splits[0];
      const [s2, u2] = splits[1];
      if (pickRoute([50, 50], `${u1}${i}`, s1) === pickRoute([50, 50], `${u2}${i}`, s2)) same++;
    }
    expect(same).toBeGreaterThan(n / 2 - 5 * 23);
    expect(same).toBeLessThan(n / 2 + 5 * 23);
  });
});
