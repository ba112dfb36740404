/**
 * Two real `ferry server` processes on one store (own data dirs, same store URL and secret key) share one queue:
 * 200 trivial local jobs, submitted through either server's API, each run exactly once, by one server or the other.
 * On PostgreSQL the claim skips locked rows; on SQLite both processes write one WAL file, one writer at a time.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/index.js';
import type { FerryServer } from '../support/ferry-process.js';
import { call, killJobs, serverSetup, startServer, uploadZip, waitFor } from '../support/ferry-servers.js';
import { forEachStore, freshStore, type StoreHandle } from '../support/stores.js';
import { zipOf } from './support.js';

const JOBS = 200;
// Each job appends its id and the URL of the server that started it (FERRY_URL) to one file outside the data dirs.
const MLPROJECT = `name: tally
entry_points:
  main:
    parameters:
      out: {type: string}
    command: 'echo "$FERRY_JOB_ID $FERRY_URL" >> {out}'
`;

forEachStore('two ferry servers, one queue', (kind) => {
  describe('200 jobs', () => {
    let handle: StoreHandle;
    let store: Store;
    let servers: FerryServer[] = [];
    let shared: string;
    beforeAll(async () => {
      handle = await freshStore(kind);
      shared = mkdtempSync(join(tmpdir(), 'ferry-two-'));
      const setup = serverSetup(handle.url, { FERRY_JOBS_POLL_MS: '50', FERRY_JOBS_LOCAL_CONCURRENCY: '4' });
      // Ferry keeps artifacts (stored projects among them) under <data-dir>/artifacts, so replicas share that
      // folder (a shared volume in a real deployment; a symlink here) and keep the rest of their data dirs apart.
      mkdirSync(join(shared, 'artifacts'));
      for (const name of ['a', 'b']) {
        mkdirSync(join(shared, name));
        symlinkSync(join(shared, 'artifacts'), join(shared, name, 'artifacts'));
      }
      // One after the other: the first migrates the store, the second finds it current.
      servers.push(await startServer(setup, join(shared, 'a')));
      servers.push(await startServer(setup, join(shared, 'b')));
      store = await handle.open();
    }, 400_000);
    afterAll(async () => {
      for (const s of servers) killJobs(s.dataDir);
      await Promise.all(servers.map((s) => s.stop()));
      servers = [];
      await store?.close();
      await handle?.cleanup();
      rmSync(shared, { recursive: true, force: true });
    });

    it('runs each job exactly once, some on each server', async () => {
      const out = join(shared, 'ran.txt');
      const digest = await uploadZip(servers[0]!, await zipOf({ MLproject: MLPROJECT }));
      const ids: string[] = [];
      // Submitted ten at a time, alternately to each server.
      for (let i = 0; i < JOBS; i += 10) {
        const batch = await Promise.all(
          Array.from({ length: 10 }, (_, j) => call(servers[(i + j) % 2]!, 'POST', '/api/v1/jobs', { project: digest, parameters: { out } })),
        );
        for (const b of batch) {
          expect(b.status, JSON.stringify(b.body)).toBe(201);
          ids.push(b.body.job.job_id);
        }
      }
      const rows = await waitFor(
        () => store.db.selectFrom('jobs').select(['job_id', 'state', 'attempts', 'lease_owner', 'message']).execute(),
        (rs) => rs.length === JOBS && rs.every((r) => ['succeeded', 'failed', 'cancelled'].includes(r.state)),
        240_000,
        250,
      );
      expect(rows.filter((r) => r.state !== 'succeeded')).toEqual([]);
      expect(rows.every((r) => r.attempts === 1)).toBe(true);

      const lines = readFileSync(out, 'utf8').trim().split('\n');
      const ranBy = new Map<string, string[]>();
      for (const line of lines) {
        const [id, url] = line.split(' ') as [string, string];
        ranBy.set(id, [...(ranBy.get(id) ?? []), url]);
      }
      // Every job ran, none twice, none that was not submitted.
      expect(lines).toHaveLength(JOBS);
      expect([...ranBy.keys()].sort()).toEqual([...ids].sort());
      expect([...ranBy.values()].filter((urls) => urls.length !== 1)).toEqual([]);

      // The server that ran a job is the one whose worker holds its lease (hostname:pid:…), and both ran some.
      const urlOfPid = new Map(servers.map((s) => [s.pid, s.url]));
      const perServer = new Map(servers.map((s) => [s.url, 0]));
      for (const r of rows) {
        const [host, pid] = (r.lease_owner ?? '').split(':');
        expect(host).toBe(hostname());
        const url = urlOfPid.get(Number(pid));
        expect(url, r.lease_owner ?? 'no owner').toBeDefined();
        expect(ranBy.get(r.job_id)).toEqual([url]);
        perServer.set(url!, perServer.get(url!)! + 1);
      }
      for (const [url, n] of perServer) expect(n, `jobs run by ${url}: ${JSON.stringify([...perServer])}`).toBeGreaterThan(0);
    }, 300_000);
  });
});
