/**
 * Data quality of live traffic per feature and window: missing values, type errors, and — against the
 * reference — numbers outside the reference's range and categories the reference never had.
 */
import type { ColumnProfile, DatasetProfile } from '../stats/index.js';

export interface FeatureQuality {
  name: string;
  rows: number;
  null_rate: number | null;
  type_errors: number;
  /** Numbers below the reference minimum or above its maximum (share of non-missing values); null without a reference. */
  out_of_range: number | null;
  /** Values of categories absent from the reference (share of non-missing values); null without a reference. */
  unseen_categories: number | null;
  /** The most frequent unseen categories. */
  unseen_top?: { value: string; count: number }[];
}

function outOfRange(ref: ColumnProfile, cur: ColumnProfile): number | null {
  if (!ref.kll || !cur.kll || ref.kll.n === 0 || cur.kll.n === 0) return null;
  const lo = ref.kll.min;
  const hi = ref.kll.max;
  const below = lo - Math.max(Math.abs(lo) * 1e-12, 1e-300);
  // pmf over (-inf, below], (below, hi], (hi, inf): the ends are outside the reference's range.
  const [under, , over] = cur.kll.pmf([below, hi]) as [number, number, number];
  return (under + over) / cur.kll.n;
}

function unseen(ref: ColumnProfile, cur: ColumnProfile): { share: number; top: { value: string; count: number }[] } | null {
  if (!ref.frequent || !cur.frequent || cur.frequent.n === 0) return null;
  const known = new Set(ref.frequent.top(Number.MAX_SAFE_INTEGER).map((r) => r.value));
  // Past the reference's category cap its rarest categories are not all tracked: only exact counts can say "unseen".
  if (!ref.frequent.isExact) return null;
  const rows = cur.frequent.top(Number.MAX_SAFE_INTEGER).filter((r) => !known.has(r.value));
  const count = rows.reduce((a, r) => a + r.estimate, 0);
  return { share: count / cur.frequent.n, top: rows.slice(0, 10).map((r) => ({ value: r.value, count: r.estimate })) };
}

export function featureQuality(name: string, cur: ColumnProfile, ref: ColumnProfile | undefined): FeatureQuality {
  const u = ref && cur.kind === 'categorical' ? unseen(ref, cur) : null;
  return {
    name,
    rows: cur.count,
    null_rate: cur.count ? cur.nulls / cur.count : null,
    type_errors: cur.typeErrors,
    out_of_range: ref && cur.kind === 'numerical' ? outOfRange(ref, cur) : null,
    unseen_categories: u ? u.share : null,
    ...(u && u.top.length ? { unseen_top: u.top } : {}),
  };
}

export function datasetQuality(features: string[], cur: DatasetProfile, ref: DatasetProfile | null): FeatureQuality[] {
  return features.map((f) => featureQuality(f, cur.column(f), ref?.columns.get(f)));
}
