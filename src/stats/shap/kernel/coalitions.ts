/**
 * Which coalitions KernelSHAP evaluates and with what weight: shap's `KernelExplainer` scheme (`_kernel.py`
 * `explain`). Subset size s carries the Shapley kernel weight (M−1)/(s(M−s)); sizes s and M−s are paired (the
 * smaller one's weight doubled); whole sizes are enumerated, smallest pair first, while the samples left cover
 * them; the rest are drawn by size (then uniformly within the size) with their complements, a repeat adding 1 to
 * the weight of the first draw; drawn weights are scaled to the kernel weight the enumerated sizes left over.
 */
import type { Rng } from '../../sketch/index.js';

export function binomial(n: number, k: number): number {
  if (k < 0 || k > n) return 0;
  const m = Math.min(k, n - k);
  let r = 1;
  for (let i = 1; i <= m; i++) r = (r * (n - m + i)) / i;
  return Math.round(r);
}

/** Every subset of {0..M−1} of size s, as index lists, in lexicographic order (itertools.combinations). */
export function* combinations(M: number, s: number): Generator<number[]> {
  const idx = Array.from({ length: s }, (_, i) => i);
  if (s > M) return;
  for (;;) {
    yield idx.slice();
    let i = s - 1;
    while (i >= 0 && idx[i] === M - s + i) i--;
    if (i < 0) return;
    idx[i]!++;
    for (let j = i + 1; j < s; j++) idx[j] = idx[j - 1]! + 1;
  }
}

const maskOf = (M: number, on: number[]) => {
  const m = new Uint8Array(M);
  for (const i of on) m[i] = 1;
  return m;
};
const complement = (m: Uint8Array) => m.map((b) => 1 - b);

export interface KernelPlan {
  masks: Uint8Array[];
  /** Final weights for all masks when every one is evaluated. */
  weights: number[];
  /** Masks [0, fixed) are whole enumerated sizes; the rest were drawn. */
  fixed: number;
  /** The kernel weight the drawn masks share (sum of the sizes not enumerated). */
  weightLeft: number;
  /** Draw counts of the drawn masks (before scaling to weightLeft). */
  counts: number[];
}

/** shap's coalition plan for `nsamples` coalitions (capped at 2^M − 2) of M features. */
export function kernelPlan(M: number, nsamples: number, rng: Rng): KernelPlan {
  const cap = M <= 30 ? 2 ** M - 2 : Infinity;
  nsamples = Math.min(nsamples, cap);
  const numSubsetSizes = Math.ceil((M - 1) / 2);
  const numPaired = Math.floor((M - 1) / 2);
  const weightVector = Array.from({ length: numSubsetSizes }, (_, i) => (M - 1) / ((i + 1) * (M - i - 1)));
  for (let i = 0; i < numPaired; i++) weightVector[i]! *= 2;
  const wsum = weightVector.reduce((a, b) => a + b, 0);
  for (let i = 0; i < numSubsetSizes; i++) weightVector[i]! /= wsum;

  const masks: Uint8Array[] = [];
  const weights: number[] = [];
  let numFull = 0;
  let left = nsamples;
  const remaining = weightVector.slice();
  for (let size = 1; size <= numSubsetSizes; size++) {
    let nsubsets = binomial(M, size);
    const paired = size <= numPaired;
    if (paired) nsubsets *= 2;
    if (!((left * remaining[size - 1]!) / nsubsets >= 1 - 1e-8)) break;
    numFull++;
    left -= nsubsets;
    if (remaining[size - 1]! < 1) {
      const r = 1 - remaining[size - 1]!;
      for (let i = 0; i < remaining.length; i++) remaining[i]! /= r;
    }
    let w = weightVector[size - 1]! / binomial(M, size);
    if (paired) w /= 2;
    for (const on of combinations(M, size)) {
      const m = maskOf(M, on);
      masks.push(m);
      weights.push(w);
      if (paired) {
        masks.push(complement(m));
        weights.push(w);
      }
    }
  }
  const fixed = masks.length;
  const counts: number[] = [];
  let weightLeft = 0;
  if (numFull !== numSubsetSizes) {
    const rw = weightVector.slice();
    for (let i = 0; i < numPaired; i++) rw[i]! /= 2;
    const tail = rw.slice(numFull);
    const tsum = tail.reduce((a, b) => a + b, 0);
    const cdf: number[] = [];
    tail.reduce((acc, w, i) => (cdf[i] = acc + w / tsum), 0);
    const used = new Map<string, number>();
    const perm = Array.from({ length: M }, (_, i) => i);
    let draws = 4 * left;
    while (left > 0 && draws-- > 0) {
      const u = rng.nextFloat();
      let ind = cdf.findIndex((c) => u < c);
      if (ind < 0) ind = tail.length - 1;
      const size = ind + numFull + 1;
      // A uniform subset of that size: the first `size` of a Fisher–Yates shuffle.
      for (let i = M - 1; i > 0; i--) {
        const j = rng.nextInt(i + 1);
        [perm[i], perm[j]] = [perm[j]!, perm[i]!];
      }
      const m = maskOf(M, perm.slice(0, size));
      const key = m.join('');
      const seen = used.get(key);
      if (seen === undefined) {
        used.set(key, masks.length);
        masks.push(m);
        counts.push(1);
        left--;
      } else counts[seen - fixed]!++;
      if (left > 0 && size <= numPaired) {
        if (seen === undefined) {
          masks.push(complement(m));
          counts.push(1);
          left--;
        } else counts[seen + 1 - fixed]!++;
      }
    }
    weightLeft = weightVector.slice(numFull).reduce((a, b) => a + b, 0);
  }
  return { masks, weights: [...weights, ...scaleCounts(counts, weightLeft)], fixed, weightLeft, counts };
}

/** The drawn masks' counts scaled so they share `weightLeft` (shap normalises the drawn part alone). */
export function scaleCounts(counts: number[], weightLeft: number): number[] {
  const total = counts.reduce((a, b) => a + b, 0);
  return total > 0 ? counts.map((c) => (c * weightLeft) / total) : [];
}
