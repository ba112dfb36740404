/**
 * What serving tells the prediction log about each request it served (and each shadow result). Rows are
 * built lazily: the log does that off the request's critical path, and only for what it keeps.
 */
import type { ModelSignature } from './signature.js';
import type { TensorValue } from './tensor.js';

export type PredictionStatus = 'ok' | 'client_error' | 'error';

export interface PredictionEvent {
  deployment: string;
  revision: number;
  model: string;
  modelVersion: string;
  /** 'main' answered the caller; 'shadow' mirrored it (never returned). */
  route: 'main' | 'shadow';
  requestId: string;
  /** Epoch ms when the request was routed. */
  ts: number;
  latencyUs: number;
  status: PredictionStatus;
  error?: string;
  /** Rows in the request (0 when its body could not be read). */
  rows: number;
  /** Feature values as the model saw them (missing values null), row after row; empty when unread. */
  inputFlat(): FlatInputs;
  /** Output values row after row (an output of width w gives w values per row); empty on error. */
  outputFlat(): FlatOutputs;
}

/** Row-major, JSON-safe values: `names.length` per row. Cheaper to build and to ship than row objects. */
export interface FlatInputs {
  names: string[];
  values: unknown[];
}

export interface FlatOutputs {
  names: string[];
  /** Values per row of each output (1 for a label, k for k class probabilities). */
  widths: number[];
  values: unknown[];
}

export interface PredictionObserver {
  prediction(event: PredictionEvent): void;
}

/** One element as JSON: int64 → Number, bool → boolean; NaN (a missing number) and "" (missing text) → null. */
function valueAt(t: TensorValue, i: number): unknown {
  const v = t.data[i];
  if (t.type === 'int64') return Number(v as bigint);
  if (t.type === 'bool') return v !== 0;
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  return v === '' || v === undefined ? null : v;
}

/** Flat feature values from the feeds of either signature layout. */
export function featureFlat(sig: ModelSignature, feeds: Record<string, TensorValue>, rows: number): FlatInputs {
  if (sig.layout === 'per-column') {
    const specs = sig.inputs.filter((s) => feeds[s.name]);
    const cols = specs.map((s) => feeds[s.name]!);
    const values = new Array<unknown>(rows * cols.length);
    for (let r = 0, k = 0; r < rows; r++) for (let j = 0; j < cols.length; j++) values[k++] = valueAt(cols[j]!, r);
    return { names: specs.map((s) => s.name), values };
  }
  const t = feeds[sig.inputs[0]!.name];
  if (!t) return { names: [], values: [] };
  const width = t.data.length / Math.max(1, rows);
  const names = sig.features.length === width ? sig.features : Array.from({ length: width }, (_, j) => `f${j}`);
  const values = new Array<unknown>(t.data.length);
  for (let i = 0; i < values.length; i++) values[i] = valueAt(t, i);
  return { names, values };
}

/** Flat output values, row after row. */
export function outputFlat(outputs: Record<string, TensorValue>, rows: number): FlatOutputs {
  const names = Object.keys(outputs);
  const tensors = names.map((n) => outputs[n]!);
  const widths = tensors.map((t) => t.data.length / Math.max(1, rows));
  const values: unknown[] = [];
  for (let r = 0; r < rows; r++) for (let k = 0; k < tensors.length; k++) for (let j = 0; j < widths[k]!; j++) values.push(valueAt(tensors[k]!, r * widths[k]! + j));
  return { names, widths, values };
}

/** Per-row outputs: a scalar per row, or the row's slice of a wider output. */
export function outputRows(outputs: Record<string, TensorValue>, rows: number): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = new Array(rows);
  for (let r = 0; r < rows; r++) out[r] = {};
  for (const [name, t] of Object.entries(outputs)) {
    const per = t.data.length / Math.max(1, rows);
    for (let r = 0; r < rows; r++) {
      if (per === 1) out[r]![name] = valueAt(t, r);
      else {
        const v = new Array(per);
        for (let j = 0; j < per; j++) v[j] = valueAt(t, r * per + j);
        out[r]![name] = v;
      }
    }
  }
  return out;
}
