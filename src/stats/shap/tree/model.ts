/**
 * A tree ensemble as ONNX's ai.onnx.ml TreeEnsembleRegressor / TreeEnsembleClassifier hold it, in float64 (the
 * float32 thresholds and weights widened), and its raw output: the sum of the trees' leaf values plus the base
 * values, before post_transform. That raw output is what TreeSHAP splits additively over the features.
 */

/** How a branch node compares a feature value x with its threshold t; true sends the row to the true child. */
export const SPLIT_MODES = ['BRANCH_LEQ', 'BRANCH_LT', 'BRANCH_GTE', 'BRANCH_GT', 'BRANCH_EQ', 'BRANCH_NEQ', 'LEAF'] as const;
export type SplitMode = (typeof SPLIT_MODES)[number];
/** Index of a mode in SPLIT_MODES, the number stored per node (LEAF = 6). */
export const LEAF = 6;

export const POST_TRANSFORMS = ['NONE', 'LOGISTIC', 'SOFTMAX', 'SOFTMAX_ZERO', 'PROBIT'] as const;
export type PostTransform = (typeof POST_TRANSFORMS)[number];

/**
 * One tree as flat node arrays (index = node; children are indices into the same arrays). A leaf has mode LEAF
 * and children -1; its values, one per output the tree adds to, are leafValues[node * outputs.length + k] for
 * output outputs[k] (zero at branch nodes). Most trees add to one output (a regressor, a boosted tree of one class);
 * a random forest classifier's trees add to every class.
 */
export interface TreeEnsembleTree {
  root: number;
  feature: Int32Array;
  threshold: Float64Array;
  mode: Uint8Array;
  trueChild: Int32Array;
  falseChild: Int32Array;
  missingTracksTrue: Uint8Array;
  outputs: Int32Array;
  leafValues: Float64Array;
}

export interface TreeEnsembleModel {
  kind: 'regressor' | 'classifier';
  /** Columns of the [N, M] input the trees read; feature i is column i. */
  nFeatures: number;
  trees: TreeEnsembleTree[];
  /**
   * One per raw output: 'value' (or 'value:<target>') for a regressor; for a classifier 'probability:<label>' when
   * post_transform is NONE (a random forest's averaged votes), else 'margin:<label>' (log-odds or softmax logits).
   */
  outputNames: string[];
  /** base_values per output (0 where the graph has none), added after the trees' sum. */
  base: number[];
  postTransform: PostTransform;
  /** The graph's aggregate_function; AVERAGE is folded into the leaf values (each divided by the number of trees). */
  aggregate: 'SUM' | 'AVERAGE';
  /**
   * Classifier only: true when the weights have one column per class (multiclass, or a binary classifier written
   * with both classes); false for a binary classifier with one score column — the positive (second) class's margin
   * or probability, whose complement onnxruntime writes as the first class's column.
   */
  perClassWeights: boolean;
  /**
   * Classifier with one score column only: whether every class weight is ≥ 0. onnxruntime then writes the first
   * column as 1 − score (with no logistic, even under LOGISTIC); with mixed signs it writes σ(−s), σ(s) under
   * LOGISTIC and −s, s otherwise.
   */
  allWeightsPositive: boolean;
  /** Classifier only: the class labels, in the order of onnxruntime's probability columns. */
  classLabels: string[];
  /**
   * Whether the graph's input is float32: onnxruntime compares float32 inputs with float32 thresholds, so every
   * feature value is rounded to float32 (Math.fround) before it meets a threshold, as onnxruntime would.
   */
  float32Input: boolean;
}

/** Whether a row's value goes to the true child of a node, exactly as onnxruntime decides it (NaN included). */
export function goesTrue(mode: number, x: number, t: number, missingTracksTrue: number): boolean {
  let c: boolean;
  switch (mode) {
    case 0:
      c = x <= t;
      break;
    case 1:
      c = x < t;
      break;
    case 2:
      c = x >= t;
      break;
    case 3:
      c = x > t;
      break;
    case 4:
      c = x === t;
      break;
    default:
      c = x !== t; // BRANCH_NEQ: NaN != t, so NaN goes true whatever missing_value_tracks_true says (as in onnxruntime)
  }
  return c || (missingTracksTrue === 1 && Number.isNaN(x));
}

