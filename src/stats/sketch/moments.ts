// Count, min, max, mean and variance in one pass. Welford's update keeps the sum of squared deviations
// (m2) around the running mean, so values like 1e9 + x keep their variance (the naive sum-of-squares
// formula loses it to cancellation); Chan et al.'s pairwise formula merges two partial results exactly as
// if one stream had seen both.
import { ByteReader, ByteWriter, TAG, fromJsonNumber, toJsonNumber, type JsonNumber } from './codec.js';

export interface MomentsJSON {
  count: number;
  mean: JsonNumber;
  m2: JsonNumber;
  min: JsonNumber | null;
  max: JsonNumber | null;
}

export class Moments {
  count = 0;
  mean = 0;
  /** Sum of squared deviations from the mean. */
  m2 = 0;
  min = Infinity;
  max = -Infinity;

  /** Adds one value; the caller filters NaN (a profile counts it as a null). */
  update(x: number): void {
    const n = ++this.count;
    const d = x - this.mean;
    this.mean += d / n;
    this.m2 += d * (x - this.mean);
    if (x < this.min) this.min = x;
    if (x > this.max) this.max = x;
  }

  updateMany(xs: ArrayLike<number>, start = 0, end = xs.length): void {
    // Same arithmetic as update(), with the fields in locals so the loop stays in registers.
    let n = this.count;
    let mean = this.mean;
    let m2 = this.m2;
    let min = this.min;
    let max = this.max;
    for (let i = start; i < end; i++) {
      const x = xs[i];
      if (x !== x) continue; // NaN
      n++;
      const d = x - mean;
      mean += d / n;
      m2 += d * (x - mean);
      if (x < min) min = x;
      if (x > max) max = x;
    }
    this.count = n;
    this.mean = mean;
    this.m2 = m2;
    this.min = min;
    this.max = max;
  }

  /** Chan, Golub & LeVeque (1979): combines (n, mean, m2) of two disjoint streams. */
  merge(other: Moments): this {
    if (other.count === 0) return this;
    if (this.count === 0) {
      this.count = other.count;
      this.mean = other.mean;
      this.m2 = other.m2;
      this.min = other.min;
      this.max = other.max;
      return this;
    }
    const na = this.count;
    const nb = other.count;
    const n = na + nb;
    const d = other.mean - this.mean;
    this.mean += (d * nb) / n;
    this.m2 += other.m2 + ((d * d * na) / n) * nb;
    this.count = n;
    if (other.min < this.min) this.min = other.min;
    if (other.max > this.max) this.max = other.max;
    return this;
  }

  /** Population variance (numpy ddof=0); NaN when empty. */
  variancePopulation(): number {
    return this.count > 0 ? this.m2 / this.count : NaN;
  }

  /** Sample variance (numpy ddof=1, pandas' default); NaN below two values. */
  varianceSample(): number {
    return this.count > 1 ? this.m2 / (this.count - 1) : NaN;
  }

  stdSample(): number {
    return Math.sqrt(this.varianceSample());
  }

  clone(): Moments {
    return new Moments().merge(this);
  }

  toJSON(): MomentsJSON {
    const empty = this.count === 0;
    return {
      count: this.count,
      mean: toJsonNumber(this.mean),
      m2: toJsonNumber(this.m2),
      min: empty ? null : toJsonNumber(this.min),
      max: empty ? null : toJsonNumber(this.max),
    };
  }

  static fromJSON(j: MomentsJSON): Moments {
    const m = new Moments();
    m.count = j.count;
    if (j.count > 0) {
      m.mean = fromJsonNumber(j.mean);
      m.m2 = fromJsonNumber(j.m2);
      m.min = fromJsonNumber(j.min);
      m.max = fromJsonNumber(j.max);
    }
    return m;
  }

  /** 42 bytes: tag, version, count, mean, m2, min, max. */
  writeTo(w: ByteWriter): void {
    w.u8(TAG.moments).u8(1).f64(this.count).f64(this.mean).f64(this.m2).f64(this.min).f64(this.max);
  }

  static readFrom(r: ByteReader): Moments {
    r.header(TAG.moments, 'moments sketch', 1);
    const m = new Moments();
    m.count = r.f64();
    m.mean = r.f64();
    m.m2 = r.f64();
    m.min = r.f64();
    m.max = r.f64();
    return m;
  }

  toBytes(): Uint8Array {
    const w = new ByteWriter(48);
    this.writeTo(w);
    return w.finish();
  }

  static fromBytes(bytes: Uint8Array): Moments {
    const r = new ByteReader(bytes);
    const m = Moments.readFrom(r);
    r.end('moments sketch');
    return m;
  }
}
