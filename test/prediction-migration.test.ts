import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { findAnswered, queryPredictions } from '../src/prediction-log/prediction-repo.js';
import { requestId } from '../src/serving/deployments/request-id.js';
import type { PredictionTable } from '../src/store/index.js';
import { forEachStore, freshStore, type StoreHandle } from './support/stores.js';

/** A store as version 5 left it (a row per logged request), with requests logged, then opened by this version. */
forEachStore('prediction log migration', (kind) => {
  let h: StoreHandle;
  const old: PredictionTable[] = [];
  beforeAll(async () => {
    h = await freshStore(kind);
    const s = await h.open();
    await s.db.schema.dropTable('prediction_batches').execute();
    await sql`delete from ferry_migrations where version = 6`.execute(s.db);
    await s.db.schema
      .createTable('predictions')
      .addColumn('request_id', 'text', (c) => c.notNull())
      .addColumn('rows', 'integer', (c) => c.notNull())
      .addColumn('deployment', 'text', (c) => c.notNull())
      .addColumn('revision', 'integer', (c) => c.notNull())
      .addColumn('model', 'text', (c) => c.notNull())
      .addColumn('model_version', 'text', (c) => c.notNull())
      .addColumn('route', 'text', (c) => c.notNull())
      .addColumn('ts', 'bigint', (c) => c.notNull())
      .addColumn('inputs', 'text', (c) => c.notNull())
      .addColumn('outputs', 'text', (c) => c.notNull())
      .addColumn('latency_us', 'integer', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('error', 'text')
      .addPrimaryKeyConstraint('predictions_pk', ['request_id', 'route', 'model_version'])
      .execute();
    const t0 = 1_790_000_000_000;
    // More than one conversion step (2,000 rows), with shadow copies sharing request ids.
    for (let i = 0; i < 2_300; i++) {
      const ts = t0 + i * 7;
      const id = requestId(ts - (i % 2)); // earlier versions took the timestamp just after the id
      old.push({
        request_id: id,
        rows: 1,
        deployment: i % 3 ? 'credit' : 'fraud',
        revision: 1,
        model: 'm',
        model_version: '1',
        route: 'main',
        ts,
        inputs: `{"names":["x"],"values":[${i}]}`,
        outputs: `{"names":["y"],"widths":[1],"values":[${i % 2}]}`,
        latency_us: 10 + i,
        status: i % 50 ? 'ok' : 'error',
        error: i % 50 ? null : 'boom',
      });
      if (i % 10 === 0) old.push({ ...old[old.length - 1]!, route: 'shadow', model_version: '2' });
    }
    for (let i = 0; i < old.length; i += 500)
      await s.db
        .insertInto('predictions' as never)
        .values(old.slice(i, i + 500) as never)
        .execute();
    await s.close();
  });
  afterAll(async () => h.cleanup());

  it('carries every logged request over, and finds each from its id', async () => {
    const s = await h.open();
    try {
      const tables = await sql<{ n: number }>`select count(*) as n from ferry_migrations where version = 6`.execute(s.db);
      expect(Number(tables.rows[0]!.n)).toBe(1);
      const newestFirst = (a: PredictionTable, b: PredictionTable) => b.ts - a.ts || (a.request_id < b.request_id ? 1 : -1) || (a.route < b.route ? 1 : -1);
      for (const deployment of ['credit', 'fraud']) {
        const want = old.filter((r) => r.deployment === deployment).sort(newestFirst);
        const got = (await queryPredictions(s.db, { deployment }, 10_000)).map((r) => ({ ...r, ts: Number(r.ts), revision: Number(r.revision) }));
        expect(got).toEqual(want);
      }
      const main = old.filter((r) => r.route === 'main');
      const found = await findAnswered(s.db, [...main.map((r) => r.request_id), requestId(1_790_000_000_000), 'not-an-id']);
      expect(found.length).toBe(main.length);
      expect(
        await sql`select 1 from predictions`.execute(s.db).then(
          () => 'still there',
          () => 'dropped',
        ),
      ).toBe('dropped');
    } finally {
      await s.close();
    }
  });
});
