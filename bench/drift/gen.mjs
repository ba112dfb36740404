// The drift benchmark's data: a seeded generator writing reference and current tables (20 features: 12
// numeric, 8 categorical, drift injected in 6 of them) once per run, in a form both sides load fast:
//   <dir>/meta.json                  {rows, seed, columns: [{name, kind, drift, categories?}]}
//   <dir>/{reference,current}/<name>.f64   numeric: Float64 little-endian, NaN = missing
//   <dir>/{reference,current}/<name>.i32   categorical: Int32 codes into `categories`, -1 = missing
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** xorshift128+ seeded through splitmix64-ish mixing; only needs to be deterministic. */
function rng(seed) {
  let a = (seed ^ 0x9e3779b9) >>> 0 || 1;
  let b = Math.imul(seed, 0x85ebca6b) >>> 0 || 2;
  let c = 0x6a09e667;
  let d = 0xbb67ae85;
  const u32 = () => {
    const t = a ^ (a << 11);
    a = b;
    b = c;
    c = d;
    d = (d ^ (d >>> 19) ^ t ^ (t >>> 8)) >>> 0;
    return d;
  };
  for (let i = 0; i < 16; i++) u32();
  const uniform = () => ((u32() >>> 5) * 67108864 + (u32() >>> 6) + 0.5) / 9007199254740992; // (0, 1)
  let spare = null;
  const normal = () => {
    if (spare !== null) {
      const s = spare;
      spare = null;
      return s;
    }
    const r = Math.sqrt(-2 * Math.log(uniform()));
    const t = 2 * Math.PI * uniform();
    spare = r * Math.sin(t);
    return r * Math.cos(t);
  };
  const poisson = (lam) => {
    // Knuth; fine for lam ≤ 30
    const l = Math.exp(-lam);
    let k = 0;
    let p = uniform();
    while (p > l) {
      k++;
      p *= uniform();
    }
    return k;
  };
  return { uniform, normal, poisson };
}

/** Weighted category sampler: cumulative table + binary search. */
function sampler(weights) {
  const cum = new Float64Array(weights.length);
  let s = 0;
  weights.forEach((w, i) => (cum[i] = s += w));
  return (u) => {
    const x = u * s;
    let lo = 0;
    let hi = cum.length - 1;
    while (lo < hi) {
      const m = (lo + hi) >> 1;
      if (cum[m] < x) lo = m + 1;
      else hi = m;
    }
    return lo;
  };
}

const zipf = (n, s = 1.1) => Array.from({ length: n }, (_, i) => 1 / (i + 1) ** s);
const labels = (prefix, n) => Array.from({ length: n }, (_, i) => `${prefix}_${String(i).padStart(3, '0')}`);

// Numeric: (r, current) => value. `drift`: what the current side changes (shown in the report).
const NUMERIC = [
  ['num_normal', 'mean +0.5 std', (r, cur) => r.normal() + (cur ? 0.5 : 0)],
  ['num_normal_wide', null, (r) => 100 + 15 * r.normal()],
  ['num_lognormal', 'mu 0 -> 0.3', (r, cur) => Math.exp(r.normal() + (cur ? 0.3 : 0))],
  ['num_lognormal_tight', null, (r) => Math.exp(2 + 0.5 * r.normal())],
  ['num_uniform', null, (r) => r.uniform()],
  ['num_uniform_shift', 'small: upper edge 5 -> 5.2', (r, cur) => -5 + (cur ? 10.2 : 10) * r.uniform()],
  ['num_exponential', null, (r) => -Math.log(r.uniform())],
  ['num_count_small', null, (r) => r.poisson(3)],
  ['num_count', 'Poisson 20 -> 23', (r, cur) => r.poisson(cur ? 23 : 20)],
  ['num_int_4values', null, (r) => Math.floor(4 * r.uniform())],
  ['num_mixture', 'weights 0.7/0.3 -> 0.5/0.5', (r, cur) => (r.uniform() < (cur ? 0.5 : 0.7) ? r.normal() : 4 + r.normal())],
  ['num_missing_5pct', null, (r) => (r.uniform() < 0.05 ? NaN : 50 + 10 * r.normal())],
];

