// KLL quantile sketch (Karnin, Lang & Liberty 2016) laid out as in Apache DataSketches: a stack of
// compactors, level h holding items of weight 2^h; the top level holds k items and each level below
// holds 2/3 of the one above (at least 8). When the sketch is full, the lowest full level is sorted and
// every other item (from a random offset, drawn from the seeded Rng) moves up one level with double weight.
//
// Error (DataSketches' published table, 99% confidence, k=200): a single rank()/quantile() query is off by
// at most ~1.33% of n in rank ("single-sided"); a pmf()/cdf() bin, which has rank error at both of its
// edges, by at most ~1.65% of n ("double-sided"). See KllSketch.normalizedRankError(); tests check both.
// min and max are exact; quantile(0) and quantile(1) return them.
//
// Rank convention: inclusive. rank(x) = fraction of items <= x; quantile(q) = the smallest retained item
// whose inclusive cumulative weight reaches q·n (numpy's method='inverted_cdf' on exact data).
import { ByteReader, ByteWriter } from './codec.js';
import { kllFromJSON, kllToJSON, readKll, writeKll, type KllJSON, type KllState } from './kll-codec.js';
import { DEFAULT_SEED, Rng } from './rng.js';
import { SortedView, binWeights } from './kll-view.js';

export type { KllJSON, KllState } from './kll-codec.js';

export const KLL_DEFAULT_K = 200;
const MIN_LEVEL_CAPACITY = 8;
const MAX_K = 65535;

export interface KllOptions {
  k?: number;
  seed?: number;
}

/** Capacity of level h when there are numLevels levels: k·(2/3)^depth, computed in exact integers. */
function levelCapacity(k: number, numLevels: number, h: number): number {
  const depth = numLevels - h - 1;
  if (depth > 30) return MIN_LEVEL_CAPACITY;
  return Math.max(MIN_LEVEL_CAPACITY, Math.round((k * 2 ** depth) / 3 ** depth));
}

/** Below this many items, level 0 is sorted in place by insertion (a typed-array sort call costs more than it saves). */
const INSERTION_SORT_MAX = 48;

/**
 * Sorts a[0..n) ascending, -0 before +0 as TypedArray.prototype.sort does (so that the bytes do not depend on
 * which sort ran). Level 0 is compacted every few items once the sketch has many levels (its capacity is
 * then 8), so this runs on short runs most of the time.
 */
function sortLevel(a: Float64Array, n: number): void {
  if (n > INSERTION_SORT_MAX) {
    a.subarray(0, n).sort();
    return;
  }
  for (let i = 1; i < n; i++) {
    const v = a[i];
    let j = i - 1;
    while (j >= 0 && (a[j] > v || (a[j] === v && v === 0 && 1 / v < 0 && 1 / a[j] > 0))) {
      a[j + 1] = a[j];
      j--;
    }
    a[j + 1] = v;
  }
}

export class KllSketch {
  readonly k: number;
  private levels: Float64Array[] = [];
  private sizes: number[] = [];
  private caps: number[] = [];
  private totalCap = 0;
  private retained = 0;
  private count = 0;
  private lo = Infinity;
  private hi = -Infinity;
  private rng: Rng;
  private view: SortedView | null = null;

  constructor(options: KllOptions = {}) {
    const k = options.k ?? KLL_DEFAULT_K;
    if (!Number.isInteger(k) || k < MIN_LEVEL_CAPACITY || k > MAX_K) {
      throw new Error(`KLL k must be an integer in [${MIN_LEVEL_CAPACITY}, ${MAX_K}], got ${k}`);
    }
    this.k = k;
    this.rng = new Rng(options.seed ?? DEFAULT_SEED);
    this.addLevel();
  }

  /** DataSketches' fitted error at 99% confidence: pmf=true for pmf()/cdf() bins, false for one rank. */
  static normalizedRankError(k: number, pmf: boolean): number {
    return pmf ? 2.446 / k ** 0.9433 : 2.296 / k ** 0.9723;
  }

  normalizedRankError(pmf: boolean): number {
    return KllSketch.normalizedRankError(this.k, pmf);
  }

