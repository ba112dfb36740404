// Bounded uniform sample of a stream (the raw material for exact drift tests on profiles). Algorithm R's
// distribution, generated with Vitter's skip counting ("Algorithm X"): after each insertion one random
// number decides how many items to pass over, so a skipped item costs one increment and a compare, and the
// rng is consumed only ~capacity·ln(n/capacity) times.
//
// Merge: a uniform sample of the union takes j items from A, where j is hypergeometric(nA, nB, size), and a
// uniform j-subset of A's sample is a uniform j-subset of A's stream; drawing slot by slot with
// P(A) = remainingA / (remainingA + remainingB) gives exactly that, so merged samples stay uniform.
import { ByteReader, ByteWriter, TAG } from './codec.js';
import { DEFAULT_SEED, Rng } from './rng.js';

export const RESERVOIR_DEFAULT_CAPACITY = 512;

export type Sampled = number | string;

export interface ReservoirOptions {
  capacity?: number;
  seed?: number;
}

export interface ReservoirJSON<T extends Sampled = Sampled> {
  capacity: number;
  n: number;
  next: number;
  rng: number[];
  /** Non-finite numbers are null here and listed in `nonFinite` (a string "Infinity" stays a string). */
  items: (T | null)[];
  nonFinite?: [index: number, value: 'Infinity' | '-Infinity'][];
}

const NEXT_UNKNOWN = 0; // the skip is drawn on the next update (merges of old windows rarely get one)

export class Reservoir<T extends Sampled = Sampled> {
  readonly capacity: number;
  private items: T[] = [];
  private count = 0;
  /** 1-based index of the next stream item that enters the sample (once full). */
  private next = NEXT_UNKNOWN;
  private rng: Rng;

  constructor(options: ReservoirOptions = {}) {
    const c = options.capacity ?? RESERVOIR_DEFAULT_CAPACITY;
    if (!Number.isInteger(c) || c < 1) throw new Error(`reservoir capacity must be a positive integer, got ${c}`);
    this.capacity = c;
    this.rng = new Rng(options.seed ?? DEFAULT_SEED);
  }

  /** Items seen. */
  get n(): number {
    return this.count;
  }
  /** Items held: min(n, capacity). */
  get size(): number {
    return this.items.length;
  }
  /** The sample, in no meaningful order. */
  values(): readonly T[] {
    return this.items;
  }

  update(x: T): void {
    const n = ++this.count;
    if (n <= this.capacity) {
      this.items.push(x);
      return;
    }
    if (this.next === NEXT_UNKNOWN) this.next = this.skipFrom(n - 1);
    if (n < this.next) return;
    this.items[this.rng.nextInt(this.capacity)] = x;
    this.next = this.skipFrom(n);
  }

  /** After t items, the index of the next one to insert: P(skip >= s) = prod_{j=t+1}^{t+s} (j - cap) / j. */
  private skipFrom(t: number): number {
    const cap = this.capacity;
    const v = this.rng.nextOpenFloat();
    let s = t + 1;
    let quot = (s - cap) / s;
    while (quot > v) {
      s++;
      quot *= (s - cap) / s;
    }
    return s;
  }

  merge(other: Reservoir<T>): this {
    if (other === this) other = this.clone();
    if (other.capacity !== this.capacity) {
      throw new Error(`cannot merge reservoirs of capacity ${this.capacity} and ${other.capacity}`);
    }
    if (other.count === 0) return this;
    const total = this.count + other.count;
    if (total <= this.capacity) {
      for (const x of other.items) this.items.push(x);
    } else {
      const a = this.items.slice();
      const b = other.items.slice();
      let remA = this.count;
      let remB = other.count;
      const out: T[] = [];
      for (let t = 0; t < this.capacity; t++) {
        const fromA = this.rng.nextFloat() * (remA + remB) < remA;
        const pool = fromA ? a : b;
        if (fromA) remA--;
        else remB--;
        const i = this.rng.nextInt(pool.length);
        out.push(pool[i]);
        pool[i] = pool[pool.length - 1];
        pool.pop();
      }
      this.items = out;
    }
    this.count = total;
    this.next = NEXT_UNKNOWN;
    return this;
  }

