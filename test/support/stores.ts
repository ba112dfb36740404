/**
 * forEachStore(name, fn): runs a describe block once per store dialect — SQLite (a fresh file) and
 * PostgreSQL (a fresh database on the run's real server). FERRY_TEST_STORES=sqlite,postgres narrows it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, inject } from 'vitest';
import { openStore, type Store } from '../../src/store/index.js';
import { BatchBuilder, type LoggedRequest } from '../../src/prediction-log/prediction-batch.js';
import { requestId } from '../../src/serving/deployments/request-id.js';

export type StoreKind = 'sqlite' | 'postgres';

export interface StoreHandle {
  kind: StoreKind;
  url: string;
  open(): Promise<Store>;
  cleanup(): Promise<void>;
}

export function storeKinds(): StoreKind[] {
  const wanted = (process.env['FERRY_TEST_STORES'] ?? 'sqlite,postgres').split(',').map((s) => s.trim());
  return (['sqlite', 'postgres'] as const).filter((k) => wanted.includes(k));
}

/** A fresh, empty store location of the given kind. */
export async function freshStore(kind: StoreKind): Promise<StoreHandle> {
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'ferry-sqlite-'));
    const url = `sqlite:${join(dir, 'ferry.db')}`;
    return { kind, url, open: () => openStore(url), cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const admin = inject('postgresUrl');
  if (!admin) throw new Error('PostgreSQL was requested but the test run has none (see test/support/global-setup.ts).');
  const dbName = `ferry_test_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  await client.query(`create database ${dbName}`);
  await client.end();
  const u = new URL(admin);
  u.pathname = `/${dbName}`;
  const url = u.toString();
  return {
    kind,
    url,
    open: () => openStore(url),
    cleanup: async () => {
      const c = new pg.Client({ connectionString: admin });
      await c.connect();
      await c.query(`drop database if exists ${dbName} with (force)`);
      await c.end();
    },
  };
}

export function forEachStore(name: string, fn: (kind: StoreKind) => void): void {
  for (const kind of storeKinds()) describe(`${name} [${kind}]`, () => fn(kind));
}

/**
 * A fresh store of `kind` for the enclosing block: opened (then `fill` run on it) in beforeAll, closed and removed
 * in afterAll. The returned handle forwards to it, so tests write `store.db` as with an opened store.
 */
export function useFreshStore(kind: StoreKind, fill: (store: Store) => Promise<unknown> = async () => {}): Store {
  let handle: StoreHandle | undefined;
  let inner: Store | undefined;
  beforeAll(async () => {
    handle = await freshStore(kind);
    inner = await handle.open();
    await fill(inner);
  });
  afterAll(async () => {
    await inner?.close();
    await handle?.cleanup();
  });
  return new Proxy({} as Store, {
    get(_, key) {
      if (!inner) throw new Error('The store opens in beforeAll; use it inside tests.');
      return Reflect.get(inner, key);
    },
  });
}

/** Writes prediction-log batches the way serving does: through the store's prediction writer, flushed on close. */
export async function writeBatches(store: Store, batches: Parameters<ReturnType<Store['predictionWriter']>['insert']>[0]): Promise<void> {
  const writer = store.predictionWriter();
  await writer.insert(batches);
  await writer.close();
}

/**
 * Prediction-log traffic as serving flushes it: `flushes` batches of `perFlush` requests each; `add(b, k, flush, i)`
 * adds request number k (counted across the flushes), the i-th of its flush, to that flush's builder.
 */
export function flushedBatches(
  flushes: number,
  perFlush: number,
  add: (b: BatchBuilder, k: number, flush: number, i: number) => void,
): ReturnType<BatchBuilder['finish']> {
  const batches: ReturnType<BatchBuilder['finish']> = [];
  let k = 0;
  for (let flush = 0; flush < flushes; flush++) {
    const b = new BatchBuilder();
    for (let i = 0; i < perFlush; i++, k++) add(b, k, flush, i);
    batches.push(...b.finish());
  }
  return batches;
}

/** A request of model 'm' answered on the main route of deployment 'credit' (revision 1) at `ts`; `fields` override. */
export function mainRequest(ts: number, fields: Partial<LoggedRequest> & Pick<LoggedRequest, 'modelVersion' | 'status' | 'rows' | 'latencyUs'>): LoggedRequest {
  return { requestId: requestId(ts), deployment: 'credit', revision: 1, model: 'm', route: 'main', ts, ...fields };
}
