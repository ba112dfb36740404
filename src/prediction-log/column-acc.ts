/**
 * A column of values gathered request after request, from a packed batch's numbers or from lists: numbers
 * while every part is numeric (NaN: missing), else a list. Window profiles take it as it is; the prediction
 * log stores it encoded (encodeColumn).
 */
export class ColumnAcc {
  private nums: Float64Array | null = null;
  private list: unknown[] | null = null;
  private len = 0;

  addNums(src: Float64Array, at: number, rows: number): void {
    if (this.list) {
      for (let r = 0; r < rows; r++) {
        const x = src[at + r]!;
        this.list.push(x === x ? x : null);
      }
      this.len += rows;
      return;
    }
    const need = this.len + rows;
    if (!this.nums || this.nums.length < need) {
      const next = new Float64Array(Math.max(need, 2 * (this.nums?.length ?? 8)));
      if (this.nums) next.set(this.nums.subarray(0, this.len));
      this.nums = next;
    }
    if (rows === 1) this.nums[this.len] = src[at]!;
    else this.nums.set(src.subarray(at, at + rows), this.len);
    this.len = need;
  }

  private toList(): unknown[] {
    if (!this.list) {
      this.list = new Array<unknown>(this.len);
      for (let i = 0; i < this.len; i++) {
        const x = this.nums![i]!;
        this.list[i] = x === x ? x : null;
      }
      this.nums = null;
    }
    return this.list;
  }

  addList(values: ArrayLike<unknown>, rows: number): void {
    const list = this.toList();
    for (let r = 0; r < rows; r++) list.push(values[r]);
    this.len += rows;
  }

  /** Text given as indexes into `strings` (NaN: missing). */
  addStrings(ids: Float64Array, strings: string[], at: number, rows: number): void {
    const list = this.toList();
    for (let r = 0; r < rows; r++) {
      const x = ids[at + r]!;
      list.push(x === x ? strings[x] : null);
    }
    this.len += rows;
  }

  result(): ArrayLike<unknown> {
    return this.list ?? (this.nums ? this.nums.subarray(0, this.len) : []);
  }
}

/** Whether this machine stores numbers little-endian (stored number columns are little-endian). */
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** A stored column: numbers as little-endian float32 or float64 (NaN: missing), in base64; anything else a JSON list. */
export type EncodedColumn = { f32: string } | { f64: string } | unknown[];

/**
 * Numbers as float32 when every one is exactly a float32 (what most models take: 4 bytes, not ~18 digits of
 * JSON), else as float64 (exact for any number); other columns as their list (missing: null).
 */
export function encodeColumn(values: ArrayLike<unknown>): EncodedColumn {
  if (values instanceof Float64Array && LITTLE_ENDIAN) {
    let f32 = true;
    for (let i = 0; i < values.length && f32; i++) {
      const x = values[i]!;
      f32 = Math.fround(x) === x || x !== x;
    }
    if (f32) return { f32: Buffer.from(Float32Array.from(values).buffer).toString('base64') };
    return { f64: Buffer.from(values.buffer, values.byteOffset, values.byteLength).toString('base64') };
  }
  const out = new Array<unknown>(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    out[i] = typeof v === 'number' && v !== v ? null : (v ?? null);
  }
  return out;
}

/** A stored column's values (missing: null). */
export function decodeColumn(c: EncodedColumn): unknown[] {
  if (Array.isArray(c)) return c;
  const bytes = Buffer.from('f32' in c ? c.f32 : c.f64, 'base64');
  // Copied into a fresh buffer: typed arrays need their element alignment.
  const copy = new Uint8Array(bytes);
  const nums = 'f32' in c ? new Float32Array(copy.buffer) : new Float64Array(copy.buffer);
  const out = new Array<unknown>(nums.length);
  for (let i = 0; i < nums.length; i++) {
    const x = nums[i]!;
    out[i] = x === x ? x : null;
  }
  return out;
}
