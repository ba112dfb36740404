// KLL sketch ⇄ compact binary and JSON-safe forms, on the sketch's plain state. The rng state is part of
// both, so a restored sketch continues exactly as the original would (same later bytes).
import { ByteReader, ByteWriter, TAG, fromJsonNumber, toJsonNumber, type JsonNumber } from './codec.js';

export interface KllState {
  k: number;
  n: number;
  /** Exact extremes (meaningless when n = 0). */
  min: number;
  max: number;
  rng: number[];
  /** Retained items per level; level h has weight 2^h; levels >= 1 are sorted. */
  levels: Float64Array[];
}

export interface KllJSON {
  k: number;
  n: number;
  min: JsonNumber | null;
  max: JsonNumber | null;
  rng: number[];
  levels: JsonNumber[][];
}

export function kllToJSON(st: KllState): KllJSON {
  const empty = st.n === 0;
  return {
    k: st.k,
    n: st.n,
    min: empty ? null : toJsonNumber(st.min),
    max: empty ? null : toJsonNumber(st.max),
    rng: st.rng,
    levels: st.levels.map((l) => Array.from(l, toJsonNumber)),
  };
}

export function kllFromJSON(j: KllJSON): KllState {
  const levels = j.levels.map((l) => Float64Array.from(l, (x) => fromJsonNumber(x)));
  return { k: j.k, n: j.n, min: fromJsonNumber(j.min), max: fromJsonNumber(j.max), rng: j.rng, levels };
}

/** Binary: tag, version, k, n, min, max, rng state, level count and sizes, then the items level by level. */
export function writeKll(w: ByteWriter, st: KllState): void {
  w.u8(TAG.kll).u8(1).u32(st.k).f64(st.n).f64(st.min).f64(st.max);
  for (const s of st.rng) w.u32(s);
  w.u32(st.levels.length);
  for (const l of st.levels) w.u32(l.length);
  for (const l of st.levels) w.f64s(l);
}

export function readKll(r: ByteReader): KllState {
  r.header(TAG.kll, 'KLL sketch', 1);
  const k = r.u32();
  const n = r.f64();
  const min = r.f64();
  const max = r.f64();
  const rng = [r.u32(), r.u32(), r.u32(), r.u32()];
  const numLevels = r.u32();
  if (numLevels < 1 || numLevels > 64) throw new Error(`bad KLL level count ${numLevels}`);
  const sizes = Array.from({ length: numLevels }, () => r.u32());
  const levels = sizes.map((s) => {
    const l = new Float64Array(s);
    r.f64s(l, s);
    return l;
  });
  return { k, n, min, max, rng, levels };
}