/** The row as the trees see it: float32-rounded where the graph input is float32. */
export function modelRow(model: TreeEnsembleModel, row: ArrayLike<number>): Float64Array {
  const out = new Float64Array(model.nFeatures);
  for (let i = 0; i < model.nFeatures; i++) {
    const v = row[i] ?? NaN;
    out[i] = model.float32Input ? Math.fround(v) : v;
  }
  return out;
}

/** The leaf a row reaches in a tree. */
export function leafOf(tree: TreeEnsembleTree, x: ArrayLike<number>): number {
  let n = tree.root;
  while (tree.mode[n] !== LEAF) {
    const go = goesTrue(tree.mode[n]!, x[tree.feature[n]!]!, tree.threshold[n]!, tree.missingTracksTrue[n]!);
    n = go ? tree.trueChild[n]! : tree.falseChild[n]!;
  }
  return n;
}

/** The raw output (one value per output) before post_transform: base + Σ over trees of the reached leaf's values. */
export function treeEnsemblePredictRaw(model: TreeEnsembleModel, row: ArrayLike<number>): number[] {
  const x = modelRow(model, row);
  const sum = new Float64Array(model.base.length);
  for (const tree of model.trees) {
    const leaf = leafOf(tree, x);
    const k = tree.outputs.length;
    for (let j = 0; j < k; j++) sum[tree.outputs[j]!]! += tree.leafValues[leaf * k + j]!;
  }
  return Array.from(sum, (s, o) => s + model.base[o]!);
}

const logistic = (v: number): number => 1 / (1 + Math.exp(-v));

/** Φ⁻¹ approximation onnxruntime uses for PROBIT (ComputeProbit: √2 · erfinv(2p − 1), Giles' erfinv). */
function probit(p: number): number {
  const x = 2 * p - 1;
  const w = -Math.log((1 - x) * (1 + x));
  let r: number;
  if (w < 5) {
    const v = w - 2.5;
    r = 2.81022636e-8;
    for (const c of [3.43273939e-7, -3.5233877e-6, -4.39150654e-6, 0.00021858087, -0.00125372503, -0.00417768164, 0.246640727, 1.50140941]) r = r * v + c;
  } else {
    const v = Math.sqrt(w) - 3;
    r = -0.000200214257;
    for (const c of [0.000100950558, 0.00134934322, -0.00367342844, 0.00573950773, -0.0076224613, 0.00943887047, 1.00167406, 2.83297682]) r = r * v + c;
  }
  return Math.SQRT2 * r * x;
}

function softmax(v: number[], zeroStaysZero: boolean): number[] {
  const max = Math.max(...v);
  const e = v.map((s) => (zeroStaysZero && s === 0 ? 0 : Math.exp(s - max)));
  const total = e.reduce((a, b) => a + b, 0);
  return e.map((s) => s / total);
}

/**
 * What onnxruntime writes as the model's scores (a classifier's probabilities, a regressor's values) from the raw
 * output: post_transform applied, and for a binary classifier with one score column the first class's column
 * added as the complement. In float64 (onnxruntime computes in float32).
 */
export function treeEnsembleScores(model: TreeEnsembleModel, raw: number[]): number[] {
  const t = model.postTransform;
  if (model.kind === 'classifier' && !model.perClassWeights) {
    const s = raw[0]!;
    if (t === 'PROBIT') return [probit(s)];
    if (model.allWeightsPositive) return [1 - s, s];
    if (t === 'LOGISTIC') return [logistic(-s), logistic(s)];
    return [-s, s];
  }
  if (t === 'LOGISTIC') return raw.map(logistic);
  if (t === 'SOFTMAX' || t === 'SOFTMAX_ZERO') return softmax(raw, t === 'SOFTMAX_ZERO');
  if (t === 'PROBIT') return raw.map(probit);
  return raw.slice();
}
