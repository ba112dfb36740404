/**
 * Local jobs outlive their server: a real `ferry server` is SIGKILLed while one job runs and another waits in
 * the queue; the job's process goes on, the restarted server (same data dir and store) re-attaches it once the
 * dead server's lease runs out — never starting it again — and runs the queued one once. A job whose own
 * process is SIGKILLed fails, saying it was killed.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/index.js';
import type { FerryServer } from '../support/ferry-process.js';
import { call, killJobs, type ServerSetup, serverSetup, startServer, uploadZip, waitFor } from '../support/ferry-servers.js';
import { forEachStore, freshStore, type StoreHandle } from '../support/stores.js';
import { HAVE_VENV, VENV_BIN, zipOf } from './support.js';

const MLPROJECT = `name: sleeper
entry_points:
  main:
    parameters:
      marker: {type: string}
      seconds: {type: float, default: 8}
    command: "python sleeper.py {marker} {seconds}"
`;
// Appends the job's id to a marker file when it starts: a job started twice leaves two lines.
const SLEEPER = `import os, sys, time
with open(sys.argv[1], 'a') as f:
    f.write(os.environ['FERRY_JOB_ID'] + '\\n')
print('before pid=%d' % os.getpid(), flush=True)
time.sleep(float(sys.argv[2]))
print('after', flush=True)
`;
const TERMINAL = ['succeeded', 'failed', 'cancelled'];

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

forEachStore('local jobs and a killed server', (kind) => {
  describe.skipIf(!HAVE_VENV)('SIGKILL', () => {
    let handle: StoreHandle;
    let store: Store;
    let setup: ServerSetup;
    let dataDir: string;
    let shared: string;
    let server: FerryServer;
    let digest: string;

    const job = async (id: string) => (await call(server, 'GET', `/api/v1/jobs/${id}`)).body.job;
    const waitState = (id: string, states: string[], timeoutMs = 90_000) =>
      waitFor(
        () => job(id),
        (j) => states.includes(j?.state),
        timeoutMs,
      );
    const log = async (id: string) => {
      let out = '';
      for (let offset = 0; ;) {
        const { body } = await call(server, 'GET', `/api/v1/jobs/${id}/logs?offset=${offset}`);
        out += body.data;
        if (body.next_offset === offset) return out;
        offset = body.next_offset;
      }
    };
    const submit = async (parameters: Record<string, string>) => {
      const res = await call(server, 'POST', '/api/v1/jobs', { project: digest, parameters });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body.job.job_id as string;
    };
    const markerLines = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n').filter(Boolean) : []);

    beforeAll(async () => {
      handle = await freshStore(kind);
      dataDir = mkdtempSync(join(tmpdir(), 'ferry-restart-'));
      shared = mkdtempSync(join(tmpdir(), 'ferry-restart-out-'));
      // One local job at a time, so a second one waits in the queue; a short lease, so the restart re-attaches soon.
      setup = serverSetup(handle.url, {
        FERRY_JOBS_LEASE_SECONDS: '3',
        FERRY_JOBS_POLL_MS: '100',
        FERRY_JOBS_LOCAL_CONCURRENCY: '1',
        PATH: `${VENV_BIN}:${process.env['PATH']}`,
      });
      server = await startServer(setup, dataDir);
      store = await handle.open();
      digest = await uploadZip(server, await zipOf({ MLproject: MLPROJECT, 'sleeper.py': SLEEPER }));
    }, 400_000);
    afterAll(async () => {
      if (dataDir) killJobs(dataDir);
      await server?.stop();
      await store?.close();
      await handle?.cleanup();
      rmSync(dataDir, { recursive: true, force: true });
      rmSync(shared, { recursive: true, force: true });
    });

    it('re-attaches a running job after a restart (never starting it again) and runs a queued one once', async () => {
      const marker = join(shared, 'started.txt');
      const running = await submit({ marker, seconds: '8' });
      expect(
        (
          await waitFor(
            () => log(running),
            (l) => l.includes('before pid='),
            60_000,
          )
        ).includes('before pid='),
      ).toBe(true);
      const queued = await submit({ marker, seconds: '0' });
      const firstOwner = (await store.db.selectFrom('jobs').select('lease_owner').where('job_id', '=', running).executeTakeFirstOrThrow()).lease_owner;

      await server.signal('SIGKILL');
      // The job's process group outlived its server; the second job is still in the queue.
      const pid = (JSON.parse(readFileSync(join(dataDir, 'jobs', 'work', running, 'process.json'), 'utf8')) as { pid: number }).pid;
      expect(alive(pid)).toBe(true);
      expect(await store.db.selectFrom('jobs').select(['state', 'attempts']).where('job_id', '=', queued).executeTakeFirstOrThrow()).toEqual({
        state: 'queued',
        attempts: 0,
      });

      server = await startServer(setup, dataDir);
      const done = await waitState(running, TERMINAL);
      const text = await log(running);
      expect(done, text).toMatchObject({ state: 'succeeded', attempts: 1, exit_code: 0, external_id: running });
      // The whole log, once: what was printed before the kill and after it.
      expect(text.match(/before pid=\d+\n/g), text).toHaveLength(1);
      expect(text.match(/after\n/g), text).toHaveLength(1);
      expect(text.indexOf('before')).toBeLessThan(text.indexOf('after'));
      // Re-attached by the new server, after the old one's lease ran out.
      expect(server.output()).toContain('job re-attached after its worker went away');
      const row = await store.db.selectFrom('jobs').select(['lease_owner']).where('job_id', '=', running).executeTakeFirstOrThrow();
      expect(row.lease_owner).not.toBe(firstOwner);
      expect(row.lease_owner?.startsWith(`${hostname()}:${server.pid}:`)).toBe(true);
      const run = await call(server, 'GET', `/api/2.0/mlflow/runs/get?run_id=${done.run_id}`);
      expect(run.body.run.info.status).toBe('FINISHED');
      const tokens = (await call(server, 'GET', '/api/v1/tokens')).body.tokens.filter((t: any) => t.name === running);
      expect(tokens).toHaveLength(1);
      expect(tokens[0].revoked_at).toBeTypeOf('number');

      const second = await waitState(queued, TERMINAL);
      expect(second, await log(queued)).toMatchObject({ state: 'succeeded', attempts: 1 });
      // Each started exactly once.
      expect(markerLines(marker).sort()).toEqual([running, queued].sort());
    }, 240_000);

    it("fails a job whose command's process is SIGKILLed, saying so", async () => {
      const id = await submit({ marker: join(shared, 'killed.txt'), seconds: '60' });
      const text = await waitFor(
        () => log(id),
        (l) => /before pid=\d+/.test(l),
        60_000,
      );
      const pid = Number(/before pid=(\d+)/.exec(text)?.[1]);
      process.kill(pid, 'SIGKILL');
      const done = await waitState(id, TERMINAL);
      expect(done).toMatchObject({ state: 'failed', exit_code: 137, message: "Stopped outside Ferry: The job's process was killed by signal 9 (SIGKILL)." });
      const run = await call(server, 'GET', `/api/2.0/mlflow/runs/get?run_id=${done.run_id}`);
      expect(run.body.run.info.status).toBe('FAILED');
    }, 120_000);

    it('fails a job whose whole process group is SIGKILLed (no exit status left), saying it was killed', async () => {
      const id = await submit({ marker: join(shared, 'group.txt'), seconds: '60' });
      await waitFor(
        () => log(id),
        (l) => l.includes('before pid='),
        60_000,
      );
      const pid = (JSON.parse(readFileSync(join(dataDir, 'jobs', 'work', id, 'process.json'), 'utf8')) as { pid: number }).pid;
      process.kill(-pid, 'SIGKILL');
      const done = await waitState(id, TERMINAL);
      expect(done).toMatchObject({ state: 'failed', exit_code: null, message: 'The job process ended without an exit status (it was killed).' });
    }, 120_000);
  });
});
