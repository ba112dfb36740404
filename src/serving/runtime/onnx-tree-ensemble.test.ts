/**
 * readTreeEnsemble on committed converter output (wine_gbdt.onnx: skl2onnx GradientBoostingClassifier, 3 classes;
 * credit_gbdt.onnx: a pipeline with preprocessing in front) and on graphs encoded here byte by byte, to reach what
 * converters rarely write: Cast / Identity in front, *_as_tensor doubles, AVERAGE and MAX, negative int64 labels,
 * unpacked repeated fields, ambiguous binary layouts. Real converters' ensembles are checked against shap and
 * onnxruntime in python/tests/test_stats_shap_tree.py.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { InvalidParameterError } from '../../errors.js';
import { treeEnsemblePredictRaw, treeEnsembleScores, treeShapInterventional, type TreeEnsembleModel } from '../../stats/index.js';
import { readTreeEnsemble } from './onnx-tree-ensemble.js';

const FIXTURES = join(import.meta.dirname, '..', '..', '..', 'test', 'fixtures', 'models');

// --- a minimal protobuf writer for ONNX messages ---------------------------------------------------------------

function varint(v: number | bigint): number[] {
  let b = BigInt.asUintN(64, BigInt(v));
  const out: number[] = [];
  do {
    const byte = Number(b & 0x7fn);
    b >>= 7n;
    out.push(b > 0n ? byte | 0x80 : byte);
  } while (b > 0n);
  return out;
}
const tag = (field: number, wire: number): number[] => varint(field * 8 + wire);
const len = (field: number, body: number[]): number[] => [...tag(field, 2), ...varint(body.length), ...body];
const str = (field: number, s: string): number[] => len(field, [...new TextEncoder().encode(s)]);
const f32 = (v: number): number[] => [...new Uint8Array(Float32Array.of(v).buffer)];
const f64 = (v: number): number[] => [...new Uint8Array(Float64Array.of(v).buffer)];

type Attr = { ints: number[] } | { floats: number[]; packed?: boolean } | { strings: string[] } | { s: string } | { i: number } | { doubles: number[] };
function attribute(name: string, a: Attr): number[] {
  const body = str(1, name);
  if ('ints' in a)
    body.push(
      ...len(
        8,
        a.ints.flatMap((v) => varint(v)),
      ),
    );
  else if ('floats' in a) {
    if (a.packed === false) for (const v of a.floats) body.push(...tag(7, 5), ...f32(v));
    else body.push(...len(7, a.floats.flatMap(f32)));
  } else if ('strings' in a) for (const s of a.strings) body.push(...str(9, s));
  else if ('s' in a) body.push(...str(4, a.s));
  else if ('i' in a) body.push(...tag(3, 0), ...varint(a.i));
  else body.push(...len(5, [...tag(1, 0), ...varint(a.doubles.length), ...tag(2, 0), ...varint(11), ...len(10, a.doubles.flatMap(f64))]));
  return body;
}
function node(op: string, domain: string, inputs: string[], outputs: string[], attrs: Record<string, Attr> = {}): number[] {
  return [
    ...inputs.flatMap((i) => str(1, i)),
    ...outputs.flatMap((o) => str(2, o)),
    ...str(4, op),
    ...str(7, domain),
    ...Object.entries(attrs).flatMap(([k, v]) => len(5, attribute(k, v))),
  ];
}
function valueInfo(name: string, elemType: number, dims: (number | string)[]): number[] {
  const shape = dims.flatMap((d) => len(1, typeof d === 'number' ? [...tag(1, 0), ...varint(d)] : str(2, d)));
  return [...str(1, name), ...len(2, len(1, [...tag(1, 0), ...varint(elemType), ...len(2, shape)]))];
}
function model(nodes: number[][], input: { name?: string; elemType?: number; dims?: (number | string)[] } = {}): Uint8Array {
  const graph = [
    ...nodes.flatMap((n) => len(1, n)),
    ...str(2, 'g'),
    ...len(11, valueInfo(input.name ?? 'X', input.elemType ?? 1, input.dims ?? ['N', 3])),
    ...len(12, valueInfo('Y', 1, ['N', 1])),
  ];
  return Uint8Array.from([...tag(1, 0), ...varint(8), ...len(7, graph)]);
}

/** Two trees over 3 features: tree 0 splits x0 ≤ 0.5 then x2 < 2; tree 1 splits x1 ≥ 1 (NaN goes true). */
function nodesAttrs(extra: Record<string, Attr> = {}): Record<string, Attr> {
  return {
    nodes_treeids: { ints: [0, 0, 0, 0, 0, 1, 1, 1] },
    nodes_nodeids: { ints: [0, 1, 2, 3, 4, 0, 1, 2] },
    nodes_featureids: { ints: [0, 2, 0, 0, 0, 1, 0, 0] },
    nodes_values: { floats: [0.5, 2, 0, 0, 0, 1, 0, 0] },
    nodes_modes: { strings: ['BRANCH_LEQ', 'BRANCH_LT', 'LEAF', 'LEAF', 'LEAF', 'BRANCH_GTE', 'LEAF', 'LEAF'] },
    nodes_truenodeids: { ints: [1, 2, 0, 0, 0, 1, 0, 0] },
    nodes_falsenodeids: { ints: [4, 3, 0, 0, 0, 2, 0, 0] },
    nodes_missing_value_tracks_true: { ints: [0, 0, 0, 0, 0, 1, 0, 0] },
    ...extra,
  };
}
const leaves = (prefix: string, ids: number[], weights: number[]): Record<string, Attr> => ({
  [`${prefix}_treeids`]: { ints: [0, 0, 0, 1, 1] },
  [`${prefix}_nodeids`]: { ints: [2, 3, 4, 1, 2] },
  [`${prefix}_ids`]: { ints: ids },
  [`${prefix}_weights`]: { floats: weights },
});
const regressor = (extra: Record<string, Attr> = {}): number[] =>
  node('TreeEnsembleRegressor', 'ai.onnx.ml', ['X'], ['Y'], {
    ...nodesAttrs(),
    ...leaves('target', [0, 0, 0, 0, 0], [1, 2, 3, 10, 20]),
    n_targets: { i: 1 },
    ...extra,
  });

