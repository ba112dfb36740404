// The prediction log's packing from tensors (event-codec.ts) and the monitoring thread's column-wise processing
// (log-processing.ts) against the plain definitions: serving's row-major values, JSON.stringify of them, and
// profiles fed those values as lists.
import { describe, expect, it } from 'vitest';
import { BatchPacker, BatchReader, BufferPool, pack, unpack, type PackedEvent } from '../src/prediction-log/event-codec.js';
import { inputColumnsOf, outputColumnsOf } from '../src/prediction-log/flat-rows.js';
import { processEntries } from '../src/prediction-log/log-processing.js';
import { expandBatch } from '../src/prediction-log/prediction-batch.js';
import type { MonitoringState } from '../src/prediction-log/index.js';
import type { MonitoringSettings } from '../src/prediction-log/monitoring-settings.js';
import { applyPiiFlat } from '../src/prediction-log/pii.js';
import { featureFlat, outputFlat } from '../src/serving/deployments/prediction-events.js';
import type { ModelSignature, PredictionEvent, TensorValue } from '../src/serving/index.js';
import { DatasetProfile } from '../src/stats/index.js';

let seed = 11;
const rnd = () => (seed = (seed * 16807) % 2147483647) / 2147483647;

const perColumn = {
  layout: 'per-column',
  inputs: ['a', 'b', 'c', 'd', 'e'].map((name, i) => ({ name, type: (['float32', 'string', 'int64', 'bool', 'float64'] as const)[i]!, shape: [null, 1] })),
  outputs: [],
  skippedOutputs: [],
  features: ['a', 'b', 'c', 'd', 'e'],
} as ModelSignature;
const singleTensor = {
  layout: 'single-tensor',
  inputs: [{ name: 'x', type: 'float32', shape: [null, 3] }],
  outputs: [],
  skippedOutputs: [],
  features: ['f1', 'f2', 'f3'],
} as ModelSignature;

/** A request's tensors: missing values (NaN, ""), infinities, int64 beyond 2^53 and below 0, text needing escapes. */
function tensors(rows: number) {
  const big = (): bigint => {
    const r = rnd();
    if (r < 0.2) return BigInt(Math.floor(rnd() * 2 ** 62)) * (rnd() < 0.5 ? -1n : 1n); // rounds as Number(bigint)
    if (r < 0.3) return -9223372036854775808n;
    return BigInt(Math.floor(rnd() * 1000) - 500);
  };
  const feeds: Record<string, TensorValue> = {
    a: { type: 'float32', dims: [rows, 1], data: Float32Array.from({ length: rows }, () => (rnd() < 0.1 ? NaN : rnd() < 0.05 ? -Infinity : rnd() * 100 - 50)) },
    b: { type: 'string', dims: [rows, 1], data: Array.from({ length: rows }, () => ['', 'x', 'q"u\\o', 'ü\n', '\ud800'][Math.floor(rnd() * 5)]!) },
    c: { type: 'int64', dims: [rows, 1], data: BigInt64Array.from({ length: rows }, big) },
    d: { type: 'bool', dims: [rows, 1], data: Uint8Array.from({ length: rows }, () => (rnd() < 0.5 ? 1 : 0)) },
    e: { type: 'float64', dims: [rows, 1], data: Float64Array.from({ length: rows }, () => (rnd() < 0.1 ? NaN : -0)) },
  };
  const x: TensorValue = { type: 'float32', dims: [rows, 3], data: Float32Array.from({ length: rows * 3 }, () => rnd()) };
  const outputs: Record<string, TensorValue> = {
    label: { type: 'int64', dims: [rows], data: BigInt64Array.from({ length: rows }, () => BigInt(Math.floor(rnd() * 3))) },
    probabilities: { type: 'float32', dims: [rows, 3], data: Float32Array.from({ length: rows * 3 }, () => rnd()) },
    code: { type: 'int32', dims: [rows], data: Int32Array.from({ length: rows }, () => Math.floor(rnd() * 9)) },
  };
  return { feeds, x, outputs };
}

