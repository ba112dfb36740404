// Seeded PRNG for every random choice a sketch makes (KLL compaction offsets, reservoir slots), so the same
// seed and the same input give the same profile bytes run to run. xoshiro128** (Blackman & Vigna): 32-bit
// ops only, 128-bit state that serializes as four uint32s, seeded through splitmix32 so that nearby seeds
// (0, 1, 2...) still give unrelated streams.

export const DEFAULT_SEED = 0x5eed;

function splitmix32(state: number): [next: number, out: number] {
  const s = (state + 0x9e3779b9) | 0;
  let z = s;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return [s, (z ^ (z >>> 16)) >>> 0];
}

export class Rng {
  private readonly s = new Uint32Array(4);

  constructor(seed: number = DEFAULT_SEED) {
    let st = seed >>> 0;
    for (let i = 0; i < 4; i++) {
      const [next, out] = splitmix32(st);
      st = next;
      this.s[i] = out;
    }
    // An all-zero state would be a fixed point; splitmix32 makes it practically impossible, but be sure.
    if ((this.s[0] | this.s[1] | this.s[2] | this.s[3]) === 0) this.s[0] = 1;
  }

  /** Next uniform uint32. */
  nextU32(): number {
    const s = this.s;
    const r = Math.imul(rotl(Math.imul(s[1], 5), 7), 9) >>> 0;
    const t = s[1] << 9;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11);
    return r;
  }

  /** Uniform double in [0, 1) with 53 random bits. */
  nextFloat(): number {
    const hi = this.nextU32() >>> 5; // 27 bits
    const lo = this.nextU32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Uniform double in (0, 1): safe for log(). */
  nextOpenFloat(): number {
    let u = this.nextFloat();
    while (u === 0) u = this.nextFloat();
    return u;
  }

  /** Uniform integer in [0, n) for 0 < n <= 2^32, without modulo bias (Lemire's rejection). */
  nextInt(n: number): number {
    if (n <= 1) return 0;
    if (n > 4294967296) return Math.floor(this.nextFloat() * n);
    // Rejection on the top of the uint32 range keeps every outcome equally likely.
    const limit = 4294967296 - (4294967296 % n);
    let x = this.nextU32();
    while (x >= limit) x = this.nextU32();
    return x % n;
  }

  /** One fair bit. */
  nextBit(): number {
    return this.nextU32() >>> 31;
  }

  /** The four state words, for serialization. */
  getState(): [number, number, number, number] {
    return [this.s[0], this.s[1], this.s[2], this.s[3]];
  }

  setState(state: ArrayLike<number>): this {
    if (state.length !== 4) throw new Error('Rng state must have 4 words');
    for (let i = 0; i < 4; i++) this.s[i] = state[i] >>> 0;
    if ((this.s[0] | this.s[1] | this.s[2] | this.s[3]) === 0) throw new Error('Rng state must not be all zero');
    return this;
  }

  clone(): Rng {
    return new Rng(0).setState(this.s);
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
