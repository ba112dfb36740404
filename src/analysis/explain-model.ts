/**
 * A served ONNX model as the batched numeric function the explainers take: every feature becomes a number (a
 * categorical input's value becomes its index in a dictionary of the values seen in the instances and the
 * background), rows of numbers become the model's input tensors, and the explained output (a classifier's
 * probabilities, a regressor's value) comes back as n × outputs doubles. The model itself runs in serving's
 * inference workers (onnxruntime off the event loop); between batches the event loop is yielded to, so other
 * requests are answered while an explanation runs.
 */
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { InvalidParameterError } from '../errors.js';
import type { ElementType, ModelSignature, TensorSpec, TensorValue } from '../serving/index.js';
import type { BatchModel } from '../stats/index.js';

/** What the explain service needs of a loaded model version. */
export interface ExplainTarget {
  model: string;
  version: string;
  signature: ModelSignature;
  run(feeds: Record<string, TensorValue>, fetches?: string[]): Promise<Record<string, TensorValue>>;
  /** The ONNX bytes, when the server can read them (TreeSHAP reads the trees out of the graph). */
  bytes?: () => Promise<Uint8Array>;
}

export type OutputSpace = 'probability' | 'margin' | 'raw';

const FLOAT: ElementType[] = ['float32', 'float64'];

/** Features as numbers: the input spec of each, and the dictionaries of categorical ones. */
export class FeatureCodec {
  readonly features: string[];
  private readonly specs: TensorSpec[];
  private readonly dict: (string[] | null)[];
  private readonly index: (Map<string, number> | null)[];

  constructor(private readonly sig: ModelSignature) {
    this.features = sig.features;
    if (this.features.length === 0) throw new InvalidParameterError('model', 'The model does not name its features; register it with --features.');
    this.specs = this.features.map((f) => (sig.layout === 'single-tensor' ? sig.inputs[0]! : sig.inputs.find((i) => i.name === f)!));
    this.dict = this.specs.map((s) => (s.type === 'string' ? [] : null));
    this.index = this.specs.map((s) => (s.type === 'string' ? new Map() : null));
  }

  /** Numeric rows from records, naming `field[i].feature` in a refusal. */
  encode(records: Record<string, unknown>[], field: string): number[][] {
    return records.map((r, i) =>
      this.features.map((f, j) => {
        const where = `${field}[${i}].${f}`;
        if (r === null || typeof r !== 'object' || !Object.hasOwn(r, f))
          throw new InvalidParameterError(where, `Row ${i} of '${field}' lacks feature '${f}' (the model takes ${this.features.join(', ')}).`);
        const v = r[f];
        const spec = this.specs[j]!;
        if (spec.type === 'string') {
          const s = v === null || v === undefined ? '' : typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : null;
          if (s === null) throw new InvalidParameterError(where, `Feature '${f}' must be a string, got ${JSON.stringify(v)}.`);
          let k = this.index[j]!.get(s);
          if (k === undefined) {
            k = this.dict[j]!.length;
            this.dict[j]!.push(s);
            this.index[j]!.set(s, k);
          }
          return k;
        }
        if (v === null || v === undefined) {
          if (FLOAT.includes(spec.type)) return Number.NaN;
          throw new InvalidParameterError(where, `Feature '${f}' has no value and the model's ${spec.type} input cannot represent one.`);
        }
        if (typeof v === 'boolean' && spec.type === 'bool') return v ? 1 : 0;
        if (typeof v !== 'number' || !Number.isFinite(v))
          throw new InvalidParameterError(where, `Feature '${f}' must be a finite number, got ${JSON.stringify(v)}.`);
        if ((spec.type === 'int32' || spec.type === 'int64') && !Number.isInteger(v))
          throw new InvalidParameterError(where, `Feature '${f}' must be an integer, got ${v}.`);
        return v;
      }),
    );
  }

  /** The model's input tensors for n numeric rows (row-major, one value per feature). */
  feeds(rows: Float64Array, n: number): Record<string, TensorValue> {
    const M = this.features.length;
    if (this.sig.layout === 'single-tensor') {
      const spec = this.sig.inputs[0]!;
      return { [spec.name]: tensor(spec.type, [n, M], rows.length, (i) => rows[i]!, null) };
    }
    const out: Record<string, TensorValue> = {};
    this.specs.forEach((spec, j) => {
      const dims = spec.shape.length === 1 ? [n] : [n, 1];
      out[spec.name] = tensor(spec.type, dims, n, (i) => rows[i * M + j]!, this.dict[j]);
    });
    return out;
  }
}

function tensor(type: ElementType, dims: number[], n: number, at: (i: number) => number, dict: string[] | null): TensorValue {
  switch (type) {
    case 'string':
      return { type, dims, data: Array.from({ length: n }, (_, i) => dict![at(i)]!) };
    case 'float32':
      return { type, dims, data: Float32Array.from({ length: n }, (_, i) => at(i)) };
    case 'float64':
      return { type, dims, data: Float64Array.from({ length: n }, (_, i) => at(i)) };
    case 'int32':
      return { type, dims, data: Int32Array.from({ length: n }, (_, i) => at(i)) };
    case 'int64':
      return { type, dims, data: BigInt64Array.from({ length: n }, (_, i) => BigInt(at(i))) };
    case 'bool':
    case 'uint8':
      return { type, dims, data: Uint8Array.from({ length: n }, (_, i) => at(i)) };
    case 'int8':
      return { type, dims, data: Int8Array.from({ length: n }, (_, i) => at(i)) };
  }
}

/** The output explained: a classifier's probabilities (its float output beside a label), else the first float output. */
export function explainedOutput(sig: ModelSignature): { name: string; space: OutputSpace } {
  const floats = sig.outputs.filter((o) => FLOAT.includes(o.type));
  if (floats.length === 0)
    throw new InvalidParameterError(
      'model',
      `The model has no floating-point output to explain (it answers ${sig.outputs.map((o) => `${o.name}: ${o.type}`).join(', ')}).`,
    );
  const labelled = sig.outputs.some((o) => !FLOAT.includes(o.type)) || sig.skippedOutputs.length > 0;
  const prob = floats.find((o) => /prob/i.test(o.name)) ?? (labelled ? floats[0] : undefined);
  return prob ? { name: prob.name, space: 'probability' } : { name: floats[0]!.name, space: 'raw' };
}

/** The batched model function over encoded rows, and the explained output's column names (from one probe run). */
export async function batchModel(
  target: ExplainTarget,
  codec: FeatureCodec,
  probe: number[][],
): Promise<{ evaluate: BatchModel; outputNames: string[]; space: OutputSpace }> {
  const { name, space } = explainedOutput(target.signature);
  const run = async (rows: Float64Array, n: number) => {
    // Between batches, the event loop serves other requests (the model runs in the inference workers).
    await yieldToLoop();
    const out = (await target.run(codec.feeds(rows, n), [name]))[name]!;
    return Float64Array.from(out.data as Float32Array | Float64Array);
  };
  const first = await run(Float64Array.from(probe.flat()), probe.length);
  const width = first.length / probe.length;
  const outputNames = width === 1 ? [name] : Array.from({ length: width }, (_, j) => `${name}[${j}]`);
  return { evaluate: run, outputNames, space };
}
