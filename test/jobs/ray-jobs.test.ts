/**
 * The ray executor against a real Ray head (token auth on, so every call that works proves the bearer token
 * is sent): the executor's own calls (idempotent submit, log slices by byte offset), then jobs end to end
 * through Ferry on both stores.
 */
import { createServer, type Server } from 'node:http';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExecutorError, type ExecutionRequest } from '../../src/jobs/executors/executor.js';
import { RayExecutor } from '../../src/jobs/executors/ray-executor.js';
import { unusedPort } from '../support/ferry-process.js';
import { HAVE_RAY, NO_RAY_REASON, type RayHead, rayToken, startRayHead } from '../support/ray-head.js';
import { forEachStore } from '../support/stores.js';
import { fullLog, type JobsTestServer, startJobsServer, uploadProject, waitForJob, zipOf } from './support.js';

const MLPROJECT = `name: tiny
entry_points:
  main:
    parameters:
      alpha: {type: float, default: 0.5}
      note: {type: string, default: "hello world"}
    command: "python train.py --alpha {alpha} --note {note}"
  fail:
    command: "python -c 'import sys; print(\\"going down\\"); sys.exit(3)'"
  sleep:
    parameters:
      seconds: {type: float, default: 60}
    command: "python -c 'import time,sys; print(\\"sleeping\\", flush=True); time.sleep(float(sys.argv[1]))' {seconds}"
  chars:
    command: "python chars.py"
`;
const TRAIN = `import argparse, os, mlflow
p = argparse.ArgumentParser(); p.add_argument('--alpha', type=float); p.add_argument('--note')
a = p.parse_args()
print('alpha', a.alpha, 'note', a.note, 'run', os.environ['MLFLOW_RUN_ID'], flush=True)
with mlflow.start_run():
    mlflow.log_metric('score', a.alpha * 2)
print('token in env:', 'MLFLOW_TRACKING_TOKEN' in os.environ)
`;
// Two-, three- and four-byte characters, so log slices of a few bytes must land inside some of them.
const CHARS = `for i in range(40):
    print(i, 'é€𝄞', 'x' * (i % 5), flush=True)
`;
const FILES = { MLproject: MLPROJECT, 'train.py': TRAIN, 'chars.py': CHARS };
const DONE = ['succeeded', 'failed', 'cancelled'];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

if (!HAVE_RAY) console.warn(`[ray-jobs.test.ts] SKIPPED: ${NO_RAY_REASON}`);

