/**
 * Reads a linear model out of an ONNX graph so it can be explained exactly (φ_i = w_i·(x_i − mean_i)): an ai.onnx.ml
 * LinearRegressor or LinearClassifier (as skl2onnx writes LinearRegression, Ridge, Lasso and LogisticRegression)
 * fed by the graph's one [N, M] float input, through Cast or Identity at most, with nothing else reading that input.
 * What follows the linear node (a Normalizer, a ZipMap, a Cast of the label) only reshapes its scores, so the scores
 * themselves — the margins, before the post_transform — are what is explained. Anything else answers why not, so the
 * caller can fall back to a model-agnostic explainer.
 *
 * onnxruntime's binary layouts (checked against onnxruntime 1.31): skl2onnx writes a binary LogisticRegression as
 * two coefficient rows (−w, +w) and intercepts (−b, +b), each column its own margin (σ of it under LOGISTIC). A
 * classifier with two labels and one coefficient row gets a second column made up by onnxruntime: [1 − s, s] under
 * NONE, [1 − σ(s), σ(s)] under LOGISTIC; so its one margin is the second label's. Under SOFTMAX onnxruntime ignores
 * the transform there, and under PROBIT it writes garbage: those two are refused.
 */
import { readOnnxGraph, type OnnxGraph, type OnnxNode } from './onnx-model-info.js';

export const LINEAR_POST_TRANSFORMS = ['NONE', 'LOGISTIC', 'SOFTMAX', 'SOFTMAX_ZERO', 'PROBIT'] as const;
export type LinearPostTransform = (typeof LINEAR_POST_TRANSFORMS)[number];

export interface LinearModel {
  kind: 'regressor' | 'classifier';
  nFeatures: number;
  /** weights[o][i]: output o's coefficient of feature i (float32 in the graph, widened as they are). */
  weights: number[][];
  intercepts: number[];
  /** Per output: `value` / `value:<k>` for a regressor without a transform, else `margin` / `margin:<k>` / `margin:<label>`. */
  outputNames: string[];
  /** What onnxruntime applies to the scores before answering them (the link from the explained margins). */
  postTransform: LinearPostTransform;
  /** A classifier's labels, in score order; empty for a regressor. */
  classLabels: string[];
  /**
   * A binary classifier stored with one coefficient row: its one margin is the second label's, and onnxruntime
   * answers [1 − t(s), t(s)] with t the identity (NONE) or σ (LOGISTIC).
   */
  singleScoreBinary: boolean;
  /** The graph reads its input as float32 (its input is float, or a Cast to float stands in front): explain rounded values. */
  float32Input: boolean;
}

export type LinearModelRead = { ok: true; model: LinearModel } | { ok: false; reason: string };

const LINEAR_OPS = new Set(['LinearRegressor', 'LinearClassifier']);
/** TensorProto.DataType. */
const FLOAT = 1;
const DOUBLE = 11;
/** Most outputs read (targets or classes), each one explained per feature. */
const MAX_OUTPUTS = 65_536;

class NotLinear extends Error {}
const refuse = (reason: string): never => {
  throw new NotLinear(reason);
};

/**
 * Follows the linear node's input back through Cast / Identity to the graph's input, and checks that no other node
 * reads the input or any value on that path (a graph that also adds, say, a function of the input to the scores is
 * not the linear function the coefficients say).
 */
function traceInput(graph: OnnxGraph, linear: OnnxNode): { input: string; float32: boolean } {
  const producers = new Map<string, OnnxNode>();
  for (const n of graph.nodes) for (const o of n.outputs) producers.set(o, n);
  const inputs = graph.inputs.filter((i) => !graph.initializers.has(i.name));
  if (inputs.length !== 1) refuse(`the graph has ${inputs.length} inputs; a linear model reads one [N, M] tensor`);
  let name = linear.inputs[0] ?? refuse(`the ${linear.opType} has no input`);
  let float32 = false;
  const path = new Set<OnnxNode>([linear]);
  const values = new Set<string>();
  for (;;) {
    // A hostile graph may feed Identity/Cast nodes from each other: without this the walk never ends.
    if (values.has(name)) refuse(`a cycle of nodes feeds the ${linear.opType}'s input '${name}'`);
    values.add(name);
    if (name === inputs[0]!.name) {
      const elem = inputs[0]!.elemType;
      if (elem !== FLOAT && elem !== DOUBLE) refuse(`the graph input '${name}' is not a float or double tensor (element type ${elem})`);
      float32 ||= elem === FLOAT;
      break;
    }
    const p = producers.get(name) ?? refuse(`the ${linear.opType}'s input '${name}' is neither the graph input nor a node's output`);
    if (p.opType === 'Identity' && p.domain === '') name = p.inputs[0]!;
    else if (p.opType === 'Cast' && p.domain === '') {
      const to = p.attributes.get('to')?.i;
      if (to !== FLOAT && to !== DOUBLE) refuse(`a Cast to element type ${to} stands in front of the ${linear.opType}`);
      if (to === FLOAT) float32 = true;
      name = p.inputs[0]!;
    } else {
      refuse(`a ${p.opType} (${p.domain || 'ai.onnx'}) stands between the graph input and the ${linear.opType}: the coefficients are not the input's`);
    }
    path.add(p);
  }
  const other = graph.nodes.find((n) => !path.has(n) && n.inputs.some((i) => values.has(i)));
  if (other) refuse(`a ${other.opType} also reads the graph input: the model is more than its ${linear.opType}`);
  return { input: name, float32 };
}

