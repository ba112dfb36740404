/**
 * Interventional TreeSHAP against a brute-force Shapley enumerator (every coalition of M ≤ 10 features, the game
 * v(S) = mean over the background of f(x_S, z_rest) evaluated with treeEnsemblePredictRaw) on hand-built and random
 * ensembles: every split mode, NaN routed by missing_value_tracks_true, several outputs, both exact summations.
 */
import { describe, expect, test } from 'vitest';
import { InvalidParameterError } from '../../../errors.js';
import { LEAF, SPLIT_MODES, treeEnsemblePredictRaw, treeEnsembleScores, type SplitMode, type TreeEnsembleModel, type TreeEnsembleTree } from './model.js';
import { treeShapInterventional } from './interventional.js';

/** Brute-force Shapley values of the interventional game, per output and feature. */
function bruteForce(model: TreeEnsembleModel, background: number[][], x: number[]): number[][] {
  const M = model.nFeatures;
  const nOut = model.outputNames.length;
  const v = new Float64Array((1 << M) * nOut);
  for (let s = 0; s < 1 << M; s++) {
    for (const z of background) {
      const h = z.map((zi, i) => (s & (1 << i) ? x[i]! : zi));
      const f = treeEnsemblePredictRaw(model, h);
      for (let o = 0; o < nOut; o++) v[s * nOut + o]! += f[o]! / background.length;
    }
  }
  const fact = [1];
  for (let i = 1; i <= M; i++) fact.push(fact[i - 1]! * i);
  const phi = Array.from({ length: nOut }, () => new Array<number>(M).fill(0));
  for (let i = 0; i < M; i++) {
    for (let s = 0; s < 1 << M; s++) {
      if (s & (1 << i)) continue;
      let size = 0;
      for (let j = 0; j < M; j++) if (s & (1 << j)) size++;
      const w = (fact[size]! * fact[M - size - 1]!) / fact[M]!;
      for (let o = 0; o < nOut; o++) phi[o]![i]! += w * (v[(s | (1 << i)) * nOut + o]! - v[s * nOut + o]!);
    }
  }
  return phi;
}

interface NodeSpec {
  f?: number;
  t?: number;
  mode?: SplitMode;
  miss?: boolean;
  yes?: NodeSpec;
  no?: NodeSpec;
  leaf?: number[];
}

/** A tree from a nested spec; leaf arrays hold one value per output in `outputs`. */
function tree(spec: NodeSpec, outputs: number[] = [0]): TreeEnsembleTree {
  const nodes: NodeSpec[] = [];
  const index = new Map<NodeSpec, number>();
  const visit = (n: NodeSpec): void => {
    index.set(n, nodes.length);
    nodes.push(n);
    if (!n.leaf) {
      visit(n.yes!);
      visit(n.no!);
    }
  };
  visit(spec);
  const K = outputs.length;
  const leafValues = new Float64Array(nodes.length * K);
  nodes.forEach((n, i) => n.leaf?.forEach((v, k) => (leafValues[i * K + k] = v)));
  return {
    root: 0,
    feature: Int32Array.from(nodes, (n) => (n.leaf ? -1 : n.f!)),
    threshold: Float64Array.from(nodes, (n) => n.t ?? 0),
    mode: Uint8Array.from(nodes, (n) => (n.leaf ? LEAF : SPLIT_MODES.indexOf(n.mode ?? 'BRANCH_LEQ'))),
    trueChild: Int32Array.from(nodes, (n) => (n.leaf ? -1 : index.get(n.yes!)!)),
    falseChild: Int32Array.from(nodes, (n) => (n.leaf ? -1 : index.get(n.no!)!)),
    missingTracksTrue: Uint8Array.from(nodes, (n) => (n.miss ? 1 : 0)),
    outputs: Int32Array.from(outputs),
    leafValues,
  };
}

function model(trees: TreeEnsembleTree[], nFeatures: number, nOut = 1, base?: number[]): TreeEnsembleModel {
  return {
    kind: 'regressor',
    nFeatures,
    trees,
    outputNames: nOut === 1 ? ['value'] : Array.from({ length: nOut }, (_, o) => `value:${o}`),
    base: base ?? new Array<number>(nOut).fill(0),
    postTransform: 'NONE',
    aggregate: 'SUM',
    perClassWeights: true,
    allWeightsPositive: false,
    classLabels: [],
    float32Input: false,
  };
}

/** A seeded xorshift generator: the same ensembles every run. */
function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
}

/** A random tree over M features with thresholds and values on a small grid, so ties and EQ/NEQ splits happen. */
function randomTree(r: () => number, M: number, depth: number, outputs: number[], modes: SplitMode[]): TreeEnsembleTree {
  const grow = (d: number): NodeSpec => {
    if (d === 0 || (d < depth && r() < 0.2)) return { leaf: outputs.map(() => Math.round((r() * 20 - 10) * 1000) / 1000) };
    return { f: Math.floor(r() * M), t: Math.floor(r() * 5), mode: modes[Math.floor(r() * modes.length)]!, miss: r() < 0.5, yes: grow(d - 1), no: grow(d - 1) };
  };
  return tree(grow(depth), outputs);
}

