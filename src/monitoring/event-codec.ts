/**
 * Prediction events packed for the monitoring thread: one flat JSON array per batch (strings and numbers,
 * row-major values), so crossing threads costs one string copy instead of a structured clone per event.
 */
import type { FlatInputs, FlatOutputs, PredictionEvent } from '../serving/index.js';

/** Fields per event before its values: see pack(). */
const HEAD = 15;
const ROUTES = ['main', 'shadow'] as const;
const STATUSES = ['ok', 'client_error', 'error'] as const;

/** What the log decided for the event on the main thread. */
export type Disposition = 'store' | 'sample_out' | 'dropped';
const DISPOSITIONS: Disposition[] = ['store', 'sample_out', 'dropped'];

export interface PackedEvent {
  e: PredictionEvent;
  disposition: Disposition;
}

/** Column names repeat from event to event; each distinct list is sent once per batch and referred to by index. */
class NameTable {
  readonly lists: string[][] = [];
  private index = new Map<string, number>();
  id(names: string[]): number {
    const key = names.join('\0');
    let i = this.index.get(key);
    if (i === undefined) this.index.set(key, (i = this.lists.push(names) - 1));
    return i;
  }
}

export function pack(events: PackedEvent[]): string {
  const names = new NameTable();
  const flat: unknown[] = [];
  for (const { e, disposition } of events) {
    const withValues = disposition !== 'dropped';
    const inputs: FlatInputs = withValues ? e.inputFlat() : { names: [], values: [] };
    const outputs: FlatOutputs = withValues ? e.outputFlat() : { names: [], widths: [], values: [] };
    flat.push(
      e.requestId, e.rows, e.deployment, e.revision, e.model, e.modelVersion, ROUTES.indexOf(e.route), e.ts, e.latencyUs,
      STATUSES.indexOf(e.status), e.error ?? null, DISPOSITIONS.indexOf(disposition), names.id(inputs.names), names.id(outputs.names), inputs.values.length,
    );
    for (const v of inputs.values) flat.push(v);
    flat.push(outputs.values.length, outputs.widths.join(','));
    for (const v of outputs.values) flat.push(v);
  }
  return JSON.stringify({ names: names.lists, flat });
}

export function unpack(text: string): PackedEvent[] {
  const { names, flat } = JSON.parse(text) as { names: string[][]; flat: unknown[] };
  const out: PackedEvent[] = [];
  let k = 0;
  while (k < flat.length) {
    const h = flat.slice(k, k + HEAD);
    k += HEAD;
    const nIn = h[14] as number;
    const inputs: FlatInputs = { names: names[h[12] as number]!, values: flat.slice(k, k + nIn) };
    k += nIn;
    const nOut = flat[k++] as number;
    const widthText = flat[k++] as string;
    const outputs: FlatOutputs = { names: names[h[13] as number]!, widths: widthText ? widthText.split(',').map(Number) : [], values: flat.slice(k, k + nOut) };
    k += nOut;
    const e: PredictionEvent = {
      requestId: h[0] as string, rows: h[1] as number, deployment: h[2] as string, revision: h[3] as number, model: h[4] as string,
      modelVersion: h[5] as string, route: ROUTES[h[6] as number]!, ts: h[7] as number, latencyUs: h[8] as number,
      status: STATUSES[h[9] as number]!, ...(h[10] !== null ? { error: h[10] as string } : {}),
      inputFlat: () => inputs,
      outputFlat: () => outputs,
    };
    out.push({ e, disposition: DISPOSITIONS[h[11] as number]! });
  }
  return out;
}
