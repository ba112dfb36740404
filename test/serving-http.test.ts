import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/app.js';
import { expectedOf, registerFixture } from './support/models.js';
import { forEachStore } from './support/stores.js';

forEachStore('deployments and predictions', (kind) => {
  let t: TestApp;
  const credit = expectedOf('credit_gbdt');
  const creditV2 = expectedOf('credit_gbdt_v2');
  beforeAll(async () => {
    t = await startTestApp(kind);
    await registerFixture(t, 'credit', 'credit_gbdt.onnx');
    await registerFixture(t, 'credit', 'credit_gbdt_v2.onnx');
    await t.call('POST', '/api/2.0/mlflow/registered-models/alias', { name: 'credit', alias: 'champion', version: '1' });
  });
  afterAll(async () => t.close());

  const predict = (name: string, body: object) => t.call('POST', `/api/v1/deployments/${name}/predict`, body);

  it('deploys a registered version and answers scikit-learn’s predictions for records', async () => {
    const created = await t.call('POST', '/api/v1/deployments', { name: 'credit-risk', routes: [{ model: 'credit', alias: 'champion', weight: 100 }] });
    expect(created.status).toBe(200);
    expect(created.body.deployment).toMatchObject({
      name: 'credit-risk',
      revision: 1,
      status: { serving_revision: 1, routes: [{ model: 'credit', version: '1', state: 'ready' }] },
    });
    const res = await predict('credit-risk', { instances: credit.records });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ model: 'credit', model_version: '1', deployment: 'credit-risk', revision: 1 });
    expect(res.body.request_id).toMatch(/^[0-9a-f-]{36}$/);
    const labels = res.body.predictions.map((p: any) => p.label);
    expect(labels).toEqual(credit.outputs.label);
    res.body.predictions.forEach((p: any, i: number) =>
      p.probabilities.forEach((v: number, j: number) => expect(Math.abs(v - credit.outputs.probabilities[i][j])).toBeLessThan(1e-5)),
    );
  });

  it('splits traffic by weight, pins sticky callers, and sends shadows a copy without returning it', async () => {
    await t.call('POST', '/api/v1/deployments', {
      name: 'canary',
      routes: [
        { model: 'credit', version: '1', weight: 70 },
        { model: 'credit', version: '2', weight: 30 },
      ],
      sticky_key: 'customer',
      shadow: [{ model: 'credit', version: '2' }],
    });
    const one = { dataframe_records: [credit.records[0]] };
    const versions = await Promise.all(Array.from({ length: 400 }, () => predict('canary', one).then((r) => r.body.model_version)));
    const v2 = versions.filter((v) => v === '2').length;
    // Binomial(400, 0.3): sd ≈ 9.2; 5 sd either side.
    expect(v2).toBeGreaterThan(120 - 46);
    expect(v2).toBeLessThan(120 + 46);
    for (const customer of ['c-1', 'c-2', 'c-3', 'c-4']) {
      const seen = new Set(await Promise.all(Array.from({ length: 10 }, () => predict('canary', { ...one, customer }).then((r) => r.body.model_version))));
      expect(seen.size).toBe(1);
    }
  });

  it('updates and rolls back through numbered revisions', async () => {
    const up = await t.call('PUT', '/api/v1/deployments/credit-risk', { routes: [{ model: 'credit', version: '2' }] });
    expect(up.body.deployment.revision).toBe(2);
    const r2 = await predict('credit-risk', { instances: creditV2.records.slice(0, 3) });
    expect(r2.body).toMatchObject({ model_version: '2', revision: 2 });
    expect(r2.body.predictions.map((p: any) => p.label)).toEqual(creditV2.outputs.label.slice(0, 3));
    const back = await t.call('POST', '/api/v1/deployments/credit-risk/rollback', { revision: 1 });
    expect(back.body.deployment).toMatchObject({ revision: 3, spec: { routes: [{ model: 'credit', alias: 'champion' }] } });
    expect((await predict('credit-risk', { instances: [credit.records[0]] })).body.model_version).toBe('1');
    const history = (await t.call('GET', '/api/v1/deployments/credit-risk/revisions')).body.revisions;
    expect(history.map((h: any) => [h.revision, h.comment])).toEqual([
      [3, 'rollback to revision 1'],
      [2, 'updated'],
      [1, 'created'],
    ]);
  });

  it('follows an alias when it moves', async () => {
    await t.call('POST', '/api/2.0/mlflow/registered-models/alias', { name: 'credit', alias: 'champion', version: '2' });
    await t.app.ferry.runtime.followAliases((n) => t.app.ferry.deployments.get(n));
    expect((await predict('credit-risk', { instances: [credit.records[0]] })).body.model_version).toBe('2');
    await t.call('POST', '/api/2.0/mlflow/registered-models/alias', { name: 'credit', alias: 'champion', version: '1' });
    await t.app.ferry.runtime.followAliases((n) => t.app.ferry.deployments.get(n));
  });

  it('refuses bad specs and bad inputs with 4xx naming the field and row', async () => {
    const bad = async (body: object) => (await t.call('POST', '/api/v1/deployments', body)).body;
    expect((await bad({ name: 'Bad Name', routes: [{ model: 'credit', version: '1' }] })).errors[0].field).toBe('name');
    expect((await bad({ name: 'x', routes: [] })).errors[0].field).toBe('routes');
    expect((await bad({ name: 'x', routes: [{ model: 'credit', version: '9' }] })).errors[0].field).toBe('routes[0]');
    expect((await bad({ name: 'x', routes: [{ model: 'nope', alias: 'a' }] })).status).toBe(400);
    expect((await bad({ name: 'x', routes: [{ model: 'credit', version: '1', alias: 'champion' }] })).errors[0].field).toBe('routes[0]');
    // Shapes the schema refuses before the service runs, naming the nested field.
    expect((await bad({ name: 'x', routes: [{ version: '1' }] })).errors[0]).toEqual({
      field: 'routes[0].model',
      message: "Missing value for required parameter 'routes[0].model'.",
    });
    expect((await bad({ name: 'x', routes: [{ model: 'credit', version: '1', weight: -1 }] })).errors[0].field).toBe('routes[0].weight');
    expect((await bad({ name: 'x', routes: [{ model: 'credit', version: 'one' }] })).errors[0].field).toBe('routes[0].version');
    expect((await bad({ name: 'x', routes: [{ model: 'cre\u0000dit', version: '1' }] })).errors[0].field).toBe('routes[0].model');
    expect((await bad({ name: 'x', routes: [{ model: 'credit', version: '1' }], batching: { max_batch_size: 0 } })).errors[0].field).toBe(
      'batching.max_batch_size',
    );
    expect((await bad({ name: 'x', routes: Array.from({ length: 17 }, () => ({ model: 'credit', version: '1' })) })).errors[0].field).toBe('routes');
    expect((await t.call('POST', '/api/v1/deployments/credit-risk/rollback', { revision: 0 })).body.errors[0].field).toBe('revision');
    expect((await t.call('POST', '/api/v1/deployments', { name: 'credit-risk', routes: [{ model: 'credit', version: '1' }] })).status).toBe(400);
    const row = { ...credit.records[0] };
    const missing = await predict('credit-risk', { instances: [credit.records[0], { ...row, age: undefined }] });
    expect(missing).toMatchObject({ status: 400, body: { code: 'INVALID_PARAMETER_VALUE', errors: [{ field: 'age' }] } });
    expect(missing.body.detail).toContain('Row 1');
    const typed = await predict('credit-risk', { instances: [{ ...row, income: 'lots' }] });
    expect(typed.body.detail).toContain("feature 'income' must be a number");
    const extra = await predict('credit-risk', { instances: [{ ...row, zip: '12345' }] });
    expect(extra.body.errors[0].field).toBe('zip');
    const many = await predict('credit-risk', { instances: Array.from({ length: 10_001 }, () => row) });
    expect(many.status).toBe(400);
    expect((await predict('nope', { instances: [row] })).status).toBe(404);
    expect((await predict('credit-risk', { instances: [row] })).status).toBe(200); // healthy afterwards
  });

  it('refuses a revision whose model does not load, and keeps serving the previous one', async () => {
    const broken = await registerFixture(t, 'broken', 'truncated.onnx');
    const created = await t.call('POST', '/api/v1/deployments', { name: 'broken', routes: [{ model: 'broken', version: broken }] });
    expect(created).toMatchObject({ status: 400, body: { code: 'INVALID_PARAMETER_VALUE', errors: [{ field: 'routes[0]' }] } });
    expect(created.body.detail).toContain('Not a valid ONNX model');
    expect((await t.call('GET', '/api/v1/deployments/broken')).status).toBe(404);
    const before = (await t.call('GET', '/api/v1/deployments/credit-risk')).body.deployment.revision;
    const update = await t.call('PUT', '/api/v1/deployments/credit-risk', { routes: [{ model: 'broken', version: broken }] });
    expect(update.status).toBe(400);
    const after = (await t.call('GET', '/api/v1/deployments/credit-risk')).body.deployment;
    expect(after.revision).toBe(before);
    expect(after.status.routes.every((r: any) => r.state === 'ready')).toBe(true);
    expect((await predict('credit-risk', { instances: [credit.records[0]] })).status).toBe(200);
  });

  it('answers a 50 MB body with 413 and stays healthy', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/deployments/credit-risk/predict',
      headers: { ...t.auth, 'content-type': 'application/json' },
      payload: `{"instances": ["${'x'.repeat(50 * 1024 * 1024)}"]}`,
    });
    expect(res.statusCode).toBe(413);
    expect((await predict('credit-risk', { instances: [credit.records[0]] })).status).toBe(200);
  });

  it('describes the deployments API in OpenAPI, request bodies included', async () => {
    const spec = (await t.call('GET', '/openapi.json')).body;
    const create = spec.paths['/api/v1/deployments'].post;
    expect(create.summary).toContain('Create a deployment');
    expect(JSON.stringify(create.requestBody)).toContain('sticky_key');
    const predictOp = spec.paths['/api/v1/deployments/{name}/predict'].post;
    expect(Object.keys(predictOp.requestBody.content['application/json'].schema.properties)).toEqual([
      'instances',
      'dataframe_split',
      'dataframe_records',
      'inputs',
    ]);
    expect(predictOp.responses['503']).toBeDefined();
    // The binary tensor extension: JSON or JSON-then-bytes in, and a binary answer declared beside the JSON one.
    const infer = spec.paths['/v2/models/{name}/infer'].post;
    expect(Object.keys(infer.requestBody.content)).toEqual(['application/json', 'application/octet-stream']);
    expect(infer.requestBody.content['application/json'].schema.properties.inputs).toBeDefined();
    expect(Object.keys(infer.responses['200'].content)).toEqual(['application/json', 'application/octet-stream']);
    expect(infer.responses['503']).toBeDefined();
  });

  it('exposes serving metrics in Prometheus format', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/metrics', headers: t.auth });
    const text = res.body;
    expect(text).toMatch(/ferry_predictions_total\{deployment="credit-risk",model_version="1",protocol="records",outcome="ok"\} \d+/);
    expect(text).toMatch(/ferry_predictions_total\{deployment="credit-risk",model_version="\d",protocol="records",outcome="client_error"\} \d+/);
    expect(text).toMatch(/ferry_prediction_duration_seconds_bucket\{le="0.01",deployment="credit-risk"/);
    expect(text).toMatch(/ferry_batch_rows_count\{deployment="canary",model_version="\d"\} \d+/);
    expect(text).toMatch(/ferry_inference_runs_total\{deployment="credit-risk",model_version="1",placement="(inline|worker)"\} \d+/);
    expect(text).toMatch(/ferry_shadow_predictions_total\{deployment="canary",model_version="2",outcome="ok"\} \d+/);
    expect(text).toMatch(/ferry_model_load_duration_seconds_count\{model="credit",model_version="1"\} \d+/);
    expect(text).toMatch(/ferry_inference_sessions \d+/);
    expect(text).toMatch(/ferry_queue_rows\{deployment="credit-risk"/);
  });

  it('deletes a deployment, draining and unloading it', async () => {
    expect((await t.call('DELETE', '/api/v1/deployments/canary')).status).toBe(200);
    expect((await predict('canary', { instances: [credit.records[0]] })).status).toBe(404);
    expect((await t.call('GET', '/api/v1/deployments')).body.deployments.map((d: any) => d.name)).toEqual(['credit-risk']);
  });
});
