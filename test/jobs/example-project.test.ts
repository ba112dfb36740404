/**
 * The example project (examples/sklearn-credit) end to end on the local executor: a dataset pushed to Ferry, the
 * folder uploaded as a project, a job that trains and registers an ONNX model; then the model version traced
 * back through the registry to its run, the job, the project's digest, the parameters, metrics and the exact
 * dataset version it read.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forEachStore } from '../support/stores.js';
import { HAVE_RAY, NO_RAY_REASON, type RayHead, rayToken, startRayHead } from '../support/ray-head.js';
import { fullLog, HAVE_VENV, type JobsTestServer, startJobsServer, uploadProject, waitForJob, zipOf } from './support.js';

const EXAMPLE = resolve('examples/sklearn-credit');
const DATASET = 'credit-example';
const MODEL = 'credit-example-model';

/** The folder's files as the CLI sends them (no caches). */
function exampleFiles(): Record<string, Buffer> {
  const files: Record<string, Buffer> = {};
  for (const name of readdirSync(EXAMPLE)) {
    const path = join(EXAMPLE, name);
    if (statSync(path).isFile()) files[name] = readFileSync(path);
  }
  return files;
}

/** Pushes the dataset, uploads the example, runs it on `executor`, and traces the model version it registered. */
async function trainAndTrace(t: JobsTestServer, executor: string): Promise<{ job_id: string; external_id: string | null }> {
  const push = await t.app.inject({
    method: 'POST',
    url: `/api/v1/datasets/${DATASET}/versions?filename=credit_train.csv`,
    headers: { ...t.auth, 'content-type': 'text/csv' },
    payload: readFileSync(resolve('demo/credit_train.csv')),
  });
  expect(push.statusCode, push.body).toBe(201);
  const version = push.json().version;

  const files = exampleFiles();
  expect(Object.keys(files).sort()).toEqual(['MLproject', 'README.md', 'python_env.yaml', 'train.py']);
  const up = await uploadProject(t, await zipOf(files));
  expect(up.status, JSON.stringify(up.body)).toBe(201);
  const digest = up.body.project.digest;
  expect(up.body.project.name).toBe('sklearn-credit');
  expect(up.body.project.has_python_env).toBe(true);

  const sub = await t.call('POST', '/api/v1/jobs', {
    project: digest,
    executor,
    parameters: { dataset: DATASET, C: 0.5, registered_model: MODEL },
    env_manager: 'local',
    experiment_name: 'credit-example',
  });
  expect(sub.status, JSON.stringify(sub.body)).toBe(201);
  expect(sub.body.job.command).toBe(
    `python train.py --dataset ${DATASET} --dataset-version latest --target default --C 0.5 --test-size 0.25 --registered-model ${MODEL}`,
  );
  const job = await waitForJob(t, sub.body.job.job_id, ['succeeded', 'failed', 'cancelled'], 240_000);
  const log = await fullLog(t, job.job_id);
  expect(job.state, log).toBe('succeeded');
  expect(job.executor).toBe(executor);
  expect(log).toContain(`registered ${MODEL} version 1`);

  // Registry: the model's only version, made by the job's run.
  const versions = await t.call('GET', `/api/2.0/mlflow/model-versions/search?filter=${encodeURIComponent(`name='${MODEL}'`)}`);
  expect(versions.status).toBe(200);
  expect(versions.body.model_versions).toHaveLength(1);
  const mv = versions.body.model_versions[0];
  expect(mv).toMatchObject({ version: '1', status: 'READY', run_id: job.run_id });

  // Its run: the job and the exact code.
  const { body } = await t.call('GET', `/api/2.0/mlflow/runs/get?run_id=${mv.run_id}`);
  const run = body.run;
  expect(run.info.status).toBe('FINISHED');
  const tags = Object.fromEntries(run.data.tags.map((x: { key: string; value: string }) => [x.key, x.value]));
  expect(tags['ferry.job_id']).toBe(job.job_id);
  expect(tags['ferry.project.digest']).toBe(digest);
  expect(tags['mlflow.project.entryPoint']).toBe('main');
  expect(tags['mlflow.project.backend']).toBe(executor);

  // Its parameters: the entry point's (logged by Ferry as given, defaults filled in) and the script's own.
  const params = Object.fromEntries(run.data.params.map((x: { key: string; value: string }) => [x.key, x.value]));
  expect(params).toEqual({
    dataset: DATASET,
    dataset_version: 'latest',
    target: 'default',
    C: '0.5',
    test_size: '0.25',
    registered_model: MODEL,
    dataset_ref: `${DATASET}@1`,
    model: 'LogisticRegression',
    n_train: '1500',
    n_test: '500',
  });

  // Its metrics, on the held-out rows.
  const metrics = Object.fromEntries(run.data.metrics.map((x: { key: string; value: number }) => [x.key, x.value]));
  expect(Object.keys(metrics).sort()).toEqual(['accuracy', 'roc_auc']);
  expect(metrics['accuracy']).toBeGreaterThan(0.5);
  expect(metrics['roc_auc']).toBeGreaterThan(0.5);
  expect(metrics['roc_auc']).toBeLessThanOrEqual(1);

  // Its input: the dataset version read, by Ferry's digest; and Ferry's lineage joins the two.
  expect(run.inputs.dataset_inputs).toHaveLength(1);
  expect(run.inputs.dataset_inputs[0].dataset).toMatchObject({ name: DATASET, digest: version.digest, source_type: 'http' });
  const lineage = await t.call('GET', `/api/v1/models/${MODEL}/versions/1/lineage`);
  expect(lineage.status).toBe(200);
  expect(lineage.body.lineage.run.run_id).toBe(job.run_id);
  expect(lineage.body.lineage.datasets.map((d: any) => [d.context, d.dataset_versions.map((v: any) => v.ref)])).toEqual([['training', [`${DATASET}@1`]]]);

  // The logged model (MLflow 3) the version points at: made by the same run, its upload finished.
  const model = await t.call('GET', `/api/2.0/mlflow/logged-models/${mv.source.replace('models:/', '')}`);
  expect(model.status).toBe(200);
  expect(model.body.model.info).toMatchObject({ source_run_id: job.run_id, status: 'LOGGED_MODEL_READY' });
  return job;
}

