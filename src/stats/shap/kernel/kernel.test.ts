import { describe, expect, it } from 'vitest';
import { FerryError } from '../../../errors.js';
import { Rng } from '../../sketch/rng.js';
import type { ShapExplanation } from '../types.js';
import { type BatchModel, exactShapley, kernelPlan, kernelShap, linearShap, permutationShap } from './index.js';
import { pinvSymmetric } from './wls.js';

/** A nonlinear two-output model with interactions: f0 = Σ a_i x_i + x0·x1 + sin(x2)·x3 + x0·x2·x_{M−1}, f1 = exp(x0/4)·x_{M−1} − x1². */
function model(M: number) {
  const a = Array.from({ length: M }, (_, i) => ((i * 7) % 5) - 2);
  const f = (x: ArrayLike<number>) => {
    let s = 0;
    for (let i = 0; i < M; i++) s += a[i]! * x[i]!;
    // the three-way term: antithetic permutations are exact for pairwise interactions alone
    return [s + x[0]! * x[1 % M]! + Math.sin(x[2 % M]!) * x[3 % M]! + x[0]! * x[2 % M]! * x[M - 1]!, Math.exp(x[0]! / 4) * x[M - 1]! - x[1 % M]! ** 2];
  };
  let calls = 0;
  const evaluate: BatchModel = async (rows, n) => {
    calls++;
    const out = new Float64Array(n * 2);
    for (let r = 0; r < n; r++) out.set(f(rows.subarray(r * M, (r + 1) * M)), r * 2);
    return out;
  };
  return { f, evaluate, calls: () => calls };
}

function data(M: number, n: number, seed: number) {
  const rng = new Rng(seed);
  return Array.from({ length: n }, () => Array.from({ length: M }, () => Math.round((rng.nextFloat() * 4 - 2) * 100) / 100));
}

/** Shapley values by the definition: every subset, v(S) averaged over the background, one row at a time. */
function bruteForce(f: (x: number[]) => number[], background: number[][], x: number[]): number[][] {
  const M = x.length;
  const v = (S: number) => {
    const acc = [0, 0];
    for (const b of background) {
      const y = f(b.map((bi, j) => (S & (1 << j) ? x[j]! : bi)));
      acc[0]! += y[0]! / background.length;
      acc[1]! += y[1]! / background.length;
    }
    return acc;
  };
  const fact = (n: number): number => (n <= 1 ? 1 : n * fact(n - 1));
  const vals = Array.from({ length: 1 << M }, (_, S) => v(S));
  return [0, 1].map((o) =>
    Array.from({ length: M }, (_, i) => {
      let phi = 0;
      for (let S = 0; S < 1 << M; S++) {
        if (S & (1 << i)) continue;
        const s = S.toString(2).split('1').length - 1;
        phi += ((fact(s) * fact(M - s - 1)) / fact(M)) * (vals[S | (1 << i)]![o]! - vals[S]![o]!);
      }
      return phi;
    }),
  );
}

function additivity(e: ShapExplanation): number {
  let worst = 0;
  e.values.forEach((row, r) =>
    row.forEach((phi, o) => {
      const sum = phi.reduce((a, b) => a + b, 0) + e.base[o]!;
      worst = Math.max(worst, Math.abs(sum - e.fx[r]![o]!) / Math.max(1, Math.abs(e.fx[r]![o]!)));
    }),
  );
  return worst;
}

const maxDiff = (a: number[][][], b: number[][][]) => Math.max(...a.flatMap((r, i) => r.flatMap((o, j) => o.map((v, k) => Math.abs(v - b[i]![j]![k]!)))));

describe('exact enumeration', () => {
  it.each([1, 2, 3, 5, 8, 12])('matches a brute-force Shapley computation with %i features to 1e-9', async (M) => {
    const { f, evaluate } = model(M);
    const background = data(M, 4, M);
    const rows = data(M, 2, 100 + M);
    const e = await exactShapley({ evaluate, background, rows, outputNames: ['a', 'b'], maxBatchRows: 5000 });
    const want = rows.map((x) => bruteForce(f, background, x));
    expect(maxDiff(e.values, want)).toBeLessThan(1e-9);
    expect(additivity(e)).toBeLessThan(1e-12);
    expect(e.truncated).toBe(false);
    expect(e.evaluations).toBe(4 + 2 + 2 * 4 * ((1 << M) - 2));
    expect(e.base).toEqual([0, 1].map((o) => background.reduce((s, b) => s + f(b)[o]!, 0) / 4));
  });

  it('refuses more features than it can enumerate, naming the field', async () => {
    const { evaluate } = model(17);
    await expect(exactShapley({ evaluate, background: data(17, 1, 1), rows: data(17, 1, 2), outputNames: ['a', 'b'] })).rejects.toThrow(/at most 16 features/);
  });
});

