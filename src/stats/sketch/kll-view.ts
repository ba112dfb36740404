// The sorted, weighted view of a KLL sketch's retained items that quantile, rank, cdf and pmf queries search.
// Built lazily after updates and cached by the sketch: levels >= 1 are already sorted, so the view is a
// sort of level 0 followed by one linear merge per level (no comparator callbacks, no per-item objects).

export class SortedView {
  private constructor(
    readonly values: Float64Array,
    /** Inclusive cumulative weights: cum[i] = total weight of values[0..i]. Exact integers below 2^53. */
    readonly cum: Float64Array,
  ) {}

  static build(levels: Float64Array[], sizes: number[]): SortedView {
    let total = 0;
    for (const s of sizes) total += s;
    let vals = new Float64Array(total);
    let wts = new Float64Array(total);
    let tmpV = new Float64Array(total);
    let tmpW = new Float64Array(total);
    vals.set(levels[0].subarray(0, sizes[0]));
    vals.subarray(0, sizes[0]).sort();
    wts.fill(1, 0, sizes[0]);
    let len = sizes[0];
    for (let h = 1; h < levels.length; h++) {
      const lv = levels[h];
      const ls = sizes[h];
      if (ls === 0) continue;
      const w = 2 ** h;
      let i = 0;
      let j = 0;
      let o = 0;
      while (i < len && j < ls) {
        if (vals[i] <= lv[j]) {
          tmpV[o] = vals[i];
          tmpW[o++] = wts[i++];
        } else {
          tmpV[o] = lv[j++];
          tmpW[o++] = w;
        }
      }
      while (i < len) {
        tmpV[o] = vals[i];
        tmpW[o++] = wts[i++];
      }
      while (j < ls) {
        tmpV[o] = lv[j++];
        tmpW[o++] = w;
      }
      len = o;
      [vals, tmpV] = [tmpV, vals];
      [wts, tmpW] = [tmpW, wts];
    }
    for (let i = 1; i < len; i++) wts[i] += wts[i - 1];
    return new SortedView(vals, wts);
  }

  /** Smallest value whose inclusive cumulative weight reaches `weight`. */
  quantile(weight: number): number {
    const cum = this.cum;
    let lo = 0;
    let hi = cum.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cum[mid] < weight) lo = mid + 1;
      else hi = mid;
    }
    return this.values[lo];
  }

  /** Total weight of retained values <= x. */
  weightAtOrBelow(x: number): number {
    const v = this.values;
    let lo = 0;
    let hi = v.length; // first index with v[i] > x
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (v[mid] <= x) lo = mid + 1;
      else hi = mid;
    }
    return lo === 0 ? 0 : this.cum[lo - 1];
  }
}

/**
 * Weight at or below each split point (cumulative, then n) or per bin (cumulative=false): the common core
 * of cdf() and pmf(). Below min nothing is counted and at or above max everything is: both are exact.
 */
export function binWeights(splits: ArrayLike<number>, n: number, min: number, max: number, view: () => SortedView, cumulative: boolean): number[] {
  for (let i = 0; i < splits.length; i++) {
    if (Number.isNaN(splits[i])) throw new Error('split points must not be NaN');
    if (i > 0 && !(splits[i] > splits[i - 1])) throw new Error('split points must be strictly increasing');
  }
  const out: number[] = [];
  let prev = 0;
  for (let i = 0; i < splits.length; i++) {
    const s = splits[i];
    const w = n === 0 || s < min ? 0 : s >= max ? n : view().weightAtOrBelow(s);
    out.push(cumulative ? w : w - prev);
    prev = w;
  }
  out.push(cumulative ? n : n - prev);
  return out;
}
