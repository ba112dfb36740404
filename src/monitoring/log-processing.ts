/**
 * What happens to logged requests once off the request path: rows are built, PII rules applied, window
 * profiles updated and stored requests written. Runs on the monitoring thread (or in-process when there is
 * none), in slices so no single stretch of work holds the event loop for long.
 */
import type { FlatInputs, FlatOutputs, PredictionEvent } from '../serving/index.js';
import type { PredictionTable } from '../store/index.js';
import type { PackedEvent } from './event-codec.js';
import { inputColumnsOf, outputColumnsOf } from './flat-rows.js';
import type { MonitoringState } from './monitoring-state.js';
import { applyPiiFlat } from './pii.js';

export type LogOutcome = 'stored' | 'sampled_out' | 'dropped' | 'write_failed';
export type Count = (deployment: string, outcome: LogOutcome, rows: number) => void;

/** Requests handled per slice (a few milliseconds of work). */
const SLICE = 200;

export async function processEntries(entries: PackedEvent[], state: MonitoringState, write: (rows: PredictionTable[]) => Promise<void>, count: Count, onError: (err: unknown) => void): Promise<void> {
  for (let i = 0; i < entries.length; i += SLICE) {
    if (i > 0) await new Promise<void>((r) => setImmediate(r));
    await processSlice(entries.slice(i, i + SLICE), state, write, count, onError);
  }
}

/** Answered rows of one window and one column layout, gathered across requests: profiled in one go. */
interface Group {
  e: PredictionEvent;
  rows: number;
  inputs: FlatInputs;
  outputs: FlatOutputs;
}

async function processSlice(slice: PackedEvent[], state: MonitoringState, write: (rows: PredictionTable[]) => Promise<void>, count: Count, onError: (err: unknown) => void): Promise<void> {
  const out: PredictionTable[] = [];
  const stored = new Map<string, number>();
  const groups = new Map<string, Group>();
  for (const { e, disposition } of slice) {
    if (disposition === 'dropped') {
      state.countDropped(e); // counted in the stats when it was dropped
      continue;
    }
    const settings = state.settingsFor(e.deployment);
    const inputs = applyPiiFlat(e.inputFlat(), settings.pii, state.piiKey);
    const outputs = e.outputFlat();
    state.countTraffic(e);
    if (e.status === 'ok' && e.rows > 0) {
      // Per-column work has a fixed cost; one-row requests share it when profiled together.
      const key = `${e.deployment}\0${e.modelVersion}\0${state.windowStartOf(e.deployment, e.ts)}\0${inputs.names.join(',')}\0${outputs.names.join(',')}:${outputs.widths.join(',')}`;
      const g = groups.get(key);
      if (!g) groups.set(key, { e, rows: e.rows, inputs: { names: inputs.names, values: [...inputs.values] }, outputs: { ...outputs, values: [...outputs.values] } });
      else {
        g.rows += e.rows;
        for (const v of inputs.values) g.inputs.values.push(v);
        for (const v of outputs.values) g.outputs.values.push(v);
      }
    }
    if (disposition === 'sample_out') {
      count(e.deployment, 'sampled_out', Math.max(1, e.rows));
      state.countSampledOut(e);
      continue;
    }
    // Stored as the flat lists (cheap to write; the API turns them into rows when read).
    out.push({
      request_id: e.requestId, rows: e.rows, deployment: e.deployment, revision: e.revision, model: e.model, model_version: e.modelVersion,
      route: e.route, ts: e.ts, inputs: JSON.stringify(inputs), outputs: JSON.stringify(outputs),
      latency_us: e.latencyUs, status: e.status, error: e.error ?? null,
    });
    stored.set(e.deployment, (stored.get(e.deployment) ?? 0) + Math.max(1, e.rows));
  }
  for (const g of groups.values()) state.profileColumns(g.e, inputColumnsOf(g.inputs, g.rows), outputColumnsOf(g.outputs, g.rows));
  try {
    await write(out);
    for (const [d, n] of stored) count(d, 'stored', n);
  } catch (err) {
    for (const [d, n] of stored) count(d, 'write_failed', n);
    onError(err);
  }
}
