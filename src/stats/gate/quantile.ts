/**
 * Percentiles of the bootstrap replicates with numpy's default quantile (method='linear', Hyndman & Fan type 7):
 * for sorted x₀ ≤ … ≤ x_{B−1}, h = (B − 1)·q, x_⌊h⌋ + (h − ⌊h⌋)·(x_⌊h⌋₊₁ − x_⌊h⌋), with numpy's own lerp
 * (computed from the upper end when the fraction is ≥ ½), so the same replicates give the same bits.
 */

/** q-quantile (0 ≤ q ≤ 1) of ascending `sorted` (length ≥ 1). */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  const t = h - lo;
  const a = sorted[lo];
  const b = sorted[hi];
  const diff = b - a;
  return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
}
