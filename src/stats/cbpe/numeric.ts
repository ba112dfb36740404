/**
 * numpy's floating-point habits, reproduced so that CBPE's figures agree with nannyml's to the last bits rather
 * than to a few ulps: `np.sum` (pairwise summation, blocks of 8 accumulators up to 128 values), `np.mean`,
 * `np.std` (ddof 0, two passes), `np.round(x, 5)` (multiply, round half to even, divide) and
 * `np.trapezoid` (sklearn.metrics.auc).
 */

const PW_BLOCKSIZE = 128;

function pairwise(a: ArrayLike<number>, start: number, n: number): number {
  if (n < 8) {
    let res = 0;
    for (let i = 0; i < n; i++) res += a[start + i];
    return res;
  }
  if (n <= PW_BLOCKSIZE) {
    let r0 = a[start],
      r1 = a[start + 1],
      r2 = a[start + 2],
      r3 = a[start + 3],
      r4 = a[start + 4],
      r5 = a[start + 5],
      r6 = a[start + 6],
      r7 = a[start + 7];
    let i = 8;
    for (; i < n - (n % 8); i += 8) {
      const p = start + i;
      r0 += a[p];
      r1 += a[p + 1];
      r2 += a[p + 2];
      r3 += a[p + 3];
      r4 += a[p + 4];
      r5 += a[p + 5];
      r6 += a[p + 6];
      r7 += a[p + 7];
    }
    let res = r0 + r1 + (r2 + r3) + (r4 + r5 + (r6 + r7));
    for (; i < n; i++) res += a[start + i];
    return res;
  }
  let n2 = Math.floor(n / 2);
  n2 -= n2 % 8;
  return pairwise(a, start, n2) + pairwise(a, start + n2, n - n2);
}

/** `np.sum` of a contiguous float64 array (or of a slice of one). */
export function npSum(a: ArrayLike<number>, start = 0, end = a.length): number {
  return pairwise(a, start, end - start);
}

/** `np.mean`: NaN for an empty slice, as numpy answers (with a warning). */
export function npMean(a: ArrayLike<number>, start = 0, end = a.length): number {
  const n = end - start;
  return n === 0 ? NaN : npSum(a, start, end) / n;
}

/** `np.std` with ddof 0: the mean, then the mean of squared deviations, then the square root. */
export function npStd(a: ArrayLike<number>): number {
  const n = a.length;
  if (n === 0) return NaN;
  const mean = npSum(a) / n;
  const sq = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const d = a[i] - mean;
    sq[i] = d * d;
  }
  return Math.sqrt(npSum(sq) / n);
}

/** `np.rint`: round half to even (JavaScript's Math.round rounds halves up). */
export function rint(y: number): number {
  if (!Number.isFinite(y)) return y;
  const f = Math.floor(y);
  const d = y - f; // exact for |y| < 2^52, and beyond that y is already an integer
  const r = d < 0.5 ? f : d > 0.5 ? f + 1 : f % 2 === 0 ? f : f + 1;
  return r === 0 && y < 0 ? -0 : r; // numpy keeps the sign: rint(-0.3) is -0.0
}

/** `np.round(x, decimals)` for decimals ≥ 0: x·10^d rounded half to even, divided by 10^d (numpy's own steps). */
export function npRound(x: number, decimals: number): number {
  const f = 10 ** decimals;
  return rint(x * f) / f;
}

/**
 * `sklearn.metrics.auc(x, y)`: the trapezoid rule, with x allowed to be non-increasing (the area is negated).
 * Throws AucRefused where sklearn raises (x neither non-decreasing nor non-increasing): nannyml catches that
 * error and reports the whole metric (estimate, sampling error, band, realized) as NaN.
 */
export function sklearnAuc(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const n = x.length;
  if (n < 2) return NaN;
  let anyNeg = false;
  let allNonPos = true;
  const terms = new Float64Array(n - 1);
  for (let i = 0; i < n - 1; i++) {
    const dx = x[i + 1] - x[i];
    if (dx < 0) anyNeg = true;
    if (!(dx <= 0)) allNonPos = false;
    terms[i] = (dx * (y[i + 1] + y[i])) / 2.0;
  }
  let direction = 1;
  if (anyNeg) {
    if (allNonPos) direction = -1;
    else throw new AucRefused();
  }
  return direction * npSum(terms);
}

/** sklearn.metrics.auc's refusal of an x that is neither non-decreasing nor non-increasing. */
export class AucRefused extends Error {
  constructor() {
    super('x is neither increasing nor decreasing');
    this.name = 'AucRefused';
  }
}

/**
 * Indices that sort `keys` ascending (or descending), ties in index order: a stable bottom-up merge sort on typed
 * arrays, an order of magnitude faster than Array.prototype.sort with a comparator on 10⁵ rows. `then` breaks ties
 * on a second key (ascending) before the index.
 */
export function argsort(keys: ArrayLike<number>, descending = false, then?: ArrayLike<number>): Uint32Array {
  const n = keys.length;
  let a = new Uint32Array(n);
  for (let i = 0; i < n; i++) a[i] = i;
  if (n < 2) return a;
  let b = new Uint32Array(n);
  const sign = descending ? -1 : 1;
  // before(i, j): row i sorts strictly before row j.
  const before = (i: number, j: number): boolean => {
    const d = sign * (keys[i] - keys[j]);
    if (d !== 0) return d < 0;
    if (then) {
      const e = then[i] - then[j];
      if (e !== 0) return e < 0;
    }
    return false;
  };
  for (let width = 1; width < n; width *= 2) {
    for (let lo = 0; lo < n; lo += 2 * width) {
      const mid = Math.min(lo + width, n);
      const hi = Math.min(lo + 2 * width, n);
      let i = lo;
      let j = mid;
      let k = lo;
      // Stable: on a tie the left run (earlier indices) goes first.
      while (i < mid && j < hi) b[k++] = before(a[j], a[i]) ? a[j++] : a[i++];
      while (i < mid) b[k++] = a[i++];
      while (j < hi) b[k++] = a[j++];
    }
    [a, b] = [b, a];
  }
  return a;
}
