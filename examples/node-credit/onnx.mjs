// A hand-written ONNX encoder for two models over per-column inputs: a logistic regression and tree ensemble. ONNX files are
// protobuf messages; the few message types needed here (model, graph, node, attribute, tensor, value info)
// are written field by field, so the project needs no npm package, only Node.
// Field numbers are onnx.proto's (https://github.com/onnx/onnx/blob/main/onnx/onnx.proto).

import { Buffer } from 'node:buffer';

// ---- protobuf wire format ----

/** A varint: 7 bits a byte, low first; BigInt so int64 values (and negative ones, as 10 bytes) are exact. */
function varint(value) {
  let v = BigInt.asUintN(64, BigInt(value));
  const out = [];
  do {
    let b = Number(v & 0x7fn);
    v >>= 7n;
    if (v > 0n) b |= 0x80;
    out.push(b);
  } while (v > 0n);
  return Buffer.from(out);
}

const key = (field, wire) => varint((field << 3) | wire);
/** Wire type 0: an integer field. */
const int = (field, value) => Buffer.concat([key(field, 0), varint(value)]);
/** Wire type 2: bytes, a string or an embedded message. */
const bytes = (field, data) => {
  const b = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  return Buffer.concat([key(field, 2), varint(b.length), b]);
};
const msg = (field, parts) => bytes(field, Buffer.concat(parts));

// ---- ONNX messages ----

export const FLOAT = 1;
export const INT64 = 7;
export const STRING = 8;
const ATTR_FLOAT = 1;
const ATTR_INT = 2;
const ATTR_STRING = 3;
const ATTR_TENSOR = 4;
const ATTR_FLOATS = 6;
const ATTR_INTS = 7;
const ATTR_STRINGS = 8;

/** TensorProto: dims 1, data_type 2, float_data 4 (packed), string_data 6, int64_data 7 (packed), name 8. */
function tensor(name, type, dims, values) {
  const parts = [...dims.map((d) => int(1, d)), int(2, type)];
  if (type === FLOAT) {
    const raw = Buffer.alloc(4 * values.length);
    values.forEach((v, i) => raw.writeFloatLE(v, 4 * i));
    parts.push(bytes(4, raw));
  } else if (type === INT64) {
    parts.push(bytes(7, Buffer.concat(values.map((v) => varint(v)))));
  } else if (type === STRING) {
    for (const s of values) parts.push(bytes(6, s));
  } else throw new Error(`tensor type ${type} is not written by this encoder`);
  if (name) parts.push(bytes(8, name));
  return Buffer.concat(parts);
}

/** AttributeProto: name 1, f 2 (fixed32), i 3, s 4, t 5, floats 7, ints 8, strings 9, type 20 (lists packed). */
function attribute(name, value) {
  if (value.tensor) return msg(5, [bytes(1, name), msg(5, [value.tensor]), int(20, ATTR_TENSOR)]);
  if (value.int !== undefined) return msg(5, [bytes(1, name), int(3, value.int), int(20, ATTR_INT)]);
  if (value.string !== undefined) return msg(5, [bytes(1, name), bytes(4, value.string), int(20, ATTR_STRING)]);
  if (value.ints) return msg(5, [bytes(1, name), bytes(8, Buffer.concat(value.ints.map((v) => varint(v)))), int(20, ATTR_INTS)]);
  if (value.strings) return msg(5, [bytes(1, name), ...value.strings.map((v) => bytes(9, v)), int(20, ATTR_STRINGS)]);
  if (value.floats) {
    const raw = Buffer.alloc(4 * value.floats.length);
    value.floats.forEach((v, i) => raw.writeFloatLE(v, 4 * i));
    return msg(5, [bytes(1, name), bytes(7, raw), int(20, ATTR_FLOATS)]);
  }
  const f = Buffer.alloc(4);
  f.writeFloatLE(value.float);
  return msg(5, [bytes(1, name), key(2, 5), f, int(20, ATTR_FLOAT)]);
}

/** ValueInfoProto (name 1, type 2) of a tensor (TypeProto.tensor_type 1: elem_type 1, shape 2 of dims 1). */
function valueInfo(name, type, shape) {
  // A dimension is dim_value 1 (a number) or dim_param 2 (a name, for the batch size).
  const dims = shape.map((d) => msg(1, [typeof d === 'number' ? int(1, d) : bytes(2, d)]));
  return [bytes(1, name), msg(2, [msg(1, [int(1, type), msg(2, dims)])])];
}