function ok(bytes: Uint8Array): TreeEnsembleModel {
  const r = readTreeEnsemble(bytes);
  if (!r.ok) throw new Error(`expected a tree ensemble, got: ${r.reason}`);
  return r.model;
}
function reason(bytes: Uint8Array): string {
  const r = readTreeEnsemble(bytes);
  if (r.ok) throw new Error('expected a refusal');
  return r.reason;
}

describe('readTreeEnsemble on hand-encoded graphs', () => {
  test('a regressor: structure, thresholds, NaN routing, base values', () => {
    const m = ok(model([regressor({ base_values: { floats: [0.25] } })]));
    expect(m.kind).toBe('regressor');
    expect(m.nFeatures).toBe(3);
    expect(m.outputNames).toEqual(['value']);
    expect(m.base).toEqual([0.25]);
    expect(m.float32Input).toBe(true);
    expect(treeEnsemblePredictRaw(m, [0, 0, 0])).toEqual([0.25 + 1 + 20]); // x0 ≤ .5, x2 < 2; x1 ≥ 1 false
    expect(treeEnsemblePredictRaw(m, [0, NaN, 5])).toEqual([0.25 + 2 + 10]); // NaN tracks true in tree 1
    expect(treeEnsemblePredictRaw(m, [1, 1, 0])).toEqual([0.25 + 3 + 10]);
  });

  test('Cast and Identity in front are followed; a Cast to float makes a double input compare in float32', () => {
    const m = ok(model([node('Cast', '', ['X'], ['Xf'], { to: { i: 1 } }), node('Identity', '', ['Xf'], ['Xi']), retarget(regressor())], { elemType: 11 }));
    expect(m.float32Input).toBe(true);
    const d = ok(model([node('Identity', '', ['X'], ['Xi']), retarget(regressor())], { elemType: 11 }));
    expect(d.float32Input).toBe(false);
  });

  test('anything else in front is refused with its name; so are other input shapes and types', () => {
    expect(reason(model([node('Scaler', 'ai.onnx.ml', ['X'], ['Xi'], { scale: { floats: [1, 1, 1] } }), retarget(regressor())]))).toMatch(
      /a Scaler \(ai\.onnx\.ml\) stands between/,
    );
    expect(reason(model([node('Cast', '', ['X'], ['Xi'], { to: { i: 7 } }), retarget(regressor())]))).toMatch(/Cast to element type 7/);
    expect(reason(model([regressor()], { dims: ['N', 'M'] }))).toMatch(/known number of columns/);
    expect(reason(model([regressor()], { elemType: 7 }))).toMatch(/not a float or double tensor/);
    expect(reason(model([node('LinearRegressor', 'ai.onnx.ml', ['X'], ['Y'])]))).toMatch(/no TreeEnsembleRegressor or TreeEnsembleClassifier/);
    expect(reason(model([regressor(), regressor()]))).toMatch(/2 tree ensembles/);
  });

  test('*_as_tensor doubles are read in full precision; unpacked floats too', () => {
    const m = ok(model([regressor({ nodes_values_as_tensor: { doubles: [0.1, 2, 0, 0, 0, 1, 0, 0] }, base_values_as_tensor: { doubles: [0.1] } })]));
    expect(m.trees[0]!.threshold[0]).toBe(0.1);
    expect(m.base).toEqual([0.1]);
    const u = ok(model([regressor({ nodes_values: { floats: [0.5, 2, 0, 0, 0, 1, 0, 0], packed: false } })]));
    expect(u.trees[0]!.threshold[0]).toBe(0.5);
  });

  test('AVERAGE divides by the number of trees; MIN / MAX are refused', () => {
    const m = ok(model([regressor({ aggregate_function: { s: 'AVERAGE' } })]));
    expect(treeEnsemblePredictRaw(m, [0, 0, 0])).toEqual([(1 + 20) / 2]);
    expect(m.aggregate).toBe('AVERAGE');
    expect(reason(model([regressor({ aggregate_function: { s: 'MAX' } })]))).toMatch(/MAX is not a sum of trees/);
  });

  test('broken structure is refused: a feature past the input, a child that does not exist, a weight on a branch', () => {
    expect(reason(model([regressor({ nodes_featureids: { ints: [0, 5, 0, 0, 0, 1, 0, 0] } })]))).toMatch(/tests feature 5; the input has 3 columns/);
    expect(reason(model([regressor({ nodes_truenodeids: { ints: [1, 9, 0, 0, 0, 1, 0, 0] } })]))).toMatch(/points at node 9/);
    expect(reason(model([regressor({ target_nodeids: { ints: [2, 3, 1, 1, 2] } })]))).toMatch(/not a leaf/);
    expect(reason(model([regressor({ nodes_modes: { strings: ['BRANCH_LEQ', 'BRANCH_XX', 'LEAF', 'LEAF', 'LEAF', 'BRANCH_GTE', 'LEAF', 'LEAF'] } })]))).toMatch(
      /BRANCH_XX/,
    );
  });

  test('a hostile graph is refused, never thrown: a huge or negative n_targets, non-finite weights or base values', () => {
    // An n_targets past any array length threw a RangeError out of readTreeEnsemble (a 500 from explain).
    expect(() => readTreeEnsemble(model([regressor({ n_targets: { i: 2 ** 40 } })]))).not.toThrow();
    expect(reason(model([regressor({ n_targets: { i: 2 ** 40 } })]))).toMatch(/n_targets/);
    expect(reason(model([regressor({ n_targets: { i: -3 } })]))).toMatch(/n_targets/);
    // A NaN or infinite leaf weight or base value gave NaN attributions and predictions (null in JSON, against the schema).
    expect(reason(model([regressor({ ...leaves('target', [0, 0, 0, 0, 0], [1, NaN, 3, 10, 20]) })]))).toMatch(/target_weights.*not finite/);
    expect(reason(model([regressor({ ...leaves('target', [0, 0, 0, 0, 0], [1, 2, Infinity, 10, 20]) })]))).toMatch(/target_weights.*not finite/);
    expect(reason(model([regressor({ base_values: { floats: [NaN] } })]))).toMatch(/base_values.*not finite/);
    // A cycle of Identity nodes in front of the trees looped forever (the event loop with it).
    const cycle = model([node('Identity', '', ['A'], ['Xi']), node('Identity', '', ['Xi'], ['A']), retarget(regressor())]);
    expect(reason(cycle)).toMatch(/cycle/);
  });

  test('a binary classifier with one score column explains the positive class; negative int64 labels read right', () => {
    const clf = node('TreeEnsembleClassifier', 'ai.onnx.ml', ['X'], ['label', 'proba'], {
      ...nodesAttrs(),
      ...leaves('class', [0, 0, 0, 0, 0], [-1, 2, 3, 0.5, -0.5]),
      classlabels_int64s: { ints: [-1, 1] },
      base_values: { floats: [0.2] },
      post_transform: { s: 'LOGISTIC' },
    });
    const m = ok(model([clf]));
    expect(m.classLabels).toEqual(['-1', '1']);
    expect(m.outputNames).toEqual(['margin:1']);
    expect(m.perClassWeights).toBe(false);
    const raw = treeEnsemblePredictRaw(m, [0, 0, 0]);
    expect(raw[0]).toBeCloseTo(0.2 - 1 - 0.5, 6);
    const [p0, p1] = treeEnsembleScores(m, raw);
    expect(p1).toBeCloseTo(1 / (1 + Math.exp(-raw[0]!)), 12);
    expect(p0! + p1!).toBeCloseTo(1, 12);
    const onlyClass1 = node('TreeEnsembleClassifier', 'ai.onnx.ml', ['X'], ['label', 'proba'], {
      ...nodesAttrs(),
      ...leaves('class', [1, 1, 1, 1, 1], [1, 2, 3, 4, 5]),
      classlabels_int64s: { ints: [0, 1] },
    });
    expect(reason(model([onlyClass1]))).toMatch(/weights for class 1 only/);
  });

  test('a multiclass random-forest-like classifier: NONE means probabilities, one output per class', () => {
    const clf = node('TreeEnsembleClassifier', 'ai.onnx.ml', ['X'], ['label', 'proba'], {
      ...nodesAttrs(),
      ...leaves('class', [0, 1, 2, 0, 2], [0.5, 0.5, 0.5, 0.5, 0.5]),
      classlabels_strings: { strings: ['a', 'b', 'c'] },
    });
    const m = ok(model([clf]));
    expect(m.outputNames).toEqual(['probability:a', 'probability:b', 'probability:c']);
    expect(m.trees[0]!.outputs).toEqual(Int32Array.from([0, 1, 2]));
    expect(treeEnsemblePredictRaw(m, [0, 0, 0])).toEqual([0.5, 0, 0.5]);
  });
});

