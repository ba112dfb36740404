/**
 * Requests logged under a caller's id (X-Request-Id: nginx's 32 hex characters, Envoy's UUIDv4, a UUIDv7 from a
 * skewed clock) are found for feedback and live performance through their stored times; Ferry's own ids still
 * need no stored time; retention deletes the times with the batches.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BatchBuilder, idCarriesTime, listSide, type LoggedRequest } from '../src/prediction-log/prediction-batch.js';
import { deletePredictionsBefore, findAnswered, predictionsWithFeedback, queryPredictions, upsertFeedback } from '../src/prediction-log/prediction-repo.js';
import { requestId } from '../src/serving/deployments/request-id.js';
import type { Store } from '../src/store/index.js';
import { forEachStore, freshStore, type StoreHandle } from './support/stores.js';

const T0 = 1_790_000_000_000;
const NGINX = '0123abcd4567ef890123abcd4567ef89';
const ENVOY = '9b2e4f1c-3d5a-4e6b-8c7d-1a2b3c4d5e6f';
/** A caller's UUIDv7 made an hour before the request was logged (a skewed clock, or an id made long before). */
const SKEWED = requestId(T0 - 3_600_000);

const req = (requestId: string, ts: number, over: Partial<LoggedRequest> = {}): LoggedRequest => ({
  requestId,
  deployment: 'credit',
  revision: 1,
  model: 'm',
  modelVersion: '1',
  route: 'main',
  status: 'ok',
  ts,
  rows: 2,
  latencyUs: 1,
  ...over,
});
const add = (b: BatchBuilder, r: LoggedRequest, label: number) =>
  b.add(
    r,
    listSide(
      ['x'],
      [],
      r.rows,
      Array.from({ length: r.rows }, () => 1),
    ),
    listSide(
      ['label'],
      [1],
      r.rows,
      Array.from({ length: r.rows }, () => label),
    ),
  );

describe('which ids carry their time', () => {
  it('Ferry’s UUIDv7 within a second of the request; nothing else', () => {
    expect(idCarriesTime(requestId(T0), T0)).toBe(true);
    expect(idCarriesTime(requestId(T0 - 900), T0)).toBe(true);
    expect(idCarriesTime(SKEWED, T0)).toBe(false);
    for (const id of [NGINX, ENVOY, 'abc-123', '', requestId(T0).toUpperCase()]) expect(idCarriesTime(id, T0)).toBe(false);
  });
});

