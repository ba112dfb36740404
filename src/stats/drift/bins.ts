/**
 * Buckets for the binned drift measures (PSI, Jensen–Shannon, KL, Hellinger) and for the plots.
 *
 * Two rules, chosen by `BinMode`:
 *
 * - `'evidently'` — Evidently's get_binned_data, reproduced exactly: a numeric column whose *reference*
 *   has more than 20 distinct values gets numpy 'sturges' equal-width bins over reference ∪ current
 *   (so the edges move with every current window); otherwise each distinct value (category) of
 *   reference ∪ current is a bucket. Nothing falls outside.
 * - `'reference'` — bins fixed on the reference alone (NannyML's choice): Sturges edges from the
 *   reference's min/max and size, plus an underflow bucket (< first edge) and an overflow bucket
 *   (> last edge) for current values outside the reference's range; categories are the reference's
 *   own, plus one "unseen" bucket for current categories the reference never had.
 *
 * `'reference'` is the rule for stored references (a training-set profile): its buckets and reference
 * counts are computed once and stay comparable across windows, and new values/categories show up as
 * their own bucket instead of silently stretching the bins. `'evidently'` stays the default of
 * columnDrift on raw samples so its numbers can be checked against Evidently's.
 */
import type { Category, CategoricalSample } from './sample.js';
import { compareCategories, runLengths, uniqueCountSorted } from './sample.js';

export type BinMode = 'evidently' | 'reference';

/** Evidently bins numeric columns only when the reference has more distinct values than this. */
export const DISCRETE_MAX_UNIQUE = 20;

/** Reference and current counts over one set of buckets; outer/unseen buckets sit at the ends. */
export interface BinnedPair {
  /** Numeric histogram: edges.length − 1 inner bins. */
  edges?: Float64Array;
  /** Discrete buckets: one label per inner bucket. */
  categories?: Category[];
  /** 'reference' mode, numeric: counts[0] is (−∞, edges[0]) and counts[last] is (edges[k], +∞). */
  outer: boolean;
  /** 'reference' mode, discrete: counts[last] gathers current values the reference never had. */
  unseen: boolean;
  reference: Float64Array;
  current: Float64Array;
  nReference: number;
  nCurrent: number;
}

/** numpy.histogram_bin_edges(values, 'sturges') from the values' min, max and count. */
export function sturgesEdges(min: number, max: number, count: number): Float64Array {
  let first = min;
  let last = max;
  if (first === last) {
    first -= 0.5;
    last += 0.5;
  }
  const width = (max - min) / (Math.log2(count) + 1);
  const nBins = width ? Math.ceil((last - first) / width) : 1;
  return linspace(first, last, nBins + 1);
}

/** numpy.linspace(start, stop, num) bit for bit: i·step + start, last element exactly stop. */
function linspace(start: number, stop: number, num: number): Float64Array {
  const out = new Float64Array(num);
  const div = num - 1;
  const delta = stop - start;
  const step = delta / div;
  for (let i = 0; i < num; i++) out[i] = step === 0 ? (i / div) * delta + start : i * step + start;
  out[num - 1] = stop;
  return out;
}