  get n(): number {
    return this.count;
  }
  /** Exact minimum; NaN when empty. */
  get min(): number {
    return this.count > 0 ? this.lo : NaN;
  }
  /** Exact maximum; NaN when empty. */
  get max(): number {
    return this.count > 0 ? this.hi : NaN;
  }
  get numRetained(): number {
    return this.retained;
  }

  /** Adds one value; NaN is ignored (a profile counts it as a null). */
  update(x: number): void {
    if (x !== x) return;
    if (this.retained >= this.totalCap) this.compress();
    let l0 = this.levels[0];
    const s0 = this.sizes[0];
    if (s0 === l0.length) l0 = this.grow(0, s0 + 1);
    l0[s0] = x;
    this.sizes[0] = s0 + 1;
    this.retained++;
    this.count++;
    if (x < this.lo) this.lo = x;
    if (x > this.hi) this.hi = x;
    this.view = null;
  }

  /** Same result as update() in a loop; fills level 0 in runs up to the next compaction. */
  updateMany(xs: ArrayLike<number>, start = 0, end = xs.length): void {
    let i = start;
    while (i < end) {
      if (this.retained >= this.totalCap) this.compress();
      const stop = Math.min(end, i + this.totalCap - this.retained);
      const l0 = this.grow(0, this.sizes[0] + (stop - i));
      let s0 = this.sizes[0];
      let lo = this.lo;
      let hi = this.hi;
      for (; i < stop; i++) {
        const x = xs[i];
        if (x !== x) continue;
        l0[s0++] = x;
        if (x < lo) lo = x;
        if (x > hi) hi = x;
      }
      const added = s0 - this.sizes[0];
      this.sizes[0] = s0;
      this.retained += added;
      this.count += added;
      this.lo = lo;
      this.hi = hi;
    }
    this.view = null;
  }

  merge(other: KllSketch): this {
    if (other === this) other = this.clone();
    if (other.k !== this.k) throw new Error(`cannot merge KLL sketches with k=${this.k} and k=${other.k}`);
    if (other.count === 0) return this;
    while (this.levels.length < other.levels.length) this.addLevel();
    for (let h = 0; h < other.levels.length; h++) {
      const add = other.sizes[h];
      if (add === 0) continue;
      if (h === 0) {
        const dst = this.grow(0, this.sizes[0] + add);
        dst.set(other.levels[0].subarray(0, add), this.sizes[0]);
        this.sizes[0] += add;
      } else {
        this.mergeInto(h, other.levels[h], 0, 1, add);
      }
    }
    this.retained += other.retained;
    this.count += other.count;
    if (other.lo < this.lo) this.lo = other.lo;
    if (other.hi > this.hi) this.hi = other.hi;
    while (this.retained > this.totalCap) this.compress();
    this.view = null;
    return this;
  }

  quantile(q: number): number {
    if (!(q >= 0 && q <= 1)) throw new Error(`quantile rank must be in [0, 1], got ${q}`);
    if (this.count === 0) return NaN;
    if (q === 0) return this.lo;
    if (q === 1) return this.hi;
    return this.sorted().quantile(q * this.count);
  }

  quantiles(qs: ArrayLike<number>): number[] {
    return Array.from(qs, (q) => this.quantile(q));
  }

  /** Estimated fraction of items <= x; NaN when empty. */
  rank(x: number): number {
    if (this.count === 0) return NaN;
    if (x < this.lo) return 0;
    if (x >= this.hi) return 1;
    return this.sorted().weightAtOrBelow(x) / this.count;
  }

  /** Ranks at each split point, then 1: length m+1 (DataSketches' getCDF). */
  cdf(splitPoints: ArrayLike<number>): number[] {
    return binWeights(splitPoints, this.count, this.lo, this.hi, () => this.sorted(), true).map((w) => w / this.count);
  }

  /** Estimated item counts in (-inf, s0], (s0, s1], …, (s_last, +inf): length m+1, summing to n. */
  pmf(splitPoints: ArrayLike<number>): number[] {
    return binWeights(splitPoints, this.count, this.lo, this.hi, () => this.sorted(), false);
  }

  clone(): KllSketch {
    return KllSketch.fromBytes(this.toBytes());
  }

