/**
 * Reads a tree ensemble out of an ONNX graph for TreeSHAP: an ai.onnx.ml TreeEnsembleRegressor or
 * TreeEnsembleClassifier (as skl2onnx writes GradientBoosting, RandomForest, ExtraTrees and DecisionTree models, and
 * onnxmltools XGBoost and LightGBM ones) whose input is the graph's [N, M] input itself, through Cast or Identity
 * at most. Anything else answers why not, so the caller can fall back to a model-agnostic explainer: a graph without
 * exactly one ensemble, a transform in front of it (a Scaler, an imputer, a one-hot), a MIN/MAX aggregate (not a sum
 * of trees), a binary classifier layout onnxruntime treats ambiguously.
 */
import { POST_TRANSFORMS, SPLIT_MODES, SPLIT_LEAF, type PostTransform, type TreeEnsembleModel, type TreeEnsembleTree } from '../../stats/index.js';
import { readOnnxGraph, type OnnxAttribute, type OnnxGraph, type OnnxNode } from './onnx-model-info.js';

export type TreeEnsembleRead = { ok: true; model: TreeEnsembleModel } | { ok: false; reason: string };

const TREE_OPS = new Set(['TreeEnsembleRegressor', 'TreeEnsembleClassifier']);
/** TensorProto.DataType: the element types a tree ensemble's input may have. */
const FLOAT = 1;
const DOUBLE = 11;

/** Most regression targets read (each is an output explained per feature). */
const MAX_TARGETS = 65_536;

class NotATreeEnsemble extends Error {}
const refuse = (reason: string): never => {
  throw new NotATreeEnsemble(reason);
};

/** A numeric list attribute, its *_as_tensor double variant preferred (float32 values are widened as they are). */
function numbers(node: OnnxNode, name: string): number[] | null {
  const t = node.attributes.get(`${name}_as_tensor`)?.t;
  if (t) return t.values;
  const a = node.attributes.get(name);
  if (!a) return null;
  return a.floats.length > 0 ? a.floats : a.ints;
}

function required(node: OnnxNode, name: string): number[] {
  return numbers(node, name) ?? refuse(`the ${node.opType} has no ${name} attribute`);
}

const text = (a: OnnxAttribute | undefined, fallback: string): string => a?.s ?? fallback;

/** Follows the tree node's input back through Cast / Identity to the graph input; notes whether it meets float32. */
function traceInput(graph: OnnxGraph, tree: OnnxNode): { input: string; float32: boolean } {
  const producers = new Map<string, OnnxNode>();
  for (const n of graph.nodes) for (const o of n.outputs) producers.set(o, n);
  const inputs = graph.inputs.filter((i) => !graph.initializers.has(i.name));
  let name = tree.inputs[0] ?? refuse(`the ${tree.opType} has no input`);
  let float32 = false;
  const seen = new Set<string>();
  for (;;) {
    // A hostile graph may feed Identity/Cast nodes from each other: without this the walk never ends.
    if (seen.has(name)) refuse(`a cycle of nodes feeds the ${tree.opType}'s input '${name}'`);
    seen.add(name);
    const graphInput = inputs.find((i) => i.name === name);
    if (graphInput) {
      if (graphInput.elemType !== FLOAT && graphInput.elemType !== DOUBLE) {
        refuse(`the graph input '${name}' is not a float or double tensor (element type ${graphInput.elemType})`);
      }
      return { input: name, float32: float32 || graphInput.elemType === FLOAT };
    }
    const p = producers.get(name) ?? refuse(`the ${tree.opType}'s input '${name}' is neither a graph input nor a node's output`);
    if (p.opType === 'Identity' && p.domain === '') name = p.inputs[0]!;
    else if (p.opType === 'Cast' && p.domain === '') {
      const to = p.attributes.get('to')?.i;
      if (to !== FLOAT && to !== DOUBLE) refuse(`a Cast to element type ${to} stands in front of the ${tree.opType}`);
      if (to === FLOAT) float32 = true;
      name = p.inputs[0]!;
    } else {
      refuse(`a ${p.opType} (${p.domain || 'ai.onnx'}) stands between the graph input and the ${tree.opType}: TreeSHAP explains the trees' own inputs`);
    }
  }
}

interface Leaf {
  tree: number;
  node: number;
  output: number;
  weight: number;
}

