// Every value of a numeric column, exactly, while they fit a budget: distinct values ascending with a count each
// (run lengths, so repeats cost one count), fed through an unsorted buffer that is sorted and merged in when full.
// Two of them merge by merging their sorted runs, so windows and replicas combine exactly. A column profile drops
// its ExactValues (and answers from its KLL sketch) once the total passes the budget.
import { ByteReader, ByteWriter, TAG } from './codec.js';

/** Values kept exactly per numeric column (per window, per profile) before falling back to the sketch. */
export const EXACT_DEFAULT_BUDGET = 100_000;
/** The largest budget accepted: counts are stored as u32 and one column's arrays stay well under 200 MB. */
export const EXACT_MAX_BUDGET = 10_000_000;

const MIN_BUFFER = 256;
const FLAG_COUNTS = 1;
const FLAG_F32 = 2;

export class ExactValues {
  /** Distinct values, ascending (−0 and +0 are one value). */
  private vals: Float64Array;
  private cnts: Uint32Array;
  private runs = 0;
  private buf: Float64Array;
  private bufLen = 0;
  private count = 0;

  constructor(initialRuns = 0) {
    this.vals = new Float64Array(initialRuns);
    this.cnts = new Uint32Array(initialRuns);
    this.buf = new Float64Array(MIN_BUFFER);
  }

  /** Values held (with repeats). */
  get n(): number {
    return this.count;
  }

  /** Distinct values held. */
  get distinct(): number {
    this.flush();
    return this.runs;
  }

  /** Adds a finite or infinite number; callers drop NaN (a null) first. */
  update(x: number): void {
    if (this.bufLen === this.buf.length) this.flush();
    this.buf[this.bufLen++] = x;
    this.count++;
  }

  /** Adds every non-NaN value of the array. */
  updateMany(xs: ArrayLike<number>): void {
    for (let i = 0; i < xs.length; i++) {
      const x = xs[i];
      if (x !== x) continue;
      if (this.bufLen === this.buf.length) this.flush();
      this.buf[this.bufLen++] = x;
      this.count++;
    }
  }

  /** Sorts the buffer into runs and merges them in. The buffer grows with the runs, so the total work stays O(n log n). */
  private flush(): void {
    if (this.bufLen === 0) return;
    const b = this.buf.subarray(0, this.bufLen).sort();
    let m = 0;
    const bv = new Float64Array(this.bufLen);
    const bc = new Uint32Array(this.bufLen);
    for (let i = 0; i < b.length; i++) {
      if (m > 0 && bv[m - 1] === b[i]) bc[m - 1]++;
      else {
        bv[m] = b[i];
        bc[m++] = 1;
      }
    }
    this.mergeRuns(bv, bc, m);
    this.bufLen = 0;
    const want = Math.max(MIN_BUFFER, Math.min(this.runs, 1 << 20));
    if (want > this.buf.length) this.buf = new Float64Array(want);
  }

  private mergeRuns(ov: Float64Array, oc: Uint32Array, on: number): void {
    const an = this.runs;
    const av = this.vals;
    const ac = this.cnts;
    const cap = an + on;
    const nv = new Float64Array(cap);
    const nc = new Uint32Array(cap);
    let i = 0;
    let j = 0;
    let k = 0;
    while (i < an || j < on) {
      if (j >= on || (i < an && av[i] < ov[j])) {
        nv[k] = av[i];
        nc[k++] = ac[i++];
      } else if (i >= an || ov[j] < av[i]) {
        nv[k] = ov[j];
        nc[k++] = oc[j++];
      } else {
        nv[k] = av[i];
        nc[k++] = ac[i++] + oc[j++];
      }
    }
    // Keep the slack: later merges into a mostly-stable set of values then reuse the space (subarray views).
    this.vals = k === cap ? nv : nv.slice(0, k);
    this.cnts = k === cap ? nc : nc.slice(0, k);
    this.runs = k;
  }

  merge(other: ExactValues): this {
    if (other === this) other = this.clone();
    other.flush();
    this.flush();
    this.mergeRuns(other.vals, other.cnts, other.runs);
    this.count += other.count;
    return this;
  }

  /** The runs: distinct values ascending and their counts (views; do not keep across updates). */
  runsView(): { values: Float64Array; counts: Uint32Array } {
    this.flush();
    return { values: this.vals.subarray(0, this.runs), counts: this.cnts.subarray(0, this.runs) };
  }

