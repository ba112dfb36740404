import { expect, it } from 'vitest';
import { forEachStore } from './support/stores.js';
import { useTestApp } from './support/app.js';

forEachStore('registry API', (kind) => {
  const t = useTestApp(kind);
  const call = t.call;

  it('registers models and versions from runs and logged models, with aliases, stages, tags and search', async () => {
    const runId = (await call('POST', '/api/2.0/mlflow/runs/create', { experiment_id: '0' })).body.run.info.run_id;
    const lm = (await call('POST', '/api/2.0/mlflow/logged-models', { experiment_id: '0', name: 'model', source_run_id: runId })).body.model.info;
    const created = await call('POST', '/api/2.0/mlflow/registered-models/create', {
      name: 'credit',
      description: 'risk model',
      tags: [{ key: 'team', value: 'risk' }],
    });
    expect(created.body.registered_model).toMatchObject({ name: 'credit', description: 'risk model', tags: [{ key: 'team', value: 'risk' }] });
    expect((await call('POST', '/api/2.0/mlflow/registered-models/create', { name: 'credit' })).body.error_code).toBe('RESOURCE_ALREADY_EXISTS');

    const v1 = (
      await call('POST', '/api/2.0/mlflow/model-versions/create', { name: 'credit', source: `models:/${lm.model_id}`, run_id: runId, model_id: lm.model_id })
    ).body.model_version;
    expect(v1).toMatchObject({
      name: 'credit',
      version: '1',
      current_stage: 'None',
      status: 'READY',
      run_id: runId,
      model_id: lm.model_id,
      source: `models:/${lm.model_id}`,
    });
    const v2 = (await call('POST', '/api/2.0/mlflow/model-versions/create', { name: 'credit', source: `runs:/${runId}/model`, run_id: runId })).body
      .model_version;
    expect(v2.version).toBe('2');
    expect((await call('GET', '/api/2.0/mlflow/model-versions/get-download-uri?name=credit&version=1')).body).toEqual({ artifact_uri: lm.artifact_uri });
    expect((await call('GET', '/api/2.0/mlflow/model-versions/get-download-uri?name=credit&version=2')).body).toEqual({
      artifact_uri: `mlflow-artifacts:/0/${runId}/artifacts/model`,
    });

    await call('POST', '/api/2.0/mlflow/registered-models/alias', { name: 'credit', alias: 'champion', version: '1' });
    expect((await call('GET', '/api/2.0/mlflow/registered-models/alias?name=credit&alias=champion')).body.model_version).toMatchObject({
      version: '1',
      aliases: ['champion'],
    });
    expect((await call('POST', '/api/2.0/mlflow/registered-models/alias', { name: 'credit', alias: 'v3', version: '1' })).status).toBe(400);
    await call('POST', '/api/2.0/mlflow/registered-models/alias', { name: 'credit', alias: 'champion', version: '2' });
    expect((await call('GET', '/api/2.0/mlflow/registered-models/alias?name=credit&alias=champion')).body.model_version.version).toBe('2');

    await call('POST', '/api/2.0/mlflow/model-versions/transition-stage', {
      name: 'credit',
      version: '1',
      stage: 'production',
      archive_existing_versions: false,
    });
    await call('POST', '/api/2.0/mlflow/model-versions/transition-stage', {
      name: 'credit',
      version: '2',
      stage: 'Production',
      archive_existing_versions: true,
    });
    expect((await call('GET', '/api/2.0/mlflow/model-versions/get?name=credit&version=1')).body.model_version.current_stage).toBe('Archived');
    const latest = (await call('POST', '/api/2.0/mlflow/registered-models/get-latest-versions', { name: 'credit', stages: ['Production'] })).body
      .model_versions;
    expect(latest.map((v: any) => v.version)).toEqual(['2']);

    await call('POST', '/api/2.0/mlflow/model-versions/set-tag', { name: 'credit', version: '2', key: 'validated', value: 'yes' });
    const found = (await call('GET', `/api/2.0/mlflow/model-versions/search?filter=${encodeURIComponent(`run_id = '${runId}' and tags.validated = 'yes'`)}`))
      .body.model_versions;
    expect(found.map((v: any) => v.version)).toEqual(['2']);
    expect(
      (await call('GET', `/api/2.0/mlflow/registered-models/search?filter=${encodeURIComponent("name LIKE 'cre%'")}`)).body.registered_models.map(
        (m: any) => m.name,
      ),
    ).toEqual(['credit']);

    const renamed = (await call('POST', '/api/2.0/mlflow/registered-models/rename', { name: 'credit', new_name: 'credit-risk' })).body.registered_model;
    expect(renamed.aliases).toEqual([{ alias: 'champion', version: '2' }]);
    expect((await call('GET', '/api/2.0/mlflow/model-versions/get?name=credit-risk&version=2')).body.model_version.tags).toEqual([
      { key: 'validated', value: 'yes' },
    ]);
    await call('DELETE', '/api/2.0/mlflow/model-versions/delete', { name: 'credit-risk', version: '2' });
    expect((await call('GET', '/api/2.0/mlflow/registered-models/alias?name=credit-risk&alias=champion')).status).toBe(404);
    await call('DELETE', '/api/2.0/mlflow/registered-models/delete', { name: 'credit-risk' });
    expect((await call('GET', '/api/2.0/mlflow/registered-models/get?name=credit-risk')).status).toBe(404);
  });

  it('fills a version’s run id from its logged model, and treats the prompt tag as MLflow does', async () => {
    const runId = (await call('POST', '/api/2.0/mlflow/runs/create', { experiment_id: '0' })).body.run.info.run_id;
    const lm = (await call('POST', '/api/2.0/mlflow/logged-models', { experiment_id: '0', name: 'm', source_run_id: runId })).body.model.info;
    await call('POST', '/api/2.0/mlflow/registered-models/create', { name: 'plain' });
    const v = (await call('POST', '/api/2.0/mlflow/model-versions/create', { name: 'plain', source: `models:/${lm.model_id}`, model_id: lm.model_id })).body
      .model_version;
    expect(v.run_id).toBe(runId);
    await call('POST', '/api/2.0/mlflow/registered-models/create', { name: 'a-prompt', tags: [{ key: 'mlflow.prompt.is_prompt', value: 'true' }] });
    const search = async (filter: string) =>
      (await call('GET', `/api/2.0/mlflow/registered-models/search?filter=${encodeURIComponent(filter)}`)).body.registered_models?.map((m: any) => m.name) ??
      [];
    expect(await search("tags.`mlflow.prompt.is_prompt` != 'true'")).toContain('plain');
    expect(await search("tags.`mlflow.prompt.is_prompt` != 'true'")).not.toContain('a-prompt');
    expect(await search("tags.`mlflow.prompt.is_prompt` = 'true'")).toEqual(['a-prompt']);
  });

  it('refuses bad registry input clearly', async () => {
    expect((await call('POST', '/api/2.0/mlflow/model-versions/create', { name: 'nope', source: 'x' })).status).toBe(404);
    await call('POST', '/api/2.0/mlflow/registered-models/create', { name: 'm2' });
    const noSource = await call('POST', '/api/2.0/mlflow/model-versions/create', { name: 'm2' });
    expect(noSource.body.message).toContain("'source'");
    expect((await call('GET', '/api/2.0/mlflow/model-versions/get?name=m2&version=abc')).status).toBe(400);
    expect((await call('POST', '/api/2.0/mlflow/model-versions/create', { name: 'm2', source: 'models:/m-00000000000000000000000000000000' })).status).toBe(
      400,
    );
    expect((await call('POST', '/api/2.0/mlflow/model-versions/transition-stage', { name: 'm2', version: '1', stage: 'Prod' })).status).toBe(400);
  });

  it('validates fields from the contract, naming them in MLflow’s error body, and keeps MLflow’s int64-as-string quirk', async () => {
    const refused = async (method: 'GET' | 'POST', url: string, field: string, payload?: object) => {
      const res = await call(method, url, payload);
      expect(res.status, url).toBe(400);
      expect(res.body.error_code, url).toBe('INVALID_PARAMETER_VALUE');
      expect(res.body.message, url).toContain(`'${field}'`);
    };
    await refused('GET', '/api/2.0/mlflow/registered-models/search?max_results=abc', 'max_results');
    await refused('GET', '/api/2.0/mlflow/model-versions/search?max_results=0', 'max_results');
    await refused('GET', '/api/2.0/mlflow/registered-models/get', 'name');
    // PostgreSQL text cannot hold NUL: both stores refuse it before a query is built.
    await refused('GET', '/api/2.0/mlflow/registered-models/get?name=a%00b', 'name');
    await refused('POST', '/api/2.0/mlflow/registered-models/create', 'tags[0].key', { name: 'tagged', tags: [{ value: 'x' }] });
    await refused('POST', '/api/2.0/mlflow/registered-models/alias', 'alias', { name: 'tagged', alias: 'no spaces', version: '1' });
    expect((await call('GET', '/api/2.0/mlflow/registered-models/get?name=tagged')).status).toBe(404);

    // A version number sent as a JSON number is read as MLflow's string; lists come as repeated query keys.
    await call('POST', '/api/2.0/mlflow/registered-models/create', { name: 'quirks' });
    expect((await call('POST', '/api/2.0/mlflow/model-versions/create', { name: 'quirks', source: 's3://bucket/model' })).status).toBe(200);
    expect((await call('POST', '/api/2.0/mlflow/model-versions/set-tag', { name: 'quirks', version: 1, key: 'k', value: 'v' })).status).toBe(200);
    await call('POST', '/api/2.0/mlflow/model-versions/transition-stage', { name: 'quirks', version: 1, stage: 'Staging' });
    const latest = await call('GET', '/api/2.0/mlflow/registered-models/get-latest-versions?name=quirks&stages=Staging&stages=Production');
    expect(latest.body.model_versions.map((v: any) => [v.version, v.current_stage, v.tags])).toEqual([['1', 'Staging', [{ key: 'k', value: 'v' }]]]);
    const ordered = await call('GET', '/api/2.0/mlflow/registered-models/search?order_by=name%20DESC&order_by=last_updated_timestamp&max_results=1');
    expect(ordered.body.registered_models).toHaveLength(1);
    expect(ordered.body.next_page_token).toEqual(expect.any(String));
  });
});
