import { describe, expect, it } from 'vitest';
import { InvalidParameterError } from '../../errors.js';
import { SplitMix64, drawIndices, mulHi32, seedHalves } from './splitmix64.js';

const u64 = ([hi, lo]: [number, number]) => ((BigInt(hi) << 32n) | BigInt(lo)).toString();

describe('SplitMix64', () => {
  it("reproduces Vigna's splitmix64.c outputs for seed 1234567", () => {
    // Published test vector of the reference C implementation (also used by Java's SplittableRandom ports).
    const rng = new SplitMix64(1234567);
    const got = Array.from({ length: 5 }, () => u64(rng.nextU64()));
    expect(got).toEqual(['6457827717110365317', '3203168211198807973', '9817491932198370423', '4593380528125082431', '16408922859458223821']);
  });

  it('splits each output into its high word, then its low word', () => {
    const words = new SplitMix64(1234567);
    const first = 6457827717110365317n;
    expect(words.nextU32()).toBe(Number(first >> 32n));
    expect(words.nextU32()).toBe(Number(first & 0xffffffffn));
  });

  it('takes seeds up to 2^64 − 1 as bigint or decimal string, and refuses the rest naming the field', () => {
    expect(seedHalves('18446744073709551615')).toEqual([0xffffffff, 0xffffffff]);
    expect(seedHalves(2n ** 32n + 5n)).toEqual([1, 5]);
    expect(seedHalves(7)).toEqual([0, 7]);
    for (const bad of [-1, 1.5, Number.MAX_SAFE_INTEGER + 1, '18446744073709551616', '0x10', NaN]) {
      expect(() => seedHalves(bad as number)).toThrow(InvalidParameterError);
    }
    expect(() => seedHalves(-1)).toThrow(expect.objectContaining({ errors: [expect.objectContaining({ field: 'seed' })] }));
  });

  it('mulHi32 is the exact high half of a 32×32-bit product', () => {
    const cases: [number, number][] = [
      [0xffffffff, 0xffffffff],
      [0x9e3779b9, 0x1ce4e5b9],
      [1, 0xffffffff],
      [0x80000000, 2],
      [123456789, 987654321],
    ];
    for (const [a, b] of cases) expect(mulHi32(a, b)).toBe(Number((BigInt(a) * BigInt(b)) >> 32n));
    // And on 20,000 pairs of words from the stream itself, which cover the whole uint32 range.
    const words = new SplitMix64(3);
    for (let i = 0; i < 20_000; i++) {
      const a = words.nextU32();
      const b = words.nextU32();
      if (mulHi32(a, b) !== Number((BigInt(a) * BigInt(b)) >> 32n)) throw new Error(`mulHi32(${a}, ${b})`);
    }
  });

  it.each([37, 2 ** 21 + 1])('addCounts draws the same stream as nextIndex (n = %i)', (n) => {
    const counts = new Uint32Array(n);
    const rng = new SplitMix64(99);
    rng.addCounts(n, 1000, counts);
    rng.addCounts(n, 3, counts); // a second call continues the stream, spare word included
    const expected = new Uint32Array(n);
    for (const i of drawIndices(99, n, 1003)) expected[i]++;
    expect(Array.from(counts)).toEqual(Array.from(expected));
  });

  it('rejects the words that would bias an index (Lemire): n = 3·2^30 rejects a quarter of them', () => {
    // 2^32 mod n = 2^30: the rejected words are those whose product's low half is below 2^30.
    const n = 3 * 2 ** 30;
    const rng = new SplitMix64(5);
    const words = new SplitMix64(5);
    let rejected = 0;
    for (let i = 0; i < 2000; i++) {
      const idx = rng.nextIndex(n);
      for (;;) {
        const w = words.nextU32();
        const m = BigInt(w) * BigInt(n);
        if ((m & 0xffffffffn) >= 2n ** 30n) {
          expect(idx).toBe(Number(m >> 32n));
          break;
        }
        rejected++;
      }
    }
    expect(rejected).toBeGreaterThan(500);
    expect(rejected).toBeLessThan(800);
  });
});
