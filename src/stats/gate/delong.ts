/**
 * DeLong, DeLong & Clarke-Pearson (1988) test of two correlated ROC AUCs (both models scored on the same rows),
 * with the structural components computed from midranks in O(n log n) (Sun & Xu 2014):
 *
 * - m positives X, n negatives Y; per model, T_Z = midranks among all m + n scores, T_X among the positives,
 *   T_Y among the negatives (1-based, ties get the mean of their ranks).
 * - V10_i = (T_Z(X_i) − T_X(X_i)) / n  (the share of negatives below X_i, ties ½) and
 *   V01_j = 1 − (T_Z(Y_j) − T_Y(Y_j)) / m (the share of positives above Y_j, ties ½); AUC = mean V10 = mean V01.
 * - S10, S01: the sample covariance matrices (divisor m − 1, n − 1) of the V10 and V01 vectors of the two models;
 *   S = S10/m + S01/n is the AUCs' covariance matrix.
 * - Var(AUC_c − AUC_b) = S_cc + S_bb − 2·S_cb, computed as var(V10_c − V10_b)/m + var(V01_c − V01_b)/n (the same
 *   number, but never negative from rounding and exactly 0 for identical rankings).
 * - z = difference / √Var, two-sided p = 2·Φ(−|z|), interval difference ± z_{1−α/2}·√Var, one-sided lower bound
 *   difference − z_{1−α}·√Var; the gate passes iff that bound > −margin.
 * - Var = 0 (identical rankings, or both models constant in their components, e.g. both separating perfectly):
 *   z and p are null and the interval is the point; the gate then judges the difference itself.
 * - Fewer than 2 positives or 2 negatives: the covariance is undefined → insufficient_data.
 */
import { normalSf } from '../dists/index.js';
import { normalQuantile } from '../abtest/normal-quantile.js';
import type { Label, LabelInput, NumberInput } from '../metrics/labels.js';
import type { Bounds, GateOutcome } from './bootstrap.js';
import { clearsMargin, marginClause } from './decision.js';
import { formatChange, formatCount, formatLevel, formatNumber } from './format.js';
import { checkAlpha, checkMargin, finiteColumn, labelColumn, positiveFlags, requirePairedRows } from './inputs.js';

export interface DeLongInput {
  yTrue: LabelInput;
  candidate: NumberInput;
  champion: NumberInput;
  positiveLabel?: Label;
  alpha?: number;
  margin?: number;
}

export interface DeLongResult {
  method: 'delong';
  metric: 'roc_auc';
  direction: 'higher_is_better';
  n: number;
  positives: number;
  negatives: number;
  alpha: number;
  margin: number;
  candidate: number | null;
  champion: number | null;
  difference: number | null;
  /** [[Var AUC_c, Cov], [Cov, Var AUC_b]]; null with fewer than 2 positives or negatives. */
  covariance: [[number, number], [number, number]] | null;
  variance: number | null;
  standardError: number | null;
  /** True when the difference's variance is 0: z and p are then null and the interval is the point. */
  zeroVariance: boolean;
  z: number | null;
  pValue: number | null;
  interval: Bounds | null;
  /** One-sided lower bound of the difference at level 1 − α. */
  bound: number | null;
  outcome: GateOutcome;
  reason: string;
}

/** 1-based midranks of `values`: ties share the mean of the ranks they span. */
export function midranks(values: Float64Array): Float64Array {
  const n = values.length;
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => values[a] - values[b]);
  const ranks = new Float64Array(n);
  for (let start = 0; start < n;) {
    let end = start + 1;
    while (end < n && values[order[end]] === values[order[start]]) end++;
    const r = (start + 1 + end) / 2; // mean of ranks start+1 … end
    for (let k = start; k < end; k++) ranks[order[k]] = r;
    start = end;
  }
  return ranks;
}

/** V10 (per positive) and V01 (per negative) of one model, and its AUC. */
function components(x: Float64Array, y: Float64Array): { v10: Float64Array; v01: Float64Array; auc: number } {
  const m = x.length;
  const n = y.length;
  const z = new Float64Array(m + n);
  z.set(x);
  z.set(y, m);
  const tz = midranks(z);
  const tx = midranks(x);
  const ty = midranks(y);
  const v10 = new Float64Array(m);
  const v01 = new Float64Array(n);
  let pairs = 0; // Σ (T_Z − T_X) over positives: negatives below, ties ½ — halves, exact
  for (let i = 0; i < m; i++) {
    const below = tz[i] - tx[i];
    pairs += below;
    v10[i] = below / n;
  }
  for (let j = 0; j < n; j++) v01[j] = 1 - (tz[m + j] - ty[j]) / m;
  return { v10, v01, auc: pairs / (m * n) };
}

