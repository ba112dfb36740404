/** Races and edge inputs that once produced 500s or diverged between SQLite and PostgreSQL. */
import { expect, it } from 'vitest';
import { forEachStore } from './support/stores.js';
import { useTestApp } from './support/app.js';

forEachStore('concurrency and edge inputs', (kind) => {
  const t = useTestApp(kind);
  const call = t.call;

  it('answers concurrent duplicate creates with 200 or RESOURCE_ALREADY_EXISTS, never 500', async () => {
    const res = await Promise.all(Array.from({ length: 10 }, () => call('POST', '/api/2.0/mlflow/experiments/create', { name: 'race' })));
    expect(res.filter((r) => r.status === 200)).toHaveLength(1);
    for (const r of res.filter((x) => x.status !== 200)) expect(r.body.error_code).toBe('RESOURCE_ALREADY_EXISTS');
    const models = await Promise.all(Array.from({ length: 6 }, () => call('POST', '/api/2.0/mlflow/registered-models/create', { name: 'race-model' })));
    expect(models.map((r) => r.status).sort()).toEqual([200, 400, 400, 400, 400, 400]);
  });

  it('numbers concurrent model versions distinctly, and never reuses a deleted number', async () => {
    await call('POST', '/api/2.0/mlflow/registered-models/create', { name: 'vers' });
    const res = await Promise.all(
      Array.from({ length: 8 }, () => call('POST', '/api/2.0/mlflow/model-versions/create', { name: 'vers', source: 'mlflow-artifacts:/x' })),
    );
    expect(res.map((r) => r.status)).toEqual(Array(8).fill(200));
    expect(res.map((r) => Number(r.body.model_version.version)).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    await call('DELETE', '/api/2.0/mlflow/model-versions/delete', { name: 'vers', version: '8' });
    expect((await call('GET', '/api/2.0/mlflow/model-versions/get?name=vers&version=8')).status).toBe(404);
    const next = await call('POST', '/api/2.0/mlflow/model-versions/create', { name: 'vers', source: 'mlflow-artifacts:/x' });
    expect(next.body.model_version.version).toBe('9');
  });

  it('accepts the same param logged concurrently with the same value', async () => {
    const runId = (await call('POST', '/api/2.0/mlflow/runs/create', { experiment_id: '0' })).body.run.info.run_id;
    const res = await Promise.all(
      Array.from({ length: 8 }, () => call('POST', '/api/2.0/mlflow/runs/log-parameter', { run_id: runId, key: 'lr', value: '0.1' })),
    );
    expect(res.map((r) => r.status)).toEqual(Array(8).fill(200));
  });

  it('answers out-of-range ids, NUL characters and bad version filters with 4xx on both stores', async () => {
    expect((await call('GET', '/api/2.0/mlflow/experiments/get?experiment_id=99999999999')).status).toBe(404);
    expect((await call('POST', '/api/2.0/mlflow/runs/create', { experiment_id: '99999999999' })).status).toBe(404);
    expect((await call('POST', '/api/2.0/mlflow/runs/search', { experiment_ids: ['99999999999'] })).status).toBe(400);
    const nul = await call('POST', '/api/2.0/mlflow/experiments/create', { name: 'a\u0000b' });
    expect(nul).toMatchObject({ status: 400, body: { error_code: 'INVALID_PARAMETER_VALUE' } });
    expect((await call('GET', '/api/2.0/mlflow/logged-models/m-%00')).status).toBe(400);
    for (const f of ["version = 'abc'", "version LIKE '1%'", "version = '99999999999'"]) {
      expect((await call('GET', `/api/2.0/mlflow/model-versions/search?filter=${encodeURIComponent(f)}`)).status, f).toBe(400);
    }
    expect((await call('GET', `/api/2.0/mlflow/model-versions/search?filter=${encodeURIComponent("version = '1'")}`)).status).toBe(200);
  });

  it('matches LIKE and ILIKE the same way on both stores (Unicode case, backslash escapes)', async () => {
    const exp = (await call('POST', '/api/2.0/mlflow/experiments/create', { name: 'like-exp' })).body.experiment_id;
    for (const team of ['Ärger', 'ärger', 'a_b', 'axb', 'a\\b']) {
      const id = (await call('POST', '/api/2.0/mlflow/runs/create', { experiment_id: exp, run_name: team })).body.run.info.run_id;
      await call('POST', '/api/2.0/mlflow/runs/set-tag', { run_id: id, key: 'team', value: team });
    }
    const names = async (filter: string) =>
      ((await call('POST', '/api/2.0/mlflow/runs/search', { experiment_ids: [exp], filter, order_by: ['attributes.run_name'] })).body.runs ?? []).map(
        (r: any) => r.info.run_name,
      );
    expect(await names("tags.team ILIKE 'ärger'")).toEqual(['Ärger', 'ärger'].sort());
    expect(await names("tags.team LIKE 'ärger'")).toEqual(['ärger']);
    expect(await names("tags.team LIKE 'a\\\\_b'")).toEqual(['a_b']);
    expect(await names("tags.team LIKE 'a_b'")).toEqual(expect.arrayContaining(['a_b', 'axb']));
  });

  it('filters dataset context with its operator, and accepts Unicode keys as MLflow does', async () => {
    const ds = (digest: string) => ({ name: 'd', digest, source_type: 'local', source: 'x' });
    const train = (await call('POST', '/api/2.0/mlflow/runs/create', { experiment_id: '0', run_name: 'ctx-train' })).body.run.info.run_id;
    const evalRun = (await call('POST', '/api/2.0/mlflow/runs/create', { experiment_id: '0', run_name: 'ctx-eval' })).body.run.info.run_id;
    await call('POST', '/api/2.0/mlflow/runs/log-inputs', {
      run_id: train,
      datasets: [{ tags: [{ key: 'mlflow.data.context', value: 'train' }], dataset: ds('d1') }],
    });
    await call('POST', '/api/2.0/mlflow/runs/log-inputs', {
      run_id: evalRun,
      datasets: [{ tags: [{ key: 'mlflow.data.context', value: 'eval' }], dataset: ds('d2') }],
    });
    const names = async (filter: string) =>
      ((await call('POST', '/api/2.0/mlflow/runs/search', { experiment_ids: ['0'], filter })).body.runs ?? []).map((r: any) => r.info.run_name).sort();
    expect(await names("datasets.context = 'train'")).toEqual(['ctx-train']);
    expect(await names("datasets.context != 'train'")).toEqual(['ctx-eval']);
    expect(await names("datasets.context IN ('train', 'eval')")).toEqual(['ctx-eval', 'ctx-train']);
    expect((await call('POST', '/api/2.0/mlflow/runs/log-metric', { run_id: train, key: 'précision', value: 0.9, timestamp: 1 })).status).toBe(200);
  });

  it('applies MLflow’s size limits: experiment tags 20,000, registry tags 100,000, log-batch 1 MB', async () => {
    expect((await call('POST', '/api/2.0/mlflow/experiments/set-experiment-tag', { experiment_id: '0', key: 'note', value: 'x'.repeat(10_000) })).status).toBe(
      200,
    );
    await call('POST', '/api/2.0/mlflow/registered-models/create', { name: 'tagged' });
    expect((await call('POST', '/api/2.0/mlflow/registered-models/set-tag', { name: 'tagged', key: 'prompt', value: 'y'.repeat(60_000) })).status).toBe(200);
    const runId = (await call('POST', '/api/2.0/mlflow/runs/create', { experiment_id: '0' })).body.run.info.run_id;
    const params = Array.from({ length: 100 }, (_, i) => ({ key: `p${i}`, value: 'v'.repeat(6000) }));
    const tags = Array.from({ length: 100 }, (_, i) => ({ key: `t${i}`, value: 'w'.repeat(8000) }));
    const big = await call('POST', '/api/2.0/mlflow/runs/log-batch', { run_id: runId, params, tags });
    expect(big.status).toBe(400);
    expect(big.body.message).toContain('at most 1000000 bytes');
  });

  it('refuses malformed runs/log-model input and survives a hand-edited history tag', async () => {
    const runId = (await call('POST', '/api/2.0/mlflow/runs/create', { experiment_id: '0' })).body.run.info.run_id;
    expect((await call('POST', '/api/2.0/mlflow/runs/log-model', { run_id: runId, model_json: 'null' })).status).toBe(400);
    await call('POST', '/api/2.0/mlflow/runs/set-tag', { run_id: runId, key: 'mlflow.log-model.history', value: '{}' });
    const model = { artifact_path: 'model', flavors: {}, utc_time_created: 'now', run_id: runId };
    expect((await call('POST', '/api/2.0/mlflow/runs/log-model', { run_id: runId, model_json: JSON.stringify(model) })).status).toBe(200);
  });
});

forEachStore('artifact path conflicts', (kind) => {
  const t = useTestApp(kind);
  const put = (p: string, body = 'x') =>
    t.app.inject({ method: 'PUT', url: `/api/2.0/mlflow-artifacts/artifacts/${p}`, headers: { ...t.auth, 'content-type': 'text/plain' }, payload: body });

  it('answers uploads onto a folder or through a file with 400, reads through a file with 404', async () => {
    expect((await put('t/dir/f.txt')).statusCode).toBe(200);
    expect((await put('t/dir')).statusCode).toBe(400);
    expect((await put('t/dir/f.txt/sub')).statusCode).toBe(400);
    expect((await t.app.inject({ method: 'GET', url: '/api/2.0/mlflow-artifacts/artifacts/t/dir/f.txt/sub', headers: t.auth })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'DELETE', url: '/api/2.0/mlflow-artifacts/artifacts/t/dir/f.txt/sub', headers: t.auth })).statusCode).toBe(404);
    expect((await put('t/name.upload-abc')).statusCode).toBe(200);
    const list = await t.app.inject({ method: 'GET', url: '/api/2.0/mlflow-artifacts/artifacts?path=t', headers: t.auth });
    expect(list.json().files.map((f: any) => f.path)).toEqual(['dir', 'name.upload-abc']);
  });
});