/** The regressor's bytes with its input renamed to Xi (fed by the nodes in front). */
function retarget(n: number[]): number[] {
  const bytes = Uint8Array.from(n);
  // The node's first field is its input name 'X' (field 1, length 1): rename it to 'Xi'.
  expect([...bytes.subarray(0, 3)]).toEqual([0x0a, 1, 0x58]);
  return [0x0a, 2, 0x58, 0x69, ...bytes.subarray(3)];
}

describe('readTreeEnsemble on converter output', () => {
  const wine = JSON.parse(readFileSync(join(FIXTURES, 'wine_gbdt.expected.json'), 'utf8')) as {
    inputs: { float_input: number[][] };
    onnx_outputs: { probabilities: number[][] };
  };
  const m = ok(readFileSync(join(FIXTURES, 'wine_gbdt.onnx')));

  test("skl2onnx GradientBoostingClassifier (3 classes): scores match onnxruntime's probabilities", () => {
    expect(m.kind).toBe('classifier');
    expect(m.nFeatures).toBe(13);
    expect(m.postTransform).toBe('SOFTMAX');
    expect(m.outputNames).toEqual(['margin:0', 'margin:1', 'margin:2']);
    expect(m.trees.length).toBe(120);
    wine.inputs.float_input.forEach((row, i) => {
      const p = treeEnsembleScores(m, treeEnsemblePredictRaw(m, row));
      p.forEach((v, k) => expect(Math.abs(v - wine.onnx_outputs.probabilities[i]![k]!)).toBeLessThan(1e-6));
    });
  });

  test('explained: additivity on every row and output, both summations equal', () => {
    const rows = wine.inputs.float_input;
    const bg = rows.slice(0, 10);
    const a = treeShapInterventional(m, bg, rows, { algorithm: 'leaves' });
    const b = treeShapInterventional(m, bg, rows, { algorithm: 'pairs' });
    a.values.forEach((perOut, r) =>
      perOut.forEach((phi, o) => {
        const sum = phi.reduce((s, v) => s + v, a.base[o]!);
        expect(Math.abs(sum - a.fx[r]![o]!)).toBeLessThan(1e-9 * Math.max(1, Math.abs(a.fx[r]![o]!)));
        phi.forEach((v, j) => expect(Math.abs(v - b.values[r]![o]![j]!)).toBeLessThan(1e-12));
      }),
    );
  });

  test('a pipeline with preprocessing in front is refused with the reason', () => {
    expect(reason(readFileSync(join(FIXTURES, 'credit_gbdt.onnx')))).toMatch(/stands between the graph input and the TreeEnsembleClassifier|not a \[N, M\]/);
    expect(reason(readFileSync(join(FIXTURES, 'breast_cancer_logreg.onnx')))).toMatch(/no TreeEnsembleRegressor/);
  });

  test('bytes that are not an ONNX model throw, as readOnnxModelInfo does', () => {
    expect(() => readTreeEnsemble(readFileSync(join(FIXTURES, 'truncated.onnx')))).toThrow(InvalidParameterError);
  });
});
