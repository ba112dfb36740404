/**
 * What serving tells the prediction log about each request it served (and each shadow result). Rows are
 * built lazily: the log does that off the request's critical path, and only for what it keeps.
 */
import type { ModelSignature } from './signature.js';
import { type TensorValue, toJsonArray } from './tensor.js';

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

/** JSON-safe and missing-as-null: NaN (a missing number) and "" (the missing marker of text inputs) become null. */
const jsonSafe = (v: unknown) => ((typeof v === 'number' && !Number.isFinite(v)) || v === '' ? null : v);

/** Per-row feature values from the feeds of either signature layout. */
export function featureRows(sig: ModelSignature, feeds: Record<string, TensorValue>, rows: number): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = Array.from({ length: rows }, () => ({}));
  if (sig.layout === 'per-column') {
    for (const spec of sig.inputs) {
      const t = feeds[spec.name];
      if (!t) continue;
      const values = toJsonArray(t);
      for (let r = 0; r < rows; r++) out[r]![spec.name] = jsonSafe(values[r]);
    }
    return out;
  }
  const t = feeds[sig.inputs[0]!.name];
  if (!t) return out;
  const values = toJsonArray(t);
  const width = values.length / Math.max(1, rows);
  const names = sig.features.length === width ? sig.features : Array.from({ length: width }, (_, j) => `f${j}`);
  for (let r = 0; r < rows; r++) for (let j = 0; j < width; j++) out[r]![names[j]!] = jsonSafe(values[r * width + j]);
  return out;
}

/** Per-row outputs: a scalar per row, or the row's slice of a wider output. */
export function outputRows(outputs: Record<string, TensorValue>, rows: number): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = Array.from({ length: rows }, () => ({}));
  for (const [name, t] of Object.entries(outputs)) {
    const values = toJsonArray(t);
    const per = values.length / Math.max(1, rows);
    for (let r = 0; r < rows; r++) out[r]![name] = per === 1 ? jsonSafe(values[r]) : values.slice(r * per, (r + 1) * per).map(jsonSafe);
  }
  return out;
}
