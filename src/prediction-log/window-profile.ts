/**
 * What monitoring keeps per deployment × model version × window: profiles of inputs and outputs, request
 * counts by status, a latency sketch, and what the prediction log did not store (sampled out, dropped).
 * Everything merges, so windows, replicas and restarts combine by merging.
 */
import { DatasetProfile, type DatasetProfileJSON, EXACT_DEFAULT_BUDGET, KllSketch, type KllJSON } from '../stats/index.js';

/**
 * Same options everywhere (merging requires it); a 1,000-row reservoir keeps small references whole for exact tests.
 * Up to exactBudget numbers per feature (per window, and per merged range) are kept exactly, so drift on them is
 * exact; past it a feature answers from its KLL sketch (docs/monitoring.md, "Profiles").
 */
export const PROFILE_OPTIONS = { reservoirCapacity: 1000, exactBudget: EXACT_DEFAULT_BUDGET } as const;

export interface WindowCounts {
  requests: number;
  rows: number;
  ok: number;
  client_error: number;
  error: number;
  /** Requests whose rows the log did not store because of the sample rate. */
  sampled_out: number;
  /** Requests whose rows the log dropped because its queue was full. */
  dropped: number;
}

export interface WindowProfileJSON {
  version: 1;
  counts: WindowCounts;
  inputs: DatasetProfileJSON;
  outputs: DatasetProfileJSON;
  latency: KllJSON;
}

const zeroCounts = (): WindowCounts => ({ requests: 0, rows: 0, ok: 0, client_error: 0, error: 0, sampled_out: 0, dropped: 0 });

export class WindowProfile {
  counts = zeroCounts();
  inputs = new DatasetProfile(PROFILE_OPTIONS);
  outputs = new DatasetProfile(PROFILE_OPTIONS);
  /** Request latency in seconds. */
  latency = new KllSketch();
  /** Changed since last persisted. */
  dirty = false;

  merge(o: WindowProfile): this {
    for (const k of Object.keys(this.counts) as (keyof WindowCounts)[]) this.counts[k] += o.counts[k];
    this.inputs.merge(o.inputs);
    this.outputs.merge(o.outputs);
    this.latency.merge(o.latency);
    return this;
  }

  toJSON(): WindowProfileJSON {
    return { version: 1, counts: { ...this.counts }, inputs: this.inputs.toJSON(), outputs: this.outputs.toJSON(), latency: this.latency.toJSON() };
  }

  static fromJSON(j: WindowProfileJSON): WindowProfile {
    const w = new WindowProfile();
    w.counts = { ...zeroCounts(), ...j.counts };
    w.inputs = DatasetProfile.fromJSON(j.inputs, PROFILE_OPTIONS);
    w.outputs = DatasetProfile.fromJSON(j.outputs, PROFILE_OPTIONS);
    w.latency = KllSketch.fromJSON(j.latency);
    return w;
  }
}
