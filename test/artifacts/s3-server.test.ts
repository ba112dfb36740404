/**
 * A real `ferry server` with its artifacts on a real S3-compatible server (versitygw): run artifacts through the
 * MLflow artifact proxy, a dataset push and read, models registered from ONNX artifacts then deployed and
 * predicted, a job project upload and a job run — every byte checked to sit in the bucket under the prefix.
 * Skipped, with the build command, where versitygw was never built.
 */
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HAVE_S3, NO_S3_REASON, type S3TestServer, startS3Server } from '../helpers/s3-server.js';
import { type FerryProcess, startFerry } from '../support/ferry-process.js';
import { call } from '../support/ferry-servers.js';
import { expectedOf, fixture } from '../support/models.js';
import { zipOf } from '../jobs/support.js';

const PREFIX = 'team/ferry';
const sha256 = (b: Buffer | Uint8Array) => createHash('sha256').update(b).digest('hex');

async function readAll(s: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of s) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

if (!HAVE_S3) console.warn(`\n!! SKIPPING the Ferry-on-S3 end-to-end test: ${NO_S3_REASON}\n`);

describe.skipIf(!HAVE_S3)('a Ferry server with its artifacts on S3 (versitygw)', () => {
  let s3: S3TestServer;
  let ferry: FerryProcess;
  const scratch = mkdtempSync(join(tmpdir(), 'ferry-s3-e2e-'));

  beforeAll(async () => {
    s3 = await startS3Server();
    ferry = await startFerry({ timeoutMs: 60_000, env: { FERRY_ARTIFACTS: s3.location(PREFIX), ...s3.env(), FERRY_JOBS_POLL_MS: '100' } });
  });
  afterAll(async () => {
    await ferry?.stop();
    await s3?.stop();
    rmSync(scratch, { recursive: true, force: true });
  });

  const auth = () => ({ authorization: `Bearer ${ferry.adminToken}` });
  /** The object's bytes, read straight from the bucket (not through Ferry). */
  const object = async (key: string) => readAll((await s3.client.send(new GetObjectCommand({ Bucket: s3.bucket, Key: `${PREFIX}/${key}` }))).Body as Readable);
  const keys = async (under: string) =>
    ((await s3.client.send(new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: `${PREFIX}/${under}` }))).Contents ?? []).map((o) =>
      o.Key!.slice(PREFIX.length + 1),
    );
  const put = (path: string, body: Uint8Array | string, type = 'application/octet-stream') =>
    fetch(`${ferry.url}/api/2.0/mlflow-artifacts/artifacts/${path}`, {
      method: 'PUT',
      headers: { ...auth(), 'content-type': type },
      body: typeof body === 'string' ? body : new Uint8Array(body),
    });

  it('stores run artifacts through the MLflow artifact proxy: upload, list, download byte-equal, delete', async () => {
    const run = (await call(ferry, 'POST', '/api/2.0/mlflow/runs/create', { experiment_id: '0' })).body.run.info;
    const base = `0/${run.run_id}/artifacts`;
    // 12 MiB: more than one multipart part on the way to the bucket.
    const big = randomBytes(12 * 1024 * 1024);
    expect((await put(`${base}/weights.bin`, big)).status).toBe(200);
    expect((await put(`${base}/plots/roc.json`, '{"auc": 0.9}', 'application/json')).status).toBe(200);

    const down = await fetch(`${ferry.url}/api/2.0/mlflow-artifacts/artifacts/${base}/weights.bin`, { headers: auth() });
    expect(down.status).toBe(200);
    expect(sha256(Buffer.from(await down.arrayBuffer()))).toBe(sha256(big));
    // A byte range comes from the bucket's own ranged read.
    const part = await fetch(`${ferry.url}/api/2.0/mlflow-artifacts/artifacts/${base}/weights.bin`, { headers: { ...auth(), range: 'bytes=9000000-9000099' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 9000000-9000099/${big.length}`);
    expect(Buffer.from(await part.arrayBuffer())).toEqual(big.subarray(9_000_000, 9_000_100));
    const list = await call(ferry, 'GET', `/api/2.0/mlflow-artifacts/artifacts?path=${base}`);
    expect(list.body).toEqual({
      files: [
        { path: 'plots', is_dir: true },
        { path: 'weights.bin', is_dir: false, file_size: big.length },
      ],
    });
    expect(sha256(await object(`${base}/weights.bin`))).toBe(sha256(big));
    expect((await object(`${base}/plots/roc.json`)).toString()).toBe('{"auc": 0.9}');

    expect((await call(ferry, 'DELETE', `/api/2.0/mlflow-artifacts/artifacts/${base}/plots`)).status).toBe(200);
    expect(await keys(base)).toEqual([`${base}/weights.bin`]);
    expect((await fetch(`${ferry.url}/api/2.0/mlflow-artifacts/artifacts/${base}/plots/roc.json`, { headers: auth() })).status).toBe(404);
  });

  it('pushes a dataset version into the bucket once, reads it back, and answers the same version for the same bytes', async () => {
    const csv = `id,income,purpose\n${Array.from({ length: 50 }, (_, i) => `${i},${30_000 + i * 10},${['car', 'home'][i % 2]}`).join('\n')}\n`;
    const push = () =>
      fetch(`${ferry.url}/api/v1/datasets/credit/versions?filename=train.csv`, {
        method: 'POST',
        headers: { ...auth(), 'content-type': 'text/csv' },
        body: csv,
      });
    const first = await push();
    expect(first.status).toBe(201);
    const version = ((await first.json()) as { version: { digest: string; rows: number } }).version;
    expect(version.rows).toBe(50);
    expect(await keys('datasets/credit/')).toEqual([`datasets/credit/${version.digest}.csv`]);
    expect((await object(`datasets/credit/${version.digest}.csv`)).toString()).toBe(csv);
    const again = await push();
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ created: false, version: { version: 1 } });
    const file = await fetch(`${ferry.url}/api/v1/datasets/credit/versions/1/file`, { headers: auth() });
    expect(file.status).toBe(200);
    expect(await file.text()).toBe(csv);
  });

  it('registers models from ONNX artifacts in the bucket, deploys them and predicts', async () => {
    const credit = expectedOf('credit_gbdt');
    // From a run's artifacts (what mlflow.onnx.log_model leaves, minus the MLmodel file): runs:/<run>/model.
    const run = (await call(ferry, 'POST', '/api/2.0/mlflow/runs/create', { experiment_id: '0' })).body.run.info;
    const onnx = readFileSync(fixture('credit_gbdt.onnx'));
    expect((await put(`0/${run.run_id}/artifacts/model/model.onnx`, onnx)).status).toBe(200);
    expect(await object(`0/${run.run_id}/artifacts/model/model.onnx`)).toEqual(onnx);
    await call(ferry, 'POST', '/api/2.0/mlflow/registered-models/create', { name: 'credit' });
    const mv = await call(ferry, 'POST', '/api/2.0/mlflow/model-versions/create', { name: 'credit', source: `runs:/${run.run_id}/model`, run_id: run.run_id });
    expect(mv.status).toBe(200);
    const deployed = await call(ferry, 'POST', '/api/v1/deployments', {
      name: 'credit-risk',
      routes: [{ model: 'credit', version: mv.body.model_version.version }],
    });
    expect(deployed.status, JSON.stringify(deployed.body)).toBe(200);
    const pred = await call(ferry, 'POST', '/api/v1/deployments/credit-risk/predict', { instances: credit.records });
    expect(pred.status).toBe(200);
    expect(pred.body.predictions.map((p: { label: number }) => p.label)).toEqual(credit.outputs.label);

    // A plain .onnx upload (ferry models register) lands in the bucket too, and serves.
    const diabetes = expectedOf('diabetes_ridge');
    const upload = await fetch(`${ferry.url}/api/v1/models/diabetes/versions`, {
      method: 'POST',
      headers: { ...auth(), 'content-type': 'application/octet-stream' },
      body: readFileSync(fixture('diabetes_ridge.onnx')),
    });
    expect(upload.status).toBe(200);
    expect((await keys('registry/diabetes/')).filter((k) => k.endsWith('/model.onnx'))).toHaveLength(1);
    await call(ferry, 'POST', '/api/v1/deployments', { name: 'diabetes', routes: [{ model: 'diabetes', version: '1' }] });
    const row = Object.fromEntries((diabetes.inputs.float_input[0] as number[]).map((v, i) => [diabetes.feature_names[i] as string, v]));
    const p2 = await call(ferry, 'POST', '/api/v1/deployments/diabetes/predict', { instances: [row] });
    expect(p2.status, JSON.stringify(p2.body)).toBe(200);
    expect(Math.abs(p2.body.predictions[0] - diabetes.outputs.variable[0][0])).toBeLessThan(1e-3);
  });

  it('stores a job project once in the bucket and runs a job from it', async () => {
    const out = join(scratch, 'ran.txt');
    const zip = await zipOf({
      MLproject: 'name: hello\nentry_points:\n  main:\n    parameters:\n      out: {type: string}\n    command: \'echo "ran $FERRY_JOB_ID" | tee {out}\'\n',
    });
    const upload = () =>
      fetch(`${ferry.url}/api/v1/jobs/projects`, { method: 'POST', headers: { ...auth(), 'content-type': 'application/zip' }, body: new Uint8Array(zip) });
    const first = await upload();
    expect(first.status).toBe(201);
    const digest = ((await first.json()) as { project: { digest: string } }).project.digest;
    expect(await keys('jobs/projects/')).toEqual([`jobs/projects/${digest.slice(7)}.zip`]);
    expect((await upload()).status).toBe(200);
    expect((await object(`jobs/projects/${digest.slice(7)}.zip`)).subarray(0, 2).toString()).toBe('PK');

    // The executor gets the project from the bucket (through the server's signed source URL) and runs it.
    const job = await call(ferry, 'POST', '/api/v1/jobs', { project: digest, parameters: { out } });
    expect(job.status, JSON.stringify(job.body)).toBe(201);
    const id = job.body.job.job_id as string;
    let last: { state: string; message?: string } = { state: '' };
    await expect
      .poll(
        async () => {
          last = (await call(ferry, 'GET', `/api/v1/jobs/${id}`)).body.job;
          return ['succeeded', 'failed', 'cancelled'].includes(last.state);
        },
        { timeout: 60_000, interval: 250 },
      )
      .toBe(true);
    expect(last, ferry.output()).toMatchObject({ state: 'succeeded' });
    expect(readFileSync(out, 'utf8').trim()).toBe(`ran ${id}`);
    // Its log is kept as a run artifact, in the bucket too.
    const logKey = async () => (await keys('')).find((k) => k.endsWith('/ferry-job/job.log'));
    await expect.poll(logKey, { timeout: 30_000 }).toBeDefined();
    expect((await object((await logKey())!)).toString()).toContain(`ran ${id}`);
  }, 120_000);
});

describe.skipIf(!HAVE_S3)('presigned downloads (FERRY_ARTIFACTS_PRESIGN_SECONDS)', () => {
  let s3: S3TestServer;
  let ferry: FerryProcess;

  beforeAll(async () => {
    s3 = await startS3Server();
    ferry = await startFerry({ timeoutMs: 60_000, env: { FERRY_ARTIFACTS: s3.location(PREFIX), ...s3.env(), FERRY_ARTIFACTS_PRESIGN_SECONDS: '60' } });
  });
  afterAll(async () => {
    await ferry?.stop();
    await s3?.stop();
  });

  it('redirects a download to a time-limited URL of the bucket that needs no Ferry token; a tampered one is refused', async () => {
    const auth = { authorization: `Bearer ${ferry.adminToken}` };
    const bytes = randomBytes(300_000);
    const url = `${ferry.url}/api/2.0/mlflow-artifacts/artifacts/presigned/model.onnx`;
    expect((await fetch(url, { method: 'PUT', headers: { ...auth, 'content-type': 'application/octet-stream' }, body: new Uint8Array(bytes) })).status).toBe(
      200,
    );
    // Without a token: refused before any redirect.
    expect((await fetch(url, { redirect: 'manual' })).status).toBe(401);
    const res = await fetch(url, { headers: auth, redirect: 'manual' });
    expect(res.status).toBe(302);
    const location = res.headers.get('location')!;
    expect(location.startsWith(s3.endpoint)).toBe(true);
    expect(location).toMatch(/X-Amz-Expires=60/);
    const direct = await fetch(location);
    expect(direct.status).toBe(200);
    expect(sha256(Buffer.from(await direct.arrayBuffer()))).toBe(sha256(bytes));
    const tampered = await fetch(location.replace(/X-Amz-Signature=([0-9a-f])/, (_m, c: string) => `X-Amz-Signature=${c === '0' ? '1' : '0'}`));
    expect(tampered.status).toBe(403);
    // The download is audited as any other (the bytes then come from the bucket).
    const audit = await fetch(`${ferry.url}/api/v1/audit`, { headers: auth });
    expect(audit.status).toBe(200);
    expect(JSON.stringify(await audit.json())).toMatch(/artifact\.read/);
  });
});