/** Mixed: layouts (single tensor, a missing input, PII rules), sizes. Uniform: one layout, deployments, versions and windows changing. */
function events(n: number, uniform = false): PackedEvent[] {
  const out: PackedEvent[] = [];
  for (let k = 0; k < n; k++) {
    const rows = uniform ? 1 + (k % 3) : [1, 1, 3, 64, 0][k % 5]!;
    const t = tensors(rows);
    const single = !uniform && k % 4 === 3;
    if (!uniform && k % 7 === 2) delete t.feeds['d']; // a request without one of the inputs
    const deployment = uniform ? ((k >> 1) % 3 ? 'plain' : 'other') : k % 3 ? 'plain' : 'pii';
    const e: PredictionEvent = {
      deployment,
      revision: 1,
      model: 'm',
      modelVersion: (k >> 2) % 2 ? '1' : '2',
      route: 'main',
      requestId: `r${k}`,
      ts: 1_700_000_000_000 + k * 7000,
      latencyUs: 10 + k,
      status: 'ok',
      rows,
      inputFlat: () => (single ? featureFlat(singleTensor, { x: t.x }, rows) : featureFlat(perColumn, t.feeds, rows)),
      outputFlat: () => outputFlat(t.outputs, rows),
    };
    out.push({ e, disposition: k % 11 === 5 ? 'sample_out' : 'store' });
  }
  return out;
}

const SETTINGS: Record<'plain' | 'other' | 'pii', MonitoringSettings> = {
  plain: { enabled: true, sample_rate: 1, retention_days: 1, pii: { drop: [], hash: [] }, window: '1m' },
  other: { enabled: true, sample_rate: 1, retention_days: 1, pii: { drop: [], hash: [] }, window: '1m' },
  pii: { enabled: true, sample_rate: 1, retention_days: 1, pii: { drop: ['a'], hash: ['b', 'c', 'f2'] }, window: '1m' },
};

/** A state that records what processing tells it; profiles per window and version, fed with `feed`. */
function recordingState() {
  const profiles = new Map<string, { inputs: DatasetProfile; outputs: DatasetProfile }>();
  const traffic: unknown[] = [];
  const state = {
    piiKey: Buffer.from('key'),
    settingsFor: (d: keyof typeof SETTINGS) => SETTINGS[d],
    windowStartOf: (_d: string, t: number) => Math.floor(t / 60_000) * 60_000,
    countTraffic: (e: PredictionEvent) => traffic.push([e.requestId, e.rows, e.status, e.latencyUs]),
    countDropped: () => {},
    countSampledOut: (e: PredictionEvent) => traffic.push(['sampled', e.requestId]),
    profileColumns: (e: PredictionEvent, inputs: Record<string, ArrayLike<unknown>>, outputs: Record<string, ArrayLike<unknown>>) => {
      const key = `${e.deployment}/${e.modelVersion}/${Math.floor(e.ts / 60_000)}`;
      let p = profiles.get(key);
      if (!p) profiles.set(key, (p = { inputs: new DatasetProfile({ reservoirCapacity: 20 }), outputs: new DatasetProfile({ reservoirCapacity: 20 }) }));
      p.inputs.updateColumns(inputs);
      p.outputs.updateColumns(outputs);
    },
  };
  return { state: state as unknown as MonitoringState, profiles, traffic };
}

