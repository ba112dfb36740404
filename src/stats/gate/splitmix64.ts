/**
 * The bootstrap's random stream, specified so an independent implementation (numpy's uint64 arithmetic)
 * reproduces it bit for bit:
 *
 * - SplitMix64 (Steele, Lea & Flood 2014; Vigna's splitmix64.c): state s₀ = seed (64-bit), output k (k = 1, 2, …)
 *   is mix(seed + k·γ mod 2⁶⁴) with γ = 0x9E3779B97F4A7C15 and
 *   mix(z) = z ⊕ (z ≫ 31) after z ← (z ⊕ (z ≫ 30))·0xBF58476D1CE4E5B9, z ← (z ⊕ (z ≫ 27))·0x94D049BB133111EB (mod 2⁶⁴).
 * - 32-bit words: each 64-bit output gives two words, its high 32 bits first, then its low 32 bits.
 * - An index in [0, n), n ≤ 2³², from a word w (Lemire 2019, "Fast random integer generation in an interval"):
 *   m = w·n (exact, 64-bit); if m mod 2³² < 2³² mod n the word is rejected and the next word tried; otherwise the
 *   index is ⌊m / 2³²⌋. Every index then has exactly ⌊2³²/n⌋ accepted words: no modulo bias.
 *
 * JavaScript has no fast 64-bit integers (BigInt allocates), so the state is two uint32 halves and every 64-bit
 * product is assembled from 32-bit pieces: the low half of a 32×32 product from Math.imul, the high half from the
 * rounded double product (see mulHi32).
 */
import { InvalidParameterError } from '../../errors.js';

const GAMMA_HI = 0x9e3779b9;
const GAMMA_LO = 0x7f4a7c15;
const M1_HI = 0xbf58476d;
const M1_LO = 0x1ce4e5b9;
const M2_HI = 0x94d049bb;
const M2_LO = 0x133111eb;
const TWO_32 = 4294967296;
const TWO_MINUS_32 = 1 / TWO_32;
/** Below this n, w·n < 2⁵³ is exact in a double and Lemire's product needs no 32-bit pieces. */
const EXACT_N = 2 ** 21;
const TWO_64 = 18446744073709551616n;

/** A seed: a non-negative safe integer, a bigint below 2⁶⁴, or its decimal string. */
export type Seed = number | bigint | string;

/**
 * ⌊a·b / 2³²⌋ for uint32 a and b, exactly, given lo = a·b mod 2³² (Math.imul). The double product a·b is off by
 * at most 2¹⁰ (half an ulp below 2⁶⁴) and subtracting lo by at most 2¹⁰ more, so (a·b − lo)/2³² lies within
 * 2⁻²¹ of the integer it should be, and rounding gives it.
 */
export function mulHi32(a: number, b: number, lo: number = Math.imul(a, b) >>> 0): number {
  return Math.round((a * b - lo) * TWO_MINUS_32);
}

/** The seed as (high, low) uint32 halves; refuses anything that is not an integer in [0, 2⁶⁴). */
export function seedHalves(seed: Seed): [hi: number, lo: number] {
  let big: bigint;
  if (typeof seed === 'number') {
    if (!Number.isSafeInteger(seed) || seed < 0) {
      throw new InvalidParameterError(
        'seed',
        `'seed' must be a non-negative integer up to 2^53 − 1 (or a decimal string / bigint below 2^64), got ${String(seed)}.`,
      );
    }
    big = BigInt(seed);
  } else if (typeof seed === 'bigint') {
    big = seed;
  } else if (typeof seed === 'string' && /^[0-9]{1,20}$/.test(seed)) {
    big = BigInt(seed);
  } else {
    throw new InvalidParameterError('seed', `'seed' must be a non-negative integer, a bigint or a decimal string, got ${String(seed)}.`);
  }
  if (big < 0n || big >= TWO_64) throw new InvalidParameterError('seed', `'seed' must lie in [0, 2^64), got ${big}.`);
  return [Number(big >> 32n), Number(big & 0xffffffffn)];
}

export class SplitMix64 {
  private hi: number;
  private lo: number;
  /** The low word of the last output, not yet used (−1: none). */
  private spare = -1;

  constructor(seed: Seed) {
    [this.hi, this.lo] = seedHalves(seed);
  }

  /** The next 64-bit output as (high, low) uint32 halves; drops a pending low word. */
  nextU64(): [hi: number, lo: number] {
    this.spare = -1;
    return this.advance();
  }

  /** The next 32-bit word of the stream (high half of a fresh output, or the pending low half). */
  nextU32(): number {
    if (this.spare >= 0) {
      const w = this.spare;
      this.spare = -1;
      return w;
    }
    const [hi, lo] = this.advance();
    this.spare = lo;
    return hi;
  }