/** Builds the flat trees from the nodes_* and the leaf weight attributes (target_* or class_*). */
function buildTrees(node: OnnxNode, nFeatures: number, leafPrefix: 'target' | 'class', scale: (nTrees: number) => number): TreeEnsembleTree[] {
  const treeIds = required(node, 'nodes_treeids');
  const nodeIds = required(node, 'nodes_nodeids');
  const featureIds = required(node, 'nodes_featureids');
  const values = required(node, 'nodes_values');
  const trueIds = required(node, 'nodes_truenodeids');
  const falseIds = required(node, 'nodes_falsenodeids');
  const modes = node.attributes.get('nodes_modes')?.strings ?? refuse(`the ${node.opType} has no nodes_modes attribute`);
  const missing = numbers(node, 'nodes_missing_value_tracks_true') ?? [];
  const n = treeIds.length;
  for (const [name, arr] of [
    ['nodes_nodeids', nodeIds],
    ['nodes_featureids', featureIds],
    ['nodes_values', values],
    ['nodes_truenodeids', trueIds],
    ['nodes_falsenodeids', falseIds],
    ['nodes_modes', modes],
  ] as const) {
    if (arr.length !== n) refuse(`${name} has ${arr.length} entries where nodes_treeids has ${n}`);
  }
  if (missing.length !== 0 && missing.length !== n) refuse(`nodes_missing_value_tracks_true has ${missing.length} entries where nodes_treeids has ${n}`);

  // Trees in order of first appearance; each tree's nodes by their node id.
  const treeIndex = new Map<number, number>();
  const members: number[][] = [];
  for (let i = 0; i < n; i++) {
    let t = treeIndex.get(treeIds[i]!);
    if (t === undefined) {
      t = members.length;
      treeIndex.set(treeIds[i]!, t);
      members.push([]);
    }
    members[t]!.push(i);
  }
  const leafTrees = required(node, `${leafPrefix}_treeids`);
  const leafNodes = required(node, `${leafPrefix}_nodeids`);
  const leafIds = required(node, `${leafPrefix}_ids`);
  const leafWeights = required(node, `${leafPrefix}_weights`);
  if (leafNodes.length !== leafTrees.length || leafIds.length !== leafTrees.length || leafWeights.length !== leafTrees.length) {
    refuse(`the ${leafPrefix}_* attributes have different lengths`);
  }
  // A NaN or infinite weight makes every attribution below its leaf NaN (null in JSON): not a model to explain exactly.
  const bad = leafWeights.findIndex((w) => !Number.isFinite(w));
  if (bad >= 0) refuse(`${leafPrefix}_weights[${bad}] is not finite (${leafWeights[bad]})`);
  const leavesOf: Leaf[][] = members.map(() => []);
  for (let i = 0; i < leafTrees.length; i++) {
    const t = treeIndex.get(leafTrees[i]!) ?? refuse(`${leafPrefix}_treeids names tree ${leafTrees[i]}, which has no nodes`);
    leavesOf[t]!.push({ tree: t, node: leafNodes[i]!, output: leafIds[i]!, weight: leafWeights[i]! });
  }
  const factor = scale(members.length);

  return members.map((idx, t) => {
    const size = idx.length;
    const local = new Map<number, number>();
    idx.forEach((g, k) => {
      if (local.has(nodeIds[g]!)) refuse(`tree ${treeIds[g]} has node id ${nodeIds[g]} twice`);
      local.set(nodeIds[g]!, k);
    });
    const feature = new Int32Array(size).fill(-1);
    const threshold = new Float64Array(size);
    const mode = new Uint8Array(size);
    const trueChild = new Int32Array(size).fill(-1);
    const falseChild = new Int32Array(size).fill(-1);
    const missingTracksTrue = new Uint8Array(size);
    idx.forEach((g, k) => {
      const m = SPLIT_MODES.indexOf(modes[g] as (typeof SPLIT_MODES)[number]);
      if (m < 0) refuse(`node mode '${modes[g]}' is not one of ${SPLIT_MODES.join(', ')}`);
      mode[k] = m;
      if (m === SPLIT_LEAF) return;
      const f = featureIds[g]!;
      if (!Number.isInteger(f) || f < 0 || f >= nFeatures) refuse(`tree ${treeIds[g]} tests feature ${f}; the input has ${nFeatures} columns`);
      feature[k] = f;
      threshold[k] = values[g]!;
      missingTracksTrue[k] = missing[g] === 1 ? 1 : 0;
      trueChild[k] = local.get(trueIds[g]!) ?? refuse(`tree ${treeIds[g]} node ${nodeIds[g]} points at node ${trueIds[g]}, which does not exist`);
      falseChild[k] = local.get(falseIds[g]!) ?? refuse(`tree ${treeIds[g]} node ${nodeIds[g]} points at node ${falseIds[g]}, which does not exist`);
    });
    // The root: the node no other node points at; every node reached once (a tree, not a graph with cycles).
    const pointed = new Uint8Array(size);
    for (let k = 0; k < size; k++) {
      if (mode[k] === SPLIT_LEAF) continue;
      pointed[trueChild[k]!] = 1;
      pointed[falseChild[k]!] = 1;
    }
    const roots = [...pointed.keys()].filter((k) => pointed[k] === 0);
    if (roots.length !== 1) refuse(`tree ${treeIds[idx[0]!]} has ${roots.length} roots`);
    const root = roots[0]!;
    const seen = new Uint8Array(size);
    const stack = [root];
    while (stack.length > 0) {
      const k = stack.pop()!;
      if (seen[k]) refuse(`tree ${treeIds[idx[0]!]} reaches node ${nodeIds[idx[k]!]} twice`);
      seen[k] = 1;
      if (mode[k] !== SPLIT_LEAF) stack.push(trueChild[k]!, falseChild[k]!);
    }
    // Leaf values: onnxruntime sums every weight naming the same leaf and output.
    const outs = [...new Set(leavesOf[t]!.map((l) => l.output))].sort((a, b) => a - b);
    const K = Math.max(1, outs.length);
    const leafValues = new Float64Array(size * K);
    for (const l of leavesOf[t]!) {
      const k = local.get(l.node) ?? refuse(`${leafPrefix}_nodeids names node ${l.node} of tree ${treeIds[idx[0]!]}, which does not exist`);
      if (mode[k] !== SPLIT_LEAF) refuse(`${leafPrefix}_nodeids names node ${l.node} of tree ${treeIds[idx[0]!]}, which is not a leaf`);
      leafValues[k * K + outs.indexOf(l.output)]! += l.weight * factor;
    }
    return {
      root,
      feature,
      threshold,
      mode,
      trueChild,
      falseChild,
      missingTracksTrue,
      outputs: Int32Array.from(outs.length > 0 ? outs : [0]),
      leafValues,
    };
  });
}