function randomRow(r: () => number, M: number, nanRate: number): number[] {
  return Array.from({ length: M }, () => (r() < nanRate ? NaN : Math.floor(r() * 6) - 0.5 * Math.floor(r() * 2)));
}

/** Every answer: φ matches brute force to 1e-9 (relative to the output's scale), and Σφ + base = f(x) to 1e-9. */
function expectExact(m: TreeEnsembleModel, background: number[][], rows: number[][], algorithm: 'auto' | 'leaves' | 'pairs'): void {
  const e = treeShapInterventional(m, background, rows, { algorithm });
  expect(e.method).toBe('tree_interventional');
  expect(e.truncated).toBe(false);
  rows.forEach((x, r) => {
    const brute = bruteForce(m, background, x);
    for (let o = 0; o < m.outputNames.length; o++) {
      const phi = e.values[r]![o]!;
      const scale = Math.max(1, ...brute[o]!.map(Math.abs));
      phi.forEach((p, i) => expect(Math.abs(p - brute[o]![i]!)).toBeLessThanOrEqual(1e-9 * scale));
      const sum = phi.reduce((a, b) => a + b, e.base[o]!);
      expect(e.fx[r]![o]).toBe(treeEnsemblePredictRaw(m, x)[o]);
      expect(Math.abs(sum - e.fx[r]![o]!)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(e.fx[r]![o]!)));
    }
  });
}

