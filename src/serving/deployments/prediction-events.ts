/**
 * What serving tells the prediction log about each request it served (and each shadow result). Rows are
 * built lazily: the log does that off the request's critical path, and only for what it keeps.
 */
import type { ModelSignature } from '../runtime/signature.js';
import type { TensorValue } from '../runtime/tensor.js';

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
  /**
   * Set only while an A/B test is assigned to the deployment, on requests it routed (not shadows, not requests
   * addressed to a version): the unit the test counts — the raw sticky value, or the request id when the
   * request has none — and the test's id. The arm is `modelVersion`.
   */
  unit?: string;
  abtest?: string;
  /** The request field the unit is the value of (the sticky key); absent when the unit is the request id. */
  unitField?: string;
}

/**
 * Row-major, JSON-safe values: `names.length` per row. Cheaper to build and to ship than row objects.
 * Built by serving, `values` is computed only when read: the log packs straight from `tensors`.
 */
export interface FlatInputs {
  names: string[];
  values: unknown[];
  /** When set, where the values come from: row r of tensor k is its elements [r·w, (r+1)·w), w = `tensorWidths[k]`. */
  tensors?: TensorValue[];
  tensorWidths?: number[];
}

export interface FlatOutputs {
  names: string[];
  /** Values per row of each output (1 for a label, k for k class probabilities). */
  widths: number[];
  values: unknown[];
  /** When set, the outputs' tensors (row r of output k is its elements [r·w, (r+1)·w), w = `widths[k]`). */
  tensors?: TensorValue[];
}

export interface PredictionObserver {
  prediction(event: PredictionEvent): void;
  /**
   * What must finish before the request is answered (the prediction log's journal write of this tick's events), or
   * null when nothing is waiting. Serving awaits it, so an answered prediction is never one the log could lose.
   */
  durable?(): Promise<void> | null;
}

/** One element as JSON: int64 → Number, bool → boolean; NaN (a missing number) and "" (missing text) → null. */
function valueAt(t: TensorValue, i: number): unknown {
  const v = t.data[i];
  if (t.type === 'int64') return Number(v as bigint);
  if (t.type === 'bool') return v !== 0;
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  return v === '' || v === undefined ? null : v;
}

/** Row-major values of tensors that each give `widths[k]` values per row. */
function rowMajor(tensors: TensorValue[], widths: number[], rows: number): unknown[] {
  let perRow = 0;
  for (const w of widths) perRow += w;
  const values = new Array<unknown>(rows * perRow);
  for (let r = 0, i = 0; r < rows; r++) {
    for (let k = 0; k < tensors.length; k++) {
      const t = tensors[k]!;
      const w = widths[k]!;
      for (let j = 0; j < w; j++) values[i++] = valueAt(t, r * w + j);
    }
  }
  return values;
}

/** Values kept as the request's tensors; the row-major list is built if someone reads it (the log does not). */
class TensorInputs implements FlatInputs {
  private rowValues: unknown[] | null = null;
  constructor(
    readonly names: string[],
    readonly tensors: TensorValue[],
    readonly tensorWidths: number[],
    private readonly rows: number,
  ) {}

  get values(): unknown[] {
    return (this.rowValues ??= rowMajor(this.tensors, this.tensorWidths, this.rows));
  }

  toJSON(): { names: string[]; values: unknown[] } {
    return { names: this.names, values: this.values };
  }
}

class TensorOutputs implements FlatOutputs {
  private rowValues: unknown[] | null = null;
  constructor(
    readonly names: string[],
    readonly widths: number[],
    readonly tensors: TensorValue[],
    private readonly rows: number,
  ) {}

  get values(): unknown[] {
    return (this.rowValues ??= rowMajor(this.tensors, this.widths, this.rows));
  }

  toJSON(): { names: string[]; widths: number[]; values: unknown[] } {
    return { names: this.names, widths: this.widths, values: this.values };
  }
}

/** Per signature: the input names and widths of a request that has every input (the usual case). */
const perColumnLayout = new WeakMap<ModelSignature, { names: string[]; widths: number[] }>();

/** Flat feature values from the feeds of either signature layout. */
export function featureFlat(sig: ModelSignature, feeds: Record<string, TensorValue>, rows: number): FlatInputs {
  if (sig.layout === 'per-column') {
    const tensors: TensorValue[] = [];
    for (const s of sig.inputs) {
      const t = feeds[s.name];
      if (t) tensors.push(t);
    }
    let layout = perColumnLayout.get(sig);
    if (!layout) perColumnLayout.set(sig, (layout = { names: sig.inputs.map((s) => s.name), widths: sig.inputs.map(() => 1) }));
    if (tensors.length !== sig.inputs.length) {
      const specs = sig.inputs.filter((s) => feeds[s.name]);
      layout = { names: specs.map((s) => s.name), widths: specs.map(() => 1) };
    }
    return new TensorInputs(layout.names, tensors, layout.widths, rows);
  }
  const t = feeds[sig.inputs[0]!.name];
  if (!t) return { names: [], values: [] };
  const width = t.data.length / Math.max(1, rows);
  const names = sig.features.length === width ? sig.features : Array.from({ length: width }, (_, j) => `f${j}`);
  // A ragged tensor (not a whole number of values per row) is listed as before, value after value.
  if (!Number.isInteger(width) || rows === 0) return { names, values: rowMajor([t], [t.data.length], 1) };
  return new TensorInputs(names, [t], [width], rows);
}

let lastOutputNames: string[] = [];

/** Flat output values, row after row. */
export function outputFlat(outputs: Record<string, TensorValue>, rows: number): FlatOutputs {
  let names = Object.keys(outputs);
  // The same outputs request after request: one names list, so the log recognizes the layout by identity.
  if (names.length === lastOutputNames.length && names.every((n, i) => n === lastOutputNames[i])) names = lastOutputNames;
  else lastOutputNames = names;
  const tensors = names.map((n) => outputs[n]!);
  const widths = tensors.map((t) => t.data.length / Math.max(1, rows));
  if (widths.some((w) => !Number.isInteger(w))) return { names, widths, values: legacyOutputValues(tensors, widths, rows) };
  return new TensorOutputs(names, widths, tensors, rows);
}

/** Outputs whose length is not a whole number of values per row, listed as they always were. */
function legacyOutputValues(tensors: TensorValue[], widths: number[], rows: number): unknown[] {
  const values: unknown[] = [];
  for (let r = 0; r < rows; r++)
    for (let k = 0; k < tensors.length; k++) for (let j = 0; j < widths[k]!; j++) values.push(valueAt(tensors[k]!, r * widths[k]! + j));
  return values;
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