/** Index of the first element ≥ v (side 'left') or > v (side 'right') in an ascending array. */
export function searchSorted(a: Float64Array, v: number, side: 'left' | 'right'): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (side === 'left' ? a[mid] < v : a[mid] <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * np.histogram(sorted, edges) counts — [e_i, e_{i+1}) with the last bin closed — from k + 1 binary
 * searches on the already sorted sample (no per-element pass). With `outer`, also counts below and
 * above the edges, as the first and last entries.
 */
export function histogramSorted(sorted: Float64Array, edges: Float64Array, outer: boolean): Float64Array {
  const k = edges.length - 1;
  const out = new Float64Array(outer ? k + 2 : k);
  const base = outer ? 1 : 0;
  let prev = searchSorted(sorted, edges[0], 'left');
  if (outer) out[0] = prev;
  for (let i = 1; i <= k; i++) {
    const pos = i === k ? searchSorted(sorted, edges[k], 'right') : searchSorted(sorted, edges[i], 'left');
    out[base + i - 1] = pos - prev;
    prev = pos;
  }
  if (outer) out[k + 1] = sorted.length - prev;
  return out;
}

/** Buckets for a numeric column (sorted finite samples), following `mode`. */
export function numericBins(ref: Float64Array, cur: Float64Array, mode: BinMode): BinnedPair {
  if (uniqueCountSorted(ref) > DISCRETE_MAX_UNIQUE) return numericHistogram(ref, cur, mode);
  return discreteNumeric(ref, cur, mode);
}

/** Sturges histogram of a numeric column: over reference ∪ current ('evidently') or the reference. */
export function numericHistogram(ref: Float64Array, cur: Float64Array, mode: BinMode): BinnedPair {
  const fixed = mode === 'reference';
  const min = fixed ? ref[0] : Math.min(ref[0], cur[0]);
  const max = fixed ? ref[ref.length - 1] : Math.max(ref[ref.length - 1], cur[cur.length - 1]);
  const edges = sturgesEdges(min, max, fixed ? ref.length : ref.length + cur.length);
  return {
    edges,
    outer: fixed,
    unseen: false,
    reference: histogramSorted(ref, edges, fixed),
    current: histogramSorted(cur, edges, fixed),
    nReference: ref.length,
    nCurrent: cur.length,
  };
}

/** Each distinct value a bucket: values of reference ∪ current, or the reference's plus "unseen". */
export function discreteNumeric(ref: Float64Array, cur: Float64Array, mode: BinMode): BinnedPair {
  const r = runLengths(ref);
  const c = runLengths(cur);
  const fixed = mode === 'reference';
  const labels: number[] = [];
  const refCounts: number[] = [];
  const curCounts: number[] = [];
  let unseen = 0;
  let i = 0;
  let j = 0;
  // Merge the two ascending value lists.
  while (i < r.values.length || j < c.values.length) {
    const takeR = j >= c.values.length || (i < r.values.length && r.values[i] <= c.values[j]);
    const v = takeR ? r.values[i] : c.values[j];
    const rc = i < r.values.length && r.values[i] === v ? r.counts[i++] : 0;
    const cc = j < c.values.length && c.values[j] === v ? c.counts[j++] : 0;
    if (fixed && rc === 0) {
      unseen += cc;
      continue;
    }
    labels.push(v);
    refCounts.push(rc);
    curCounts.push(cc);
  }
  return discretePair(labels, refCounts, curCounts, fixed, unseen, ref.length, cur.length);
}

/** Category counts aligned on one ordered key list (union, or the reference's plus "unseen"). */
export function categoryBins(ref: CategoricalSample, cur: CategoricalSample, mode: BinMode): BinnedPair {
  const fixed = mode === 'reference';
  const keys = new Set<Category>(ref.counts.keys());
  if (!fixed) for (const k of cur.counts.keys()) keys.add(k);
  const labels = [...keys].sort(compareCategories);
  const refCounts = labels.map((k) => ref.counts.get(k) ?? 0);
  const curCounts = labels.map((k) => cur.counts.get(k) ?? 0);
  let unseen = 0;
  if (fixed) for (const [k, n] of cur.counts) if (!ref.counts.has(k)) unseen += n;
  return discretePair(labels, refCounts, curCounts, fixed, unseen, ref.n, cur.n);
}

function discretePair(
  labels: Category[],
  refCounts: number[],
  curCounts: number[],
  fixed: boolean,
  unseen: number,
  nReference: number,
  nCurrent: number,
): BinnedPair {
  if (fixed) {
    refCounts.push(0);
    curCounts.push(unseen);
  }
  return {
    categories: labels,
    outer: false,
    unseen: fixed,
    reference: Float64Array.from(refCounts),
    current: Float64Array.from(curCounts),
    nReference,
    nCurrent,
  };
}

/** counts / n: Evidently divides by the sample size (after dropping missing values). */
export function shares(counts: Float64Array, n: number): Float64Array {
  const out = new Float64Array(counts.length);
  for (let i = 0; i < counts.length; i++) out[i] = counts[i] / n;
  return out;
}

/**
 * Evidently's `feel_zeroes`: empty buckets get a small share so PSI/KL stay finite — 0.0001, or one
 * millionth of the smallest non-zero share when that share is itself ≤ 0.0001. Returns a new array.
 */
export function fillZeroes(p: Float64Array): Float64Array {
  let minNonZero = Infinity;
  for (const v of p) if (v !== 0 && v < minNonZero) minNonZero = v;
  const fill = minNonZero <= 0.0001 ? minNonZero / 1e6 : 0.0001;
  return p.map((v) => (v === 0 ? fill : v));
}

/** One side of the plot: buckets, counts and shares, plus what fell outside the reference's buckets. */
export interface PlotBins {
  edges?: number[];
  categories?: Category[];
  counts: number[];
  shares: number[];
  /** 'reference' mode only: current values below the first / above the last reference edge. */
  underflow?: { count: number; share: number };
  overflow?: { count: number; share: number };
  /** 'reference' mode only: current values in categories the reference does not have. */
  unseen?: { count: number; share: number };
}

export function toPlotBins(pair: BinnedPair): { reference: PlotBins; current: PlotBins } {
  const side = (counts: Float64Array, n: number): PlotBins => {
    const all = Array.from(counts);
    const bucket = (c: number) => ({ count: c, share: c / n });
    const inner = pair.outer ? all.slice(1, -1) : pair.unseen ? all.slice(0, -1) : all;
    const out: PlotBins = {
      ...(pair.edges ? { edges: Array.from(pair.edges) } : { categories: pair.categories ?? [] }),
      counts: inner,
      shares: inner.map((c) => c / n),
    };
    if (pair.outer) {
      out.underflow = bucket(all[0]);
      out.overflow = bucket(all[all.length - 1]);
    }
    if (pair.unseen) out.unseen = bucket(all[all.length - 1]);
    return out;
  };
  return { reference: side(pair.reference, pair.nReference), current: side(pair.current, pair.nCurrent) };
}