function covariance(a: Float64Array, b: Float64Array): number {
  const k = a.length;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < k; i++) {
    ma += a[i];
    mb += b[i];
  }
  ma /= k;
  mb /= k;
  let s = 0;
  for (let i = 0; i < k; i++) s += (a[i] - ma) * (b[i] - mb);
  return s / (k - 1);
}

function varianceOfDifference(a: Float64Array, b: Float64Array): number {
  const d = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) d[i] = a[i] - b[i];
  return covariance(d, d);
}

export function delongTest(input: DeLongInput): DeLongResult {
  const n = requirePairedRows(input.yTrue, input.candidate, input.champion);
  const positive = positiveFlags(labelColumn(input.yTrue, 'yTrue'), input.positiveLabel, false);
  const sc = finiteColumn(input.candidate, 'candidate');
  const sb = finiteColumn(input.champion, 'champion');
  const alpha = checkAlpha(input.alpha);
  const margin = checkMargin(input.margin);
  let m = 0;
  for (let i = 0; i < n; i++) m += positive[i];
  const k = n - m;
  const base = { method: 'delong' as const, metric: 'roc_auc' as const, direction: 'higher_is_better' as const, n, positives: m, negatives: k, alpha, margin };
  const none = { covariance: null, variance: null, standardError: null, zeroVariance: false, z: null, pValue: null, interval: null, bound: null };
  if (m === 0 || k === 0) {
    return {
      ...base,
      ...none,
      candidate: null,
      champion: null,
      difference: null,
      outcome: 'insufficient_data',
      reason: `ROC AUC is undefined on these ${formatCount(n)} rows: they hold ${m === 0 ? 'no positives' : 'no negatives'}.`,
    };
  }
  // Positives first, then negatives, in row order.
  const split = (s: Float64Array): [Float64Array, Float64Array] => {
    const x = new Float64Array(m);
    const y = new Float64Array(k);
    for (let i = 0, a = 0, b = 0; i < n; i++) {
      if (positive[i]) x[a++] = s[i];
      else y[b++] = s[i];
    }
    return [x, y];
  };
  const c = components(...split(sc));
  const b = components(...split(sb));
  const difference = c.auc - b.auc;
  const aucs = { candidate: c.auc, champion: b.auc, difference };
  if (m < 2 || k < 2) {
    return {
      ...base,
      ...none,
      ...aucs,
      outcome: 'insufficient_data',
      reason: `DeLong's variance needs at least 2 positives and 2 negatives; these ${formatCount(n)} rows hold ${m} and ${k}.`,
    };
  }
  const s10 = (a: Float64Array, z: Float64Array) => covariance(a, z) / m;
  const s01 = (a: Float64Array, z: Float64Array) => covariance(a, z) / k;
  const vc = s10(c.v10, c.v10) + s01(c.v01, c.v01);
  const vb = s10(b.v10, b.v10) + s01(b.v01, b.v01);
  const cov = s10(c.v10, b.v10) + s01(c.v01, b.v01);
  const variance = varianceOfDifference(c.v10, b.v10) / m + varianceOfDifference(c.v01, b.v01) / k;
  const se = Math.sqrt(variance);
  const zeroVariance = variance === 0;
  const z = zeroVariance ? null : difference / se;
  const pValue = z === null ? null : 2 * normalSf(Math.abs(z));
  const half = normalQuantile(1 - alpha / 2) * se;
  const bound = difference - normalQuantile(1 - alpha) * se;
  const pass = clearsMargin(bound, margin, 'higher_is_better');
  const stats =
    z === null
      ? `the difference has zero estimated variance (the models' structural components differ by a constant, e.g. identical rankings), so its ${formatLevel(alpha)} one-sided lower bound is the difference itself, which`
      : `DeLong's ${formatLevel(alpha)} one-sided lower bound (z = ${formatNumber(z)}, two-sided p ${pValue === 0 ? '< 1e−300' : `= ${formatNumber(pValue as number)}`})`;
  return {
    ...base,
    ...aucs,
    covariance: [
      [vc, cov],
      [cov, vb],
    ],
    variance,
    standardError: se,
    zeroVariance,
    z,
    pValue,
    interval: zeroVariance ? { lower: difference, upper: difference } : { lower: difference - half, upper: difference + half },
    bound: zeroVariance ? difference : bound,
    outcome: pass ? 'pass' : 'fail',
    reason:
      `ROC AUC: candidate ${formatNumber(c.auc)} vs champion ${formatNumber(b.auc)} on ${formatCount(n)} rows (${formatCount(m)} positive, ` +
      `difference ${formatChange(difference)}); ${stats} ${marginClause(zeroVariance ? difference : bound, margin, 'higher_is_better', alpha, pass)}`,
  };
}