  /** A uniform index in [0, n) by Lemire's rejection (see the file comment). */
  nextIndex(n: number): number {
    const threshold = TWO_32 % n;
    for (;;) {
      const w = this.nextU32();
      const lo = Math.imul(w, n) >>> 0;
      if (lo >= threshold) return mulHi32(w, n, lo);
    }
  }

  /**
   * Draws `count` indices in [0, n) and adds one to `counts[index]` for each: the same stream as `count` calls
   * of nextIndex, with the generator inlined (this loop is the bootstrap's hot path).
   */
  addCounts(n: number, count: number, counts: Uint32Array): void {
    if (n < 1 || n > TWO_32) throw new RangeError(`n must lie in [1, 2^32], got ${n}`);
    const threshold = TWO_32 % n;
    const exact = n <= EXACT_N;
    let sHi = this.hi;
    let sLo = this.lo;
    let spare = this.spare;
    for (let drawn = 0; drawn < count;) {
      let w: number;
      if (spare >= 0) {
        w = spare;
        spare = -1;
      } else {
        // s ← s + γ (mod 2⁶⁴)
        const lo = sLo + GAMMA_LO;
        sHi = (sHi + GAMMA_HI + (lo >= TWO_32 ? 1 : 0)) >>> 0;
        sLo = lo >>> 0;
        // z ← (z ⊕ (z ≫ 30))·M1
        let zLo = (sLo ^ ((sLo >>> 30) | (sHi << 2))) >>> 0;
        let zHi = (sHi ^ (sHi >>> 30)) >>> 0;
        let pLo = Math.imul(zLo, M1_LO) >>> 0;
        let pHi = (Math.round((zLo * M1_LO - pLo) * TWO_MINUS_32) + Math.imul(zHi, M1_LO) + Math.imul(zLo, M1_HI)) >>> 0;
        // z ← (z ⊕ (z ≫ 27))·M2
        zLo = (pLo ^ ((pLo >>> 27) | (pHi << 5))) >>> 0;
        zHi = (pHi ^ (pHi >>> 27)) >>> 0;
        pLo = Math.imul(zLo, M2_LO) >>> 0;
        pHi = (Math.round((zLo * M2_LO - pLo) * TWO_MINUS_32) + Math.imul(zHi, M2_LO) + Math.imul(zLo, M2_HI)) >>> 0;
        // z ⊕ (z ≫ 31)
        spare = (pLo ^ ((pLo >>> 31) | (pHi << 1))) >>> 0;
        w = (pHi ^ (pHi >>> 31)) >>> 0;
      }
      if (exact) {
        const m = w * n;
        const hi = Math.floor(m * TWO_MINUS_32);
        if (m - hi * TWO_32 < threshold) continue;
        counts[hi]++;
      } else {
        const lo = Math.imul(w, n) >>> 0;
        if (lo < threshold) continue;
        counts[mulHi32(w, n, lo)]++;
      }
      drawn++;
    }
    this.hi = sHi;
    this.lo = sLo;
    this.spare = spare;
  }

  private advance(): [hi: number, lo: number] {
    const lo = this.lo + GAMMA_LO;
    this.hi = (this.hi + GAMMA_HI + (lo >= TWO_32 ? 1 : 0)) >>> 0;
    this.lo = lo >>> 0;
    let [zHi, zLo] = xorShift(this.hi, this.lo, 30);
    [zHi, zLo] = mul64(zHi, zLo, M1_HI, M1_LO);
    [zHi, zLo] = xorShift(zHi, zLo, 27);
    [zHi, zLo] = mul64(zHi, zLo, M2_HI, M2_LO);
    return xorShift(zHi, zLo, 31);
  }
}

/** z ⊕ (z ≫ k) for 0 < k < 32 on (high, low) halves. */
function xorShift(hi: number, lo: number, k: number): [number, number] {
  return [(hi ^ (hi >>> k)) >>> 0, (lo ^ ((lo >>> k) | (hi << (32 - k)))) >>> 0];
}

/** (aHi·2³² + aLo)·(bHi·2³² + bLo) mod 2⁶⁴ as (high, low) halves. */
function mul64(aHi: number, aLo: number, bHi: number, bLo: number): [number, number] {
  return [(mulHi32(aLo, bLo) + Math.imul(aHi, bLo) + Math.imul(aLo, bHi)) >>> 0, Math.imul(aLo, bLo) >>> 0];
}

/** `count` indices in [0, n) from a fresh stream of `seed` (for tests and independent reproductions). */
export function drawIndices(seed: Seed, n: number, count: number): Uint32Array {
  const rng = new SplitMix64(seed);
  const out = new Uint32Array(count);
  for (let i = 0; i < count; i++) out[i] = rng.nextIndex(n);
  return out;
}
