import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ValidationRepo, type ValidationRecord } from '../src/data/validation-repo.js';
import type { Store } from '../src/store/index.js';
import { forEachStore, freshStore, type StoreHandle } from './support/stores.js';

const record = (over: Partial<ValidationRecord>): ValidationRecord => ({
  suite: 'rules',
  target_kind: 'deployment',
  target: 'credit',
  version: null,
  window_start: 1_790_000_000_000,
  success: true,
  evaluated: 3,
  failed: 0,
  result: { n: 1 },
  ...over,
});

/** A traffic window's validation is recorded once, even when several callers (jobs, replicas) race to record it. */
forEachStore('validation results per window', (kind) => {
  let h: StoreHandle;
  let store: Store;
  beforeAll(async () => {
    h = await freshStore(kind);
    // A store as version 6 left it, holding a duplicate window result (the race this migration closes).
    const old = await h.open();
    await old.db.schema.dropIndex('data_validations_window').execute();
    await sql`delete from ferry_migrations where version = 7`.execute(old.db);
    const repo = new ValidationRepo(old);
    await repo.insert(record({ result: { n: 'first' } }));
    await repo.insert(record({ result: { n: 'second' } }));
    await repo.insert(record({ window_start: 1_790_000_010_000 }));
    await repo.insert(record({ target_kind: 'dataset', target: 'train', version: 1, window_start: null }));
    await repo.insert(record({ target_kind: 'dataset', target: 'train', version: 1, window_start: null }));
    await old.close();
    store = await h.open();
  });
  afterAll(async () => {
    await store?.close();
    await h?.cleanup();
  });

  it('migration 7 keeps the first result of a duplicated window, and every dataset validation', async () => {
    const rows = await store.db.selectFrom('data_validations').select(['target_kind', 'window_start', 'result']).orderBy('id').execute();
    expect(rows.map((r) => [r.target_kind, r.window_start === null ? null : Number(r.window_start), JSON.parse(r.result) as unknown])).toEqual([
      ['deployment', 1_790_000_000_000, { n: 'first' }],
      ['deployment', 1_790_000_010_000, { n: 1 }],
      ['dataset', null, { n: 1 }],
      ['dataset', null, { n: 1 }],
    ]);
  });

  it('records a window once when callers race, and still records other suites, deployments and windows', async () => {
    const repo = new ValidationRepo(store);
    const w = 1_790_000_020_000;
    const inserted = await Promise.all(Array.from({ length: 6 }, () => repo.insertWindowOnce({ ...record({}), window_start: w })));
    expect(inserted.filter(Boolean)).toHaveLength(1);
    expect(await repo.insertWindowOnce({ ...record({ suite: 'other' }), window_start: w })).toBe(true);
    expect(await repo.insertWindowOnce({ ...record({ target: 'fraud' }), window_start: w })).toBe(true);
    expect(await repo.insertWindowOnce({ ...record({}), window_start: w + 10_000 })).toBe(true);
    const n = await store.db
      .selectFrom('data_validations')
      .select(sql<number>`count(*)`.as('n'))
      .where('window_start', '=', w)
      .executeTakeFirstOrThrow();
    expect(Number(n.n)).toBe(3);
  });
});
