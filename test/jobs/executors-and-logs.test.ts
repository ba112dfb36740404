/** Executors as an admin sets them (API, config file, turning local off), job logs (offsets, follow, bound, artifact), metrics. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forEachStore } from '../support/stores.js';
import { fullLog, HAVE_VENV, type JobsTestServer, startJobsServer, uploadProject, waitForJob, zipOf } from './support.js';

const MLPROJECT = `name: chatty
entry_points:
  main:
    parameters:
      lines: {type: float, default: 3}
      pause: {type: float, default: 0}
    command: "python talk.py {lines} {pause}"
`;
// Prints numbered lines (with a multi-byte character, so byte offsets are exercised), pausing between them.
const TALK = `import sys, time
n, pause = int(float(sys.argv[1])), float(sys.argv[2])
for i in range(n):
    print(f"line {i:06d} é", flush=True)
    if pause: time.sleep(pause)
`;

const TERMINAL = ['succeeded', 'failed', 'cancelled'];

forEachStore('jobs: executors, logs, metrics', (kind) => {
  describe.skipIf(!HAVE_VENV)('with a server', () => {
    let t: JobsTestServer;
    let digest: string;
    const cfgDir = mkdtempSync(join(tmpdir(), 'ferry-exec-cfg-'));
    const cfgFile = join(cfgDir, 'executors.yaml');
    writeFileSync(
      cfgFile,
      'executors:\n  cluster:\n    kind: ray\n    address: http://127.0.0.1:1\n    token_env: FERRY_TEST_RAY_TOKEN\n    max_concurrent: 7\n',
    );
    beforeAll(async () => {
      t = await startJobsServer(kind, { FERRY_EXECUTORS_FILE: cfgFile, FERRY_JOBS_MAX_LOG_BYTES: '4096' });
      digest = (await uploadProject(t, await zipOf({ MLproject: MLPROJECT, 'talk.py': TALK }))).body.project.digest;
    }, 60_000);
    afterAll(async () => t?.close());

    it('lists the built-in local executor and the config file one; API settings win and never show a token', async () => {
      const list = await t.call('GET', '/api/v1/executors');
      expect(list.status).toBe(200);
      const byName = Object.fromEntries(list.body.executors.map((e: any) => [e.name, e]));
      expect(byName.local).toMatchObject({ kind: 'local', enabled: true, source: 'builtin' });
      expect(byName.cluster).toMatchObject({
        kind: 'ray',
        address: 'http://127.0.0.1:1',
        token_env: 'FERRY_TEST_RAY_TOKEN',
        max_concurrent: 7,
        source: 'config-file',
      });

      const put = await t.call('PUT', '/api/v1/executors/cluster', { kind: 'ray', address: 'http://127.0.0.1:2', token: 'very-secret-ray-token' });
      expect(put.status).toBe(200);
      expect(put.body.executor).toMatchObject({ source: 'api', address: 'http://127.0.0.1:2', has_token: true });
      expect(JSON.stringify(put.body)).not.toContain('very-secret-ray-token');
      // A change without a token keeps the stored one.
      const again = await t.call('PUT', '/api/v1/executors/cluster', { kind: 'ray', address: 'http://127.0.0.1:3' });
      expect(again.body.executor.has_token).toBe(true);
      const got = await t.call('GET', '/api/v1/executors/cluster');
      expect(JSON.stringify(got.body)).not.toContain('very-secret-ray-token');
      // Deleting the API setting brings the config file's back; the built-in one cannot be deleted.
      expect((await t.call('DELETE', '/api/v1/executors/cluster')).status).toBe(200);
      expect((await t.call('GET', '/api/v1/executors/cluster')).body.executor.source).toBe('config-file');
      const builtin = await t.call('DELETE', '/api/v1/executors/local');
      expect(builtin.status).toBe(400);
      expect(builtin.body.code).toBe('INVALID_STATE');
    });

    it('refuses incomplete executor settings, naming the field', async () => {
      const noAddress = await t.call('PUT', '/api/v1/executors/r2', { kind: 'ray' });
      expect(noAddress.status).toBe(400);
      expect(noAddress.body.errors[0].field).toBe('address');
      const noImage = await t.call('PUT', '/api/v1/executors/k2', { kind: 'kubernetes', server: 'https://127.0.0.1:6443' });
      expect(noImage.body.errors[0].field).toBe('image');
      const badGrace = await t.call('PUT', '/api/v1/executors/l2', { kind: 'local', grace_period: '5 minutes' });
      expect(badGrace.status).toBe(400);
    });

    it('an admin turns local jobs off: submissions are refused until it is on again', async () => {
      expect((await t.call('PUT', '/api/v1/executors/local', { kind: 'local', enabled: false })).status).toBe(200);
      const refused = await t.call('POST', '/api/v1/jobs', { project: digest });
      expect(refused.status).toBe(400);
      expect(refused.body.errors[0].field).toBe('executor');
      expect((await t.call('DELETE', '/api/v1/executors/local')).status).toBe(200);
      expect((await t.call('POST', '/api/v1/jobs', { project: digest, parameters: { lines: 1 } })).status).toBe(201);
    });

    it('marks a job ended before the last of its log is copied, and a log read then waits for it, whole', async () => {
      // The local executor, with its log call slowed once the job has ended (as a busy cluster's log API can be).
      const executors = t.app.ferry.jobs.executors;
      const real = executors.executor.bind(executors);
      let slowed = 0;
      executors.executor = async (name: string) => {
        const got = await real(name);
        if (name !== 'local') return got;
        const ex = got.executor;
        const slow = Object.create(ex) as typeof ex;
        slow.logs = async (handle: string, offset: number) => {
          if ((await ex.status(handle)).state === 'succeeded') {
            slowed++;
            await new Promise((r) => setTimeout(r, 1500));
          }
          return ex.logs(handle, offset);
        };
        return { settings: got.settings, executor: slow };
      };
      try {
        const sub = await t.call('POST', '/api/v1/jobs', { project: digest, parameters: { lines: 5 } });
        expect(sub.status).toBe(201);
        const id = sub.body.job.job_id;
        let ended: any;
        for (;;) {
          ended = (await t.call('GET', `/api/v1/jobs/${id}`)).body.job;
          if (TERMINAL.includes(ended.state)) break;
          await new Promise((r) => setTimeout(r, 20));
        }
        expect(ended.state).toBe('succeeded');
        // The state came first: the worker is still waiting on the slowed log call.
        const row = await t.store.db.selectFrom('jobs').selectAll().where('job_id', '=', id).executeTakeFirstOrThrow();
        expect(row.lease_until).not.toBeNull();
        // One read, no follow: held until the last of the log is in, then whole and done.
        const once = await t.call('GET', `/api/v1/jobs/${id}/logs`);
        expect(once.status).toBe(200);
        expect(once.body.done).toBe(true);
        expect(once.body.data.split('\n').filter((l: string) => l.startsWith('line ')).length).toBe(5);
        expect(slowed).toBeGreaterThan(0);
        const after = await t.store.db.selectFrom('jobs').selectAll().where('job_id', '=', id).executeTakeFirstOrThrow();
        expect(after.lease_until).toBeNull();
      } finally {
        executors.executor = real;
      }
    }, 60_000);

    it('serves the log by byte offset while it runs, follows with wait, and keeps it as a run artifact', async () => {
      const sub = await t.call('POST', '/api/v1/jobs', { project: digest, parameters: { lines: 20, pause: 0.05 } });
      const id = sub.body.job.job_id;
      // Follow: each answer starts where the last ended; together they are the whole log, in order.
      let offset = 0;
      let text = '';
      for (let i = 0; i < 200; i++) {
        const page = await t.call('GET', `/api/v1/jobs/${id}/logs?offset=${offset}&wait=5&max_bytes=100`);
        expect(page.status).toBe(200);
        expect(page.body.offset).toBe(offset);
        text += page.body.data;
        offset = page.body.next_offset;
        if (page.body.done) break;
      }
      const expected = Array.from({ length: 20 }, (_, i) => `line ${String(i).padStart(6, '0')} é\n`).join('');
      expect(text).toBe(expected);
      expect(offset).toBe(Buffer.byteLength(expected));
      const past = await t.call('GET', `/api/v1/jobs/${id}/logs?offset=${offset + 10}`);
      expect(past.status).toBe(400);
      expect(past.body.errors[0].field).toBe('offset');
      const job = await waitForJob(t, id, TERMINAL);
      expect(job.state).toBe('succeeded');
      // Kept as the run's artifact just after the job is marked ended.
      const artifactOf = () =>
        t.app.inject({ method: 'GET', url: `/api/2.0/mlflow-artifacts/artifacts/0/${job.run_id}/artifacts/ferry-job/job.log`, headers: t.auth });
      await expect.poll(async () => (await artifactOf()).statusCode).toBe(200);
      expect((await artifactOf()).body).toBe(expected);
    }, 60_000);

    it('bounds a job log and says so', async () => {
      const sub = await t.call('POST', '/api/v1/jobs', { project: digest, parameters: { lines: 2000 } });
      const job = await waitForJob(t, sub.body.job.job_id, TERMINAL);
      expect(job.state).toBe('succeeded');
      expect(job.log_bytes).toBeLessThan(4096 + 200);
      const log = await fullLog(t, job.job_id);
      expect(log).toContain('the rest was not kept');
      expect(log.startsWith('line 000000 é\n')).toBe(true);
    }, 60_000);

    it('counts jobs by state and executor in Prometheus metrics', async () => {
      const res = await t.app.inject({ method: 'GET', url: '/metrics', headers: t.auth });
      expect(res.body).toMatch(/ferry_jobs\{executor="local",state="succeeded"\} [1-9]/);
      expect(res.body).toMatch(/ferry_job_queue_wait_seconds_count\{executor="local"\} [1-9]/);
      expect(res.body).toMatch(/ferry_job_duration_seconds_count\{executor="local",state="succeeded"\} [1-9]/);
    });
  });
});