  /**
   * The retained items, ascending, with their weights (summing to n): the discrete distribution the sketch
   * stands for. Distances between two sketches (e.g. Wasserstein-1) are computed on these.
   */
  weightedItems(): { values: Float64Array; weights: Float64Array } {
    const v = this.sorted();
    const weights = new Float64Array(v.values.length);
    for (let i = 0; i < weights.length; i++) weights[i] = v.cum[i]! - (i > 0 ? v.cum[i - 1]! : 0);
    return { values: v.values, weights };
  }

  private sorted(): SortedView {
    if (this.view === null) this.view = SortedView.build(this.levels, this.sizes);
    return this.view;
  }

  private addLevel(): void {
    const numLevels = this.levels.length + 1;
    this.levels.push(new Float64Array(this.levels.length === 0 ? this.k : MIN_LEVEL_CAPACITY));
    this.sizes.push(0);
    this.caps = [];
    this.totalCap = 0;
    for (let h = 0; h < numLevels; h++) {
      const c = levelCapacity(this.k, numLevels, h);
      this.caps.push(c);
      this.totalCap += c;
    }
  }

  /** Makes level h hold at least `need` items (doubling, so growth is amortized). */
  private grow(h: number, need: number): Float64Array {
    const cur = this.levels[h];
    if (need <= cur.length) return cur;
    const next = new Float64Array(Math.max(need, cur.length * 2));
    next.set(cur.subarray(0, this.sizes[h]));
    this.levels[h] = next;
    return next;
  }

  /** Compacts the lowest level that is at capacity, adding a level on top when needed. */
  private compress(): void {
    let h = 0;
    while (h < this.levels.length - 1 && this.sizes[h] < this.caps[h]) h++;
    if (h === this.levels.length - 1) this.addLevel();
    const src = this.levels[h];
    const size = this.sizes[h];
    if (h === 0) sortLevel(src, size); // level 0 is unsorted; the others stay sorted
    const keep = size & 1; // an odd item stays behind, with its weight unchanged
    const pairs = (size - keep) >> 1;
    const offset = keep + this.rng.nextBit();
    this.mergeInto(h + 1, src, offset, 2, pairs);
    this.sizes[h] = keep;
    this.retained -= pairs;
  }

  /** Sorted merge of src[offset + stride·j], j < count, into the sorted level h, from the back. */
  private mergeInto(h: number, src: Float64Array, offset: number, stride: number, count: number): void {
    let i = this.sizes[h] - 1;
    const dst = this.grow(h, this.sizes[h] + count);
    let w = i + count;
    for (let j = count - 1; j >= 0;) {
      const v = src[offset + stride * j];
      if (i >= 0 && dst[i] > v) dst[w--] = dst[i--];
      else {
        dst[w--] = v;
        j--;
      }
    }
    this.sizes[h] += count;
  }

  /** The plain state the codecs in kll-codec.ts read (level arrays trimmed to their sizes, not copied). */
  state(): KllState {
    const levels = this.levels.map((l, h) => l.subarray(0, this.sizes[h]));
    return { k: this.k, n: this.count, min: this.lo, max: this.hi, rng: this.rng.getState(), levels };
  }

  static fromState(st: KllState): KllSketch {
    const s = new KllSketch({ k: st.k });
    while (s.levels.length < st.levels.length) s.addLevel();
    st.levels.forEach((l, h) => {
      s.grow(h, Math.max(l.length, s.caps[h])).set(l);
      s.sizes[h] = l.length;
      s.retained += l.length;
    });
    s.count = st.n;
    s.lo = st.n > 0 ? st.min : Infinity;
    s.hi = st.n > 0 ? st.max : -Infinity;
    s.rng.setState(st.rng);
    return s;
  }

  toJSON(): KllJSON {
    return kllToJSON(this.state());
  }

  static fromJSON(j: KllJSON): KllSketch {
    return KllSketch.fromState(kllFromJSON(j));
  }

  writeTo(w: ByteWriter): void {
    writeKll(w, this.state());
  }

  static readFrom(r: ByteReader): KllSketch {
    return KllSketch.fromState(readKll(r));
  }

  toBytes(): Uint8Array {
    const w = new ByteWriter(64 + 8 * this.retained);
    this.writeTo(w);
    return w.finish();
  }

  static fromBytes(bytes: Uint8Array): KllSketch {
    const r = new ByteReader(bytes);
    const s = KllSketch.readFrom(r);
    r.end('KLL sketch');
    return s;
  }
}
