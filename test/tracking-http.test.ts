import { expect, it } from 'vitest';
import { forEachStore } from './support/stores.js';
import { useTestApp } from './support/app.js';

forEachStore('tracking API', (kind) => {
  const t = useTestApp(kind);
  const call = t.call;

  it('creates, gets, renames, deletes and restores experiments', async () => {
    const { body } = await call('POST', '/api/2.0/mlflow/experiments/create', { name: 'credit', tags: [{ key: 'team', value: 'risk' }] });
    const id = body.experiment_id as string;
    expect(id).toMatch(/^\d+$/);
    const dup = await call('POST', '/api/2.0/mlflow/experiments/create', { name: 'credit' });
    expect(dup).toMatchObject({ status: 400, body: { error_code: 'RESOURCE_ALREADY_EXISTS' } });
    const got = await call('GET', `/api/2.0/mlflow/experiments/get?experiment_id=${id}`);
    expect(got.body.experiment).toMatchObject({
      name: 'credit',
      artifact_location: `mlflow-artifacts:/${id}`,
      lifecycle_stage: 'active',
      tags: [{ key: 'team', value: 'risk' }],
    });
    expect((await call('GET', '/api/2.0/mlflow/experiments/get-by-name?experiment_name=credit')).body.experiment.experiment_id).toBe(id);
    expect((await call('GET', '/api/2.0/mlflow/experiments/get-by-name?experiment_name=nope')).body.error_code).toBe('RESOURCE_DOES_NOT_EXIST');
    await call('POST', '/api/2.0/mlflow/experiments/update', { experiment_id: id, new_name: 'credit2' });
    const search = await call('POST', '/api/2.0/mlflow/experiments/search', { filter: "name LIKE 'credit%' AND tags.team = 'risk'", max_results: 10 });
    expect(search.body.experiments.map((e: any) => e.name)).toEqual(['credit2']);
    await call('POST', '/api/2.0/mlflow/experiments/delete', { experiment_id: id });
    expect((await call('GET', '/api/2.0/mlflow/experiments/search?view_type=DELETED_ONLY')).body.experiments.map((e: any) => e.name)).toEqual(['credit2']);
    await call('POST', '/api/2.0/mlflow/experiments/restore', { experiment_id: id });
    expect((await call('GET', `/api/2.0/mlflow/experiments/get?experiment_id=${id}`)).body.experiment.lifecycle_stage).toBe('active');
    expect((await call('GET', '/api/2.0/mlflow/experiments/get?experiment_id=999999')).status).toBe(404);
  });

  it('logs a run: params, tags, metrics with steps, NaN and ±Inf; the latest value follows MLflow’s rule', async () => {
    const exp = (await call('POST', '/api/2.0/mlflow/experiments/create', { name: 'runs-exp' })).body.experiment_id;
    const run = (await call('POST', '/api/2.0/mlflow/runs/create', { experiment_id: exp, start_time: 1000, run_name: 'r1', tags: [{ key: 't', value: 'v' }] }))
      .body.run;
    const runId = run.info.run_id as string;
    expect(run.info).toMatchObject({ run_name: 'r1', status: 'RUNNING', artifact_uri: `mlflow-artifacts:/${exp}/${runId}/artifacts`, user_id: 'admin' });
    const batch = await call('POST', '/api/2.0/mlflow/runs/log-batch', {
      run_id: runId,
      metrics: [
        { key: 'loss', value: 1.5, timestamp: 10, step: 0 },
        { key: 'loss', value: 0.5, timestamp: 11, step: 2 },
        { key: 'loss', value: 0.9, timestamp: 12, step: 1 },
        { key: 'nan', value: 'NaN', timestamp: 10, step: 0 },
        { key: 'inf', value: 'Infinity', timestamp: 10, step: 0 },
        { key: 'ninf', value: '-Infinity', timestamp: 10, step: 0 },
      ],
      params: [{ key: 'lr', value: '0.1' }],
      tags: [{ key: 'team', value: 'risk' }],
    });
    expect(batch).toEqual({ status: 200, body: {} });
    const got = (await call('GET', `/api/2.0/mlflow/runs/get?run_id=${runId}`)).body.run;
    const metric = (k: string) => got.data.metrics.find((m: any) => m.key === k);
    expect(metric('loss')).toEqual({ key: 'loss', value: 0.5, timestamp: 11, step: 2 });
    expect(metric('nan').value).toBe('NaN');
    expect(metric('inf').value).toBe('Infinity');
    expect(metric('ninf').value).toBe('-Infinity');
    expect(got.data.params).toEqual([{ key: 'lr', value: '0.1' }]);
    expect(got.data.tags).toEqual(
      expect.arrayContaining([
        { key: 'team', value: 'risk' },
        { key: 'mlflow.runName', value: 'r1' },
        { key: 't', value: 'v' },
      ]),
    );
    const hist = (await call('GET', `/api/2.0/mlflow/metrics/get-history?run_id=${runId}&metric_key=loss`)).body.metrics;
    expect(hist.map((m: any) => m.step)).toEqual([0, 1, 2]);
    // Same value again is fine; a different one is INVALID_PARAMETER_VALUE (400).
    expect((await call('POST', '/api/2.0/mlflow/runs/log-parameter', { run_id: runId, key: 'lr', value: '0.1' })).status).toBe(200);
    const clash = await call('POST', '/api/2.0/mlflow/runs/log-parameter', { run_id: runId, key: 'lr', value: '0.2' });
    expect(clash).toMatchObject({ status: 400, body: { error_code: 'INVALID_PARAMETER_VALUE' } });
    expect(clash.body.message).toContain("key='lr'");
    await call('POST', '/api/2.0/mlflow/runs/update', { run_id: runId, status: 'FINISHED', end_time: 2000 });
    const fin = (await call('GET', `/api/2.0/mlflow/runs/get?run_id=${runId}`)).body.run.info;
    expect(fin).toMatchObject({ status: 'FINISHED', end_time: 2000 });
    await call('POST', '/api/2.0/mlflow/runs/delete-tag', { run_id: runId, key: 'team' });
    expect((await call('POST', '/api/2.0/mlflow/runs/delete-tag', { run_id: runId, key: 'team' })).status).toBe(404);
    await call('POST', '/api/2.0/mlflow/runs/delete', { run_id: runId });
    expect((await call('POST', '/api/2.0/mlflow/runs/log-metric', { run_id: runId, key: 'x', value: 1, timestamp: 1 })).status).toBe(400);
    await call('POST', '/api/2.0/mlflow/runs/restore', { run_id: runId });
    expect((await call('POST', '/api/2.0/mlflow/runs/log-metric', { run_id: runId, key: 'x', value: 1, timestamp: 1 })).status).toBe(200);
  });

  it('enforces MLflow’s batch limits and key rules, naming the field', async () => {
    const runId = (await call('POST', '/api/2.0/mlflow/runs/create', { experiment_id: '0' })).body.run.info.run_id;
    const many = Array.from({ length: 101 }, (_, i) => ({ key: `p${i}`, value: 'v' }));
    const r1 = await call('POST', '/api/2.0/mlflow/runs/log-batch', { run_id: runId, params: many });
    expect(r1).toMatchObject({ status: 400, body: { error_code: 'INVALID_PARAMETER_VALUE' } });
    // MLflow's per-batch limits are part of the schema: the message names the field and the limit.
    expect(r1.body.message).toContain("'params'");
    expect(r1.body.message).toContain('more than 100 items');
    const r2 = await call('POST', '/api/2.0/mlflow/runs/log-parameter', { run_id: runId, key: 'k', value: 'x'.repeat(6001) });
    expect(r2.body.message).toContain('6000');
    const r3 = await call('POST', '/api/2.0/mlflow/runs/log-parameter', { run_id: runId, key: '../etc', value: 'x' });
    expect(r3.status).toBe(400);
    const r4 = await call('POST', '/api/2.0/mlflow/runs/log-metric', { run_id: runId, key: 'm', value: 'abc', timestamp: 1 });
    expect(r4.body.message).toContain('value');
    const r5 = await call('POST', '/api/2.0/mlflow/runs/log-metric', { run_id: runId, key: 'm', value: 1 });
    expect(r5.body.message).toContain('timestamp');
    const r6 = await call('POST', '/api/2.0/mlflow/runs/log-batch', { run_id: 'nope', metrics: [] });
    expect(r6).toMatchObject({ status: 404, body: { error_code: 'RESOURCE_DOES_NOT_EXIST' } });
  });

  it('refuses fields the contract rules out with 400s naming the field; takes query lists and int64 strings', async () => {
    const runId = (await call('POST', '/api/2.0/mlflow/runs/create', { experiment_id: '0', start_time: '1700000000000' })).body.run.info.run_id;
    const cases: [string, string, object, string][] = [
      ['POST', '/api/2.0/mlflow/runs/update', { run_id: runId, status: 'DONE' }, 'status'],
      ['POST', '/api/2.0/mlflow/runs/search', { experiment_ids: ['0'], max_results: 50001 }, 'max_results'],
      ['POST', '/api/2.0/mlflow/runs/search', { experiment_ids: ['0'], run_view_type: 'SOME' }, 'run_view_type'],
      ['GET', '/api/2.0/mlflow/experiments/search?view_type=SOME', {}, 'view_type'],
      ['POST', '/api/2.0/mlflow/runs/set-tag', { run_id: runId, key: 'k', value: 'a\u0000b' }, 'value'],
      ['POST', '/api/2.0/mlflow/runs/log-batch', { run_id: runId, metrics: [{ key: 'm', value: 'lots', timestamp: 1 }] }, 'metrics[0].value'],
      ['GET', '/api/2.0/mlflow/metrics/get-history?run_id=x', {}, 'metric_key'],
    ];
    for (const [method, url, payload, field] of cases) {
      const res = await call(method as 'GET' | 'POST', url, method === 'GET' ? undefined : payload);
      expect(res.status, url).toBe(400);
      expect(res.body.error_code, url).toBe('INVALID_PARAMETER_VALUE');
      expect(res.body.message, url).toContain(`'${field}'`);
    }
    const model = (await call('POST', '/api/2.0/mlflow/logged-models', { experiment_id: '0' })).body.model.info.model_id;
    const fin = await call('PATCH', `/api/2.0/mlflow/logged-models/${model}`, { status: 'DONE' });
    expect(fin).toMatchObject({ status: 400, body: { error_code: 'INVALID_PARAMETER_VALUE' } });
    expect(fin.body.message).toContain("'status'");
    // int64 fields as strings, a metric value as a numeric string, and a single query key as a one-item list.
    expect(
      (await call('POST', '/api/2.0/mlflow/runs/log-metric', { run_id: runId, key: 'm', value: '0.25', timestamp: '5', step: '2', model_id: model })).status,
    ).toBe(200);
    const run = (await call('GET', `/api/2.0/mlflow/runs/get?run_uuid=${runId}`)).body.run;
    expect(run.info.start_time).toBe(1700000000000);
    expect(run.data.metrics).toEqual([{ key: 'm', value: 0.25, timestamp: 5, step: 2 }]);
    const found = await call('GET', '/api/2.0/mlflow/experiments/search?order_by=name%20DESC&max_results=1');
    expect(found.status).toBe(200);
    expect(found.body.experiments).toHaveLength(1);
    // A logged model's non-finite metric values travel as MLflow's strings, never as null.
    await call('POST', '/api/2.0/mlflow/runs/log-metric', { run_id: runId, key: 'inf', value: 'Infinity', timestamp: 6, model_id: model });
    const metrics = (await call('GET', `/api/2.0/mlflow/logged-models/${model}`)).body.model.data.metrics;
    expect(metrics.find((m: any) => m.key === 'inf')).toMatchObject({ value: 'Infinity', run_id: runId, model_id: model });
  });

  it('searches runs with the filter language, order_by and page tokens', async () => {
    const exp = (await call('POST', '/api/2.0/mlflow/experiments/create', { name: 'search-exp' })).body.experiment_id;
    for (let i = 0; i < 7; i++) {
      const id = (await call('POST', '/api/2.0/mlflow/runs/create', { experiment_id: exp, start_time: 1000 + i, run_name: `run-${i}` })).body.run.info.run_id;
      await call('POST', '/api/2.0/mlflow/runs/log-batch', {
        run_id: id,
        metrics: [{ key: 'rmse', value: i / 10, timestamp: 1, step: 0 }],
        params: [{ key: 'model', value: i % 2 ? 'gbdt' : 'linear' }],
        tags: [{ key: 'team', value: i < 3 ? 'risk-eu' : 'growth' }],
      });
      if (i % 3 === 0) await call('POST', '/api/2.0/mlflow/runs/update', { run_id: id, status: 'FINISHED', end_time: 5000 });
    }
    const search = async (body: object) => (await call('POST', '/api/2.0/mlflow/runs/search', { experiment_ids: [exp], ...body })).body;
    const names = (b: any) => (b.runs ?? []).map((r: any) => r.info.run_name);
    expect(names(await search({ filter: "metrics.rmse < 0.4 and params.model = 'gbdt'", order_by: ['metrics.rmse DESC'] }))).toEqual(['run-3', 'run-1']);
    expect(names(await search({ filter: "tags.team LIKE 'risk%'", order_by: ['attributes.start_time ASC'] }))).toEqual(['run-0', 'run-1', 'run-2']);
    expect(names(await search({ filter: "tags.team ILIKE 'RISK%'" }))).toHaveLength(3);
    expect(names(await search({ filter: "attributes.status = 'FINISHED'", order_by: ['attributes.run_name'] }))).toEqual(['run-0', 'run-3', 'run-6']);
    expect(names(await search({ order_by: ['params.model ASC', 'metrics.rmse ASC'] }))).toEqual([
      'run-1',
      'run-3',
      'run-5',
      'run-0',
      'run-2',
      'run-4',
      'run-6',
    ]);
    // Default order: newest start_time first; pages of 3 cover all 7 runs exactly once.
    const seen: string[] = [];
    let token: string | undefined;
    do {
      const page = await search({ max_results: 3, ...(token ? { page_token: token } : {}) });
      seen.push(...names(page));
      token = page.next_page_token;
    } while (token);
    expect(seen).toEqual(['run-6', 'run-5', 'run-4', 'run-3', 'run-2', 'run-1', 'run-0']);
  });

  it('refuses bad search input with 400s that name the problem, never a 500', async () => {
    const bad = async (filter: string) => call('POST', '/api/2.0/mlflow/runs/search', { experiment_ids: ['0'], filter });
    for (const f of ["params.x = 'a'; DROP TABLE runs", 'metrics.a < 1 OR 1=1', 'rmse < 1', "metrics.a = 'text'", "params.a < 'x'"]) {
      const res = await bad(f);
      expect(res.status, f).toBe(400);
      expect(res.body.error_code).toBe('INVALID_PARAMETER_VALUE');
    }
    expect((await call('POST', '/api/2.0/mlflow/runs/search', { experiment_ids: ['0'], page_token: 'garbage' })).body.message).toContain('page token');
    expect((await call('POST', '/api/2.0/mlflow/runs/search', { experiment_ids: ['0'], order_by: ['metrics.x SIDEWAYS'] })).status).toBe(400);
    const tables = await t.store.db.selectFrom('runs').select('run_uuid').limit(1).execute();
    expect(Array.isArray(tables)).toBe(true);
  });

  it('answers malformed JSON, wrong body types and oversize bodies with clear 4xx', async () => {
    const raw = (payload: string, extra: Record<string, string> = {}) =>
      t.app.inject({ method: 'POST', url: '/api/2.0/mlflow/runs/create', headers: { ...t.auth, 'content-type': 'application/json', ...extra }, payload });
    const malformed = await raw('{"experiment_id": ');
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json()).toMatchObject({ error_code: 'MALFORMED_REQUEST' });
    expect((await raw('[1,2]')).statusCode).toBe(400);
    const big = await raw(JSON.stringify({ experiment_id: '0', run_name: 'x'.repeat(3 * 1024 * 1024) }));
    expect(big.statusCode).toBe(413);
    expect(big.json()).toMatchObject({ error_code: 'PAYLOAD_TOO_LARGE' });
    const missing = await call('POST', '/api/2.0/mlflow/experiments/create', {});
    expect(missing).toMatchObject({ status: 400, body: { error_code: 'INVALID_PARAMETER_VALUE' } });
    expect(missing.body.message).toContain("'name'");
    const unknown = await call('GET', '/api/2.0/mlflow/nothing-here');
    expect(unknown).toMatchObject({ status: 404, body: { error_code: 'ENDPOINT_NOT_FOUND' } });
  });

  it('records dataset inputs and logged-model outputs of a run', async () => {
    const runId = (await call('POST', '/api/2.0/mlflow/runs/create', { experiment_id: '0' })).body.run.info.run_id;
    const ds = { name: 'credit', digest: 'abc123', source_type: 'local', source: '{"uri": "data.csv"}', schema: '{}', profile: '{"num_rows": 10}' };
    await call('POST', '/api/2.0/mlflow/runs/log-inputs', {
      run_id: runId,
      datasets: [{ tags: [{ key: 'mlflow.data.context', value: 'training' }], dataset: ds }],
    });
    const model = (await call('POST', '/api/2.0/mlflow/logged-models', { experiment_id: '0', name: 'clf', source_run_id: runId })).body.model;
    expect(model.info.model_id).toMatch(/^m-[0-9a-f]{32}$/);
    expect(model.info.artifact_uri).toBe(`mlflow-artifacts:/0/models/${model.info.model_id}/artifacts`);
    await call('POST', '/api/2.0/mlflow/runs/outputs', { run_id: runId, models: [{ model_id: model.info.model_id, step: 3 }] });
    const run = (await call('GET', `/api/2.0/mlflow/runs/get?run_id=${runId}`)).body.run;
    expect(run.inputs.dataset_inputs).toEqual([{ tags: [{ key: 'mlflow.data.context', value: 'training' }], dataset: ds }]);
    expect(run.outputs.model_outputs).toEqual([{ model_id: model.info.model_id, step: 3 }]);
    const runs = (await call('POST', '/api/2.0/mlflow/runs/search', { experiment_ids: ['0'], filter: "datasets.digest = 'abc123'" })).body.runs;
    expect(runs.map((r: any) => r.info.run_id)).toEqual([runId]);
    const fin = await call('PATCH', `/api/2.0/mlflow/logged-models/${model.info.model_id}`, { model_id: model.info.model_id, status: 'LOGGED_MODEL_READY' });
    expect(fin.body.model.info.status).toBe('LOGGED_MODEL_READY');
    const found = (await call('POST', '/api/2.0/mlflow/logged-models/search', { experiment_ids: ['0'], filter: "name = 'clf'" })).body.models;
    expect(found.map((m: any) => m.info.source_run_id)).toEqual([runId]);
  });
});
