// Count, min, max, mean and variance in one pass. Welford's update keeps the sum of squared deviations
// (m2) around the running mean, so values like 1e9 + x keep their variance (the naive sum-of-squares
// formula loses it to cancellation); Chan et al.'s pairwise formula merges two partial results exactly as
// if one stream had seen both. The mean is held as shift + delta, shift being the first value: at 1e9 a
// plain running mean rounds to 1.2e-7 on every update and those roundings add up to ~1e-8 relative error
// in m2; the small delta keeps full precision (measured ~1e-13).
import { ByteReader, ByteWriter, TAG, fromJsonNumber, toJsonNumber, type JsonNumber } from './codec.js';

export interface MomentsJSON {
  count: number;
  shift: JsonNumber;
  delta: JsonNumber;
  m2: JsonNumber;
  min: JsonNumber | null;
  max: JsonNumber | null;
}

export class Moments {
  count = 0;
  /** The first value (finite), the origin the running mean is kept relative to. */
  shift = 0;
  /** mean - shift. */
  delta = 0;
  /** Sum of squared deviations from the mean. */
  m2 = 0;
  min = Infinity;
  max = -Infinity;

  get mean(): number {
    return this.count > 0 ? this.shift + this.delta : NaN;
  }

  /** Adds one value; the caller filters NaN (a profile counts it as a null). */
  update(x: number): void {
    const n = ++this.count;
    if (n === 1 && Number.isFinite(x)) this.shift = x;
    const y = x - this.shift;
    const d = y - this.delta;
    this.delta += d / n;
    this.m2 += d * (y - this.delta);
    if (x < this.min) this.min = x;
    if (x > this.max) this.max = x;
  }

  updateMany(xs: ArrayLike<number>, start = 0, end = xs.length): void {
    // Same arithmetic as update(), with the fields in locals so the loop stays in registers.
    let n = this.count;
    let shift = this.shift;
    let delta = this.delta;
    let m2 = this.m2;
    let min = this.min;
    let max = this.max;
    for (let i = start; i < end; i++) {
      const x = xs[i];
      if (x !== x) continue; // NaN
      n++;
      if (n === 1 && Number.isFinite(x)) shift = x;
      const y = x - shift;
      const d = y - delta;
      delta += d / n;
      m2 += d * (y - delta);
      if (x < min) min = x;
      if (x > max) max = x;
    }
    this.count = n;
    this.shift = shift;
    this.delta = delta;
    this.m2 = m2;
    this.min = min;
    this.max = max;
  }

  /** Chan, Golub & LeVeque (1979): combines (n, mean, m2) of two disjoint streams. */
  merge(other: Moments): this {
    if (other.count === 0) return this;
    if (this.count === 0) {
      this.count = other.count;
      this.shift = other.shift;
      this.delta = other.delta;
      this.m2 = other.m2;
      this.min = other.min;
      this.max = other.max;
      return this;
    }
    const na = this.count;
    const nb = other.count;
    const n = na + nb;
    // Both means in this sketch's frame: shifts are close for one feature, so their difference is exact.
    const d = other.shift - this.shift + other.delta - this.delta;
    this.delta += (d * nb) / n;
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
      shift: toJsonNumber(this.shift),
      delta: toJsonNumber(this.delta),
      m2: toJsonNumber(this.m2),
      min: empty ? null : toJsonNumber(this.min),
      max: empty ? null : toJsonNumber(this.max),
    };
  }

  static fromJSON(j: MomentsJSON): Moments {
    const m = new Moments();
    m.count = j.count;
    if (j.count > 0) {
      m.shift = fromJsonNumber(j.shift);
      m.delta = fromJsonNumber(j.delta);
      m.m2 = fromJsonNumber(j.m2);
      m.min = fromJsonNumber(j.min);
      m.max = fromJsonNumber(j.max);
    }
    return m;
  }

  /** 50 bytes: tag, version, count, shift, delta, m2, min, max. */
  writeTo(w: ByteWriter): void {
    const w1 = w.u8(TAG.moments).u8(1).f64(this.count).f64(this.shift).f64(this.delta);
    w1.f64(this.m2).f64(this.min).f64(this.max);
  }

  static readFrom(r: ByteReader): Moments {
    r.header(TAG.moments, 'moments sketch', 1);
    const m = new Moments();
    m.count = r.f64();
    m.shift = r.f64();
    m.delta = r.f64();
    m.m2 = r.f64();
    m.min = r.f64();
    m.max = r.f64();
    return m;
  }

  toBytes(): Uint8Array {
    const w = new ByteWriter(56);
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