describe('prediction events packed from tensors', () => {
  it('read back as serving reports them, row after row (int64 as Number, bool, missing values null)', () => {
    const entries = events(40);
    const back = unpack(pack(entries));
    back.forEach(({ e, disposition }, k) => {
      const { e: orig } = entries[k]!;
      expect(disposition).toBe(entries[k]!.disposition);
      expect(e.inputFlat()).toEqual({ names: orig.inputFlat().names, values: orig.inputFlat().values });
      const o = orig.outputFlat();
      expect(e.outputFlat()).toEqual({ names: o.names, widths: o.widths, values: o.values });
    });
  });

  it('reuse handed-back buffers without carrying old values over', () => {
    const pool = new BufferPool();
    const packer = new BatchPacker(pool);
    const first = events(30);
    for (const { e, disposition } of first) packer.add(e, disposition);
    const a = packer.finish();
    const expected = unpack(a).map(({ e }) => [e.inputFlat(), e.outputFlat()]);
    for (const b of new Set([a.nums.buffer, a.tags.buffer, a.heads.buffer])) pool.give(b as ArrayBuffer);
    // The next batch packs into the same (dirty) buffers.
    for (const { e, disposition } of first) packer.add(e, disposition);
    const again = packer.finish();
    expect(new Set([again.nums.buffer, again.tags.buffer, again.heads.buffer])).toEqual(new Set([a.nums.buffer, a.tags.buffer, a.heads.buffer]));
    expect(unpack(again).map(({ e }) => [e.inputFlat(), e.outputFlat()])).toEqual(expected);
    expect(new BatchReader(again).size).toBe(30);
  });

  it.each([
    ['mixed layouts', false],
    ['one layout, deployments, versions and windows changing', true],
  ])('are stored and profiled as the plain row-major values would be (%s)', async (_, uniform) => {
    const entries = events(60, uniform);
    const got = recordingState();
    const rows: { request_id: string; inputs: string; outputs: string }[] = [];
    for (let i = 0; i < entries.length; i += 25)
      await processEntries(
        entries.slice(i, i + 25),
        got.state,
        async (r) => void rows.push(...r.flatMap(expandBatch)),
        () => {},
        (err) => {
          throw err;
        },
      );

    // The plain definition (what the log did before it worked on columns): PII rules on the flat list, its
    // JSON, and answered rows gathered per window and layout (in order of appearance), profiled as lists.
    const want = recordingState();
    const wantRows: { request_id: string; inputs: string; outputs: string }[] = [];
    for (let i = 0; i < entries.length; i += 25) {
      const groups = new Map<
        string,
        { e: PredictionEvent; rows: number; inputs: { names: string[]; values: unknown[] }; outputs: { names: string[]; widths: number[]; values: unknown[] } }
      >();
      for (const { e, disposition } of entries.slice(i, i + 25)) {
        const inputs = applyPiiFlat(e.inputFlat(), SETTINGS[e.deployment as keyof typeof SETTINGS].pii, want.state.piiKey);
        const o = e.outputFlat();
        const outputs = { names: o.names, widths: o.widths, values: o.values };
        want.state.countTraffic(e);
        if (e.rows > 0) {
          const key = `${e.deployment}\0${e.modelVersion}\0${want.state.windowStartOf(e.deployment, e.ts)}\0${inputs.names.join(',')}\0${outputs.names.join(',')}:${outputs.widths.join(',')}`;
          const g = groups.get(key);
          if (!g)
            groups.set(key, {
              e,
              rows: e.rows,
              inputs: { names: inputs.names, values: [...inputs.values] },
              outputs: { ...outputs, values: [...outputs.values] },
            });
          else {
            g.rows += e.rows;
            g.inputs.values.push(...inputs.values);
            g.outputs.values.push(...outputs.values);
          }
        }
        if (disposition === 'sample_out') want.state.countSampledOut(e);
        else
          wantRows.push({ request_id: e.requestId, inputs: JSON.stringify({ names: inputs.names, values: inputs.values }), outputs: JSON.stringify(outputs) });
      }
      for (const g of groups.values()) want.state.profileColumns(g.e, inputColumnsOf(g.inputs, g.rows), outputColumnsOf(g.outputs, g.rows));
    }
    // Stored in batches per deployment, version, route and status: the same requests, grouped.
    const byId = (a: { request_id: string }, b: { request_id: string }) => (a.request_id < b.request_id ? -1 : a.request_id > b.request_id ? 1 : 0);
    expect(rows.map((r) => ({ request_id: r.request_id, inputs: r.inputs, outputs: r.outputs })).sort(byId)).toEqual([...wantRows].sort(byId));
    expect(got.traffic).toEqual(want.traffic);
    expect([...got.profiles.keys()]).toEqual([...want.profiles.keys()]);
    for (const [key, p] of want.profiles) {
      const q = got.profiles.get(key)!;
      expect(Buffer.from(q.inputs.toBytes())).toEqual(Buffer.from(p.inputs.toBytes()));
      expect(Buffer.from(q.outputs.toBytes())).toEqual(Buffer.from(p.outputs.toBytes()));
    }
  });
});