forEachStore('prediction log: caller request ids', (kind) => {
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

  const mapped = async (deployment: string) =>
    (await store.db.selectFrom('prediction_request_ids').selectAll().where('deployment', '=', deployment).orderBy('ts').orderBy('request_id').execute()).map(
      (r) => ({ ...r, ts: Number(r.ts) }),
    );

  it('stores no time for Ferry’s ids or shadows (the common path), and one per answered caller id', async () => {
    const b = new BatchBuilder();
    const own = requestId(T0);
    add(b, req(own, T0), 1);
    add(b, req(own, T0 + 3, { route: 'shadow', modelVersion: '2' }), 1);
    add(b, req(NGINX, T0 + 5), 1);
    add(b, req(NGINX, T0 + 6, { route: 'shadow', modelVersion: '2' }), 1);
    add(b, req(ENVOY, T0 + 7, { status: 'error', rows: 0, error: 'boom' }), 0);
    add(b, req(SKEWED, T0 + 8), 0);
    const write = b.finishWrite();
    expect(write.requestIds).toEqual([
      { request_id: NGINX, deployment: 'credit', ts: T0 + 5 },
      { request_id: ENVOY, deployment: 'credit', ts: T0 + 7 },
      { request_id: SKEWED, deployment: 'credit', ts: T0 + 8 },
    ]);
    // Both writers: through the pool (or a writing thread on SQLite) and a connection of the writing thread's own.
    for (const sameThread of [false, true]) {
      const w = store.predictionWriter({ sameThread });
      await w.insert(
        write.batches.map((x) => ({ ...x, batch_id: `${x.batch_id}:${sameThread}`, deployment: `d-${sameThread}` })),
        write.requestIds.map((r) => ({ ...r, deployment: `d-${sameThread}` })),
      );
      // A retried write keeps the first copy.
      await w.insert(
        [],
        write.requestIds.map((r) => ({ ...r, deployment: `d-${sameThread}` })),
      );
      await w.close();
      expect(await mapped(`d-${sameThread}`)).toEqual(write.requestIds.map((r) => ({ ...r, deployment: `d-${sameThread}` })));
    }
    const fresh = new BatchBuilder();
    add(fresh, req(requestId(T0 + 10), T0 + 10), 1);
    expect(fresh.finishWrite().requestIds).toEqual([]);
  });

  it('keeps every batch when a caller sends one id twice (batches are not named after it alone)', async () => {
    const rows = [0, 1].map((k) => {
      const b = new BatchBuilder();
      add(b, req('retry-1', T0 + 20_000 + k * 10, { deployment: 'twice' }), k);
      return b.finishWrite();
    });
    const w = store.predictionWriter();
    for (const r of rows) await w.insert(r.batches, r.requestIds);
    await w.close();
    expect((await queryPredictions(store.db, { deployment: 'twice' }, 10)).map((r) => [r.request_id, r.ts])).toEqual([
      ['retry-1', T0 + 20_010],
      ['retry-1', T0 + 20_000],
    ]);
    expect(await mapped('twice')).toHaveLength(2);
  });

  it('finds caller ids for feedback and joins their feedback for live performance, each row once', async () => {
    const own = requestId(T0 + 100_000);
    const logged = [
      req(own, T0 + 100_000),
      req(NGINX, T0 + 100_010),
      req(ENVOY, T0 + 100_020),
      req(SKEWED, T0 + 100_030),
      req('abc-123', T0 + 100_040, { deployment: 'other' }),
      req('late', T0 + 200_000),
    ];
    const b = new BatchBuilder();
    logged.forEach((r, i) => add(b, { ...r, deployment: r.deployment === 'credit' ? 'live' : r.deployment }, i % 2));
    const write = b.finishWrite();
    const w = store.predictionWriter();
    await w.insert(write.batches, write.requestIds);
    await w.close();

    const found = await findAnswered(store.db, [own, NGINX, ENVOY, SKEWED, 'abc-123', 'late', 'never-answered', requestId(T0 + 100_000)]);
    expect(new Map(found.map((r) => [r.request_id, r.rows]))).toEqual(new Map([own, NGINX, ENVOY, SKEWED, 'abc-123', 'late'].map((id) => [id, 2])));

    const ids = [own, NGINX, ENVOY, SKEWED, 'abc-123', 'late'];
    await upsertFeedback(
      store.db,
      ids.flatMap((id) => [0, 1].map((row) => ({ request_id: id, row, kind: 'label', value: String(row), ts: T0, received_at: T0 }))),
    );
    const got = await predictionsWithFeedback(store.db, 'live', T0 + 100_000, T0 + 150_000, 1_000);
    const key = (r: { ts: number; row: number }) => `${r.ts}/${r.row}`;
    // The four answered in the window, once each (the skewed UUIDv7 is both in the id range and mapped); not
    // another deployment's, nor one logged after the window.
    expect(got.map(key).sort()).toEqual([100_000, 100_010, 100_020, 100_030].flatMap((d) => [0, 1].map((row) => `${T0 + d}/${row}`)).sort());
    expect(await predictionsWithFeedback(store.db, 'live', T0 + 100_000, T0 + 150_000, 3)).toHaveLength(3);
  });

  it('deletes the stored times with their batches (retention)', async () => {
    const day = 86_400_000;
    const b = new BatchBuilder();
    add(b, req('old-1', T0 - 10 * day, { deployment: 'kept' }), 1);
    add(b, req(requestId(T0 - 10 * day), T0 - 10 * day, { deployment: 'kept' }), 1);
    add(b, req('new-1', T0, { deployment: 'kept' }), 1);
    add(b, req('other-old', T0 - 10 * day, { deployment: 'elsewhere' }), 1);
    const write = b.finishWrite();
    const w = store.predictionWriter();
    await w.insert(write.batches, write.requestIds);
    await w.close();
    expect((await mapped('kept')).map((r) => r.request_id)).toEqual(['old-1', 'new-1']);
    expect(await deletePredictionsBefore(store.db, 'kept', T0 - day)).toBe(2);
    expect((await mapped('kept')).map((r) => r.request_id)).toEqual(['new-1']);
    expect((await mapped('elsewhere')).map((r) => r.request_id)).toEqual(['other-old']);
    expect((await findAnswered(store.db, ['old-1', 'new-1'])).map((r) => r.request_id)).toEqual(['new-1']);
  });
});
