// Category counts: exact while at most `maxItems` distinct values have been seen, then a Misra–Gries
// frequent-items sketch in the style of Apache DataSketches' FrequentItemsSketch. When the map outgrows
// maxItems, the median counter m is subtracted from every counter (counters <= m are dropped) and m is
// added to `offset`. The two phases are one structure: "exact" simply means no purge has happened yet.
//
// Guarantees, for every item x with true count f(x):
//   lowerBound(x) = tracked count (0 if untracked) <= f(x) <= lowerBound(x) + offset = upperBound(x),
//   offset = maximumError <= 2·n / (maxItems + 1).
// (Each purge drops >= (maxItems+1)/2 counters' worth of m from the stream's total, and the total dropped
// never exceeds n.) At the default maxItems = 1000 that is 0.2% of n. Merging adds the counts and offsets
// and purges again (Agarwal et al., "Mergeable summaries", 2012), so the bound holds for merged sketches.
import { ByteReader, ByteWriter, TAG } from './codec.js';

export const FREQUENT_DEFAULT_MAX_ITEMS = 1000;

export interface FrequentOptions {
  /** Distinct values counted exactly (and counters kept afterwards). Default 1000. */
  maxItems?: number;
}

export interface FrequentRow {
  value: string;
  /** DataSketches' estimate: count + offset for a tracked item (the exact count while isExact). */
  estimate: number;
  lowerBound: number;
  upperBound: number;
}

export interface FrequentJSON {
  maxItems: number;
  n: number;
  offset: number;
  items: [string, number][];
}

/** A mutable counter: an update is one map lookup (no get-then-set). */
interface Counter {
  c: number;
}

export class FrequentItems {
  readonly maxItems: number;
  private counts = new Map<string, Counter>();
  private offset = 0;
  private total = 0;
  private scratch: Float64Array | null = null;

  constructor(options: FrequentOptions = {}) {
    const m = options.maxItems ?? FREQUENT_DEFAULT_MAX_ITEMS;
    if (!Number.isInteger(m) || m < 2) throw new Error(`maxItems must be an integer >= 2, got ${m}`);
    this.maxItems = m;
  }

  /** The a-priori worst case of maximumError for a stream of n items. */
  static errorBound(maxItems: number, n: number): number {
    return (2 * n) / (maxItems + 1);
  }

  get n(): number {
    return this.total;
  }
  /** True while every count is exact (no purge yet). */
  get isExact(): boolean {
    return this.offset === 0;
  }
  /** Largest possible undercount of any item (0 while exact). */
  get maximumError(): number {
    return this.offset;
  }
  /** Counters held; the exact number of distinct values while isExact. */
  get numTracked(): number {
    return this.counts.size;
  }

  update(item: string, weight = 1): void {
    this.total += weight;
    const counter = this.counts.get(item);
    if (counter !== undefined) {
      counter.c += weight;
      return;
    }
    this.counts.set(item, { c: weight });
    if (this.counts.size > this.maxItems) this.purge();
  }

  merge(other: FrequentItems): this {
    if (other === this) other = this.clone();
    for (const [item, { c }] of other.counts) {
      const mine = this.counts.get(item);
      if (mine) mine.c += c;
      else this.counts.set(item, { c });
    }
    this.total += other.total;
    this.offset += other.offset;
    while (this.counts.size > this.maxItems) this.purge();
    return this;
  }

  lowerBound(item: string): number {
    return this.counts.get(item)?.c ?? 0;
  }

  upperBound(item: string): number {
    return (this.counts.get(item)?.c ?? 0) + this.offset;
  }

  estimate(item: string): number {
    const counter = this.counts.get(item);
    return counter === undefined ? 0 : counter.c + this.offset;
  }

  /** Tracked items by estimate (descending, ties by value), at most `limit`. */
  top(limit = 10): FrequentRow[] {
    return this.rows()
      .sort((a, b) => b.lowerBound - a.lowerBound || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0))
      .slice(0, limit);
  }

  /**
   * Items whose count may exceed `threshold`: 'noFalseNegatives' keeps upperBound > threshold (every
   * truly frequent item is listed); 'noFalsePositives' keeps lowerBound > threshold (every listed item is).
   */
  frequentItems(threshold: number, mode: 'noFalsePositives' | 'noFalseNegatives' = 'noFalsePositives'): FrequentRow[] {
    const t = Math.max(threshold, this.offset);
    return this.rows()
      .filter((r) => (mode === 'noFalsePositives' ? r.lowerBound : r.upperBound) > t)
      .sort((a, b) => b.lowerBound - a.lowerBound || (a.value < b.value ? -1 : 1));
  }

  private rows(): FrequentRow[] {
    const out: FrequentRow[] = [];
    for (const [value, { c }] of this.counts) {
      out.push({ value, estimate: c + this.offset, lowerBound: c, upperBound: c + this.offset });
    }
    return out;
  }

  /** Subtracts the median counter from all counters; at least half of them drop out. */
  private purge(): void {
    const size = this.counts.size;
    if (this.scratch === null || this.scratch.length < size) this.scratch = new Float64Array(Math.max(size, 2 * this.maxItems));
    const a = this.scratch;
    let i = 0;
    for (const counter of this.counts.values()) a[i++] = counter.c;
    const m = quickselect(a, size, size >> 1);
    for (const [item, counter] of this.counts) {
      if (counter.c <= m) this.counts.delete(item);
      else counter.c -= m;
    }
    this.offset += m;
  }

  clone(): FrequentItems {
    return FrequentItems.fromJSON(this.toJSON());
  }

  /** Items sorted by value so equal sketches give equal bytes whatever their insertion order. */
  private sortedEntries(): [string, number][] {
    return Array.from(this.counts, ([item, { c }]): [string, number] => [item, c]).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  }

  toJSON(): FrequentJSON {
    return { maxItems: this.maxItems, n: this.total, offset: this.offset, items: this.sortedEntries() };
  }

  static fromJSON(j: FrequentJSON): FrequentItems {
    const f = new FrequentItems({ maxItems: j.maxItems });
    f.total = j.n;
    f.offset = j.offset;
    for (const [item, c] of j.items) f.counts.set(item, { c });
    return f;
  }

  /** Binary: tag, version, maxItems, n, offset, item count, then (utf-8 value, count) pairs. */
  writeTo(w: ByteWriter): void {
    w.u8(TAG.frequent).u8(1).u32(this.maxItems).f64(this.total).f64(this.offset).u32(this.counts.size);
    for (const [item, c] of this.sortedEntries()) w.str(item).f64(c);
  }

  static readFrom(r: ByteReader): FrequentItems {
    r.header(TAG.frequent, 'frequent-items sketch', 1);
    const f = new FrequentItems({ maxItems: r.u32() });
    f.total = r.f64();
    f.offset = r.f64();
    const size = r.u32();
    for (let i = 0; i < size; i++) f.counts.set(r.str(), { c: r.f64() });
    return f;
  }

  toBytes(): Uint8Array {
    const w = new ByteWriter(32 + 16 * this.counts.size);
    this.writeTo(w);
    return w.finish();
  }

  static fromBytes(bytes: Uint8Array): FrequentItems {
    const r = new ByteReader(bytes);
    const f = FrequentItems.readFrom(r);
    r.end('frequent-items sketch');
    return f;
  }
}

/** k-th smallest of a[0..n) (Hoare's selection; reorders a). Deterministic middle pivot. */
function quickselect(a: Float64Array, n: number, k: number): number {
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const pivot = a[(lo + hi) >>> 1];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        const t = a[i];
        a[i++] = a[j];
        a[j--] = t;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k];
  }
  return a[k];
}