describe.skipIf(!HAVE_RAY)('ray executor on a real Ray head', () => {
  let head: RayHead;
  beforeAll(async () => {
    head = await startRayHead({ token: rayToken() });
  }, 180_000);
  afterAll(async () => head?.stop(), 60_000);

  describe('the executor on its own', () => {
    let zipServer: Server;
    let zipUrl: string;
    beforeAll(async () => {
      // Ray downloads the project from a URL, as it does from Ferry's signed source URL.
      const zip = await zipOf(FILES, { prefix: 'project/' });
      zipServer = createServer((req, res) => {
        if (req.url?.startsWith('/project.zip')) res.writeHead(200, { 'content-type': 'application/zip' }).end(zip);
        else res.writeHead(404).end();
      });
      await new Promise<void>((r) => zipServer.listen(0, '127.0.0.1', () => r()));
      zipUrl = `http://127.0.0.1:${(zipServer.address() as { port: number }).port}/project.zip?signature=abc`;
    });
    afterAll(() => new Promise<void>((r) => zipServer.close(() => r())));

    const request = (jobId: string, command: string): ExecutionRequest => ({
      jobId,
      command,
      env: { FERRY_JOB_ID: jobId, GREETING: 'hello from ferry' },
      sourceUrl: zipUrl,
      readSource: () => Promise.reject(new Error('the ray executor downloads through the URL')),
      projectDigest: `sha256:${'ab'.repeat(32)}`,
      resources: { cpus: 0.5 },
      envManager: 'local',
      pythonEnv: null,
    });
    const newId = () => `job-${randomBytes(16).toString('hex')}`;

    async function waitDone(ex: RayExecutor, handle: string): Promise<string> {
      for (let i = 0; i < 600; i++) {
        const st = await ex.status(handle);
        if (st.state !== 'pending' && st.state !== 'running') return st.state;
        await sleep(200);
      }
      return 'timed out';
    }

    it('submits once per handle: a second submit of the same handle re-attaches to the first job', async () => {
      const ex = new RayExecutor({ address: head.url, token: head.token });
      const id = newId();
      const req = request(id, 'python -c "import os; print(os.environ[\'GREETING\'])"');
      expect(await ex.submit(req)).toBe(id);
      expect(await ex.submit(req)).toBe(id);
      const mine = (await head.jobs()).filter((j) => j.metadata?.['ferry_job_id'] === id || j.submission_id === id);
      expect(mine).toHaveLength(1);
      expect(mine[0]!.metadata).toEqual({ ferry_job_id: id, ferry_project_digest: `sha256:${'ab'.repeat(32)}` });
      expect(await waitDone(ex, id)).toBe('succeeded');
      expect((await ex.logs(id, 0)).text).toContain('hello from ferry');
      await ex.cleanup(id);
      expect((await head.get(`/api/jobs/${id}`)).status).toBe(404);
      expect((await ex.status(id)).state).toBe('lost');
    }, 120_000);

    it('hands the log over by byte offsets, never cutting a character, until it is complete', async () => {
      const ex = new RayExecutor({ address: head.url, token: head.token, maxLogSlice: 5 });
      const id = newId();
      await ex.submit(request(id, 'python chars.py'));
      expect(await waitDone(ex, id)).toBe('succeeded');
      const whole = (await head.get(`/api/jobs/${id}/logs`)).body.logs as string;
      expect(whole).toContain('39 é€𝄞 xxxx');
      let offset = 0;
      let copied = '';
      for (;;) {
        const slice = await ex.logs(id, offset);
        if (!slice.text) break;
        expect(slice.text).not.toContain('\uFFFD');
        expect(slice.nextOffset - offset).toBe(Buffer.byteLength(slice.text));
        copied += slice.text;
        offset = slice.nextOffset;
      }
      expect(copied).toBe(whole);
      expect(offset).toBe(Buffer.byteLength(whole));
      await ex.cleanup(id);
    }, 120_000);

    it("virtualenv: Ray builds the job's environment from the python_env dependencies (runtime_env.pip)", async () => {
      const ex = new RayExecutor({ address: head.url, token: head.token });
      const id = newId();
      // Already in the head's Python, so pip resolves it without downloading (Ray's pip env sees system site-packages).
      const dependencies = ['requests==2.34.2'];
      await ex.submit({
        ...request(id, 'python -c "import sys, requests; print(\'prefix\', sys.prefix, requests.__version__)"'),
        envManager: 'virtualenv',
        pythonEnv: { text: 'dependencies: [requests==2.34.2]', python: null, buildDependencies: [], dependencies },
      });
      const details = (await head.get(`/api/jobs/${id}`)).body;
      expect(details.runtime_env.pip).toEqual(dependencies);
      const state = await waitDone(ex, id);
      const log = (await ex.logs(id, 0)).text;
      expect(state, log).toBe('succeeded');
      // Ray's pip environments live under the session's runtime_resources/pip folder, not the head's venv.
      expect(log).toMatch(/prefix \S*runtime_resources\/pip\S* 2\.34\.2/);
      await ex.cleanup(id);
    }, 180_000);

    it('is refused, finally and clearly, without the head token', async () => {
      const ex = new RayExecutor({ address: head.url });
      const err = await ex.submit(request(newId(), 'true')).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ExecutorError);
      expect((err as ExecutorError).transient).toBe(false);
      expect((err as ExecutorError).message).toMatch(/refused Ferry's credentials.*HTTP 401/);
    });

    it('reports an unreachable head as a transient error', async () => {
      const ex = new RayExecutor({ address: `http://127.0.0.1:${await unusedPort()}` });
      const err = await ex.status('job-x').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ExecutorError);
      expect((err as ExecutorError).transient).toBe(true);
      expect((err as ExecutorError).message).toMatch(/cannot be reached \(ECONNREFUSED\)/);
    });
  });

  forEachStore('ray jobs', (kind) => {
    let t: JobsTestServer;
    let digest: string;
    beforeAll(async () => {
      t = await startJobsServer(kind, { FERRY_JOBS_UNREACHABLE_SECONDS: '2' });
      const put = await t.call('PUT', '/api/v1/executors/ray', { kind: 'ray', address: head.url, token: head.token });
      expect(put.status, JSON.stringify(put.body)).toBe(200);
      expect(put.body.executor.has_token).toBe(true);
      expect((await t.call('PUT', '/api/v1/executors/ray-down', { kind: 'ray', address: `http://127.0.0.1:${await unusedPort()}` })).status).toBe(200);
      expect((await t.call('PUT', '/api/v1/executors/ray-no-token', { kind: 'ray', address: head.url })).status).toBe(200);
      const up = await uploadProject(t, await zipOf(FILES));
      expect(up.status).toBe(201);
      digest = up.body.project.digest;
    }, 60_000);
    afterAll(async () => t?.close());

    it('runs a project on Ray that logs to the run Ferry made', async () => {
      const sub = await t.call('POST', '/api/v1/jobs', { project: digest, executor: 'ray', parameters: { alpha: '0.25', note: "it's; $(rm -rf /)" } });
      expect(sub.status, JSON.stringify(sub.body)).toBe(201);
      const job = await waitForJob(t, sub.body.job.job_id, DONE, 120_000);
      const log = await fullLog(t, job.job_id);
      expect(job.state, `${job.message}\n${log}`).toBe('succeeded');
      expect(job.external_id).toBe(job.job_id);
      expect(log).toContain(`alpha 0.25 note it's; $(rm -rf /) run ${job.run_id}`);
      expect(log).toContain('token in env: True');
      const run = await t.call('GET', `/api/2.0/mlflow/runs/get?run_id=${job.run_id}`);
      expect(run.body.run.info.status).toBe('FINISHED');
      expect(run.body.run.data.metrics).toEqual([expect.objectContaining({ key: 'score', value: 0.5 })]);
      // The finished job's record is deleted on the head (cleanup, right after the job is marked finished).
      let status = 0;
      // Up to a minute: the cleanup waits for the log, its artifact and a head that may be slow under load.
      for (let i = 0; i < 300 && (status = (await head.get(`/api/jobs/${job.job_id}`)).status) !== 404; i++) await sleep(200);
      expect(status).toBe(404);
    }, 210_000);

    it("fails a job whose entry point fails, with Ray's message and the exit code", async () => {
      const sub = await t.call('POST', '/api/v1/jobs', { project: digest, executor: 'ray', entry_point: 'fail' });
      const job = await waitForJob(t, sub.body.job.job_id, DONE, 120_000);
      expect(job.state).toBe('failed');
      expect(job.exit_code).toBe(3);
      expect(job.message).toMatch(/exit code 3/);
      expect(await fullLog(t, job.job_id)).toContain('going down');
    }, 150_000);

    it('cancels a running job: Ray stops it, the run is KILLED', async () => {
      const sub = await t.call('POST', '/api/v1/jobs', { project: digest, executor: 'ray', entry_point: 'sleep' });
      const id = sub.body.job.job_id;
      await waitForJob(t, id, ['running', ...DONE], 120_000);
      for (let i = 0; i < 600 && !(await fullLog(t, id)).includes('sleeping'); i++) await sleep(100);
      expect(await fullLog(t, id)).toContain('sleeping');
      expect((await t.call('POST', `/api/v1/jobs/${id}/cancel`, {})).status).toBe(200);
      const job = await waitForJob(t, id, DONE, 60_000);
      expect(job.state).toBe('cancelled');
      const run = await t.call('GET', `/api/2.0/mlflow/runs/get?run_id=${job.run_id}`);
      expect(run.body.run.info.status).toBe('KILLED');
    }, 180_000);

    it('fails a job on an unreachable Ray address with the reason, never hangs', async () => {
      const sub = await t.call('POST', '/api/v1/jobs', { project: digest, executor: 'ray-down' });
      const job = await waitForJob(t, sub.body.job.job_id, DONE, 60_000);
      expect(job.state).toBe('failed');
      expect(job.message).toMatch(/did not start the job: Ray at http:\/\/127\.0\.0\.1:\d+ cannot be reached/);
    }, 90_000);

    it('fails a job at once when the head refuses the credentials', async () => {
      const sub = await t.call('POST', '/api/v1/jobs', { project: digest, executor: 'ray-no-token' });
      const job = await waitForJob(t, sub.body.job.job_id, DONE, 60_000);
      expect(job.state).toBe('failed');
      expect(job.message).toMatch(/refused Ferry's credentials.*HTTP 401/);
    }, 90_000);
  });
});