// Categorical: [name, drift, categories, reference weights, current weights, missing share].
const c200 = zipf(200);
const CATEGORICAL = [
  ['cat_binary', null, ['no', 'yes'], [0.5, 0.5], [0.49, 0.51], 0],
  ['cat_5', null, labels('c5', 5), [0.4, 0.3, 0.15, 0.1, 0.05], null, 0],
  ['cat_5_shift', 'shares 40/30/15/10/5 -> 20/30/20/15/15', labels('c5s', 5), [0.4, 0.3, 0.15, 0.1, 0.05], [0.2, 0.3, 0.2, 0.15, 0.15], 0],
  ['cat_20', null, labels('c20', 20), zipf(20), null, 0],
  ['cat_20_missing_3pct', null, labels('c20m', 20), zipf(20, 0.8), null, 0.03],
  ['cat_200', null, labels('c200', 200), c200, null, 0],
  ['cat_200_rotated', 'Zipf ranks rotated by 3', labels('c200r', 200), c200, [...c200.slice(-3), ...c200.slice(0, -3)], 0],
  ['cat_500_uniform', null, labels('c500', 500), Array(500).fill(1), null, 0],
];

export function generate(dir, rows, seed = 42) {
  const meta = { rows, seed, columns: [] };
  for (const side of ['reference', 'current']) mkdirSync(join(dir, side), { recursive: true });
  let col = 0;
  for (const [name, drift, fn] of NUMERIC) {
    meta.columns.push({ name, kind: 'numerical', drift });
    for (const [s, side] of ['reference', 'current'].entries()) {
      const r = rng(seed * 1000 + col * 2 + s);
      const a = new Float64Array(rows);
      for (let i = 0; i < rows; i++) a[i] = fn(r, s === 1);
      writeFileSync(join(dir, side, `${name}.f64`), new Uint8Array(a.buffer));
    }
    col++;
  }
  for (const [name, drift, categories, wRef, wCur, missing] of CATEGORICAL) {
    meta.columns.push({ name, kind: 'categorical', drift, categories });
    for (const [s, side] of ['reference', 'current'].entries()) {
      const r = rng(seed * 1000 + col * 2 + s);
      const pick = sampler(s === 1 && wCur ? wCur : wRef);
      const a = new Int32Array(rows);
      for (let i = 0; i < rows; i++) a[i] = missing && r.uniform() < missing ? -1 : pick(r.uniform());
      writeFileSync(join(dir, side, `${name}.i32`), new Uint8Array(a.buffer));
    }
    col++;
  }
  writeFileSync(join(dir, 'meta.json'), JSON.stringify(meta));
  return meta;
}

/** Loads one side into memory: Float64Array per numeric column, (string | null)[] per categorical one. */
export function loadSide(dir, side) {
  const meta = JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8'));
  const columns = {};
  for (const c of meta.columns) {
    if (c.kind === 'numerical') {
      const buf = readFileSync(join(dir, side, `${c.name}.f64`));
      const n = buf.byteLength / 8;
      columns[c.name] =
        buf.byteOffset % 8 === 0
          ? new Float64Array(buf.buffer, buf.byteOffset, n)
          : new Float64Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
    } else {
      const buf = readFileSync(join(dir, side, `${c.name}.i32`));
      const codes = new Int32Array(buf.buffer, buf.byteOffset, buf.byteLength / 4);
      const out = new Array(codes.length);
      for (let i = 0; i < codes.length; i++) out[i] = codes[i] < 0 ? null : c.categories[codes[i]];
      columns[c.name] = out;
    }
  }
  return { meta, columns };
}
