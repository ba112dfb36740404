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
  /** Feature name → value, per row, as the model saw them (missing numbers are null). */
  inputRows(): Record<string, unknown>[];
  /** Output name → value (a list for per-row vectors such as probabilities), per row. */
  outputRows(): Record<string, unknown>[];
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

/** Per-row feature values from the feeds of either signature layout (indexing the tensors, no copies). */
export function featureRows(sig: ModelSignature, feeds: Record<string, TensorValue>, rows: number): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = new Array(rows);
  for (let r = 0; r < rows; r++) out[r] = {};
  if (sig.layout === 'per-column') {
    for (const spec of sig.inputs) {
      const t = feeds[spec.name];
      if (!t) continue;
      for (let r = 0; r < rows; r++) out[r]![spec.name] = valueAt(t, r);
    }
    return out;
  }
  const t = feeds[sig.inputs[0]!.name];
  if (!t) return out;
  const width = t.data.length / Math.max(1, rows);
  const names = sig.features.length === width ? sig.features : Array.from({ length: width }, (_, j) => `f${j}`);
  for (let r = 0; r < rows; r++) for (let j = 0; j < width; j++) out[r]![names[j]!] = valueAt(t, r * width + j);
  return out;
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