function postTransformOf(node: OnnxNode): PostTransform {
  const p = text(node.attributes.get('post_transform'), 'NONE');
  if (!(POST_TRANSFORMS as readonly string[]).includes(p)) refuse(`post_transform '${p}' is not one of ${POST_TRANSFORMS.join(', ')}`);
  return p as PostTransform;
}

function read(bytes: Uint8Array): TreeEnsembleModel {
  const graph = readOnnxGraph(bytes);
  const ensembles = graph.nodes.filter((n) => n.domain === 'ai.onnx.ml' && TREE_OPS.has(n.opType));
  const newer = graph.nodes.find((n) => n.domain === 'ai.onnx.ml' && n.opType === 'TreeEnsemble');
  if (ensembles.length === 0) {
    refuse(
      newer ? 'the graph uses ai.onnx.ml TreeEnsemble (opset 5), which is not read yet' : 'the graph has no TreeEnsembleRegressor or TreeEnsembleClassifier',
    );
  }
  if (ensembles.length > 1 || newer) refuse(`the graph has ${ensembles.length + (newer ? 1 : 0)} tree ensembles; TreeSHAP reads one`);
  const node = ensembles[0]!;
  const { input, float32 } = traceInput(graph, node);
  const info = graph.inputs.find((i) => i.name === input)!;
  const cols = info.dims.length === 2 ? info.dims[1] : null;
  if (typeof cols !== 'number' || cols <= 0) refuse(`the graph input '${input}' is not a [N, M] tensor with a known number of columns`);
  const nFeatures = cols as number;
  const postTransform = postTransformOf(node);
  const baseValues = numbers(node, 'base_values') ?? [];
  const badBase = baseValues.findIndex((v) => !Number.isFinite(v));
  if (badBase >= 0) refuse(`base_values[${badBase}] is not finite (${baseValues[badBase]})`);

  if (node.opType === 'TreeEnsembleRegressor') {
    const aggregateName = text(node.attributes.get('aggregate_function'), 'SUM');
    if (aggregateName !== 'SUM' && aggregateName !== 'AVERAGE') refuse(`aggregate_function ${aggregateName} is not a sum of trees, which TreeSHAP needs`);
    const aggregate = aggregateName as 'SUM' | 'AVERAGE';
    const nTargets = node.attributes.get('n_targets')?.i ?? 1;
    // Checked before anything is sized by it: a hostile count past any array length would throw a RangeError.
    if (!Number.isInteger(nTargets) || nTargets < 1 || nTargets > MAX_TARGETS) refuse(`n_targets is ${nTargets}; TreeSHAP reads 1 to ${MAX_TARGETS} targets`);
    const trees = buildTrees(node, nFeatures, 'target', (nTrees) => (aggregate === 'AVERAGE' ? 1 / nTrees : 1));
    for (const t of trees) for (const o of t.outputs) if (o < 0 || o >= nTargets) refuse(`target_ids names target ${o}; n_targets is ${nTargets}`);
    if (baseValues.length !== 0 && baseValues.length !== nTargets) refuse(`base_values has ${baseValues.length} entries for ${nTargets} targets`);
    const prefix = postTransform === 'NONE' ? 'value' : 'margin';
    return {
      kind: 'regressor',
      nFeatures,
      trees,
      outputNames: nTargets === 1 ? [prefix] : Array.from({ length: nTargets }, (_, o) => `${prefix}:${o}`),
      base: Array.from({ length: nTargets }, (_, o) => baseValues[o] ?? 0),
      postTransform,
      aggregate,
      perClassWeights: true,
      allWeightsPositive: false,
      classLabels: [],
      float32Input: float32,
    };
  }

  const aggregate = text(node.attributes.get('aggregate_function'), 'SUM');
  if (aggregate !== 'SUM') refuse(`aggregate_function ${aggregate} on a classifier is not read`);
  const labels = node.attributes.get('classlabels_strings')?.strings ?? node.attributes.get('classlabels_int64s')?.ints.map(String) ?? [];
  if (labels.length < 2) refuse('the TreeEnsembleClassifier has fewer than two class labels');
  const trees = buildTrees(node, nFeatures, 'class', () => 1);
  const used = new Set<number>();
  for (const t of trees) for (const o of t.outputs) used.add(o);
  for (const o of used) if (o < 0 || o >= labels.length) refuse(`class_ids names class ${o}; there are ${labels.length} labels`);
  const allWeightsPositive = required(node, 'class_weights').every((w) => w >= 0);
  const prefix = postTransform === 'NONE' ? 'probability' : 'margin';
  const common = {
    kind: 'classifier' as const,
    nFeatures,
    trees,
    postTransform,
    aggregate: 'SUM' as const,
    allWeightsPositive,
    classLabels: labels,
    float32Input: float32,
  };

  // onnxruntime's binary case: two labels and weights for one class only. It writes that class's score as the second
  // (positive) class's and its complement as the first's; so the one raw output is the positive class's.
  if (labels.length === 2 && used.size <= 1) {
    if ([...used][0] === 1) refuse('a binary classifier with weights for class 1 only: onnxruntime reads that layout ambiguously');
    if (baseValues.length > 1) refuse('a binary classifier with one score column and two base_values: onnxruntime reads that layout ambiguously');
    return { ...common, outputNames: [`${prefix}:${labels[1]}`], base: [baseValues[0] ?? 0], perClassWeights: false };
  }
  if (labels.length === 2 && baseValues.length === 2)
    refuse('a binary classifier with two score columns and two base_values: onnxruntime rewrites the scores from the second');
  if (labels.length > 2 && baseValues.length !== 0 && baseValues.length !== labels.length)
    refuse(`base_values has ${baseValues.length} entries for ${labels.length} classes`);
  return {
    ...common,
    outputNames: labels.map((l) => `${prefix}:${l}`),
    base: labels.map((_, o) => baseValues[o] ?? 0),
    perClassWeights: true,
  };
}

/**
 * The tree ensemble in an ONNX model's bytes, or why TreeSHAP cannot explain it exactly (then use a model-agnostic
 * explainer). Throws only what readOnnxGraph throws for bytes that are not an ONNX model at all.
 */
export function readTreeEnsemble(bytes: Uint8Array): TreeEnsembleRead {
  try {
    return { ok: true, model: read(bytes) };
  } catch (err) {
    if (err instanceof NotATreeEnsemble) return { ok: false, reason: err.message };
    throw err;
  }
}
