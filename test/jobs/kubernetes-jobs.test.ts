/**
 * The Kubernetes executor against a real control plane (kube-apiserver with admission and validation, the Job and
 * garbage-collector controllers, the scheduler) whose node is kwok's: pods do not run, kwok moves them through their
 * phases by image (test/support/k8s-cluster.ts) and serves a fixed log for each.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KubernetesExecutor } from '../../src/jobs/executors/kubernetes-executor.js';
import type { ExecutionRequest } from '../../src/jobs/executors/executor.js';
import { HAVE_K8S, type K8sCluster, KWOK_LOG, NO_K8S_REASON, startK8sCluster } from '../support/k8s-cluster.js';
import { forEachStore } from '../support/stores.js';
import { fullLog, HAVE_VENV, type JobsTestServer, startJobsServer, uploadProject, VENV_BIN, waitForJob, zipOf } from './support.js';

if (!HAVE_K8S) console.warn(`\n!! SKIPPING the Kubernetes executor tests: ${NO_K8S_REASON}\n`);

const MLPROJECT = `name: tiny
entry_points:
  main:
    parameters:
      alpha: {type: float, default: 0.5}
      note: {type: string, default: "hello world"}
    command: "python train.py --alpha {alpha} --note {note}"
`;
const TRAIN = `import argparse, os
p = argparse.ArgumentParser(); p.add_argument('--alpha', type=float); p.add_argument('--note')
a = p.parse_args()
print('alpha', a.alpha, 'note', a.note, 'run', os.environ['MLFLOW_RUN_ID'], 'token', 'MLFLOW_TRACKING_TOKEN' in os.environ, flush=True)
`;
const DONE = ['succeeded', 'failed', 'cancelled'];

let k8s: K8sCluster;

describe.skipIf(!HAVE_K8S)('kubernetes executor', () => {
  beforeAll(async () => {
    k8s = await startK8sCluster();
  }, 120_000);
  afterAll(async () => k8s?.stop(), 60_000);

  const secretValues = async (name: string) => {
    const s = await k8s.core.readNamespacedSecret({ name, namespace: 'default' });
    return { secret: s, env: Object.fromEntries(Object.entries(s.data ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')])) };
  };
  const gone = async (read: () => Promise<unknown>) => {
    try {
      await read();
      return false;
    } catch (err) {
      return (err as { code?: number }).code === 404;
    }
  };

  forEachStore('through Ferry', (kind) => {
    let t: JobsTestServer;
    let digest: string;
    const executor = (name: string, body: object) =>
      t.call('PUT', `/api/v1/executors/${name}`, { kind: 'kubernetes', insecure_skip_tls_verify: true, ...body });

    beforeAll(async () => {
      t = await startJobsServer(kind, { FERRY_JOBS_UNREACHABLE_SECONDS: '2' });
      const up = await uploadProject(t, await zipOf({ MLproject: MLPROJECT, 'train.py': TRAIN }));
      expect(up.status).toBe(201);
      digest = up.body.project.digest;
      const base = { server: k8s.server, token: k8s.token };
      for (const [name, image] of [
        ['k8s', 'python:3.11'],
        ['k8s-fail', 'ferry-test/fail:1'],
        ['k8s-hold', 'ferry-test/hold:1'],
      ] as const)
        expect((await executor(name, { ...base, image })).status).toBe(200);
    }, 60_000);
    afterAll(async () => t?.close());

    it('runs a job as a batch/v1 Job that kwok completes; its pod log is the job log', async () => {
      const sub = await t.call('POST', '/api/v1/jobs', { project: digest, executor: 'k8s', parameters: { alpha: '0.25' } });
      expect(sub.status).toBe(201);
      const job = await waitForJob(t, sub.body.job.job_id, DONE);
      const log = await fullLog(t, job.job_id);
      expect(job.state, `${job.message}\n${log}`).toBe('succeeded');
      expect(job.external_id).toBe(job.job_id);
      // kwok serves this log through the API server's pods/log (there is no container to write one).
      expect(log).toContain(KWOK_LOG);
      const run = await t.call('GET', `/api/2.0/mlflow/runs/get?run_id=${job.run_id}`);
      expect(run.body.run.info.status).toBe('FINISHED');
      const k = await k8s.batch.readNamespacedJob({ name: job.job_id, namespace: 'default' });
      expect(k.status?.conditions?.find((c) => c.type === 'Complete')?.status).toBe('True');
    }, 60_000);

    it('builds the Job as asked: env from an owned Secret, no token in the pod spec, resources, TTL, no retries, a quoted command that runs', async () => {
      const note = "it's; rm -rf /";
      const sub = await t.call('POST', '/api/v1/jobs', {
        project: digest,
        executor: 'k8s-hold',
        parameters: { alpha: '0.25', note },
        resources: { cpus: 0.5, memory_mb: 256, gpus: 1 },
      });
      expect(sub.status).toBe(201);
      const id = sub.body.job.job_id;
      expect((await waitForJob(t, id, ['running', ...DONE])).state).toBe('running');
      const k = await k8s.batch.readNamespacedJob({ name: id, namespace: 'default' });
      expect(k.metadata?.labels).toMatchObject({ 'app.kubernetes.io/managed-by': 'ferry', 'ferry.job-id': id });
      expect(k.spec?.backoffLimit).toBe(0);
      expect(k.spec?.ttlSecondsAfterFinished).toBe(3600);
      const pod = k.spec!.template.spec!;
      expect(pod.restartPolicy).toBe('Never');
      expect(pod.automountServiceAccountToken).toBe(false);
      const c = pod.containers[0]!;
      expect(c.image).toBe('ferry-test/hold:1');
      expect(c.env).toBeUndefined();
      expect(c.envFrom).toEqual([{ secretRef: { name: `${id}-env` } }]);
      // The API server normalises quantities: 0.5 CPU is 500m.
      expect(c.resources).toEqual({ requests: { cpu: '500m', memory: '256Mi' }, limits: { memory: '256Mi', 'nvidia.com/gpu': '1' } });
      expect(c.command?.slice(0, 2)).toEqual(['sh', '-c']);
      expect(c.command?.[2]).toContain(`python train.py --alpha 0.25 --note 'it'"'"'s; rm -rf /'`);

      const { secret, env } = await secretValues(`${id}-env`);
      expect(secret.metadata?.ownerReferences).toEqual([expect.objectContaining({ kind: 'Job', name: id, uid: k.metadata?.uid, controller: true })]);
      expect(env['MLFLOW_RUN_ID']).toBe(sub.body.job.run_id);
      expect(env['FERRY_JOB_ID']).toBe(id);
      expect(env['MLFLOW_TRACKING_TOKEN']).toMatch(/\S{20,}/);
      expect(env['FERRY_SOURCE_URL']).toContain(`/api/v1/jobs/projects/${digest}/source.zip?expires=`);
      expect(JSON.stringify(k)).not.toContain(env['MLFLOW_TRACKING_TOKEN']);

      // The container's own script, run here as the pod would (its env from the Secret, python from the test venv):
      // it fetches the project from Ferry's signed URL, unpacks it and passes the hostile value as one argument.
      if (HAVE_VENV) {
        const work = mkdtempSync(join(tmpdir(), 'ferry-k8s-pod-'));
        try {
          // Asynchronously: the Ferry that serves the download runs in this process.
          const child = spawn('sh', ['-c', c.command![2]!], { cwd: work, env: { ...env, PATH: `${VENV_BIN}:/usr/bin:/bin` }, timeout: 60_000 });
          let out = '';
          child.stdout.on('data', (d: Buffer) => (out += d.toString()));
          child.stderr.on('data', (d: Buffer) => (out += d.toString()));
          const [code] = (await once(child, 'close')) as [number | null];
          expect(code, out).toBe(0);
          expect(out).toContain(`alpha 0.25 note ${note} run ${sub.body.job.run_id} token True`);
        } finally {
          rmSync(work, { recursive: true, force: true });
        }
      }

      // Cancel: the Job is deleted, its Secret with it (garbage collection by owner reference), the job 'cancelled'.
      expect((await t.call('POST', `/api/v1/jobs/${id}/cancel`, {})).status).toBe(200);
      const job = await waitForJob(t, id, DONE, 30_000);
      expect(job.state).toBe('cancelled');
      await expect.poll(() => gone(() => k8s.batch.readNamespacedJob({ name: id, namespace: 'default' })), { timeout: 30_000 }).toBe(true);
      await expect.poll(() => gone(() => k8s.core.readNamespacedSecret({ name: `${id}-env`, namespace: 'default' })), { timeout: 30_000 }).toBe(true);
      const run = await t.call('GET', `/api/2.0/mlflow/runs/get?run_id=${job.run_id}`);
      expect(run.body.run.info.status).toBe('KILLED');
    }, 90_000);

    it('fails a job whose pod fails, with the exit code and the reasons of pod and Job', async () => {
      const sub = await t.call('POST', '/api/v1/jobs', { project: digest, executor: 'k8s-fail' });
      const job = await waitForJob(t, sub.body.job.job_id, DONE);
      expect(job.state).toBe('failed');
      expect(job.exit_code).toBe(3);
      expect(job.message).toContain('exited with code 3 (Error: the training script exited with code 3)');
      expect(job.message).toContain('BackoffLimitExceeded');
    }, 60_000);

    it('fails a job the cluster refuses (a namespace that does not exist), with the API server message', async () => {
      expect((await executor('k8s-nons', { server: k8s.server, token: k8s.token, image: 'python:3.11', namespace: 'no-such-ns' })).status).toBe(200);
      const sub = await t.call('POST', '/api/v1/jobs', { project: digest, executor: 'k8s-nons' });
      const job = await waitForJob(t, sub.body.job.job_id, DONE);
      expect(job.state).toBe('failed');
      expect(job.message).toMatch(/Kubernetes refused to .*\(404\): namespaces "no-such-ns" not found/);
    }, 60_000);

    it('fails a job when the token is refused (401)', async () => {
      expect((await executor('k8s-badtoken', { server: k8s.server, token: 'not-the-token', image: 'python:3.11' })).status).toBe(200);
      const sub = await t.call('POST', '/api/v1/jobs', { project: digest, executor: 'k8s-badtoken' });
      const job = await waitForJob(t, sub.body.job.job_id, DONE);
      expect(job.state).toBe('failed');
      expect(job.message).toContain('(401)');
    }, 60_000);

    it('fails a job whose API server cannot be reached, saying so', async () => {
      // A port nothing listens on: one the system just handed out and took back.
      const srv = createServer().listen(0, '127.0.0.1');
      await once(srv, 'listening');
      const port = (srv.address() as { port: number }).port;
      await new Promise((r) => srv.close(r));
      expect((await executor('k8s-down', { server: `https://127.0.0.1:${port}`, token: 'x', image: 'python:3.11' })).status).toBe(200);
      const sub = await t.call('POST', '/api/v1/jobs', { project: digest, executor: 'k8s-down' });
      const job = await waitForJob(t, sub.body.job.job_id, DONE);
      expect(job.state).toBe('failed');
      expect(job.message).toContain(`did not answer`);
      expect(job.message).toContain('ECONNREFUSED');
    }, 60_000);
  });

  describe('the executor itself', () => {
    const request = (jobId: string, token: string): ExecutionRequest => ({
      jobId,
      command: 'python -c pass',
      env: { MLFLOW_TRACKING_TOKEN: token, FERRY_JOB_ID: jobId },
      sourceUrl: 'http://127.0.0.1:9/source.zip',
      readSource: async () => Buffer.alloc(0),
      projectDigest: `sha256:${'0'.repeat(64)}`,
      resources: {},
      envManager: 'local',
      pythonEnv: null,
    });
    const ex = () =>
      new KubernetesExecutor({
        server: k8s.server,
        token: k8s.token,
        insecureSkipTlsVerify: true,
        namespace: 'default',
        image: 'ferry-test/hold:1',
        ttlSecondsAfterFinished: 60,
      });

    it('re-attaches a duplicate submit to the Job already there (one Job, its Secret refreshed)', async () => {
      const id = `job-${'ab'.repeat(16)}`;
      const a = ex();
      expect(await a.submit(request(id, 'first-token'))).toBe(id);
      const first = await k8s.batch.readNamespacedJob({ name: id, namespace: 'default' });
      // Another executor (a restarted server) submits the same attempt again.
      expect(await ex().submit(request(id, 'second-token'))).toBe(id);
      const jobs = await k8s.batch.listNamespacedJob({ namespace: 'default', labelSelector: `ferry.job-id=${id}` });
      expect(jobs.items.map((j) => j.metadata?.uid)).toEqual([first.metadata?.uid]);
      expect((await secretValues(`${id}-env`)).env['MLFLOW_TRACKING_TOKEN']).toBe('second-token');
      await expect.poll(async () => (await a.status(id)).state, { timeout: 20_000 }).toBe('running');
      // Logs come in byte slices from any offset.
      await expect.poll(async () => (await a.logs(id, 0)).text, { timeout: 20_000 }).toBe(KWOK_LOG);
      expect(await a.logs(id, 11)).toEqual({ text: KWOK_LOG.slice(11), nextOffset: KWOK_LOG.length, atEnd: true });
      expect(await a.logs(id, KWOK_LOG.length)).toEqual({ text: '', nextOffset: KWOK_LOG.length, atEnd: true });
      await a.cancel(id);
      await expect.poll(async () => (await a.status(id)).state, { timeout: 30_000 }).toBe('stopped');
      // A Job gone without a cancel from here is lost, not stopped.
      expect((await ex().status(id)).state).toBe('lost');
    }, 60_000);

    it('refuses what Kubernetes cannot schedule or reach as asked', async () => {
      await expect(ex().submit({ ...request(`job-${'cd'.repeat(16)}`, 't'), resources: { gpus: 0.5 } })).rejects.toMatchObject({
        transient: false,
        message: expect.stringContaining('whole GPUs'),
      });
      expect(() => new KubernetesExecutor({ server: 'http://127.0.0.1:1', namespace: 'default', image: 'x', ttlSecondsAfterFinished: 1 })).toThrow(
        /plain http/,
      );
      await expect(ex().status('../etc')).rejects.toMatchObject({ transient: false });
    });
  });
});
