import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { MIGRATIONS, openStore } from '../src/store/index.js';
import { forEachStore, freshStore, type StoreHandle } from './support/stores.js';

forEachStore('store', (kind) => {
  let h: StoreHandle;
  beforeAll(async () => {
    h = await freshStore(kind);
  });
  afterAll(async () => h.cleanup());

  it('applies every migration once, even when several processes start at once', async () => {
    // Replicas starting together: each opens the store and migrates; the lock makes one apply and the rest skip.
    // (better-sqlite3 is synchronous, so several SQLite connections in one process would block each other's
    // event loop; separate processes wait on BEGIN IMMEDIATE instead. In-process, SQLite opens in turn.)
    const stores = kind === 'postgres' ? await Promise.all([h.open(), h.open(), h.open()]) : [await h.open(), await h.open(), await h.open()];
    const rows = await sql<{ version: number }>`select version from ferry_migrations order by version`.execute(stores[0]!.db);
    expect(rows.rows.map((r) => Number(r.version))).toEqual(MIGRATIONS.map((m) => m.version));
    await Promise.all(stores.map((s) => s.close()));
    const again = await openStore(h.url);
    await again.ping();
    await again.close();
  });

  it('stores NaN-flagged, infinite and large integer values faithfully', async () => {
    const s = await h.open();
    await s.db
      .insertInto('experiments')
      .values({ experiment_id: 7, name: 'x', artifact_location: 'a', lifecycle_stage: 'active', creation_time: 1_790_000_000_123, last_update_time: 1 })
      .execute();
    await s.db
      .insertInto('runs')
      .values({
        run_uuid: 'r',
        experiment_id: 7,
        name: 'n',
        user_id: 'u',
        status: 'RUNNING',
        start_time: 2 ** 50,
        end_time: null,
        deleted_time: null,
        lifecycle_stage: 'active',
        artifact_uri: 'a',
      })
      .execute();
    await s.db
      .insertInto('metrics')
      .values([
        {
          run_uuid: 'r',
          key: 'inf',
          value: Number.POSITIVE_INFINITY,
          timestamp: 1,
          step: 2 ** 40,
          is_nan: 0,
          model_id: null,
          dataset_name: null,
          dataset_digest: null,
        },
        {
          run_uuid: 'r',
          key: 'ninf',
          value: Number.NEGATIVE_INFINITY,
          timestamp: 1,
          step: 0,
          is_nan: 0,
          model_id: null,
          dataset_name: null,
          dataset_digest: null,
        },
      ])
      .execute();
    const m = await s.db.selectFrom('metrics').select(['key', 'value', 'step']).orderBy('key').execute();
    expect(m).toEqual([
      { key: 'inf', value: Infinity, step: 2 ** 40 },
      { key: 'ninf', value: -Infinity, step: 0 },
    ]);
    const e = await s.db.selectFrom('experiments').select('creation_time').where('experiment_id', '=', 7).executeTakeFirstOrThrow();
    expect(e.creation_time).toBe(1_790_000_000_123);
    const r = await s.db.selectFrom('runs').select('start_time').executeTakeFirstOrThrow();
    expect(r.start_time).toBe(2 ** 50);
    await s.close();
  });

  it('makes LIKE case-sensitive on both engines (MLflow semantics)', async () => {
    const s = await h.open();
    const res = await sql<{ a: number | boolean; b: number | boolean }>`select ('Risk' like 'risk%') as a, ('risk' like 'risk%') as b`.execute(s.db);
    expect(Boolean(res.rows[0]!.a)).toBe(false);
    expect(Boolean(res.rows[0]!.b)).toBe(true);
    await s.close();
  });
});

it('refuses an unknown store URL scheme without echoing a password', async () => {
  await expect(openStore('mysql://u:secret@h/db')).rejects.toThrow(/Unsupported store URL 'mysql:\/\/u:\*\*\*@h\/db'/);
});

it('creates SQLite files with 16 KiB pages and leaves an existing file its own page size', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ferry-pages-'));
  try {
    const fresh = await openStore(`sqlite:${join(dir, 'new.db')}`);
    expect((await sql<{ page_size: number }>`pragma page_size`.execute(fresh.db)).rows[0]!.page_size).toBe(16384);
    await fresh.close();
    // A file made before (4 KiB pages, with data) keeps them: SQLite cannot change the size of a WAL file in place.
    const old = new BetterSqlite3(join(dir, 'old.db'));
    old.pragma('journal_mode = WAL');
    old.exec('create table t (x integer)');
    old.close();
    const reopened = await openStore(`sqlite:${join(dir, 'old.db')}`);
    expect((await sql<{ page_size: number }>`pragma page_size`.execute(reopened.db)).rows[0]!.page_size).toBe(4096);
    await reopened.ping();
    await reopened.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