describe('treeShapInterventional', () => {
  test('one split: φ is the leaf difference where x and z part, zero where they agree', () => {
    const m = model([tree({ f: 0, t: 0.5, yes: { leaf: [1] }, no: { leaf: [3] } })], 2);
    const e = treeShapInterventional(m, [[1, 0]], [[0, 7]]);
    expect(e.values[0]![0]).toEqual([-2, 0]);
    expect(e.base).toEqual([3]);
    expect(e.fx).toEqual([[1]]);
  });

  test('the classic AND game splits the interaction evenly', () => {
    // f = 10 when x0 ≤ 0.5 and x1 ≤ 0.5; explained (0, 0) against background (1, 1): φ = 5, 5.
    const m = model([tree({ f: 0, t: 0.5, yes: { f: 1, t: 0.5, yes: { leaf: [10] }, no: { leaf: [0] } }, no: { leaf: [0] } })], 2);
    for (const algorithm of ['leaves', 'pairs'] as const) {
      expect(treeShapInterventional(m, [[1, 1]], [[0, 0]], { algorithm }).values[0]![0]).toEqual([5, 5]);
    }
  });

  for (const mode of SPLIT_MODES.filter((s) => s !== 'LEAF')) {
    test(`split mode ${mode}, with and without missing_value_tracks_true, matches brute force`, () => {
      const r = rng(SPLIT_MODES.indexOf(mode) + 11);
      const M = 5;
      const trees = Array.from({ length: 6 }, () => randomTree(r, M, 4, [0], [mode]));
      const m = model(trees, M, 1, [0.25]);
      const background = Array.from({ length: 7 }, () => randomRow(r, M, 0.15));
      const rows = Array.from({ length: 5 }, () => randomRow(r, M, 0.15));
      for (const algorithm of ['leaves', 'pairs', 'auto'] as const) expectExact(m, background, rows, algorithm);
    });
  }

  test('NaN goes where missing_value_tracks_true says (BRANCH_NEQ: always true, as onnxruntime does)', () => {
    const leq = (miss: boolean) => model([tree({ f: 0, t: 1, miss, yes: { leaf: [1] }, no: { leaf: [2] } })], 1);
    expect(treeEnsemblePredictRaw(leq(true), [NaN])).toEqual([1]);
    expect(treeEnsemblePredictRaw(leq(false), [NaN])).toEqual([2]);
    const neq = model([tree({ f: 0, t: 1, mode: 'BRANCH_NEQ', yes: { leaf: [1] }, no: { leaf: [2] } })], 1);
    expect(treeEnsemblePredictRaw(neq, [NaN])).toEqual([1]);
    const e = treeShapInterventional(leq(true), [[5]], [[NaN]]);
    expect(e.values[0]![0]).toEqual([-1]);
  });

  test('random ensembles with several outputs (trees adding to one or to every output), M up to 10', () => {
    for (const [seed, M, depth] of [
      [1, 3, 3],
      [2, 6, 5],
      [3, 8, 6],
      [4, 10, 7],
    ] as const) {
      const r = rng(seed);
      const modes = SPLIT_MODES.filter((s) => s !== 'LEAF');
      const trees = [
        ...Array.from({ length: 4 }, (_, i) => randomTree(r, M, depth, [i % 3], modes)),
        ...Array.from({ length: 3 }, () => randomTree(r, M, depth, [0, 1, 2], modes)),
      ];
      const m = model(trees, M, 3, [0.5, -1, 2]);
      const background = Array.from({ length: 6 }, () => randomRow(r, M, 0.1));
      const rows = Array.from({ length: 4 }, () => randomRow(r, M, 0.1));
      for (const algorithm of ['leaves', 'pairs'] as const) expectExact(m, background, rows, algorithm);
    }
  });

  test('a feature tested twice on one path counts once; a one-leaf tree adds only to the base', () => {
    const twice = tree({
      f: 0,
      t: 3,
      yes: { f: 0, t: 1, mode: 'BRANCH_GT', yes: { leaf: [4] }, no: { leaf: [-1] } },
      no: { f: 1, t: 0, yes: { leaf: [2] }, no: { leaf: [0] } },
    });
    const constant = tree({ leaf: [7] });
    const m = model([twice, constant], 2);
    const bg = [
      [0, 0],
      [2, 1],
      [5, -1],
    ];
    for (const algorithm of ['leaves', 'pairs'] as const)
      expectExact(
        m,
        bg,
        [
          [2, 5],
          [0, -3],
          [9, 9],
        ],
        algorithm,
      );
  });

  test('deep paths (more distinct features than the leaves method caches) go pair by pair and stay exact', () => {
    const M = 10;
    // A chain testing all 10 features, plus a second tree: the first tree's path has 10 distinct features.
    let spec: NodeSpec = { leaf: [5] };
    for (let f = M - 1; f >= 0; f--) spec = { f, t: 0.5, yes: spec, no: { leaf: [f] } };
    const m = model([tree(spec)], M);
    const r = rng(9);
    const rows = Array.from({ length: 3 }, () => Array.from({ length: M }, () => (r() < 0.7 ? 0 : 1)));
    const bg = Array.from({ length: 5 }, () => Array.from({ length: M }, () => (r() < 0.3 ? 0 : 1)));
    expectExact(m, bg, rows, 'auto');
    expectExact(m, bg, rows, 'leaves');
  });

  test('float32 inputs are rounded before they meet a threshold, as onnxruntime compares them', () => {
    const t = Math.fround(0.1);
    const m = { ...model([tree({ f: 0, t, yes: { leaf: [1] }, no: { leaf: [2] } })], 1), float32Input: true };
    // x is above the float32 threshold in float64, but rounds to it in float32: x ≤ t holds, as in onnxruntime.
    const x = 0.1000000015;
    expect(x > t && Math.fround(x) === t).toBe(true);
    expect(treeEnsemblePredictRaw(m, [x])).toEqual([1]);
    expect(treeEnsemblePredictRaw({ ...m, float32Input: false }, [x])).toEqual([2]);
  });

  test('an ensemble of more trees than a spread call takes (LightGBM multiclass and large forests reach this)', () => {
    // Math.max(...per-tree depths) threw 'Maximum call stack size exceeded' past ~120k trees: a 500 from explain.
    const split = tree({ f: 0, t: 0.5, yes: { leaf: [1] }, no: { leaf: [-1] } });
    const m = model(new Array<TreeEnsembleTree>(200_000).fill(split), 1);
    const e = treeShapInterventional(m, [[0], [1]], [[0]]);
    expect(e.values[0]![0]![0]).toBeCloseTo(200_000, 6);
    expect(e.base[0]).toBeCloseTo(0, 9);
  });

  test('refusals name the field', () => {
    const m = model([tree({ f: 0, t: 0.5, yes: { leaf: [1] }, no: { leaf: [3] } })], 2);
    expect(() => treeShapInterventional(m, [], [[0, 0]])).toThrow(InvalidParameterError);
    expect(() => treeShapInterventional(m, [[0]], [[0, 0]])).toThrow(/background\[0\] must be an array of 2 numbers/);
    expect(() => treeShapInterventional(m, [[0, 0]], [[0, '1' as unknown as number]])).toThrow(/rows\[0\]/);
    expect(() =>
      treeShapInterventional(
        m,
        [[0, 0]],
        [
          [0, 0],
          [1, 1],
        ],
        { maxRows: 1 },
      ),
    ).toThrow(/At most 1 rows/);
  });
});

describe('treeEnsembleScores (what onnxruntime writes after post_transform)', () => {
  const base = model([], 1);
  test('binary with one score column: the complement first', () => {
    const clf: TreeEnsembleModel = { ...base, kind: 'classifier', perClassWeights: false, postTransform: 'LOGISTIC' };
    const [p0, p1] = treeEnsembleScores(clf, [0.3]);
    expect(p1).toBeCloseTo(1 / (1 + Math.exp(-0.3)), 15);
    expect(p0).toBeCloseTo(1 / (1 + Math.exp(0.3)), 15);
    expect(treeEnsembleScores({ ...clf, postTransform: 'NONE', allWeightsPositive: true }, [0.3])).toEqual([0.7, 0.3]);
  });
  test('softmax over per-class margins', () => {
    const s = treeEnsembleScores({ ...base, kind: 'classifier', postTransform: 'SOFTMAX' }, [1, 2, 3]);
    expect(s.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 15);
    expect(s[2]! / s[1]!).toBeCloseTo(Math.E, 12);
  });
});