/**
 * A graph builder: `op` adds a node (inputs by name) and answers its output's name; `constant` adds an
 * initializer. `encode` writes the ModelProto (ir_version 1, graph 7, opset_import 8, producer 2 and 3).
 */
export class Graph {
  constructor() {
    this.nodes = [];
    this.initializers = [];
    this.inputs = [];
    this.outputs = [];
    this.count = 0;
  }

  input(name, type, shape) {
    this.inputs.push(valueInfo(name, type, shape));
    return name;
  }

  output(name, type, shape) {
    this.outputs.push(valueInfo(name, type, shape));
  }

  constant(type, dims, values) {
    const name = `c${this.count++}`;
    this.initializers.push(tensor(name, type, dims, values));
    return name;
  }

  /**
   * NodeProto: input 1, output 2, name 3, op_type 4, attribute 5, domain 7. `out` names the result (else a
   * fresh name); `domain` is the operator set's ('' the default ONNX one).
   */
  op(type, inputs, attrs = {}, out = `t${this.count++}`, domain = '') {
    const parts = [...inputs.map((i) => bytes(1, i)), bytes(2, out), bytes(3, `${type}_${out}`), bytes(4, type)];
    for (const [name, value] of Object.entries(attrs)) parts.push(attribute(name, value));
    if (domain) parts.push(bytes(7, domain));
    this.nodes.push(Buffer.concat(parts));
    return out;
  }

  /** `domains`: further operator sets besides the default one, as { domain, version }. */
  encode({ name, irVersion, opset, producer, version, domains = [] }) {
    // GraphProto: node 1, name 2, initializer 5, input 11, output 12.
    const graph = [
      ...this.nodes.map((n) => bytes(1, n)),
      bytes(2, name),
      ...this.initializers.map((t) => bytes(5, t)),
      ...this.inputs.map((v) => msg(11, v)),
      ...this.outputs.map((v) => msg(12, v)),
    ];
    // OperatorSetIdProto: domain 1 (empty: the default ONNX domain, written anyway), version 2.
    const opsets = [msg(8, [bytes(1, ''), int(2, opset)]), ...domains.map((o) => msg(8, [bytes(1, o.domain), int(2, o.version)]))];
    return Buffer.concat([int(1, irVersion), bytes(2, producer), bytes(3, version), msg(7, graph), ...opsets]);
  }
}

/**
 * The inputs and the feature matrix [N, F], in the training order: per numeric column a missing number (NaN)
 * becomes the training median (IsNaN, Where), then is standardised (Sub, Div) when `standardise`; per
 * categorical column a one-hot block (string Equal against the training categories, opset 19), an unknown or
 * missing category matching none gives all zeros.
 */
function featureMatrix(g, model, { standardise }) {
  const features = [];
  for (const c of model.numeric) {
    const x = g.input(c.name, FLOAT, ['N', 1]);
    const filled = g.op('Where', [g.op('IsNaN', [x]), g.constant(FLOAT, [], [c.median]), x]);
    features.push(standardise ? g.op('Div', [g.op('Sub', [filled, g.constant(FLOAT, [], [c.mean])]), g.constant(FLOAT, [], [c.std])]) : filled);
  }
  for (const c of model.categorical) {
    const x = g.input(c.name, STRING, ['N', 1]);
    // [N, 1] against [K] broadcasts to [N, K]: the one-hot block of this column.
    features.push(g.op('Cast', [g.op('Equal', [x, g.constant(STRING, [c.categories.length], c.categories)])], { to: { int: FLOAT } }));
  }
  return features.length === 1 ? features[0] : g.op('Concat', features, { axis: { int: 1 } });
}

/** From a score z [N, 1] to the demo models' outputs: probabilities [1 − p, p] (float [N, 2]) and label p > 0.5 (int64 [N]). */
function classifierOutputs(g, z) {
  const p = g.op('Sigmoid', [z]); // [N, 1]: the probability of class 1
  g.op('Concat', [g.op('Sub', [g.constant(FLOAT, [], [1]), p]), p], { axis: { int: 1 } }, 'probabilities');
  const positive = g.op('Greater', [g.op('Reshape', [p, g.constant(INT64, [1], [-1])]), g.constant(FLOAT, [], [0.5])]);
  g.op('Cast', [positive], { to: { int: INT64 } }, 'label');
  g.output('label', INT64, ['N']);
  g.output('probabilities', FLOAT, ['N', 2]);
}

