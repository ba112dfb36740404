import { afterAll, beforeAll, expect, it } from 'vitest';
import { BatchBuilder, listSide, type LoggedRequest } from '../src/prediction-log/prediction-batch.js';
import {
  type Cursor,
  deletePredictionsBefore,
  findAnswered,
  predictionsWithFeedback,
  queryPredictions,
  upsertFeedback,
} from '../src/prediction-log/prediction-repo.js';
import { requestId } from '../src/serving/deployments/request-id.js';
import type { Store } from '../src/store/index.js';
import { forEachStore, freshStore, type StoreHandle } from './support/stores.js';

const T0 = 1_790_000_000_000;

interface Logged extends LoggedRequest {
  outputs: string;
}

/**
 * Several flushes of interleaved traffic: two versions of 'credit' (answers and shadows, some errors) and a
 * second deployment, timestamps overlapping between batches and repeating within them.
 */
function traffic(): { logged: Logged[]; batches: ReturnType<BatchBuilder['finish']> } {
  const logged: Logged[] = [];
  const batches: ReturnType<BatchBuilder['finish']> = [];
  let k = 0;
  for (let flush = 0; flush < 12; flush++) {
    const b = new BatchBuilder();
    for (let i = 0; i < 40; i++, k++) {
      const ts = T0 + flush * 50 + Math.floor(i / 3) * 7; // three requests a millisecond
      const deployment = k % 9 === 0 ? 'other' : 'credit';
      const r: LoggedRequest = {
        requestId: requestId(ts),
        deployment,
        revision: 1,
        model: 'm',
        modelVersion: k % 4 === 0 ? '2' : '1',
        route: 'main',
        status: k % 13 === 0 ? 'error' : 'ok',
        ts,
        rows: 1 + (k % 2),
        latencyUs: k,
        ...(k % 13 === 0 ? { error: 'boom' } : {}),
      };
      const outValues = Array.from({ length: r.rows }, (_, j) => (k + j) % 2);
      b.add(
        r,
        listSide(
          ['x'],
          [],
          r.rows,
          Array.from({ length: r.rows }, () => k),
        ),
        listSide(['label'], [1], r.rows, outValues),
      );
      logged.push({ ...r, outputs: JSON.stringify({ names: ['label'], widths: [1], values: outValues }) });
      if (k % 5 === 0) {
        const s: LoggedRequest = { ...r, route: 'shadow', modelVersion: '3', status: 'ok' };
        delete s.error;
        b.add(
          s,
          listSide(
            ['x'],
            [],
            r.rows,
            Array.from({ length: r.rows }, () => k),
          ),
          listSide(['label'], [1], r.rows, outValues),
        );
        logged.push({ ...s, outputs: JSON.stringify({ names: ['label'], widths: [1], values: outValues }) });
      }
    }
    batches.push(...b.finish());
  }
  return { logged, batches };
}

const key = (r: { ts: number; request_id?: string; requestId?: string; route: string; model_version?: string; modelVersion?: string }): Cursor => ({
  ts: Number(r.ts),
  request_id: r.request_id ?? r.requestId!,
  route: r.route,
  model_version: r.model_version ?? r.modelVersion!,
});
const newestFirst = (a: Cursor, b: Cursor) =>
  b.ts - a.ts ||
  (a.request_id < b.request_id ? 1 : a.request_id > b.request_id ? -1 : 0) ||
  (a.route < b.route ? 1 : a.route > b.route ? -1 : 0) ||
  (a.model_version < b.model_version ? 1 : a.model_version > b.model_version ? -1 : 0);

