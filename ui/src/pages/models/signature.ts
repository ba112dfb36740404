/**
 * A model version's signature for display (pure), from whichever source has one:
 * - `registration`: the `ferry.signature` tag Ferry writes when an .onnx file is uploaded (read from the model);
 * - `mlmodel`: the `signature:` section of an MLflow model's MLmodel file (mlflow.onnx.log_model(..., signature=));
 * - `serving`: the Open Inference Protocol metadata of a deployment that serves the version.
 */
import type { KeyValue } from '../../../../src/sdk/index.js';

export type SignatureSource = 'registration' | 'mlmodel' | 'serving';

export interface SignatureField {
  name: string;
  type: string;
  /** `[?, 7]`; null when the source gives none (an MLflow column spec). */
  shape: string | null;
  required?: boolean;
}

export interface ModelSignature {
  source: SignatureSource;
  inputs: SignatureField[];
  outputs: SignatureField[];
  /** Column names for records input, when they differ from the input names (one 2-D tensor of features). */
  features: string[];
  /** For `serving`: the deployment whose metadata it came from. */
  servedBy?: string;
}

export const SIGNATURE_TAG = 'ferry.signature';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `[null, 7]` or `[-1, 7]` → `[?, 7]`. */
export function shapeText(shape: unknown): string | null {
  if (!Array.isArray(shape)) return null;
  return `[${shape.map((d) => (typeof d === 'number' && d >= 0 ? String(d) : '?')).join(', ')}]`;
}

function fields(list: unknown, typeKey: string): SignatureField[] {
  if (!Array.isArray(list)) return [];
  return list
    .filter(isRecord)
    .map((f, i) => ({ name: typeof f['name'] === 'string' ? f['name'] : `#${i}`, type: String(f[typeKey] ?? ''), shape: shapeText(f['shape']) }));
}

/** Features worth listing: only when they are not just the input names. */
function extraFeatures(features: unknown, inputs: readonly SignatureField[]): string[] {
  if (!Array.isArray(features)) return [];
  const names = features.filter((f): f is string => typeof f === 'string');
  const same = names.length === inputs.length && names.every((n, i) => n === inputs[i]!.name);
  return same ? [] : names;
}

/** The signature Ferry recorded at upload, or null when the version has no (readable) tag. */
export function signatureFromTags(tags: readonly KeyValue[] | undefined): ModelSignature | null {
  const raw = tags?.find((t) => t.key === SIGNATURE_TAG)?.value;
  if (!raw) return null;
  try {
    const j: unknown = JSON.parse(raw);
    if (!isRecord(j)) return null;
    const inputs = fields(j['inputs'], 'type');
    return { source: 'registration', inputs, outputs: fields(j['outputs'], 'type'), features: extraFeatures(j['features'], inputs) };
  } catch {
    return null;
  }
}

/** Open Inference Protocol model metadata (`GET /v2/models/{deployment}/versions/{v}`). */
export function signatureFromV2(meta: unknown): ModelSignature | null {
  if (!isRecord(meta)) return null;
  const inputs = fields(meta['inputs'], 'datatype');
  const outputs = fields(meta['outputs'], 'datatype');
  return inputs.length + outputs.length > 0 ? { source: 'serving', inputs, outputs, features: [] } : null;
}

/** One MLflow schema (a JSON list of column or tensor specs) as fields. */
function mlflowFields(json: string): SignatureField[] {
  const list: unknown = JSON.parse(json);
  if (!Array.isArray(list)) return [];
  return list.filter(isRecord).map((f, i) => {
    const tensor = isRecord(f['tensor-spec']) ? f['tensor-spec'] : null;
    const field: SignatureField = {
      name: typeof f['name'] === 'string' ? f['name'] : list.length === 1 ? 'input' : `#${i}`,
      type: tensor ? `tensor(${String(tensor['dtype'] ?? '?')})` : String(f['type'] ?? ''),
      shape: tensor ? shapeText(tensor['shape']) : null,
    };
    if (typeof f['required'] === 'boolean') field.required = f['required'];
    return field;
  });
}

/**
 * A YAML scalar under `signature:` in an MLmodel file: `inputs: '[...]'`, which PyYAML may fold over several
 * more-indented lines (a line break inside a quoted scalar reads as a space). Returns the unquoted text.
 */
export function mlmodelScalar(text: string, section: string, key: string): string | null {
  const lines = text.split(/\r?\n/);
  const start = lines.findIndex((l) => l.trimEnd() === `${section}:`);
  if (start < 0) return null;
  for (let i = start + 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '') continue;
    const indent = line.length - line.trimStart().length;
    if (indent === 0) return null; // left the section
    const m = new RegExp(`^\\s+${key}:\\s*(.*)$`).exec(line);
    if (!m) continue;
    let value = m[1]!;
    for (let j = i + 1; j < lines.length; j++) {
      const next = lines[j]!;
      if (next.trim() !== '' && next.length - next.trimStart().length <= indent) break;
      value += ` ${next.trim()}`;
    }
    value = value.trim();
    if (value.startsWith("'") && value.endsWith("'")) return value.slice(1, -1).replace(/''/g, "'");
    if (value.startsWith('"') && value.endsWith('"')) {
      try {
        return JSON.parse(value) as string;
      } catch {
        return null;
      }
    }
    return value === 'null' || value === '~' || value === '' ? null : value;
  }
  return null;
}

/** The signature section of an MLmodel file, or null when it has none. */
export function signatureFromMlmodel(text: string): ModelSignature | null {
  const inputs = mlmodelScalar(text, 'signature', 'inputs');
  const outputs = mlmodelScalar(text, 'signature', 'outputs');
  if (inputs === null && outputs === null) return null;
  try {
    return { source: 'mlmodel', inputs: inputs ? mlflowFields(inputs) : [], outputs: outputs ? mlflowFields(outputs) : [], features: [] };
  } catch {
    return null;
  }
}

/** A one-line summary for tables: `7 inputs → 2 outputs`. */
export function signatureSummary(sig: ModelSignature | null): string {
  if (!sig) return '';
  const n = sig.features.length > 0 ? sig.features.length : sig.inputs.length;
  const what = sig.features.length > 0 ? 'feature' : 'input';
  return `${n} ${what}${n === 1 ? '' : 's'} → ${sig.outputs.length} output${sig.outputs.length === 1 ? '' : 's'}`;
}
