import { afterAll, beforeAll, expect, it } from 'vitest';
import type { PredictionTable, Store } from '../src/store/index.js';
import { forEachStore, freshStore, type StoreHandle } from './support/stores.js';

/**
 * Rows in runs that share deployment, version, route, status... (long runs, runs shorter than one multi-row
 * statement, a lone row between them), errors null and not: every value must come back as written, whichever
 * writer wrote it.
 */
function rows(prefix: string): PredictionTable[] {
  const out: PredictionTable[] = [];
  const kinds: Array<Pick<PredictionTable, 'deployment' | 'revision' | 'model' | 'model_version' | 'route' | 'status' | 'error'> & { n: number }> = [
    { deployment: 'credit', revision: 1, model: 'credit', model_version: '1', route: 'main', status: 'ok', error: null, n: 37 },
    { deployment: 'credit', revision: 1, model: 'credit', model_version: '2', route: 'shadow', status: 'ok', error: null, n: 5 },
    { deployment: 'credit', revision: 2, model: 'credit', model_version: '1', route: 'main', status: 'client_error', error: "bad 'input'", n: 1 },
    { deployment: 'fraud', revision: 1, model: 'fraud', model_version: '3', route: 'main', status: 'ok', error: null, n: 16 },
    { deployment: 'fraud', revision: 1, model: 'fraud', model_version: '3', route: 'main', status: 'error', error: 'boom', n: 17 },
    { deployment: 'credit', revision: 1, model: 'credit', model_version: '1', route: 'main', status: 'ok', error: null, n: 15 },
  ];
  let k = 0;
  for (const { n, ...shared } of kinds) {
    for (let i = 0; i < n; i++, k++) {
      out.push({ ...shared, request_id: `${prefix}-${String(k).padStart(4, '0')}`, rows: k % 3, ts: 1_790_000_000_000 + k, inputs: `{"names":["x"],"values":[${k}]}`, outputs: `{"names":["y"],"widths":[1],"values":[${-k}]}`, latency_us: 100 + k });
    }
  }
  return out;
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

  const read = (prefix: string) => store.db.selectFrom('predictions').selectAll().where('request_id', 'like', `${prefix}-%`).orderBy('request_id').execute();
  const normal = (r: PredictionTable) => ({ ...r, rows: Number(r.rows), revision: Number(r.revision), ts: Number(r.ts), latency_us: Number(r.latency_us) });

  for (const sameThread of [false, true]) {
    it(`stores every row as written, shared values and all (${sameThread ? 'a writing thread' : 'the server'})`, async () => {
      const prefix = sameThread ? 'direct' : 'default';
      const writer = store.predictionWriter({ sameThread });
      const written = rows(prefix);
      await writer.insert(written);
      // A retried flush: the first copy stays.
      await writer.insert(written.slice(0, 20).map((r) => ({ ...r, latency_us: 1 })));
      await writer.close();
      expect((await read(prefix)).map(normal)).toEqual(written);
    });
  }
});