forEachStore('example project sklearn-credit', (kind) => {
  describe.skipIf(!HAVE_VENV)('on the local executor', () => {
    let t: JobsTestServer;
    beforeAll(async () => {
      t = await startJobsServer(kind);
    }, 60_000);
    afterAll(async () => t?.close());

    it('trains, registers an ONNX model version, and the version traces back to the job, its code and its data', () => trainAndTrace(t, 'local'), 300_000);
  });
});

if (!HAVE_RAY) console.warn(`[example-project.test.ts] Ray runs SKIPPED: ${NO_RAY_REASON}`);

describe.skipIf(!HAVE_RAY)('example project sklearn-credit on a real Ray head', () => {
  let head: RayHead;
  beforeAll(async () => {
    head = await startRayHead({ token: rayToken() });
  }, 180_000);
  afterAll(async () => head?.stop(), 60_000);

  forEachStore('ray', (kind) => {
    let t: JobsTestServer;
    beforeAll(async () => {
      t = await startJobsServer(kind);
      const put = await t.call('PUT', '/api/v1/executors/ray', { kind: 'ray', address: head.url, token: head.token });
      expect(put.status, JSON.stringify(put.body)).toBe(200);
    }, 60_000);
    afterAll(async () => t?.close());

    it('trains on Ray, registers an ONNX model version, and the version traces back to the job, its code and its data', async () => {
      const job = await trainAndTrace(t, 'ray');
      // Ray ran it: the handle is the Ray submission id (Ferry deletes the finished submission's record on the head).
      expect(job.external_id).toBe(job.job_id);
    }, 300_000);
  });
});
