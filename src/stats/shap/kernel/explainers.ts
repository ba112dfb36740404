/**
 * The model-agnostic explainers: exact enumeration, KernelSHAP, antithetic permutations. Each explains rows one by
 * one over the same base value; the budget is shared fairly (each row may spend its share of what is left), and a
 * deadline cuts the rest: the answer is then the estimate from the coalitions evaluated, `truncated: true`, and
 * still adds up (the efficiency constraint, or permutations that telescope).
 */
import { InvalidParameterError } from '../../../errors.js';
import { Rng } from '../../sketch/index.js';
import type { ShapExplanation, ShapMethod } from '../types.js';
import { binomial, kernelPlan, scaleCounts } from './coalitions.js';
import { type AgnosticInput, CoalitionEvaluator } from './model.js';
import { solveConstrained } from './wls.js';

/** Features beyond which exact enumeration is refused: 2^M coalitions per row, each |background| model rows (2^16 × 100 rows is already 6.5M per row). */
export const EXACT_MAX_FEATURES = 16;

type PerRow = (ev: CoalitionEvaluator, x: number[], base: number[], fx: number[], rowsLeft: number) => Promise<number[][]>;

async function explainRows(method: ShapMethod, input: AgnosticInput, perRow: PerRow): Promise<ShapExplanation> {
  const ev = new CoalitionEvaluator(input);
  const { base, fx } = await ev.baseAndPredictions();
  const values: number[][][] = [];
  for (let r = 0; r < input.rows.length; r++) values.push(await perRow(ev, input.rows[r]!, base, fx[r]!, input.rows.length - r));
  return { method, outputNames: input.outputNames.slice(), base, values, fx, evaluations: ev.evaluations, truncated: ev.truncated };
}

/** Shapley kernel weight of one coalition of size s (sizes 0 and M are the constraint, not samples). */
const kernelWeight = (M: number, s: number) => (M - 1) / (binomial(M, s) * s * (M - s));

/**
 * Exact Shapley values by enumerating all 2^M coalitions: φ_i = Σ_{S∌i} |S|!(M−|S|−1)!/M! · (v(S∪i) − v(S)).
 * Coalitions are evaluated smallest size pair first (1 and M−1, then 2 and M−2, …), so a budget cut leaves the
 * most informative ones, from which the kernel regression estimates φ.
 */
export async function exactShapley(input: AgnosticInput): Promise<ShapExplanation> {
  const M = input.background[0]?.length ?? 0;
  if (M > EXACT_MAX_FEATURES) throw new InvalidParameterError('method', `Exact enumeration takes at most ${EXACT_MAX_FEATURES} features; this model has ${M}.`);
  const full = (1 << M) - 1;
  const order: number[] = [];
  const bySize: number[][] = Array.from({ length: M + 1 }, () => []);
  for (let s = 1; s < full; s++) bySize[popcount(s)]!.push(s);
  for (let lo = 1, hi = M - 1; lo <= hi; lo++, hi--) {
    order.push(...bySize[lo]!);
    if (hi !== lo) order.push(...bySize[hi]!);
  }
  const masks = order.map((s) => {
    const m = new Uint8Array(M);
    for (let j = 0; j < M; j++) m[j] = (s >> j) & 1;
    return m;
  });
  // factorial weights w[s] = s!(M−s−1)!/M!
  const w = Array.from({ length: M }, (_, s) => 1 / (M * binomial(M - 1, s)));
  return explainRows('exact', input, async (ev, x, base, fx, rowsLeft) => {
    const v = await ev.values(x, masks, ev.share(rowsLeft));
    const O = base.length;
    const got = v.length / O;
    if (got < masks.length) {
      const kept = masks.slice(0, got);
      return solveConstrained(
        kept,
        kept.map((m) => kernelWeight(M, popcount32(m))),
        v,
        base,
        fx,
        M,
      );
    }
    const value = new Float64Array((full + 1) * O);
    for (let o = 0; o < O; o++) {
      value[o] = base[o]!;
      value[full * O + o] = fx[o]!;
    }
    order.forEach((s, k) => value.set(v.subarray(k * O, (k + 1) * O), s * O));
    return base.map((_, o) => {
      const phi = new Array<number>(M).fill(0);
      for (let s = 0; s <= full; s++) {
        const size = popcount(s);
        for (let i = 0; i < M; i++) {
          if (s & (1 << i)) continue;
          phi[i]! += w[size]! * (value[(s | (1 << i)) * O + o]! - value[s * O + o]!);
        }
      }
      return phi;
    });
  });
}

export interface KernelOptions {
  /** Coalitions per row (shap's default 2M + 2048, capped at 2^M − 2). */
  nsamples?: number;
}

/** KernelSHAP (shap's KernelExplainer without its l1 feature selection), seeded. */
export async function kernelShap(input: AgnosticInput & KernelOptions): Promise<ShapExplanation> {
  const M = input.background[0]?.length ?? 0;
  const asked = input.nsamples ?? 2 * M + 2048;
  if (!(Number.isInteger(asked) && asked >= 1)) throw new InvalidParameterError('nsamples', `'nsamples' must be a positive integer; got ${asked}.`);
  const rng = new Rng(input.seed ?? 0);
  return explainRows('kernel', input, async (ev, x, base, fx, rowsLeft) => {
    const share = ev.share(rowsLeft);
    const wanted = Math.min(asked, M <= 30 ? 2 ** M - 2 : Infinity);
    if (share < wanted) ev.truncated = true;
    const plan = kernelPlan(M, Math.min(wanted, share), rng);
    const v = await ev.values(x, plan.masks, share);
    const got = v.length / base.length;
    const masks = plan.masks.slice(0, got);
    const weights =
      got >= plan.fixed
        ? [...plan.weights.slice(0, plan.fixed), ...scaleCounts(plan.counts.slice(0, got - plan.fixed), plan.weightLeft)]
        : plan.weights.slice(0, got);
    return solveConstrained(masks, weights, v, base, fx, M);
  });
}