  /** Every value, ascending, repeats included. */
  sorted(): Float64Array {
    const { values, counts } = this.runsView();
    const out = new Float64Array(this.count);
    let p = 0;
    for (let i = 0; i < values.length; i++) {
      const c = counts[i];
      out.fill(values[i], p, p + c);
      p += c;
    }
    return out;
  }

  /**
   * numpy.quantile(values, q, method='inverted_cdf'), the convention the KLL sketch follows: the smallest value
   * whose cumulative count reaches q·n. NaN when empty.
   */
  quantile(q: number): number {
    const { values, counts } = this.runsView();
    if (this.count === 0) return NaN;
    const target = q * this.count;
    let cum = 0;
    for (let i = 0; i < values.length; i++) {
      cum += counts[i];
      if (cum >= target && cum > 0) return values[i];
    }
    return values[values.length - 1];
  }

  /**
   * Counts over (−∞, s0], (s0, s1], …, (s_last, +∞) — the split-point convention of KllSketch.pmf, but counts of
   * values rather than estimated masses.
   */
  pmf(splits: ArrayLike<number>): number[] {
    const { values, counts } = this.runsView();
    const out = new Array<number>(splits.length + 1).fill(0);
    let b = 0;
    for (let i = 0; i < values.length; i++) {
      while (b < splits.length && values[i] > splits[b]) b++;
      out[b] += counts[i];
    }
    return out;
  }

  clone(): ExactValues {
    this.flush();
    const c = new ExactValues(0);
    c.vals = this.vals.slice(0, this.runs);
    c.cnts = this.cnts.slice(0, this.runs);
    c.runs = this.runs;
    c.count = this.count;
    return c;
  }

  /**
   * Binary: tag, version, flags, run count, values (float32 when every one is exactly a float32 — what most models
   * take — else float64), then counts as LEB128 varints when any value repeats. Sorted order makes equal sets
   * equal bytes.
   */
  writeTo(w: ByteWriter): void {
    const { values, counts } = this.runsView();
    let repeats = false;
    let single = true;
    for (let i = 0; i < values.length; i++) {
      if (counts[i] !== 1) repeats = true;
      if (single && Math.fround(values[i]) !== values[i]) single = false;
    }
    w.u8(TAG.exact)
      .u8(1)
      .u8((repeats ? FLAG_COUNTS : 0) | (single ? FLAG_F32 : 0))
      .u32(values.length);
    if (single) w.f32s(values);
    else w.f64block(values);
    if (repeats) for (let i = 0; i < counts.length; i++) w.varint(counts[i]);
  }

  static readFrom(r: ByteReader): ExactValues {
    r.header(TAG.exact, 'exact values', 1);
    const flags = r.u8();
    const runs = r.u32();
    const e = new ExactValues(0);
    const vals = new Float64Array(runs);
    if (flags & FLAG_F32) r.f32s(vals, runs);
    else r.f64s(vals, runs);
    const cnts = new Uint32Array(runs);
    let total = 0;
    for (let i = 0; i < runs; i++) {
      const c = flags & FLAG_COUNTS ? r.varint() : 1;
      if (c < 1 || c > 0xffffffff) throw new Error('bad exact values count');
      if (i > 0 && !(vals[i] > vals[i - 1])) throw new Error('exact values are not ascending');
      cnts[i] = c;
      total += c;
    }
    e.vals = vals;
    e.cnts = cnts;
    e.runs = runs;
    e.count = total;
    return e;
  }

  toBytes(): Uint8Array {
    const w = new ByteWriter(16 + 9 * this.count);
    this.writeTo(w);
    return w.finish();
  }

  static fromBytes(bytes: Uint8Array): ExactValues {
    const r = new ByteReader(bytes);
    const e = ExactValues.readFrom(r);
    r.end('exact values');
    return e;
  }

  /** JSON-safe form (stored window profiles are JSON): the binary form in base64. */
  toJSON(): string {
    return Buffer.from(this.toBytes()).toString('base64');
  }

  static fromJSON(s: string): ExactValues {
    return ExactValues.fromBytes(new Uint8Array(Buffer.from(s, 'base64')));
  }
}
