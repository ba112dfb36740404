/**
 * Migration 0022 on a store that retried batches left as the versions before it did: a metric point logged twice
 * (a client's retry of a batch whose answer a killed server never sent) was two rows. Opened by this version, each
 * point is one row — whatever else differs (another value, step or timestamp) is kept — and logging it again adds none.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Store } from '../../src/store/index.js';
import { forEachStore, freshStore, type StoreHandle } from '../support/stores.js';

const point = (key: string, value: number, step: number, timestamp: number, is_nan = 0) => ({
  run_uuid: 'r1',
  key,
  value,
  step,
  timestamp,
  is_nan,
  model_id: null,
  dataset_name: null,
  dataset_digest: null,
});

forEachStore('metric identity migration', (kind) => {
  let h: StoreHandle;
  let store: Store | undefined;
  beforeAll(async () => {
    h = await freshStore(kind);
    // The store as version 21 left it: the plain index, no identity.
    const s = await h.open();
    await s.db.schema.dropIndex('metrics_identity').execute();
    await s.db.schema.createIndex('metrics_run_key_step').on('metrics').columns(['run_uuid', 'key', 'step', 'timestamp']).execute();
    await sql`delete from ferry_migrations where version = 22`.execute(s.db);
    const { experiment_id } = await s.db
      .insertInto('experiments')
      .values({ name: 'e', artifact_location: '/tmp/e', lifecycle_stage: 'active', creation_time: 1, last_update_time: 1 })
      .returning('experiment_id')
      .executeTakeFirstOrThrow();
    await s.db
      .insertInto('runs')
      .values({
        run_uuid: 'r1',
        experiment_id,
        name: 'r',
        user_id: 'u',
        status: 'RUNNING',
        start_time: 1,
        end_time: null,
        deleted_time: null,
        lifecycle_stage: 'active',
        artifact_uri: '/tmp/r',
      })
      .execute();
    await s.db
      .insertInto('metrics')
      .values([
        point('loss', 0.5, 1, 100),
        point('loss', 0.5, 1, 100), // the same point, twice (a retried batch)
        point('loss', 0.5, 1, 100),
        point('loss', 0.4, 1, 100), // another value at the same step and time: a point of its own
        point('loss', 0.5, 2, 100),
        point('loss', 0.5, 1, 101),
        point('acc', 0.5, 1, 100),
        point('acc', 0, 1, 100, 1), // NaN (flag) next to a 0-valued point
        point('acc', 0, 1, 100, 1),
        point('acc', 0, 1, 100, 0),
      ])
      .execute();
    await s.close();
    store = await h.open();
  }, 120_000);
  afterAll(async () => {
    await store?.close();
    await h?.cleanup();
  });

  it('keeps one row per metric point and stores a point logged again once', async () => {
    const rows = async () =>
      (await store!.db.selectFrom('metrics').select(['key', 'value', 'step', 'timestamp', 'is_nan']).where('run_uuid', '=', 'r1').execute())
        .map((r) => `${r.key} ${Number(r.value)} ${Number(r.step)} ${Number(r.timestamp)} ${Number(r.is_nan)}`)
        .sort();
    expect(await rows()).toEqual([
      'acc 0 1 100 0',
      'acc 0 1 100 1',
      'acc 0.5 1 100 0',
      'loss 0.4 1 100 0',
      'loss 0.5 1 100 0',
      'loss 0.5 1 101 0',
      'loss 0.5 2 100 0',
    ]);
    await expect(
      store!.db
        .insertInto('metrics')
        .values(point('loss', 0.5, 1, 100))
        .execute(),
    ).rejects.toThrow();
  });
});
