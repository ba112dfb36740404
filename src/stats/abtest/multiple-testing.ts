/**
 * Adjusted p-values across metrics, as statsmodels' multipletests: Holm (step-down, controls the
 * family-wise error rate) and Benjamini–Hochberg (step-up, controls the false discovery rate).
 * Nulls (metrics without a result) are left out of the family and stay null.
 */
export type PValueAdjustment = 'holm' | 'benjamini-hochberg' | 'none';

export function adjustPValues(pValues: (number | null)[], method: PValueAdjustment): (number | null)[] {
  const present = pValues.flatMap((p, i) => (p === null || !Number.isFinite(p) ? [] : [{ p, i }]));
  const out: (number | null)[] = pValues.map((p) => (p === null || !Number.isFinite(p) ? null : p));
  const m = present.length;
  if (method === 'none' || m === 0) return out;
  const sorted = [...present].sort((a, b) => a.p - b.p);
  if (method === 'holm') {
    // p̃(k) = max_{j ≤ k} min(1, (m − j + 1)·p(j))
    let running = 0;
    sorted.forEach(({ p, i }, k) => {
      running = Math.max(running, Math.min(1, (m - k) * p));
      out[i] = running;
    });
  } else {
    // p̃(k) = min_{j ≥ k} min(1, m·p(j)/j)
    let running = 1;
    for (let k = m - 1; k >= 0; k--) {
      const { p, i } = sorted[k]!;
      running = Math.min(running, (m * p) / (k + 1));
      out[i] = Math.min(1, running);
    }
  }
  return out;
}
