/**
 * SIGKILL a real `ferry server` while its job runs on a real Ray head, start it again on the same data dir and
 * store: the job is re-attached through its Ray submission id (not submitted again), ends succeeded, and its
 * log is complete — every line once, in order.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FerryServer, startFerry } from '../support/ferry-process.js';
import { HAVE_RAY, NO_RAY_REASON, type RayHead, startRayHead } from '../support/ray-head.js';
import { forEachStore, freshStore, type StoreHandle } from '../support/stores.js';
import { zipOf } from './support.js';

// The job ticks until the test creates its gate file (the head runs on this host), so it outlives any slow
// restart; 600 ticks at most, so it never hangs.
const MLPROJECT = `name: ticks
entry_points:
  main:
    parameters:
      gate: {type: string}
    command: "python ticks.py {gate}"
`;
const SCRIPT = `import os, sys, time
i = 0
while not os.path.exists(sys.argv[1]) and i < 600:
    print('tick', i, flush=True)
    i += 1
    time.sleep(0.5)
print('done', flush=True)
`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

if (!HAVE_RAY) console.warn(`[ray-restart.test.ts] SKIPPED: ${NO_RAY_REASON}`);

describe.skipIf(!HAVE_RAY)('a Ray job outlives a SIGKILLed server', () => {
  let head: RayHead;
  beforeAll(async () => {
    head = await startRayHead();
  }, 180_000);
  afterAll(async () => head?.stop(), 60_000);

  forEachStore('ray restart', (kind) => {
    let store: StoreHandle;
    let dataDir: string;
    const servers: FerryServer[] = [];
    const adminToken = `ferry-test-${randomBytes(16).toString('hex')}`;
    beforeAll(async () => {
      store = await freshStore(kind);
      dataDir = mkdtempSync(join(tmpdir(), 'ferry-ray-restart-'));
    });
    afterAll(async () => {
      for (const s of servers) await s.stop();
      await store?.cleanup();
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    }, 30_000);

    /** The server on the shared data dir and store, with short leases so a dead one's jobs are re-claimed soon. */
    async function start(): Promise<FerryServer> {
      const s = await startFerry({
        dataDir,
        adminToken,
        timeoutMs: 60_000,
        env: { FERRY_STORE: store.url, FERRY_JOBS_LEASE_SECONDS: '3', FERRY_JOBS_POLL_MS: '200' },
      });
      servers.push(s);
      return s;
    }

    async function api(s: FerryServer, method: string, path: string, body?: object | Buffer): Promise<any> {
      const raw = Buffer.isBuffer(body);
      const res = await fetch(`${s.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${adminToken}`, ...(body ? { 'content-type': raw ? 'application/zip' : 'application/json' } : {}) },
        ...(body ? { body: raw ? new Uint8Array(body) : JSON.stringify(body) } : {}),
      });
      const json = await res.json();
      if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
      return json;
    }

    async function log(s: FerryServer, id: string): Promise<string> {
      let offset = 0;
      let out = '';
      for (;;) {
        const page = await api(s, 'GET', `/api/v1/jobs/${id}/logs?offset=${offset}`);
        out += page.data;
        if (page.next_offset === offset) return out;
        offset = page.next_offset;
      }
    }

    const lastTick = (text: string) => Math.max(-1, ...[...text.matchAll(/^tick (\d+)$/gm)].map((m) => Number(m[1])));

    it('is re-attached, not resubmitted, and ends succeeded with its whole log', async () => {
      const first = await start();
      await api(first, 'PUT', '/api/v1/executors/ray', { kind: 'ray', address: head.url });
      const { project } = await api(first, 'POST', '/api/v1/jobs/projects', await zipOf({ MLproject: MLPROJECT, 'ticks.py': SCRIPT }));
      const { job: submitted } = await api(first, 'POST', '/api/v1/jobs', {
        project: project.digest,
        executor: 'ray',
        parameters: { gate: join(dataDir, 'gate') },
      });
      const id: string = submitted.job_id;

      // Running on Ray, and its log reaching Ferry.
      for (let i = 0; i < 1200 && lastTick(await log(first, id)) < 2; i++) await sleep(100);
      const before = await log(first, id);
      expect(lastTick(before), `${first.output()}\n${before}`).toBeGreaterThanOrEqual(2);

      await first.signal('SIGKILL');
      expect((await head.get(`/api/jobs/${id}`)).body.status).toBe('RUNNING');

      const second = await start();
      // The new server has taken the job over once it copies log lines printed after the kill.
      const seenAtKill = lastTick(before);
      for (let i = 0; i < 1200 && lastTick(await log(second, id)) <= seenAtKill + 1; i++) await sleep(100);
      const mid = (await api(second, 'GET', `/api/v1/jobs/${id}`)).job;
      expect(mid.state, second.output()).toBe('running');
      // Exactly one Ray job for this Ferry job, under the job's id: re-attached, never submitted again.
      const onRay = (await head.jobs()).filter((j) => j.metadata?.['ferry_job_id'] === id || j.submission_id === id);
      expect(onRay.map((j) => [j.submission_id, j.status])).toEqual([[id, 'RUNNING']]);

      writeFileSync(join(dataDir, 'gate'), '');
      let job = mid;
      for (let i = 0; i < 1200 && !['succeeded', 'failed', 'cancelled'].includes(job.state); i++) {
        await sleep(100);
        job = (await api(second, 'GET', `/api/v1/jobs/${id}`)).job;
      }
      const text = await log(second, id);
      expect(job.state, `${job.message}\n${text}`).toBe('succeeded');
      expect(job.attempts).toBe(1);
      expect(job.external_id).toBe(id);
      const ticks = [...text.matchAll(/^tick (\d+)$/gm)].map((m) => Number(m[1]));
      expect(ticks.length).toBeGreaterThan(seenAtKill + 2);
      expect(ticks).toEqual(Array.from({ length: ticks.length }, (_, i) => i));
      expect(text).toMatch(/^done$/m);
    }, 300_000);
  });
});
