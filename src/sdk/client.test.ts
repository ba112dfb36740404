/** The SDK against a real Ferry server (a child process: SDK tests import no server code). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FerryServer, apiError, startFerry, unusedPort } from '../../test/support/ferry-process.js';
import { FerryClient, FerryConnectionError } from './index.js';

let server: FerryServer;
let admin: FerryClient;

beforeAll(async () => {
  server = await startFerry();
  admin = new FerryClient({ url: server.url, token: server.adminToken });
});

afterAll(async () => {
  await server?.stop();
});

describe('FerryClient against a real server', () => {
  it('says who the caller is', async () => {
    expect(await admin.whoami()).toEqual({ name: 'admin', role: 'admin', kind: 'token' });
  });

  it('creates, gets and searches experiments', async () => {
    const id = await admin.experiments.create('sdk-exp', { tags: [{ key: 'team', value: 'ml' }] });
    expect(id).toMatch(/^\d+$/);
    const byId = await admin.experiments.get(id);
    expect(byId).toMatchObject({ experiment_id: id, name: 'sdk-exp', lifecycle_stage: 'active', tags: [{ key: 'team', value: 'ml' }] });
    expect(await admin.experiments.getByName('sdk-exp')).toEqual(byId);
    const found = await admin.experiments.search({ filter: "name = 'sdk-exp'" });
    expect(found.experiments.map((e) => e.experiment_id)).toEqual([id]);
    const all = await admin.experiments.list({ orderBy: ['name ASC'] });
    expect(all.map((e) => e.name)).toEqual(expect.arrayContaining(['Default', 'sdk-exp']));
  });

  it('pages through experiments', async () => {
    for (const n of ['page-a', 'page-b', 'page-c']) await admin.experiments.create(n);
    const first = await admin.experiments.search({ filter: "name LIKE 'page-%'", orderBy: ['name ASC'], maxResults: 2 });
    expect(first.experiments.map((e) => e.name)).toEqual(['page-a', 'page-b']);
    expect(first.next_page_token).toBeTruthy();
    const second = await admin.experiments.search({ filter: "name LIKE 'page-%'", orderBy: ['name ASC'], maxResults: 2, pageToken: first.next_page_token });
    expect(second.experiments.map((e) => e.name)).toEqual(['page-c']);
    expect(second.next_page_token).toBeUndefined();
    expect((await admin.experiments.list({ filter: "name LIKE 'page-%'", maxResults: 1 })).length).toBe(3);
  });

  it('turns MLflow-style errors into FerryApiError', async () => {
    const missing = await apiError(admin.experiments.getByName('no-such-experiment'));
    expect([missing.status, missing.code]).toEqual([404, 'RESOURCE_DOES_NOT_EXIST']);
    expect(missing.message).toContain('no-such-experiment');
    const dup = await apiError(admin.experiments.create('sdk-exp'));
    expect([dup.status, dup.code]).toEqual([400, 'RESOURCE_ALREADY_EXISTS']);
  });

  it('creates, logs, searches and gets runs', async () => {
    const exp = await admin.experiments.create('sdk-runs');
    const ids: string[] = [];
    for (const [name, rmse, alpha] of [
      ['r1', 0.9, '0.1'],
      ['r2', 0.4, '0.5'],
      ['r3', 0.2, '0.9'],
    ] as const) {
      const run = await admin.runs.create({ experimentId: exp, runName: name });
      expect(run.info).toMatchObject({ run_name: name, experiment_id: exp, status: 'RUNNING' });
      await admin.runs.logBatch(run.info.run_id, {
        metrics: [
          { key: 'rmse', value: rmse },
          { key: 'rmse', value: rmse + 1, step: -1 },
        ],
        params: [{ key: 'alpha', value: alpha }],
        tags: [{ key: 'kind', value: 'test' }],
      });
      ids.push(run.info.run_id);
    }
    const info = await admin.runs.update(ids[0]!, { status: 'FINISHED' });
    expect(info.status).toBe('FINISHED');
    expect(info.end_time).toBeGreaterThan(0);

    const good = await admin.runs.search({ experimentIds: [exp], filter: 'metrics.rmse < 0.5', orderBy: ['metrics.rmse ASC'] });
    expect(good.runs.map((r) => r.info.run_name)).toEqual(['r3', 'r2']);
    const page1 = await admin.runs.search({ experimentIds: [exp], orderBy: ['params.alpha DESC'], maxResults: 2 });
    expect(page1.runs.map((r) => r.info.run_name)).toEqual(['r3', 'r2']);
    const page2 = await admin.runs.search({ experimentIds: [exp], orderBy: ['params.alpha DESC'], maxResults: 2, pageToken: page1.next_page_token });
    expect(page2.runs.map((r) => r.info.run_name)).toEqual(['r1']);

    const run = await admin.runs.get(ids[1]!);
    expect(run.data.params).toEqual([{ key: 'alpha', value: '0.5' }]);
    expect(run.data.metrics).toEqual([expect.objectContaining({ key: 'rmse', value: 0.4, step: 0 })]);
    expect(run.data.tags).toEqual(expect.arrayContaining([{ key: 'kind', value: 'test' }]));

    const bad = await apiError(admin.runs.search({ experimentIds: [exp], filter: 'metrics.rmse <<< 1' }));
    expect([bad.status, bad.code]).toEqual([400, 'INVALID_PARAMETER_VALUE']);
    expect((await apiError(admin.runs.get('0'.repeat(32)))).status).toBe(404);
  });

  it('reads metric histories whole or bounded, links datasets and lists artifacts', async () => {
    const exp = await admin.experiments.create('sdk-history');
    const run = await admin.runs.create({ experimentId: exp, runName: 'h' });
    const id = run.info.run_id;
    await admin.runs.logBatch(id, { metrics: Array.from({ length: 30 }, (_, i) => ({ key: 'loss', value: 1 / (i + 1), step: i })) });
    const all = await admin.runs.metricHistory(id, 'loss');
    expect([all.metrics.length, all.truncated]).toEqual([30, false]);
    expect(all.metrics.map((m) => m.step).sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => i));
    const some = await admin.runs.metricHistory(id, 'loss', { maxResults: 10 });
    expect([some.metrics.length, some.truncated]).toEqual([10, true]);

    const dataset = { name: 'credit', digest: 'a'.repeat(64), source_type: 'http', source: '{"url": "http://example.test/credit.csv"}' };
    await admin.runs.logInputs(id, [{ tags: [{ key: 'mlflow.data.context', value: 'training' }], dataset }]);
    expect((await admin.runs.get(id)).inputs.dataset_inputs).toEqual([
      expect.objectContaining({ dataset: expect.objectContaining({ name: 'credit', digest: 'a'.repeat(64) }) }),
    ]);

    const root = run.info.artifact_uri.replace(/^mlflow-artifacts:\/*/, '');
    await admin.http.request('PUT', `/api/2.0/mlflow-artifacts/artifacts/${root}/model/MLmodel`, { body: new TextEncoder().encode('flavors: {}\n') });
    expect((await admin.runs.listArtifacts(id)).files).toEqual([{ path: 'model', is_dir: true }]);
    expect((await admin.runs.listArtifacts(id, 'model')).files).toEqual([expect.objectContaining({ path: 'model/MLmodel', is_dir: false, file_size: 12 })]);
  });

  it('registers models and versions and resolves aliases', async () => {
    const exp = await admin.experiments.create('sdk-registry');
    const run = await admin.runs.create({ experimentId: exp });
    const model = await admin.models.create('sdk-model', { description: 'churn classifier' });
    expect(model).toMatchObject({ name: 'sdk-model', description: 'churn classifier', latest_versions: [] });
    const v1 = await admin.modelVersions.create({ name: 'sdk-model', source: 'mlflow-artifacts:/x', runId: run.info.run_id });
    const v2 = await admin.modelVersions.create({ name: 'sdk-model', source: 'mlflow-artifacts:/y' });
    expect([v1.version, v2.version]).toEqual(['1', '2']);
    expect(v1).toMatchObject({ source: 'mlflow-artifacts:/x', run_id: run.info.run_id, status: 'READY' });
    await admin.models.setAlias('sdk-model', 'champion', 1);

    const got = await admin.models.get('sdk-model');
    expect(got.aliases).toEqual([{ alias: 'champion', version: '1' }]);
    expect(got.latest_versions.map((v) => v.version)).toEqual(['2']);
    expect((await admin.models.search({ filter: "name LIKE 'sdk-%'" })).registered_models.map((m) => m.name)).toEqual(['sdk-model']);
    expect((await admin.models.list()).map((m) => m.name)).toContain('sdk-model');

    expect((await admin.modelVersions.get('sdk-model', '2')).source).toBe('mlflow-artifacts:/y');
    const champ = await admin.modelVersions.getByAlias('sdk-model', 'champion');
    expect([champ.version, champ.aliases]).toEqual(['1', ['champion']]);
    const versions = await admin.modelVersions.search({ filter: "name = 'sdk-model'" });
    expect(versions.model_versions.map((v) => v.version).sort()).toEqual(['1', '2']);
    expect((await admin.modelVersions.listForModel('sdk-model', { maxResults: 1 })).length).toBe(2);

    expect((await apiError(admin.modelVersions.getByAlias('sdk-model', 'nope'))).status).toBe(404);
    expect((await apiError(admin.models.get('no-such-model'))).code).toBe('RESOURCE_DOES_NOT_EXIST');
  });

  it('creates, lists and revokes tokens; roles and problem-details errors come through', async () => {
    const created = await admin.tokens.create({ name: 'ci', role: 'editor' });
    expect(created).toMatchObject({ name: 'ci', role: 'editor' });
    expect(created.token.length).toBeGreaterThanOrEqual(16);
    const listed = (await admin.tokens.list()).find((t) => t.token_id === created.token_id);
    expect(listed).toMatchObject({ name: 'ci', role: 'editor', created_by: 'admin', revoked_at: null });
    expect(listed).not.toHaveProperty('token');

    const editor = new FerryClient({ url: server.url, token: created.token });
    expect(await editor.whoami()).toMatchObject({ name: 'ci', role: 'editor' });
    await editor.experiments.create('made-by-editor');
    const denied = await apiError(editor.tokens.list());
    expect([denied.status, denied.code]).toEqual([403, 'PERMISSION_DENIED']);
    expect(denied.message).toContain("needs the 'admin' role");

    const invalid = await apiError(admin.tokens.create({ name: 'bad name!' }));
    expect([invalid.status, invalid.code]).toEqual([400, 'INVALID_PARAMETER_VALUE']);
    expect(invalid.errors).toEqual([expect.objectContaining({ field: 'name' })]);

    await admin.tokens.revoke(created.token_id);
    expect((await admin.tokens.list()).find((t) => t.token_id === created.token_id)?.revoked_at).toBeGreaterThan(0);
    expect((await apiError(editor.whoami())).code).toBe('UNAUTHENTICATED');
    expect((await apiError(admin.tokens.revoke(created.token_id))).status).toBe(404);
  });

  it('reads the audit log', async () => {
    await admin.tokens.create({ name: 'audited', role: 'viewer' });
    const page = await admin.audit({ limit: 5 });
    expect(page.entries.length).toBe(5);
    expect(page.next_before).toBe(page.entries[4]!.audit_id);
    expect(page.entries[0]).toMatchObject({ actor: 'admin', method: 'POST', path: '/api/v1/tokens', status: 200 });
    const older = await admin.audit({ limit: 5, before: page.next_before });
    expect(older.entries.every((e) => e.audit_id < page.next_before!)).toBe(true);
    expect((await admin.audit({ actor: 'ci' })).entries.every((e) => e.actor === 'ci')).toBe(true);
  });

  it('answers 401 without a token', async () => {
    const err = await apiError(new FerryClient({ url: server.url, token: '' }).experiments.list());
    expect([err.status, err.code]).toEqual([401, 'UNAUTHENTICATED']);
  });

  it('reports an unreachable server clearly', async () => {
    const url = `http://127.0.0.1:${await unusedPort()}`;
    const err = await new FerryClient({ url, token: 'x' }).whoami().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FerryConnectionError);
    expect((err as Error).message).toBe(`cannot reach Ferry at ${url}: connect ECONNREFUSED ${url.slice('http://'.length)}`);
  });
});
