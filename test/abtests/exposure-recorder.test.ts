/**
 * The exposure recorder on both stores: routed events of a test become one row per unit (first exposure the
 * earliest, last the latest, requests added up across flushes, the first arm kept), keyed, never raw; shadows
 * and events outside a test are ignored; a failed write is kept for the next flush.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { AbTestAggregator, ExposureRecorder } from '../../src/abtests/index.js';
import { hashValue } from '../../src/prediction-log/index.js';
import type { PredictionEvent } from '../../src/serving/index.js';
import type { Store } from '../../src/store/index.js';
import { forEachStore, freshStore, type StoreHandle } from '../support/stores.js';

const key = Buffer.alloc(32, 7);
const unitKey = (raw: string) => hashValue(key, raw)!;

const event = (p: Partial<PredictionEvent>): PredictionEvent =>
  ({
    deployment: 'd',
    revision: 1,
    model: 'm',
    modelVersion: '1',
    route: 'main',
    requestId: 'r',
    ts: 1000,
    latencyUs: 1,
    status: 'ok',
    rows: 1,
    inputFlat: () => ({ names: [], values: [] }),
    outputFlat: () => ({ names: [], widths: [], values: [] }),
    ...p,
  }) as PredictionEvent;

forEachStore('exposure recorder', (kind) => {
  let handle: StoreHandle;
  let store: Store;
  beforeAll(async () => {
    handle = await freshStore(kind);
    store = await handle.open();
  });
  afterAll(async () => {
    await store?.close();
    await handle?.cleanup();
  });

  const rows = () => store.db.selectFrom('abtest_units').selectAll().orderBy('abtest_id').orderBy('first_ts').execute();

  it('writes one row per unit and test, widening its span and adding requests across flushes', async () => {
    const rec = new ExposureRecorder({ writeUnits: (rows) => new AbTestAggregator(store).recordExposures(rows), unitKey, flushEveryMs: 60_000 });
    rec.prediction(event({ abtest: 't1', unit: 'alice', ts: 2000, modelVersion: '2' }));
    rec.prediction(event({ abtest: 't1', unit: 'alice', ts: 1500, modelVersion: '2' }));
    rec.prediction(event({ abtest: 't2', unit: 'alice', ts: 1700, modelVersion: '1' }));
    rec.prediction(event({ abtest: 't1', unit: 'bob', ts: 3000 }));
    rec.prediction(event({ abtest: 't1', unit: 'carol', ts: 3000, route: 'shadow' }));
    rec.prediction(event({ unit: 'dave', ts: 3000 }));
    rec.prediction(event({ ts: 3000 }));
    await rec.flush();
    rec.prediction(event({ abtest: 't1', unit: 'alice', ts: 900, modelVersion: '1' }));
    rec.prediction(event({ abtest: 't1', unit: 'alice', ts: 5000, modelVersion: '1' }));
    await rec.close();
    expect(await rows()).toEqual([
      { abtest_id: 't1', unit: unitKey('alice'), arm: '2', first_ts: 900, last_ts: 5000, requests: 4 },
      { abtest_id: 't1', unit: unitKey('bob'), arm: '1', first_ts: 3000, last_ts: 3000, requests: 1 },
      { abtest_id: 't2', unit: unitKey('alice'), arm: '1', first_ts: 1700, last_ts: 1700, requests: 1 },
    ]);
  });

  it('keeps what a failed write held for the next flush', async () => {
    const errors: unknown[] = [];
    let fail = true;
    const flaky = {
      ...store,
      get db() {
        if (fail) throw new Error('store down');
        return store.db;
      },
    } as Store;
    const rec = new ExposureRecorder({
      writeUnits: (rows) => new AbTestAggregator(flaky).recordExposures(rows),
      unitKey,
      flushEveryMs: 60_000,
      onError: (e) => errors.push(e),
    });
    rec.prediction(event({ abtest: 't3', unit: 'erin', ts: 10 }));
    await rec.flush();
    expect(errors).toHaveLength(1);
    rec.prediction(event({ abtest: 't3', unit: 'erin', ts: 20 }));
    fail = false;
    await rec.close();
    expect((await rows()).filter((r) => r.abtest_id === 't3')).toEqual([
      { abtest_id: 't3', unit: unitKey('erin'), arm: '1', first_ts: 10, last_ts: 20, requests: 2 },
    ]);
  });
});
