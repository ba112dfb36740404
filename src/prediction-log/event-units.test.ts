// A/B test units through the packed batch (what crosses to the monitoring thread) and the processing that
// stores them: each event's unit, test and unit field come back as they went, requests of a batch with and
// without a test keep theirs, and PII rules that hash or drop the sticky key's field key the unit.
import { describe, expect, it } from 'vitest';
import type { PredictionEvent } from '../serving/index.js';
import type { PredictionBatchTable } from '../store/index.js';
import { BatchReader, pack, type PackedEvent } from './event-codec.js';
import { processBatch } from './log-processing.js';
import type { MonitoringSettings } from './monitoring-settings.js';
import { DEFAULT_SETTINGS } from './monitoring-settings.js';
import type { MonitoringState } from './monitoring-state.js';
import { hashValue } from './pii.js';
import { batchRequests, expandBatch } from './prediction-batch.js';

const KEY = Buffer.from('an-installation-key-of-32-bytes!');

function event(i: number, unit?: { unit: string; abtest: string; unitField?: string }): PredictionEvent {
  return {
    deployment: 'd',
    revision: 1,
    model: 'm',
    modelVersion: i % 2 ? '2' : '1',
    route: 'main',
    requestId: `req-${i}`,
    ts: 1_790_000_000_000 + i,
    latencyUs: 5,
    status: 'ok',
    rows: 1,
    inputFlat: () => ({ names: ['x'], values: [i] }),
    outputFlat: () => ({ names: ['y'], widths: [1], values: [i % 2] }),
    ...(unit ?? {}),
  };
}

const EVENTS: PackedEvent[] = [
  { e: event(0), disposition: 'store' },
  { e: event(1, { unit: 'alice', abtest: 't1', unitField: 'customer' }), disposition: 'store' },
  { e: event(2, { unit: 'req-2', abtest: 't1' }), disposition: 'store' },
  { e: event(3, { unit: 'bob', abtest: 't2', unitField: 'customer' }), disposition: 'sample_out' },
  { e: event(4), disposition: 'store' },
  { e: event(5, { unit: 'alice', abtest: 't1', unitField: 'customer' }), disposition: 'store' },
];

function stateWith(pii: MonitoringSettings['pii']): MonitoringState {
  const settings: MonitoringSettings = { ...DEFAULT_SETTINGS, pii };
  return {
    piiKey: KEY,
    settingsFor: () => settings,
    windowStartOf: (_d: string, t: number) => Math.floor(t / 60_000) * 60_000,
    countTraffic: () => {},
    countDropped: () => {},
    countSampledOut: () => {},
    profileColumns: () => {},
  } as unknown as MonitoringState;
}

async function stored(pii: MonitoringSettings['pii']): Promise<PredictionBatchTable[]> {
  const out: PredictionBatchTable[] = [];
  await processBatch(
    structuredClone(pack(EVENTS)),
    stateWith(pii),
    async (rows) => void out.push(...rows),
    () => {},
    (err) => {
      throw err;
    },
  );
  return out;
}

describe('A/B test units in packed batches', () => {
  it('come back from a batch (as the thread gets it) as they went, and only on the events that had them', () => {
    const reader = new BatchReader(structuredClone(pack(EVENTS)));
    const got = EVENTS.map((_, k) => {
      const e = reader.event(k);
      return [e.unit, e.abtest, e.unitField];
    });
    expect(got).toEqual(EVENTS.map(({ e }) => [e.unit, e.abtest, e.unitField]));
  });

  it('are stored per request, null for the requests of the batch without a test (as sent without PII rules)', async () => {
    const rows = (await stored({ drop: [], hash: [] })).flatMap(expandBatch);
    const byId = new Map(rows.map((r) => [r.request_id, r]));
    expect(byId.size).toBe(5); // the sampled-out one is not stored
    expect([0, 1, 2, 4, 5].map((i) => [byId.get(`req-${i}`)!.unit, byId.get(`req-${i}`)!.abtest])).toEqual([
      [undefined, undefined],
      ['alice', 't1'],
      ['req-2', 't1'],
      [undefined, undefined],
      ['alice', 't1'],
    ]);
  });

  it("pads a batch's units with nulls, and reads a batch without them (written before units were logged)", async () => {
    const batches = await stored({ drop: [], hash: [] });
    const version2 = batches.find((b) => b.model_version === '2')!;
    const version1 = batches.find((b) => b.model_version === '1')!;
    // Version 1's batch: req-0 (none), req-2 (the request id), req-4 (none): padded with nulls.
    expect(batchRequests(version1)).toMatchObject({ units: [null, 'req-2', null], abtests: [null, 't1', null] });
    expect(batchRequests(version2)).toMatchObject({ units: ['alice', 'alice'], abtests: ['t1', 't1'] });
    const requests = JSON.parse(version1.requests) as Record<string, unknown>;
    delete requests['units'];
    delete requests['abtests'];
    const old = expandBatch({ ...version1, requests: JSON.stringify(requests) });
    expect(old.map((r) => [r.request_id, r.unit, r.abtest])).toEqual([
      ['req-0', undefined, undefined],
      ['req-2', undefined, undefined],
      ['req-4', undefined, undefined],
    ]);
  });

  for (const pii of [
    { drop: [], hash: ['customer'] },
    { drop: ['customer'], hash: [] },
  ]) {
    it(`are keyed with the PII key when the rules ${pii.drop.length ? 'drop' : 'hash'} the sticky key's field (request ids are not)`, async () => {
      const rows = (await stored(pii)).flatMap(expandBatch);
      const unitOf = (id: string) => rows.find((r) => r.request_id === id)!.unit;
      expect(unitOf('req-1')).toBe(hashValue(KEY, 'alice'));
      expect(unitOf('req-5')).toBe(hashValue(KEY, 'alice'));
      expect(unitOf('req-2')).toBe('req-2');
      expect(hashValue(KEY, 'alice')).not.toBe(hashValue(Buffer.from('another key'), 'alice'));
    });
  }

  it('are kept as sent when the rules cover other fields', async () => {
    const rows = (await stored({ drop: ['x'], hash: ['email'] })).flatMap(expandBatch);
    expect(rows.find((r) => r.request_id === 'req-1')!.unit).toBe('alice');
  });
});