export interface PermutationOptions {
  /** Antithetic permutations per row (each evaluated forward and backward); default shap's max_evals=500 // (2M+1). */
  npermutations?: number;
}

/**
 * shap's PermutationExplainer: each permutation adds the features one at a time (forward), then removes them in
 * the same order (the reverse permutation, antithetic); φ_i is the mean of the 2·P marginal changes. v(∅) and
 * v(all) are the base and f(x), so a permutation costs 2(M−1) coalitions.
 */
export async function permutationShap(input: AgnosticInput & PermutationOptions): Promise<ShapExplanation> {
  const M = input.background[0]?.length ?? 0;
  const asked = input.npermutations ?? Math.max(1, Math.floor(500 / (2 * M + 1)));
  if (!(Number.isInteger(asked) && asked >= 1)) throw new InvalidParameterError('npermutations', `'npermutations' must be a positive integer; got ${asked}.`);
  const rng = new Rng(input.seed ?? 0);
  const per = 2 * (M - 1);
  return explainRows('permutation', input, async (ev, x, base, fx, rowsLeft) => {
    const O = base.length;
    if (M === 1) return fx.map((f, o) => [f - base[o]!]);
    const share = ev.share(rowsLeft);
    const P = Math.min(asked, Math.floor(share / per));
    if (P < asked) ev.truncated = true;
    const perms: number[][] = [];
    const masks: Uint8Array[] = [];
    for (let p = 0; p < P; p++) {
      const perm = Array.from({ length: M }, (_, i) => i);
      for (let i = M - 1; i > 0; i--) {
        const j = rng.nextInt(i + 1);
        [perm[i], perm[j]] = [perm[j]!, perm[i]!];
      }
      perms.push(perm);
      const m = new Uint8Array(M);
      for (let k = 0; k < M - 1; k++) masks.push(((m[perm[k]!] = 1), m.slice()));
      m[perm[M - 1]!] = 1;
      for (let k = 0; k < M - 1; k++) masks.push(((m[perm[k]!] = 0), m.slice()));
    }
    const v = await ev.values(x, masks, P * per);
    const done = Math.floor(v.length / O / per);
    if (done === 0) return solveConstrained([], [], v, base, fx, M);
    return base.map((b0, o) => {
      const phi = new Array<number>(M).fill(0);
      for (let p = 0; p < done; p++) {
        const perm = perms[p]!;
        // chain forward: base, v(p0), v(p0p1), …, f(x); backward: f(x), v(all − p0), …, base
        const at = (k: number) => v[(p * per + k) * O + o]!;
        const fwd = [b0, ...Array.from({ length: M - 1 }, (_, k) => at(k)), fx[o]!];
        const bwd = [fx[o]!, ...Array.from({ length: M - 1 }, (_, k) => at(M - 1 + k)), b0];
        for (let k = 0; k < M; k++) phi[perm[k]!]! += fwd[k + 1]! - fwd[k]! + (bwd[k]! - bwd[k + 1]!);
      }
      return phi.map((s) => s / (2 * done));
    });
  });
}

/**
 * Linear models exactly, interventional (shap's LinearExplainer): φ_i = w_i·(x_i − mean_i over the background),
 * base = w·mean + b. weights[o][i], intercepts[o].
 */
export function linearShap(input: {
  weights: number[][];
  intercepts: number[];
  background: number[][];
  rows: number[][];
  outputNames: string[];
}): ShapExplanation {
  const { weights, intercepts, background, rows, outputNames } = input;
  if (background.length === 0) throw new InvalidParameterError('background', 'The background has no rows.');
  const M = background[0]!.length;
  if (weights.length !== outputNames.length || intercepts.length !== outputNames.length || weights.some((w) => w.length !== M))
    throw new InvalidParameterError('weights', `Expected ${outputNames.length} outputs of ${M} weights and one intercept each.`);
  const mean = new Array<number>(M).fill(0);
  for (const r of background) r.forEach((v, i) => (mean[i]! += v / background.length));
  const base = weights.map((w, o) => intercepts[o]! + w.reduce((s, wi, i) => s + wi * mean[i]!, 0));
  const values = rows.map((x) => weights.map((w) => w.map((wi, i) => wi * (x[i]! - mean[i]!))));
  const fx = rows.map((x) => weights.map((w, o) => intercepts[o]! + w.reduce((s, wi, i) => s + wi * x[i]!, 0)));
  return { method: 'linear', outputNames: outputNames.slice(), base, values, fx, evaluations: 0, truncated: false };
}

function popcount(s: number): number {
  let c = 0;
  for (; s; s &= s - 1) c++;
  return c;
}
const popcount32 = (m: Uint8Array) => m.reduce((a, b) => a + b, 0);