describe('KernelSHAP', () => {
  it.each([2, 3, 4, 7, 10])('with every coalition (nsamples = 2^M − 2) equals exact enumeration to 1e-9 (%i features)', async (M) => {
    const { evaluate } = model(M);
    const background = data(M, 5, M + 1);
    const rows = data(M, 3, 200 + M);
    const exact = await exactShapley({ evaluate, background, rows, outputNames: ['a', 'b'] });
    const kernel = await kernelShap({ evaluate, background, rows, outputNames: ['a', 'b'], nsamples: 2 ** M - 2, seed: 1 });
    expect(maxDiff(kernel.values, exact.values)).toBeLessThan(1e-9);
    expect(additivity(kernel)).toBeLessThan(1e-12);
    // the default (2M + 2048) covers every coalition of 10 features too
    const dflt = await kernelShap({ evaluate, background, rows, outputNames: ['a', 'b'] });
    expect(maxDiff(dflt.values, exact.values)).toBeLessThan(1e-9);
  });

  it('samples when the coalitions outnumber nsamples: seeded, additive, near the exact values', async () => {
    const M = 12;
    const { evaluate } = model(M);
    const background = data(M, 8, 3);
    const rows = data(M, 2, 4);
    const exact = await exactShapley({ evaluate, background, rows, outputNames: ['a', 'b'] });
    const a = await kernelShap({ evaluate, background, rows, outputNames: ['a', 'b'], nsamples: 1500, seed: 9 });
    const b = await kernelShap({ evaluate, background, rows, outputNames: ['a', 'b'], nsamples: 1500, seed: 9 });
    const c = await kernelShap({ evaluate, background, rows, outputNames: ['a', 'b'], nsamples: 1500, seed: 10 });
    expect(a.values).toEqual(b.values);
    expect(a.values).not.toEqual(c.values);
    expect(additivity(a)).toBeLessThan(1e-12);
    expect(a.evaluations).toBe(8 + 2 + 2 * 8 * 1500);
    const scale = Math.max(...exact.values.flat(2).map(Math.abs));
    expect(maxDiff(a.values, exact.values) / scale).toBeLessThan(0.05);
  });

  it("follows shap's plan: whole size pairs while the samples cover them, weights summing to 1", () => {
    const plan = kernelPlan(6, 40, new Rng(1));
    // sizes 1 and 5 (12 coalitions) then 2 and 4 (30) would need 42: only the first pair is enumerated
    expect(plan.fixed).toBe(12);
    expect(plan.masks.length).toBe(40);
    expect(plan.weights.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    const full = kernelPlan(6, 1000, new Rng(1));
    expect(full.masks.length).toBe(62);
    expect(new Set(full.masks.map((m) => m.join(''))).size).toBe(62);
  });
});

describe('permutation SHAP', () => {
  it('converges on the exact values as permutations grow, and adds up on every answer', async () => {
    const M = 8;
    const { evaluate } = model(M);
    const background = data(M, 6, 5);
    const rows = data(M, 2, 6);
    const exact = await exactShapley({ evaluate, background, rows, outputNames: ['a', 'b'] });
    const errs: number[] = [];
    for (const P of [1, 20, 400]) {
      const e = await permutationShap({ evaluate, background, rows, outputNames: ['a', 'b'], npermutations: P, seed: 3 });
      expect(additivity(e)).toBeLessThan(1e-12);
      expect(e.evaluations).toBe(6 + 2 + 2 * 6 * P * 2 * (M - 1));
      errs.push(maxDiff(e.values, exact.values));
    }
    expect(errs[0]!).toBeGreaterThan(0.1);
    expect(errs[2]!).toBeLessThan(errs[0]! / 10);
    expect(errs[2]!).toBeLessThan(0.05);
  });

  it('is exact for a model without interactions, whatever the permutations', async () => {
    const M = 5;
    const f = (x: ArrayLike<number>) => [3 * x[0]! - x[2]! + Math.sin(x[4]!)];
    const evaluate: BatchModel = async (rows, n) => Float64Array.from({ length: n }, (_, r) => f(rows.subarray(r * M, (r + 1) * M))[0]!);
    const background = data(M, 5, 1);
    const rows = data(M, 3, 2);
    const e = await permutationShap({ evaluate, background, rows, outputNames: ['y'], npermutations: 1, seed: 1 });
    const mean = (j: number) => background.reduce((s, b) => s + b[j]!, 0) / 5;
    const msin = background.reduce((s, b) => s + Math.sin(b[4]!), 0) / 5;
    rows.forEach((x, r) => {
      const want = [3 * (x[0]! - mean(0)), 0, -(x[2]! - mean(2)), 0, Math.sin(x[4]!) - msin];
      want.forEach((w, i) => expect(e.values[r]![0]![i]).toBeCloseTo(w, 12));
    });
  });
});

describe('budgets', () => {
  const M = 10;
  const background = data(M, 10, 1);
  const rows = data(M, 4, 2);
  const base = { background, rows, outputNames: ['a', 'b'] };

  it.each(['exact', 'kernel', 'permutation'] as const)('%s answers truncated, within the evaluations allowed, and still adds up', async (method) => {
    const { evaluate } = model(M);
    const fn = { exact: exactShapley, kernel: kernelShap, permutation: permutationShap }[method];
    const e = await fn({ ...base, evaluate, budget: { maxEvaluations: 3000 }, seed: 1 });
    expect(e.truncated).toBe(true);
    expect(e.evaluations).toBeLessThanOrEqual(3000);
    expect(e.evaluations).toBeGreaterThan(2000);
    expect(additivity(e)).toBeLessThan(1e-12);
    expect(e.values.flat(2).every(Number.isFinite)).toBe(true);
  });

  it('stops at the deadline, the clock read before each batch', async () => {
    const { evaluate, calls } = model(M);
    let t = 0;
    const slow: BatchModel = async (r, n) => ((t += 100), evaluate(r, n));
    const e = await exactShapley({ ...base, evaluate: slow, budget: { deadlineMs: 450 }, now: () => t, maxBatchRows: 1000 });
    expect(e.truncated).toBe(true);
    // base and predictions, then four batches of 100 coalitions (the first row's) before the clock passes 450
    expect(calls()).toBe(5);
    expect(e.evaluations).toBe(14 + 4 * 1000);
    expect(additivity(e)).toBeLessThan(1e-12);
  });

  it('refuses a budget that does not cover the base value, naming the field', async () => {
    const { evaluate } = model(M);
    const err = await kernelShap({ ...base, evaluate, budget: { maxEvaluations: 5 } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FerryError);
    expect(JSON.stringify(err)).toContain('budget.max_evaluations');
  });
});

describe('linear SHAP', () => {
  it('is w·(x − mean) and equals exact enumeration on the same linear model', async () => {
    const M = 4;
    const W = [
      [1.5, -2, 0.25, 3],
      [0, 1, -1, 0.5],
    ];
    const b = [0.3, -1];
    const background = data(M, 7, 8);
    const rows = data(M, 3, 9);
    const lin = linearShap({ weights: W, intercepts: b, background, rows, outputNames: ['a', 'b'] });
    const evaluate: BatchModel = async (r, n) => {
      const out = new Float64Array(n * 2);
      for (let i = 0; i < n; i++) for (let o = 0; o < 2; o++) out[i * 2 + o] = b[o]! + W[o]!.reduce((s, w, j) => s + w * r[i * M + j]!, 0);
      return out;
    };
    const exact = await exactShapley({ evaluate, background, rows, outputNames: ['a', 'b'] });
    expect(maxDiff(lin.values, exact.values)).toBeLessThan(1e-12);
    expect(additivity(lin)).toBeLessThan(1e-12);
    expect(lin.evaluations).toBe(0);
  });
});

describe('pinvSymmetric (the KernelSHAP solve)', () => {
  const mul = (a: Float64Array, b: Float64Array, n: number) => {
    const c = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let k = 0; k < n; k++) for (let j = 0; j < n; j++) c[i * n + j]! += a[i * n + k]! * b[k * n + j]!;
    return c;
  };
  /** XᵀX of a seeded k×n matrix X: rank min(k, n). */
  const gram = (k: number, n: number, seed: number) => {
    const rng = new Rng(seed);
    const x = Array.from({ length: k * n }, () => rng.nextFloat() - 0.5);
    const a = new Float64Array(n * n);
    for (let r = 0; r < k; r++) for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) a[i * n + j]! += x[r * n + i]! * x[r * n + j]!;
    return a;
  };
  const maxAbs = (a: Float64Array) => a.reduce((m, v) => Math.max(m, Math.abs(v)), 0);

  it('stops once the off-diagonal is at rounding level (it ran all 100 sweeps: seconds per row for a few hundred features)', () => {
    const n = 60;
    const a = gram(200, n, 1);
    const stats = { sweeps: -1 };
    const p = pinvSymmetric(a, n, stats);
    expect(stats.sweeps).toBeGreaterThan(0);
    expect(stats.sweeps).toBeLessThanOrEqual(15);
    const ap = mul(a, p, n);
    for (let i = 0; i < n; i++) ap[i * n + i]! -= 1;
    expect(maxAbs(ap)).toBeLessThan(1e-9);
  });

  it('is still the Moore–Penrose inverse of a singular matrix (few coalitions): A·P·A = A, P·A·P = P', () => {
    const n = 30;
    const a = gram(10, n, 2);
    const stats = { sweeps: -1 };
    const p = pinvSymmetric(a, n, stats);
    expect(stats.sweeps).toBeLessThanOrEqual(20);
    const apa = mul(mul(a, p, n), a, n);
    const pap = mul(mul(p, a, n), p, n);
    expect(maxAbs(apa.map((v, i) => v - a[i]!))).toBeLessThan(1e-10 * maxAbs(a));
    expect(maxAbs(pap.map((v, i) => v - p[i]!))).toBeLessThan(1e-8 * maxAbs(p));
  });
});