  clone(): Reservoir<T> {
    return Reservoir.fromJSON<T>(this.toJSON());
  }

  toJSON(): ReservoirJSON<T> {
    const j: ReservoirJSON<T> = { capacity: this.capacity, n: this.count, next: this.next, rng: this.rng.getState(), items: [] };
    const nonFinite: [number, 'Infinity' | '-Infinity'][] = [];
    this.items.forEach((x, i) => {
      const special = typeof x === 'number' && !Number.isFinite(x);
      if (special) nonFinite.push([i, x > 0 ? 'Infinity' : '-Infinity']);
      j.items.push(special ? null : x);
    });
    if (nonFinite.length > 0) j.nonFinite = nonFinite;
    return j;
  }

  static fromJSON<T extends Sampled = Sampled>(j: ReservoirJSON<T>): Reservoir<T> {
    const r = new Reservoir<T>({ capacity: j.capacity });
    r.count = j.n;
    r.next = j.next;
    r.rng.setState(j.rng);
    r.items = j.items.slice() as T[];
    for (const [i, v] of j.nonFinite ?? []) r.items[i] = (v === 'Infinity' ? Infinity : -Infinity) as T;
    if (r.items.some((x) => x === null)) throw new Error('reservoir JSON has null items');
    return r;
  }

  /** Binary: tag, version, capacity, n, next, rng, item kind (0 numbers, 1 strings, 2 mixed), items. */
  writeTo(w: ByteWriter): void {
    w.u8(TAG.reservoir).u8(1).u32(this.capacity).f64(this.count).f64(this.next);
    for (const s of this.rng.getState()) w.u32(s);
    const nums = this.items.every((x) => typeof x === 'number');
    const strs = !nums && this.items.every((x) => typeof x === 'string');
    w.u8(nums ? 0 : strs ? 1 : 2).u32(this.items.length);
    for (const x of this.items) {
      if (!nums && !strs) w.u8(typeof x === 'number' ? 0 : 1);
      if (typeof x === 'number') w.f64(x);
      else w.str(x);
    }
  }

  static readFrom<T extends Sampled = Sampled>(r: ByteReader): Reservoir<T> {
    r.header(TAG.reservoir, 'reservoir sample', 1);
    const res = new Reservoir<T>({ capacity: r.u32() });
    res.count = r.f64();
    res.next = r.f64();
    res.rng.setState([r.u32(), r.u32(), r.u32(), r.u32()]);
    const kind = r.u8();
    const size = r.u32();
    if (kind > 2 || size > res.capacity) throw new Error('bad reservoir sample bytes');
    for (let i = 0; i < size; i++) {
      const itemKind = kind === 2 ? r.u8() : kind;
      res.items.push((itemKind === 0 ? r.f64() : r.str()) as T);
    }
    return res;
  }

  toBytes(): Uint8Array {
    const w = new ByteWriter(64 + 9 * this.items.length);
    this.writeTo(w);
    return w.finish();
  }

  static fromBytes<T extends Sampled = Sampled>(bytes: Uint8Array): Reservoir<T> {
    const r = new ByteReader(bytes);
    const res = Reservoir.readFrom<T>(r);
    r.end('reservoir sample');
    return res;
  }
}

/**
 * How often each of 0..n-1 lands in the sample over `reps` independent runs, streams split into `parts`
 * reservoirs and merged (parts = [n] for no merge). For uniformity checks (pytest, vitest).
 */
export function reservoirInclusionCounts(n: number, capacity: number, reps: number, parts: number[] = [n], seed = 1): number[] {
  if (parts.reduce((a, b) => a + b, 0) !== n) throw new Error('parts must add up to n');
  const counts = new Array<number>(n).fill(0);
  for (let rep = 0; rep < reps; rep++) {
    let start = 0;
    let merged: Reservoir<number> | null = null;
    parts.forEach((len, p) => {
      const r = new Reservoir<number>({ capacity, seed: seed * 1_000_003 + rep * 101 + p });
      for (let i = start; i < start + len; i++) r.update(i);
      start += len;
      merged = merged === null ? r : merged.merge(r);
    });
    for (const x of merged!.values()) counts[x]++;
  }
  return counts;
}
