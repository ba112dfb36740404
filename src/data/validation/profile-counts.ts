// What a column profile knows about individual values, as hard bounds (never estimates):
// - categorical: the frequent-items sketch. While exact, every value's count; after a purge, each tracked
//   value's count is a lower bound (Misra–Gries), and more than maxItems distinct values were seen.
// - numerical: the KLL sketch's retained items. Before its first compaction it holds every value (exact);
//   after, each retained copy stands for a distinct original occurrence, so a value retained c times
//   occurred at least c times.
// From these, the number of values matching a predicate lies in [lower, upper], equal when exact.
import type { ColumnProfile } from '../../stats/index.js';
import { fromProfileText, type Scalar } from './column-values.js';
import type { ColumnType } from './types.js';

export interface ValueCounts {
  /** Values certainly present, with a lower bound of their count (the count itself when exact). */
  counts: Map<Scalar, number>;
  exact: boolean;
  /** Non-null values of the column's kind. */
  n: number;
  /** A lower bound of the number of distinct values. */
  distinctLower: number;
}

export function valueCounts(cp: ColumnProfile, type: ColumnType): ValueCounts {
  const counts = new Map<Scalar, number>();
  if (cp.frequent) {
    const f = cp.frequent;
    for (const row of f.top(f.numTracked)) counts.set(fromProfileText(type, row.value), row.lowerBound);
    const distinctLower = f.isExact ? counts.size : Math.max(counts.size, f.maxItems + 1);
    return { counts, exact: f.isExact, n: f.n, distinctLower };
  }
  if (cp.kll && cp.kll.n > 0) {
    const { values } = cp.kll.weightedItems();
    for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
    return { counts, exact: cp.kll.numRetained === cp.kll.n, n: cp.kll.n, distinctLower: counts.size };
  }
  return { counts, exact: true, n: 0, distinctLower: 0 };
}

export interface CountBounds {
  lower: number;
  upper: number;
  /** The known unexpected values with their (lower-bound) counts, most frequent first. */
  values: [Scalar, number][];
}

/** Bounds of the number of values for which `unexpected` holds. */
export function boundsWhere(vc: ValueCounts, unexpected: (v: Scalar) => boolean): CountBounds {
  let bad = 0;
  let good = 0;
  const values: [Scalar, number][] = [];
  for (const [v, c] of vc.counts) {
    if (unexpected(v)) {
      bad += c;
      values.push([v, c]);
    } else good += c;
  }
  values.sort((a, b) => b[1] - a[1]);
  return vc.exact ? { lower: bad, upper: bad, values } : { lower: bad, upper: vc.n - good, values };
}

/** Bounds of the number of values that occur more than once (all their occurrences, as GE counts). */
export function duplicateBounds(vc: ValueCounts): CountBounds {
  let dup = 0;
  const values: [Scalar, number][] = [];
  for (const [v, c] of vc.counts) {
    if (c >= 2) {
      dup += c;
      values.push([v, c]);
    }
  }
  values.sort((a, b) => b[1] - a[1]);
  return { lower: dup, upper: vc.exact ? dup : vc.n, values };
}

/** The largest double below x (for "values < x" as a rank, which counts values <= its argument). */
export function nextDown(x: number): number {
  if (!Number.isFinite(x)) return x;
  if (x === 0) return -Number.MIN_VALUE;
  const f = new Float64Array([x]);
  const b = new BigInt64Array(f.buffer);
  b[0] += x > 0 ? -1n : 1n;
  return f[0];
}
