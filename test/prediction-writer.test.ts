import { afterAll, beforeAll, expect, it } from 'vitest';
import { BatchBuilder, expandBatch, listSide, type LoggedRequest } from '../src/prediction-log/prediction-batch.js';
import type { PredictionTable, Store } from '../src/store/index.js';
import { forEachStore, freshStore, type StoreHandle } from './support/stores.js';

/**
 * Requests of several groups (deployment, revision, version, route, status), interleaved, errors and not, one
 * over the row bound of a batch: each must come back from the batches as it was logged, whichever writer wrote them.
 */
function requests(prefix: string): { logged: PredictionTable[]; batches: ReturnType<BatchBuilder['finish']> } {
  const groups: Array<Omit<LoggedRequest, 'requestId' | 'ts' | 'rows' | 'latencyUs'>> = [
    { deployment: 'credit', revision: 1, model: 'credit', modelVersion: '1', route: 'main', status: 'ok' },
    { deployment: 'credit', revision: 1, model: 'credit', modelVersion: '2', route: 'shadow', status: 'ok' },
    { deployment: 'credit', revision: 2, model: 'credit', modelVersion: '1', route: 'main', status: 'client_error', error: "bad 'input'" },
    { deployment: 'fraud', revision: 1, model: 'fraud', modelVersion: '3', route: 'main', status: 'error', error: 'boom' },
  ];
  const b = new BatchBuilder();
  const logged: PredictionTable[] = [];
  for (let k = 0; k < 90; k++) {
    const g = groups[k % 7 < 4 ? 0 : (k % 7) - 3]!;
    const rows = k === 50 ? 5_000 : k % 3;
    const r: LoggedRequest = { ...g, requestId: `${prefix}-${String(k).padStart(4, '0')}`, ts: 1_790_000_000_000 + k, rows, latencyUs: 100 + k };
    const inNames = k % 2 ? ['x'] : ['x', 'y'];
    // Exact float32s, other numbers (stored as float64), missing values, text mixed into a number column.
    const inValues = Array.from({ length: rows * inNames.length }, (_, i) => (i % 5 === 0 ? null : k + i / 8 + (k % 10 === 3 ? 0.1 : 0)));
    const outValues = Array.from({ length: rows }, (_, i) => (k % 4 === 0 ? 'yes' : -k - i));
    b.add(r, listSide(inNames, [], rows, inValues), listSide(['y'], [1], rows, outValues));
    logged.push({
      request_id: r.requestId,
      rows,
      deployment: g.deployment,
      revision: g.revision,
      model: g.model,
      model_version: g.modelVersion,
      route: g.route,
      ts: r.ts,
      inputs: JSON.stringify({ names: inNames, values: inValues }),
      outputs: JSON.stringify({ names: ['y'], widths: [1], values: outValues }),
      latency_us: r.latencyUs,
      status: g.status,
      error: g.error ?? null,
    });
  }
  return { logged, batches: b.finish() };
}

forEachStore('prediction writer', (kind) => {
  let h: StoreHandle;
  let store: Store;
  beforeAll(async () => {
    h = await freshStore(kind);
    store = await h.open();
  });
  afterAll(async () => {
    await store.close();
    await h.cleanup();
  });

  for (const sameThread of [false, true]) {
    it(`stores batches from which every request reads back as logged (${sameThread ? 'a writing thread' : 'the server'})`, async () => {
      const prefix = sameThread ? 'direct' : 'default';
      const { logged, batches } = requests(prefix);
      // Grouped: interleaved requests of one group share batches; the 5,000-row request closes one.
      expect(batches.length).toBeLessThan(12);
      expect(batches.every((b) => b.row_count <= 5_000 && (b.request_count === 1 || b.row_count <= 4_096))).toBe(true);
      const writer = store.predictionWriter({ sameThread });
      await writer.insert(batches);
      // A retried flush: the first copy stays.
      await writer.insert(batches.map((b) => ({ ...b, payload: '{}' })));
      await writer.close();
      const stored = await store.db.selectFrom('prediction_batches').selectAll().where('batch_id', 'like', `%:${prefix}-%`).execute();
      const back = stored.flatMap(expandBatch).sort((a, b) => (a.request_id < b.request_id ? -1 : 1));
      expect(back).toEqual(logged);
    });
  }
});
