/**
 * Prediction events packed for the monitoring thread. Values go into typed arrays (a tag per value, numbers
 * in a Float64Array) that are transferred, not copied; the rest — ids, names, strings — is one small JSON
 * string. A structured clone per event would cost more than the logging work it moves off the event loop.
 */
import type { FlatInputs, FlatOutputs, PredictionEvent } from '../serving/index.js';

const ROUTES = ['main', 'shadow'] as const;
const STATUSES = ['ok', 'client_error', 'error'] as const;

/** What the log decided for the event on the main thread. */
export type Disposition = 'store' | 'sample_out' | 'dropped';
const DISPOSITIONS: Disposition[] = ['store', 'sample_out', 'dropped'];

export interface PackedEvent {
  e: PredictionEvent;
  disposition: Disposition;
}

export interface PackedBatch {
  /** JSON: {names, events: [head...], strings}. */
  meta: string;
  /** Per value: 0 null, 1 number, 2 string, 3 true, 4 false. */
  tags: Uint8Array;
  /** The numbers, in order of their tags. */
  nums: Float64Array;
}

const TAG_NULL = 0;
const TAG_NUM = 1;
const TAG_STR = 2;
const TAG_TRUE = 3;
const TAG_FALSE = 4;

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

const EMPTY_IN: FlatInputs = { names: [], values: [] };
const EMPTY_OUT: FlatOutputs = { names: [], widths: [], values: [] };

export function pack(events: PackedEvent[]): PackedBatch {
  const names = new NameTable();
  const flats = events.map(({ e, disposition }) => (disposition === 'dropped' ? [EMPTY_IN, EMPTY_OUT] as const : [e.inputFlat(), e.outputFlat()] as const));
  let total = 0;
  for (const [i, o] of flats) total += i.values.length + o.values.length;
  const tags = new Uint8Array(total);
  const nums = new Float64Array(total);
  const strings: string[] = [];
  let t = 0;
  let n = 0;
  const put = (v: unknown) => {
    if (typeof v === 'number') {
      tags[t++] = TAG_NUM;
      nums[n++] = v;
    } else if (typeof v === 'string') {
      tags[t++] = TAG_STR;
      strings.push(v);
    } else if (v === true || v === false) tags[t++] = v ? TAG_TRUE : TAG_FALSE;
    else tags[t++] = TAG_NULL;
  };
  const heads = events.map(({ e, disposition }, k) => {
    const [inputs, outputs] = flats[k]!;
    for (let j = 0; j < inputs.values.length; j++) put(inputs.values[j]);
    for (let j = 0; j < outputs.values.length; j++) put(outputs.values[j]);
    return [
      e.requestId, e.rows, e.deployment, e.revision, e.model, e.modelVersion, ROUTES.indexOf(e.route), e.ts, e.latencyUs, STATUSES.indexOf(e.status),
      e.error ?? null, DISPOSITIONS.indexOf(disposition), names.id(inputs.names), names.id(outputs.names), outputs.widths.join(','), inputs.values.length, outputs.values.length,
    ];
  });
  return { meta: JSON.stringify({ names: names.lists, events: heads, strings }), tags, nums: nums.subarray(0, n) };
}

export function unpack(batch: PackedBatch): PackedEvent[] {
  const { names, events, strings } = JSON.parse(batch.meta) as { names: string[][]; events: unknown[][]; strings: string[] };
  const { tags, nums } = batch;
  let t = 0;
  let n = 0;
  let s = 0;
  const take = (count: number): unknown[] => {
    const out = new Array<unknown>(count);
    for (let j = 0; j < count; j++) {
      const tag = tags[t++];
      out[j] = tag === TAG_NUM ? nums[n++] : tag === TAG_STR ? strings[s++] : tag === TAG_TRUE ? true : tag === TAG_FALSE ? false : null;
    }
    return out;
  };
  return events.map((h) => {
    const inputs: FlatInputs = { names: names[h[12] as number]!, values: take(h[15] as number) };
    const widthText = h[14] as string;
    const outputs: FlatOutputs = { names: names[h[13] as number]!, widths: widthText ? widthText.split(',').map(Number) : [], values: take(h[16] as number) };
    const e: PredictionEvent = {
      requestId: h[0] as string, rows: h[1] as number, deployment: h[2] as string, revision: h[3] as number, model: h[4] as string,
      modelVersion: h[5] as string, route: ROUTES[h[6] as number]!, ts: h[7] as number, latencyUs: h[8] as number,
      status: STATUSES[h[9] as number]!, ...(h[10] !== null ? { error: h[10] as string } : {}),
      inputFlat: () => inputs,
      outputFlat: () => outputs,
    };
    return { e, disposition: DISPOSITIONS[h[11] as number]! };
  });
}