/**
 * The logistic regression as ONNX, with the demo models' interface: one `[N, 1]` input per column (float for
 * numeric columns, string for categorical ones), outputs `label` (int64 `[N]`) and `probabilities` (float `[N, 2]`).
 * Plain ONNX ops only: the standardised feature matrix, then MatMul, Add, Sigmoid.
 */
export function logisticOnnx(model) {
  const g = new Graph();
  const X = featureMatrix(g, model, { standardise: true });
  const z = g.op('Add', [g.op('MatMul', [X, g.constant(FLOAT, [model.weights.length, 1], model.weights)]), g.constant(FLOAT, [], [model.intercept])]);
  classifierOutputs(g, z);
  // Opset 19 is the first with string Equal; IR version 9 is the one that opset needs.
  return g.encode({ name: 'logistic_regression', irVersion: 9, opset: 19, producer: 'ferry-node-credit', version: '1' });
}

/**
 * The boosted trees as ONNX, with the same interface: the feature matrix (imputed, not standardised) into
 * ai.onnx.ml's TreeEnsembleRegressor (one target, SUM of the leaves plus the initial score as base value,
 * BRANCH_LEQ: x <= threshold takes the true branch, our left child), then Sigmoid. Every node of every tree is
 * listed (leaves as LEAF), ids 0… per tree as the operator requires; each leaf votes its value for target 0.
 */
export function treeEnsembleOnnx(model) {
  const g = new Graph();
  const X = featureMatrix(g, model, { standardise: false });
  const nodes = { treeids: [], nodeids: [], featureids: [], values: [], modes: [], truenodeids: [], falsenodeids: [], missing: [] };
  const targets = { treeids: [], nodeids: [], ids: [], weights: [] };
  model.trees.forEach((tree, t) => {
    tree.left.forEach((left, id) => {
      const leaf = left === -1;
      nodes.treeids.push(t);
      nodes.nodeids.push(id);
      nodes.featureids.push(leaf ? 0 : tree.feature[id]);
      nodes.values.push(leaf ? 0 : tree.threshold[id]);
      nodes.modes.push(leaf ? 'LEAF' : 'BRANCH_LEQ');
      nodes.truenodeids.push(leaf ? 0 : left);
      nodes.falsenodeids.push(leaf ? 0 : tree.right[id]);
      nodes.missing.push(0); // inputs are imputed before the trees: no NaN reaches them
      if (leaf) {
        targets.treeids.push(t);
        targets.nodeids.push(id);
        targets.ids.push(0);
        targets.weights.push(tree.value[id]);
      }
    });
  });
  const z = g.op(
    'TreeEnsembleRegressor',
    [X],
    {
      aggregate_function: { string: 'SUM' },
      base_values: { floats: [model.init] },
      n_targets: { int: 1 },
      nodes_falsenodeids: { ints: nodes.falsenodeids },
      nodes_featureids: { ints: nodes.featureids },
      nodes_missing_value_tracks_true: { ints: nodes.missing },
      nodes_modes: { strings: nodes.modes },
      nodes_nodeids: { ints: nodes.nodeids },
      nodes_treeids: { ints: nodes.treeids },
      nodes_truenodeids: { ints: nodes.truenodeids },
      nodes_values: { floats: nodes.values },
      post_transform: { string: 'NONE' },
      target_ids: { ints: targets.ids },
      target_nodeids: { ints: targets.nodeids },
      target_treeids: { ints: targets.treeids },
      target_weights: { floats: targets.weights },
    },
    undefined,
    'ai.onnx.ml',
  );
  classifierOutputs(g, z);
  // ai.onnx.ml 3 is TreeEnsembleRegressor's version for float attributes (onnx 1.11+), beside opset 19.
  return g.encode({
    name: 'gradient_boosted_trees',
    irVersion: 9,
    opset: 19,
    producer: 'ferry-node-credit',
    version: '1',
    domains: [{ domain: 'ai.onnx.ml', version: 3 }],
  });
}
