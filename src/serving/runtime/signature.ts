/**
 * A model version's signature: its tensor inputs and outputs (names, element types, shapes) and, when
 * known, its feature names. Two layouts cover what converters make: one 2-D tensor whose columns are the
 * features (feature names from the MLflow signature, the model's metadata or --features), or one [N, 1]
 * input per column (what skl2onnx makes for a pipeline with a ColumnTransformer).
 */
import { InvalidParameterError } from '../../errors.js';
import { type ElementType, isElementType } from './tensor.js';

export interface TensorSpec {
  name: string;
  type: ElementType;
  /** null = dynamic (the batch dimension, usually). */
  shape: (number | null)[];
}

export interface ModelSignature {
  inputs: TensorSpec[];
  /** Tensor outputs only; non-tensor outputs (ZipMap's sequence of maps) are listed in `skippedOutputs`. */
  outputs: TensorSpec[];
  skippedOutputs: string[];
  layout: 'single-tensor' | 'per-column';
  /** Column names, in order, for records input. */
  features: string[];
}

/** What onnxruntime reports for an input or output (InferenceSession.ValueMetadata). */
export interface ValueMetadata {
  name: string;
  isTensor: boolean;
  type?: string;
  shape?: readonly (number | string)[];
}

function spec(m: ValueMetadata, where: string): TensorSpec {
  const type = m.type ?? '';
  if (!isElementType(type)) {
    throw new InvalidParameterError('model', `The model's ${where} '${m.name}' has element type '${type}', which Ferry cannot serve yet.`);
  }
  return { name: m.name, type, shape: (m.shape ?? []).map((d) => (typeof d === 'number' && d >= 0 ? d : null)) };
}

export function buildSignature(inputs: readonly ValueMetadata[], outputs: readonly ValueMetadata[], featureNames: string[] | undefined): ModelSignature {
  const nonTensorInput = inputs.find((i) => !i.isTensor);
  if (nonTensorInput) throw new InvalidParameterError('model', `The model's input '${nonTensorInput.name}' is not a tensor; Ferry serves tensor inputs only.`);
  const tensorOutputs = outputs.filter((o) => o.isTensor);
  const skippedOutputs = outputs.filter((o) => !o.isTensor).map((o) => o.name);
  if (tensorOutputs.length === 0) {
    throw new InvalidParameterError(
      'model',
      `The model has no tensor outputs (${skippedOutputs.join(', ')} are sequences/maps, e.g. scikit-learn's ZipMap). ` +
        'Convert it with skl2onnx options={id(clf): {"zipmap": False}} so probabilities are a tensor.',
    );
  }
  const ins = inputs.map((i) => spec(i, 'input'));
  const outs = tensorOutputs.map((o) => spec(o, 'output'));
  if (ins.length > 1) {
    // Per-column inputs: each [N, 1] (or [N]); the input names are the feature names.
    return { inputs: ins, outputs: outs, skippedOutputs, layout: 'per-column', features: ins.map((i) => i.name) };
  }
  const only = ins[0]!;
  const width = only.shape.length === 2 ? only.shape[1] : null;
  let features = featureNames ?? [];
  if (features.length > 0 && width !== null && features.length !== width) {
    throw new InvalidParameterError('features', `${features.length} feature names were given, but the model's input '${only.name}' has ${width} columns.`);
  }
  if (features.length === 0 && width !== null) features = Array.from({ length: width }, (_, i) => `f${i}`);
  return { inputs: ins, outputs: outs, skippedOutputs, layout: ins.length === 1 && only.shape.length === 2 ? 'single-tensor' : 'per-column', features };
}

/** What monitoring profiles: each feature's kind (text inputs are categorical) and the prediction output. */
export function modelFeatures(sig: ModelSignature): { features: { name: string; kind: 'numerical' | 'categorical' }[]; prediction: string | null } {
  const kindOf = (name: string) => (sig.layout === 'per-column' && sig.inputs.find((i) => i.name === name)?.type === 'string' ? 'categorical' : 'numerical');
  return { features: sig.features.map((name) => ({ name, kind: kindOf(name) })), prediction: sig.outputs[0]?.name ?? null };
}
