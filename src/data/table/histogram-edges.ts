// The dataset report's histogram bins, shared by the report (which draws them) and the exact pass (which counts into
// them at push time), so both agree on the edges to the last bit.
import type { ColumnType } from './types.js';

/** Bins the report draws per numeric column (and the exact pass counts at push time). */
export const REPORT_BINS = 20;

/** Equal-width edges between min and max; one unit bin per value for a narrow integer range; [v, v] for one value. */
export function histogramEdges(min: number, max: number, type: ColumnType, bins: number): number[] {
  if (min === max) return [min, max];
  if (type === 'integer' && max - min + 1 <= bins) {
    // One bin per integer value, centred on it: a 0..5 count column reads as six bars, not twenty slivers.
    return Array.from({ length: max - min + 2 }, (_, i) => min - 0.5 + i);
  }
  const width = (max - min) / bins;
  return Array.from({ length: bins + 1 }, (_, i) => (i === bins ? max : min + i * width));
}

/**
 * The bin of `x` as numpy.histogram counts with these edges: [e_i, e_(i+1)), the last bin closed; -1 outside.
 * Comparisons only (no arithmetic), so a value on an edge lands where numpy puts it.
 */
export function binOf(edges: ArrayLike<number>, x: number): number {
  const last = edges.length - 1;
  if (!(x >= edges[0] && x <= edges[last])) return -1;
  let lo = 0;
  let hi = last; // edges[lo] <= x; find the last edge <= x
  while (hi - lo > 1) {
    const mid = (lo + hi) >>> 1;
    if (edges[mid] <= x) lo = mid;
    else hi = mid;
  }
  return x === edges[last] ? last - 1 : lo;
}
