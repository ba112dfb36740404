/**
 * A corrupt or truncated model file in the artifact store, below a real `ferry server`: rolling a deployment to a
 * version whose ONNX file is garbage or cut short is refused, saying the file is not a valid ONNX model, and the
 * previous revision keeps serving the same answers (its status and revision history unchanged). A file corrupted in
 * place under a serving deployment, then a restart: the server comes up, the deployment reports why it failed, its
 * predictions are refused with a clear 503 (no 500), and rolling it to a sound version brings it back.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type FerryProcess, startFerry } from '../support/ferry-process.js';
import { waitFor } from '../support/ferry-servers.js';
import { expectedOf, fixture } from '../support/models.js';
import { forEachStore, freshStore, type StoreHandle } from '../support/stores.js';
import { alive, rawCall } from './fault-support.js';

const credit = expectedOf('credit_gbdt');
const sound = readFileSync(fixture('credit_gbdt.onnx'));
const rows = { instances: credit.records.slice(0, 5) };
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** The files under `dir` whose bytes are `bytes` (where the store keeps an uploaded model). */
function copiesOf(dir: string, bytes: Buffer): string[] {
  const want = sha(bytes);
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && sha(readFileSync(join(e.parentPath, e.name))) === want)
    .map((e) => join(e.parentPath, e.name));
}

forEachStore('corrupt or truncated model file', (kind) => {
  let handle: StoreHandle | undefined;
  let dataDir = '';
  let server: FerryProcess | undefined;
  const adminToken = `ferry-test-${randomBytes(16).toString('hex')}`;
  const start = async () =>
    (server = await startFerry({ timeoutMs: 60_000, dataDir, adminToken, env: { FERRY_STORE: handle!.url, FERRY_SECRET_KEY: 'ab'.repeat(32) } }));

  beforeAll(async () => {
    handle = await freshStore(kind);
    dataDir = mkdtempSync(join(tmpdir(), 'ferry-corrupt-'));
    await start();
  }, 180_000);
  afterAll(async () => {
    await server?.stop();
    await handle?.cleanup();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  /** Registers bytes as a new version of 'credit' straight through the artifact store (no check at upload). */
  async function registerRaw(bytes: Buffer): Promise<string> {
    const s = server!;
    const path = `uploads/${randomBytes(8).toString('hex')}/model.onnx`;
    expect((await rawCall(s, 'PUT', `/api/2.0/mlflow-artifacts/artifacts/${path}`, bytes, 'application/octet-stream')).status).toBe(200);
    const v = await rawCall(s, 'POST', '/api/2.0/mlflow/model-versions/create', { name: 'credit', source: `mlflow-artifacts:/${path}` });
    expect(v.status, JSON.stringify(v.body)).toBe(200);
    return v.body.model_version.version as string;
  }

  it('refuses to roll to a garbage or truncated ONNX file and keeps serving the previous revision', async () => {
    const s = server!;
    const v1 = await rawCall(s, 'POST', '/api/v1/models/credit/versions', sound, 'application/octet-stream');
    expect(v1.status, JSON.stringify(v1.body)).toBe(200);
    const dep = await rawCall(s, 'POST', '/api/v1/deployments', { name: 'risk', routes: [{ model: 'credit', version: '1' }] });
    expect(dep.status, JSON.stringify(dep.body)).toBe(200);
    const baseline = await rawCall(s, 'POST', '/api/v1/deployments/risk/predict', rows);
    expect(baseline.status).toBe(200);
    expect(baseline.body.model_version).toBe('1');

    // The upload API checks the bytes itself: garbage is refused there, before any store write.
    const direct = await rawCall(s, 'POST', '/api/v1/models/credit/versions', randomBytes(4096), 'application/octet-stream');
    expect(direct.status, JSON.stringify(direct.body)).toBe(400);
    expect(JSON.stringify(direct.body)).toMatch(/onnx/i);

    const bad = {
      truncated: sound.subarray(0, Math.floor(sound.length / 2)),
      garbage: randomBytes(sound.length),
      'cut to a header': sound.subarray(0, 16),
    };
    for (const [what, bytes] of Object.entries(bad)) {
      const version = await registerRaw(bytes);
      const roll = await rawCall(s, 'PUT', '/api/v1/deployments/risk', { routes: [{ model: 'credit', version }] });
      expect(roll.status, `${what}: ${JSON.stringify(roll.body)}`).toBe(400);
      expect(roll.body.code, what).toBe('INVALID_PARAMETER_VALUE');
      expect(roll.body.detail, what).toMatch(/Not a valid ONNX model|onnxruntime could not load the model/);

      // Still revision 1, ready, answering as before.
      const got = (await rawCall(s, 'GET', '/api/v1/deployments/risk')).body.deployment;
      expect(got.revision, what).toBe(1);
      expect(got.status.serving_revision, what).toBe(1);
      expect(
        got.status.routes.map((r: { state: string; version?: string }) => [r.state, r.version]),
        what,
      ).toEqual([['ready', '1']]);
      const again = await rawCall(s, 'POST', '/api/v1/deployments/risk/predict', rows);
      expect(again.status, what).toBe(200);
      expect(again.body.model_version, what).toBe('1');
      expect(again.body.predictions, what).toEqual(baseline.body.predictions);
    }
    const history = await rawCall(s, 'GET', '/api/v1/deployments/risk/revisions');
    expect(history.status).toBe(200);
    expect(history.body.revisions.map((r: { revision: number }) => r.revision)).toEqual([1]);
    expect(alive(s.pid)).toBe(true);
  }, 120_000);

  it('reports a model file corrupted in place after a restart, without crashing, and recovers on a sound version', async () => {
    const files = copiesOf(join(dataDir, 'artifacts'), sound);
    expect(files.length, 'the stored copy of version 1').toBe(1);
    await server!.stop();
    writeFileSync(files[0]!, sound.subarray(0, 1000));
    const s = await start();

    expect((await rawCall(s, 'GET', '/health')).status).toBe(200);
    // The server listens while its deployments load: wait (bounded) for the load to end one way or the other.
    const got = await waitFor(
      () => rawCall(s, 'GET', '/api/v1/deployments/risk'),
      (r) => r.status === 200 && r.body.deployment.status.routes.every((x: { state: string }) => x.state !== 'loading'),
      60_000,
    );
    expect(got.status).toBe(200);
    expect(got.body.deployment.status.serving_revision).toBeNull();
    const routes = got.body.deployment.status.routes as { state: string; reason?: string }[];
    expect(routes.map((r) => r.state)).toEqual(['failed']);
    expect(routes[0]!.reason).toMatch(/Not a valid ONNX model|onnxruntime could not load the model/);
    const refused = await rawCall(s, 'POST', '/api/v1/deployments/risk/predict', rows);
    expect(refused.status, JSON.stringify(refused.body)).toBe(503);
    expect(refused.headers.get('retry-after')).not.toBeNull();

    // A sound version brings it back (a new revision), on the same server process.
    const v = await rawCall(s, 'POST', '/api/v1/models/credit/versions', readFileSync(fixture('credit_gbdt_v2.onnx')), 'application/octet-stream');
    expect(v.status, JSON.stringify(v.body)).toBe(200);
    const roll = await rawCall(s, 'PUT', '/api/v1/deployments/risk', {
      routes: [{ model: 'credit', version: v.body.model_version?.version ?? v.body.version }],
    });
    expect(roll.status, JSON.stringify(roll.body)).toBe(200);
    const ok = await rawCall(s, 'POST', '/api/v1/deployments/risk/predict', rows);
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(alive(s.pid)).toBe(true);
  }, 180_000);
});
