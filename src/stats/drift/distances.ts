/**
 * Distance-type drift measures (no p-value; drift when the distance reaches the threshold):
 * Wasserstein-1 (scipy wasserstein_distance; Evidently norms it by the reference's std), Jensen–Shannon
 * distance (scipy jensenshannon, natural log), PSI, Kullback–Leibler divergence (scipy entropy) and
 * Hellinger distance — each as Evidently computes it from bucket shares.
 */
import { populationStd } from './sample.js';

/** Evidently floors the reference std at this value so a constant reference does not divide by 0. */
export const WASSERSTEIN_MIN_NORM = 0.001;

/**
 * scipy.stats.wasserstein_distance(u, v) on two ascending samples: ∫|F_u − F_v| dx, one merge pass over
 * the distinct values of u ∪ v (equal to scipy's sum over sorted pooled values, where ties add 0).
 */
export function wassersteinSorted(u: Float64Array, v: Float64Array): number {
  const nu = u.length;
  const nv = v.length;
  let i = 0;
  let j = 0;
  let sum = 0;
  while (i < nu || j < nv) {
    const x = j >= nv || (i < nu && u[i] <= v[j]) ? u[i] : v[j];
    while (i < nu && u[i] === x) i++;
    while (j < nv && v[j] === x) j++;
    if (i === nu && j === nv) break;
    const next = j >= nv || (i < nu && u[i] <= v[j]) ? u[i] : v[j];
    sum += Math.abs(i / nu - j / nv) * (next - x);
  }
  return sum;
}

/** Evidently's "wasserstein": W1(reference, current) / max(std(reference), 0.001), std with ddof = 0. Both sorted ascending. */
export function wassersteinNormed(reference: Float64Array, current: Float64Array): number {
  const norm = Math.max(populationStd(reference), WASSERSTEIN_MIN_NORM);
  return wassersteinSorted(reference, current) / norm;
}

/**
 * scipy.stats.wasserstein_distance(uValues, vValues, uWeights, vWeights) — the weighted form, for binned
 * data (bin centres weighted by counts) or sketches. Values need not be sorted; weights default to 1.
 */
export function wassersteinWeighted(
  uValues: ArrayLike<number>,
  vValues: ArrayLike<number>,
  uWeights?: ArrayLike<number>,
  vWeights?: ArrayLike<number>,
): number {
  const u = sortWithWeights(uValues, uWeights);
  const v = sortWithWeights(vValues, vWeights);
  let i = 0;
  let j = 0;
  let cu = 0;
  let cv = 0;
  let sum = 0;
  const nu = u.values.length;
  const nv = v.values.length;
  while (i < nu || j < nv) {
    const x = j >= nv || (i < nu && u.values[i] <= v.values[j]) ? u.values[i] : v.values[j];
    while (i < nu && u.values[i] === x) cu += u.weights[i++];
    while (j < nv && v.values[j] === x) cv += v.weights[j++];
    if (i === nu && j === nv) break;
    const next = j >= nv || (i < nu && u.values[i] <= v.values[j]) ? u.values[i] : v.values[j];
    sum += Math.abs(cu / u.total - cv / v.total) * (next - x);
  }
  return sum;
}

function sortWithWeights(values: ArrayLike<number>, weights?: ArrayLike<number>) {
  const n = values.length;
  if (n === 0) throw new RangeError('wasserstein: a distribution has no values');
  if (weights && weights.length !== n) throw new RangeError('wasserstein: values and weights differ in length');
  const order = Uint32Array.from({ length: n }, (_, k) => k).sort((a, b) => values[a] - values[b]);
  const sv = new Float64Array(n);
  const sw = new Float64Array(n);
  let total = 0;
  for (let k = 0; k < n; k++) {
    sv[k] = values[order[k]];
    const w = weights ? weights[order[k]] : 1;
    if (!(w >= 0) || !Number.isFinite(w)) throw new RangeError('wasserstein: weights must be finite and ≥ 0');
    sw[k] = w;
    total += w;
  }
  if (!(total > 0)) throw new RangeError('wasserstein: weights must not sum to 0');
  return { values: sv, weights: sw, total };
}

/** scipy.special.rel_entr: x·ln(x/y), 0 when x = 0, +∞ when x > 0 = y. */
function relEntr(x: number, y: number): number {
  if (x > 0 && y > 0) return x * Math.log(x / y);
  if (x === 0 && y >= 0) return 0;
  return Infinity;
}

function normalize(p: ArrayLike<number>): Float64Array {
  let s = 0;
  for (let i = 0; i < p.length; i++) s += p[i];
  const out = new Float64Array(p.length);
  for (let i = 0; i < p.length; i++) out[i] = p[i] / s;
  return out;
}

/** scipy.spatial.distance.jensenshannon(p, q, base): inputs are normalised first; natural log by default. */
export function jensenShannon(p: ArrayLike<number>, q: ArrayLike<number>, base?: number): number {
  const pn = normalize(p);
  const qn = normalize(q);
  let left = 0;
  let right = 0;
  for (let i = 0; i < pn.length; i++) {
    const m = (pn[i] + qn[i]) / 2;
    left += relEntr(pn[i], m);
    right += relEntr(qn[i], m);
  }
  let js = left + right;
  if (base !== undefined) js /= Math.log(base);
  return Math.sqrt(js / 2);
}

/** PSI = Σ (ref − cur)·ln(ref / cur) over shares with no zeros (see fillZeroes), as Evidently's psi. */
export function psi(reference: ArrayLike<number>, current: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < reference.length; i++) {
    s += (reference[i] - current[i]) * Math.log(reference[i] / current[i]);
  }
  return s;
}

/** scipy.stats.entropy(pk, qk) = KL(pk ‖ qk), both normalised first (Evidently's "kl_div"). */
export function klDivergence(p: ArrayLike<number>, q: ArrayLike<number>): number {
  const pn = normalize(p);
  const qn = normalize(q);
  let s = 0;
  for (let i = 0; i < pn.length; i++) s += relEntr(pn[i], qn[i]);
  return s;
}

/**
 * Hellinger distance √(1 − Σ √(p·q)) over bucket shares, Bhattacharyya coefficient clipped to [0, 1].
 * Evidently's numeric form integrates density histograms over equal-width bins, which is the same sum.
 */
export function hellinger(p: ArrayLike<number>, q: ArrayLike<number>): number {
  let bc = 0;
  for (let i = 0; i < p.length; i++) bc += Math.sqrt(p[i] * q[i]);
  bc = Math.min(Math.max(bc, 0), 1);
  return Math.sqrt(1 - bc);
}