forEachStore('prediction log queries', (kind) => {
  let h: StoreHandle;
  let store: Store;
  const { logged, batches } = traffic();
  beforeAll(async () => {
    h = await freshStore(kind);
    store = await h.open();
    const w = store.predictionWriter();
    await w.insert(batches);
    await w.close();
  });
  afterAll(async () => {
    await store.close();
    await h.cleanup();
  });

  it('pages a deployment newest first, as a table of requests would, under every filter', async () => {
    const filters = [
      { deployment: 'credit' },
      { deployment: 'credit', modelVersion: '1' },
      { deployment: 'credit', route: 'shadow' },
      { deployment: 'credit', status: 'error' },
      { deployment: 'credit', from: T0 + 120, to: T0 + 400 },
      { deployment: 'other', to: T0 + 300 },
    ];
    for (const f of filters) {
      const want = logged
        .filter(
          (r) =>
            r.deployment === f.deployment &&
            (f.modelVersion === undefined || r.modelVersion === f.modelVersion) &&
            (f.route === undefined || r.route === f.route) &&
            (f.status === undefined || r.status === f.status) &&
            (f.from === undefined || r.ts >= f.from) &&
            (f.to === undefined || r.ts < f.to),
        )
        .map(key)
        .sort(newestFirst);
      expect(want.length).toBeGreaterThan(3);
      for (const limit of [1, 7, 1000]) {
        const got: Cursor[] = [];
        let after: Cursor | undefined;
        for (let page = 0; page < 1000; page++) {
          const rows = await queryPredictions(store.db, f, limit, after);
          expect(rows.length).toBeLessThanOrEqual(limit);
          got.push(...rows.map(key));
          if (rows.length < limit) break;
          after = key(rows[rows.length - 1]!);
        }
        expect(got, `${JSON.stringify(f)} limit ${limit}`).toEqual(want);
      }
    }
  });

  it('pages requests of one millisecond spread over many batches, which sort otherwise than their requests', async () => {
    const ts = T0 + 5_000;
    const ids = Array.from({ length: 90 }, () => requestId(ts)).sort();
    const rows = Array.from({ length: 45 }, (_, j) => {
      const b = new BatchBuilder();
      for (const id of [ids[j]!, ids[89 - j]!])
        b.add(
          { requestId: id, deployment: 'ties', revision: 1, model: 'm', modelVersion: '1', route: 'main', status: 'ok', ts, rows: 1, latencyUs: 1 },
          listSide([], [], 1, []),
          listSide([], [], 1, []),
        );
      return b.finish();
    }).flat();
    const w = store.predictionWriter();
    await w.insert(rows);
    await w.close();
    const page = await queryPredictions(store.db, { deployment: 'ties' }, 30);
    expect(page.map((r) => r.request_id)).toEqual([...ids].reverse().slice(0, 30));
  });

  it('finds requests from moments far apart (more time ranges than one query asks for)', async () => {
    const b = new BatchBuilder();
    const spread: string[] = [];
    for (let i = 0; i < 130; i++) {
      const ts = T0 + 100_000 + i * 2_500;
      const id = requestId(ts);
      spread.push(id);
      b.add(
        { requestId: id, deployment: 'spread', revision: 1, model: 'm', modelVersion: '1', route: 'main', status: 'ok', ts, rows: 1 + (i % 3), latencyUs: 1 },
        listSide([], [], 1, []),
        listSide([], [], 1, []),
      );
    }
    const w = store.predictionWriter();
    await w.insert(b.finish());
    await w.close();
    const found = await findAnswered(store.db, [...spread].reverse());
    expect(new Map(found.map((r) => [r.request_id, r.rows]))).toEqual(new Map(spread.map((id, i) => [id, 1 + (i % 3)])));
  });

  it('finds answered requests by id, and joins feedback to their outputs', async () => {
    const answered = logged.filter((r) => r.route === 'main');
    const found = await findAnswered(store.db, [...answered.map((r) => r.requestId), requestId(T0 - 5_000), 'nope']);
    expect(new Map(found.map((r) => [r.request_id, r.rows]))).toEqual(new Map(answered.map((r) => [r.requestId, r.rows])));

    const labelled = answered.filter((_, i) => i % 3 === 0);
    await upsertFeedback(
      store.db,
      labelled.flatMap((r) =>
        Array.from({ length: r.rows }, (_, row) => ({ request_id: r.requestId, row, kind: 'label', value: String(row), ts: r.ts, received_at: r.ts })),
      ),
    );
    const from = T0 + 100;
    const to = T0 + 500;
    const want = labelled
      .filter((r) => r.deployment === 'credit' && r.status === 'ok' && r.ts >= from && r.ts < to)
      .flatMap((r) =>
        Array.from({ length: r.rows }, (_, row) => ({
          request_id: r.requestId,
          model_version: r.modelVersion,
          ts: r.ts,
          outputs: r.outputs,
          rows: r.rows,
          row,
          kind: 'label',
          value: String(row),
        })),
      );
    const got = await predictionsWithFeedback(store.db, 'credit', from, to, 100_000);
    const order = (a: { ts: number; outputs: string; row: number }, b: { ts: number; outputs: string; row: number }) =>
      a.ts - b.ts || a.outputs.localeCompare(b.outputs) || a.row - b.row;
    expect(got.length).toBeGreaterThan(5);
    expect([...got].sort(order)).toEqual([...want].sort(order));
    expect(await predictionsWithFeedback(store.db, 'credit', from, to, 3)).toHaveLength(3);
  });

  it('deletes whole batches past a time, counting their requests', async () => {
    const cut = T0 + 200;
    const gone = batches.filter((b) => b.deployment === 'other' && b.ts_max < cut).reduce((n, b) => n + b.request_count, 0);
    expect(gone).toBeGreaterThan(0);
    expect(await deletePredictionsBefore(store.db, 'other', cut)).toBe(gone);
    const left = await queryPredictions(store.db, { deployment: 'other' }, 10_000);
    expect(left.length).toBe(logged.filter((r) => r.deployment === 'other').length - gone);
  });
});
