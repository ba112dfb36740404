/** client.deployments against a real Ferry server (a child process) with the committed ONNX fixtures. */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FerryServer, ROOT, apiError, startFerry } from '../../test/support/ferry-process.js';
import { FerryClient } from './index.js';

const FIXTURES = join(ROOT, 'test', 'fixtures', 'models');
const credit = JSON.parse(readFileSync(join(FIXTURES, 'credit_gbdt.expected.json'), 'utf8')) as {
  records: Record<string, unknown>[];
  outputs: { label: number[] };
};

let server: FerryServer;
let admin: FerryClient;

async function register(file: string): Promise<string> {
  const path = `uploads/${randomUUID()}/model.onnx`;
  const put = await fetch(`${admin.url}/api/2.0/mlflow-artifacts/artifacts/${path}`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${server.adminToken}` },
    body: readFileSync(join(FIXTURES, file)),
  });
  if (put.status !== 200) throw new Error(`upload failed: ${await put.text()}`);
  await admin.models.create('credit').catch(() => undefined);
  return (await admin.modelVersions.create({ name: 'credit', source: `mlflow-artifacts:/${path}` })).version;
}

beforeAll(async () => {
  server = await startFerry();
  admin = new FerryClient({ url: server.url, token: server.adminToken });
  await register('credit_gbdt.onnx');
  await register('credit_gbdt_v2.onnx');
});

afterAll(async () => {
  await server?.stop();
});

describe('client.deployments against a real server', () => {
  it('creates, gets, lists, updates, rolls back and deletes', async () => {
    const created = await admin.deployments.create('sdk-dep', {
      routes: [
        { model: 'credit', version: '1', weight: 90 },
        { model: 'credit', version: '2', weight: 10 },
      ],
    });
    expect(created).toMatchObject({ name: 'sdk-dep', revision: 1, created_by: 'admin', status: { serving_revision: 1, applied_revision: 1 } });
    expect(created.spec.shadow).toEqual([]);
    expect(created.spec.batching.max_batch_size).toBeGreaterThan(0);
    expect(created.status.routes.map((r) => [r.model, r.version, r.state])).toEqual([
      ['credit', '1', 'ready'],
      ['credit', '2', 'ready'],
    ]);
    expect(await admin.deployments.get('sdk-dep')).toEqual(created);
    expect((await admin.deployments.list()).map((d) => d.name)).toEqual(['sdk-dep']);

    const updated = await admin.deployments.update('sdk-dep', {
      routes: [{ model: 'credit', version: '2', weight: 1 }],
      shadow: [{ model: 'credit', version: '1' }],
      batching: { max_batch_size: 8 },
    });
    expect(updated.revision).toBe(2);
    expect(updated.spec.batching.max_batch_size).toBe(8);
    const rolled = await admin.deployments.rollback('sdk-dep', 1);
    expect([rolled.revision, rolled.spec.routes.map((r) => r.weight)]).toEqual([3, [90, 10]]);
    expect((await admin.deployments.revisions('sdk-dep')).map((r) => [r.revision, r.comment])).toEqual([
      [3, 'rollback to revision 1'],
      [2, 'updated'],
      [1, 'created'],
    ]);

    await admin.deployments.delete('sdk-dep');
    expect((await apiError(admin.deployments.get('sdk-dep'))).status).toBe(404);
    expect(await admin.deployments.list()).toEqual([]);
  });

  it('predicts from records and reports problems with the field', async () => {
    await admin.deployments.create('sdk-predict', { routes: [{ model: 'credit', version: '1', weight: 100 }] });
    const res = await admin.deployments.predict('sdk-predict', { instances: credit.records });
    expect(res).toMatchObject({ model: 'credit', model_version: '1', deployment: 'sdk-predict', revision: 1 });
    expect(res.predictions.map((p) => (p as { label: number }).label)).toEqual(credit.outputs.label);
    // The logged traffic, drift-tested per window against the same rows as the reference.
    await admin.monitoring.setReference('sdk-predict', { jsonl: credit.records.map((r) => JSON.stringify(r)).join('\n') });
    const { deployment, windows } = await admin.monitoring.driftWindows('sdk-predict', { from: '1h' });
    expect(deployment).toBe('sdk-predict');
    expect(windows.reduce((n, w) => n + w.rows, 0)).toBe(credit.records.length);
    const last = windows.filter((w) => w.rows > 0).at(-1)!;
    expect(last.features.map((f) => f.name)).toContain('age');
    expect(last.dataset_drift).toBe(false);

    const bad = await apiError(admin.deployments.predict('sdk-predict', { instances: [{ ...credit.records[0], age: 'old' }] }));
    expect([bad.status, bad.code]).toEqual([400, 'INVALID_PARAMETER_VALUE']);
    expect(bad.errors.map((e) => e.field)).toEqual(['age']);
    const badRef = await apiError(admin.deployments.create('sdk-bad', { routes: [{ model: 'credit', version: '9', weight: 100 }] }));
    expect([badRef.status, badRef.errors[0]?.field]).toEqual([400, 'routes[0]']);
    expect((await apiError(admin.deployments.create('sdk-predict', { routes: [{ model: 'credit', version: '1', weight: 100 }] }))).status).toBe(400);
  });
});