function floats(node: OnnxNode, name: string): number[] | null {
  const a = node.attributes.get(name);
  return a ? a.floats : null;
}

function finite(name: string, values: number[]): number[] {
  const bad = values.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) refuse(`${name}[${bad}] is not finite (${values[bad]})`);
  return values;
}

function rows(coefficients: number[], n: number, m: number): number[][] {
  return Array.from({ length: n }, (_, o) => coefficients.slice(o * m, (o + 1) * m));
}

function read(bytes: Uint8Array): LinearModel {
  const graph = readOnnxGraph(bytes);
  const linear = graph.nodes.filter((n) => n.domain === 'ai.onnx.ml' && LINEAR_OPS.has(n.opType));
  if (linear.length === 0) refuse('the graph has no LinearRegressor or LinearClassifier');
  if (linear.length > 1) refuse(`the graph has ${linear.length} linear nodes (one-vs-rest, or a stack); an exact linear explanation reads one`);
  const node = linear[0]!;
  const { input, float32 } = traceInput(graph, node);
  const info = graph.inputs.find((i) => i.name === input)!;
  const cols = info.dims.length === 2 ? info.dims[1] : null;
  if (typeof cols !== 'number' || cols <= 0) refuse(`the graph input '${input}' is not a [N, M] tensor with a known number of columns`);
  const M = cols as number;
  const post = node.attributes.get('post_transform')?.s ?? 'NONE';
  if (!(LINEAR_POST_TRANSFORMS as readonly string[]).includes(post)) refuse(`post_transform '${post}' is not one of ${LINEAR_POST_TRANSFORMS.join(', ')}`);
  const postTransform = post as LinearPostTransform;
  const coefficients = finite('coefficients', floats(node, 'coefficients') ?? refuse(`the ${node.opType} has no coefficients`));
  if (coefficients.length === 0 || coefficients.length % M !== 0)
    refuse(`the ${node.opType} has ${coefficients.length} coefficients, not a multiple of the input's ${M} columns`);
  const nRows = coefficients.length / M;
  if (nRows > MAX_OUTPUTS) refuse(`the ${node.opType} has ${nRows} coefficient rows; at most ${MAX_OUTPUTS} are read`);
  const intercepts = finite('intercepts', floats(node, 'intercepts') ?? []);
  // onnxruntime adds intercepts only when there is one per score; any other count is a graph it refuses or misreads.
  if (intercepts.length !== 0 && intercepts.length !== nRows) refuse(`the ${node.opType} has ${intercepts.length} intercepts for ${nRows} coefficient rows`);
  const b = Array.from({ length: nRows }, (_, o) => intercepts[o] ?? 0);
  const weights = rows(coefficients, nRows, M);

  if (node.opType === 'LinearRegressor') {
    const targets = node.attributes.get('targets')?.i ?? 1;
    if (targets !== nRows) refuse(`targets is ${targets}, but the coefficients make ${nRows} rows of ${M}`);
    const prefix = postTransform === 'NONE' ? 'value' : 'margin';
    return {
      kind: 'regressor',
      nFeatures: M,
      weights,
      intercepts: b,
      outputNames: nRows === 1 ? [prefix] : Array.from({ length: nRows }, (_, o) => `${prefix}:${o}`),
      postTransform,
      classLabels: [],
      singleScoreBinary: false,
      float32Input: float32,
    };
  }

  const labels = node.attributes.get('classlabels_strings')?.strings ?? node.attributes.get('classlabels_ints')?.ints.map(String) ?? [];
  if (labels.length < 2) refuse('the LinearClassifier has fewer than two class labels');
  const common = { kind: 'classifier' as const, nFeatures: M, postTransform, classLabels: labels, float32Input: float32 };
  if (labels.length === 2 && nRows === 1) {
    if (postTransform !== 'NONE' && postTransform !== 'LOGISTIC')
      refuse(`a binary classifier with one coefficient row under ${postTransform}: onnxruntime does not apply that transform to it as written`);
    return { ...common, weights, intercepts: b, outputNames: [`margin:${labels[1]}`], singleScoreBinary: true };
  }
  if (nRows !== labels.length) refuse(`the LinearClassifier has ${nRows} coefficient rows for ${labels.length} classes`);
  return { ...common, weights, intercepts: b, outputNames: labels.map((l) => `margin:${l}`), singleScoreBinary: false };
}

/**
 * The linear model in an ONNX model's bytes, or why it cannot be explained exactly as one (then use a
 * model-agnostic explainer). Throws only what readOnnxGraph throws for bytes that are not an ONNX model at all.
 */
export function readLinearModel(bytes: Uint8Array): LinearModelRead {
  try {
    return { ok: true, model: read(bytes) };
  } catch (err) {
    if (err instanceof NotLinear) return { ok: false, reason: err.message };
    throw err;
  }
}
