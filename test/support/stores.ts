/**
 * forEachStore(name, fn): runs a describe block once per store dialect — SQLite (a fresh file) and
 * PostgreSQL (a fresh database on the run's real server). FERRY_TEST_STORES=sqlite,postgres narrows it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describe, inject } from 'vitest';
import { openStore, type Store } from '../../src/store/index.js';

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
