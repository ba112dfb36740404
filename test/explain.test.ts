/**
 * Explanations through the API with real ONNX models: a deployment's and a model version's rows explained against a
 * registered dataset version (given, the monitoring reference, or the training data), additivity on every answer,
 * budgets that truncate, refusals that name the field, global importance cached, and the event loop free while a
 * long explanation runs.
 */
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { useTestApp, type TestApp } from './support/app.js';
import { expectedOf, fixture, registerFixture } from './support/models.js';
import { forEachStore } from './support/stores.js';

const trainCsv = readFileSync(fixture('credit_train.csv'), 'utf8');
const credit = expectedOf('credit_gbdt');
const wine = expectedOf('wine_gbdt');
const creditRows = (credit.records as Record<string, unknown>[]).slice(0, 3);

async function pushCsv(t: TestApp, name: string, body: string) {
  const res = await t.app.inject({
    method: 'POST',
    url: `/api/v1/datasets/${name}/versions?filename=data.csv`,
    headers: { ...t.auth, 'content-type': 'text/csv' },
    payload: body,
  });
  expect(res.statusCode, res.body).toBeLessThan(300);
  return res.json().version as { digest: string; version: number };
}

type Explanation = { attributions: Record<string, number>[]; prediction: number[] };

/** base + Σφ = f(x) for every row and output, checked here rather than trusting additivity_max_error. */
function expectAdditive(body: { base_values: number[]; explanations: Explanation[]; additivity_max_error: number }) {
  expect(body.additivity_max_error).toBeLessThan(1e-6);
  for (const e of body.explanations)
    e.attributions.forEach((phi, o) => {
      const sum = Object.values(phi).reduce((a, b) => a + b, body.base_values[o]!);
      expect(Math.abs(sum - e.prediction[o]!)).toBeLessThan(1e-6 * Math.max(1, Math.abs(e.prediction[o]!)));
    });
}

forEachStore('explanations', (kind) => {
  const t = useTestApp(kind);

  it("explains a deployment's classifier (per-column inputs, categorical features) exactly, against a named dataset version", async () => {
    await registerFixture(t, 'credit', 'credit_gbdt.onnx');
    expect((await t.call('POST', '/api/v1/deployments', { name: 'credit-live', routes: [{ model: 'credit', version: '1' }] })).status).toBe(200);
    await pushCsv(t, 'credit-train', trainCsv);
    const body = { instances: creditRows, background: { dataset: 'credit-train', version: '1', rows: 40 }, seed: 3 };
    const r = await t.call('POST', '/api/v1/deployments/credit-live/explain', body);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toMatchObject({
      method: 'exact',
      output_space: 'probability',
      outputs: ['probabilities[0]', 'probabilities[1]'],
      model: 'credit',
      model_version: '1',
      background: { dataset: 'credit-train', version: '1', rows: 40, source: 'request', digest: expect.stringMatching(/^[0-9a-f]{64}$/) },
      truncated: false,
      evaluations: 40 + 3 + 3 * 40 * (2 ** 7 - 2),
    });
    expectAdditive(r.body);
    // f(x) is what /predict answers; the classes' attributions mirror each other (probabilities sum to 1).
    const pred = await t.call('POST', '/api/v1/deployments/credit-live/predict', { instances: creditRows });
    r.body.explanations.forEach((e: Explanation, i: number) => {
      expect(e.prediction[1]).toBeCloseTo(pred.body.predictions[i].probabilities[1], 6);
      for (const f of Object.keys(e.attributions[0]!)) expect(e.attributions[0]![f]! + e.attributions[1]![f]!).toBeCloseTo(0, 6);
    });
    expect(Object.keys(r.body.explanations[0].attributions[0])).toEqual(credit.feature_names);
    // Seeded and deterministic: the same request answers the same numbers and digest.
    const again = await t.call('POST', '/api/v1/deployments/credit-live/explain', body);
    expect(again.body).toEqual(r.body);

    const perm = await t.call('POST', '/api/v1/deployments/credit-live/explain', { ...body, method: 'permutation' });
    expect(perm.body.method).toBe('permutation');
    expectAdditive(perm.body);
    const kernel = await t.call('POST', '/api/v1/deployments/credit-live/explain', { ...body, method: 'kernel' });
    // 2^7 − 2 coalitions are fewer than the default samples: the kernel enumerates them all and equals exact.
    kernel.body.explanations.forEach((e: Explanation, i: number) =>
      Object.entries(e.attributions[1]!).forEach(([f, v]) => expect(v).toBeCloseTo(r.body.explanations[i].attributions[1][f], 9)),
    );
  });

  it('defaults the background to the monitoring reference, else refuses naming background', async () => {
    const none = await t.call('POST', '/api/v1/deployments/credit-live/explain', { instances: creditRows });
    expect(none.status).toBe(400);
    expect(none.body.errors[0].field).toBe('background');
    expect((await t.call('PUT', '/api/v1/deployments/credit-live/reference', { dataset: 'credit-train@1', prediction_column: 'default' })).status).toBe(200);
    const r = await t.call('POST', '/api/v1/deployments/credit-live/explain', { instances: creditRows.slice(0, 1), background: undefined });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.background).toMatchObject({ dataset: 'credit-train', version: '1', rows: 100, source: 'monitoring_reference' });
    expectAdditive(r.body);
  });

  it('refuses bad requests with a 4xx naming the field', async () => {
    const base = { instances: creditRows, background: { dataset: 'credit-train', version: '1', rows: 10 } };
    const cases: [object, string][] = [
      [{ ...base, instances: [{ ...creditRows[0], age: undefined }] }, 'instances[0].age'],
      [{ ...base, instances: [{ ...creditRows[0], age: 'old' }] }, 'instances[0].age'],
      [{ ...base, background: { dataset: 'nope', version: '1' } }, 'background'],
      [{ ...base, budget: { max_evaluations: 5 } }, 'budget.max_evaluations'],
      [{ ...base, method: 'tree' }, 'method'],
    ];
    for (const [body, field] of cases) {
      const r = await t.call('POST', '/api/v1/deployments/credit-live/explain', body);
      expect(r.status, JSON.stringify(r.body)).toBe(400);
      expect(r.body.errors[0].field).toBe(field);
    }
    // A background without one of the model's columns was read as all-missing values (NaN for a float input) and
    // answered 200 with attributions against a background the model never sees: refused, naming the columns.
    const noAge = trainCsv
      .trim()
      .split('\n')
      .map((l) => l.split(',').slice(1).join(','))
      .join('\n');
    await pushCsv(t, 'credit-no-age', `${noAge}\n`);
    const lacking = await t.call('POST', '/api/v1/deployments/credit-live/explain', { ...base, background: { dataset: 'credit-no-age', version: '1' } });
    expect(lacking.status, JSON.stringify(lacking.body)).toBe(400);
    expect(lacking.body.errors[0].field).toBe('background');
    expect(lacking.body.detail).toContain('age');
    const many = await t.call('POST', '/api/v1/deployments/credit-live/explain', { ...base, instances: Array(101).fill(creditRows[0]) });
    expect(many.status).toBe(400);
    expect(JSON.stringify(many.body)).toContain('instances');
    expect((await t.call('POST', '/api/v1/deployments/nope/explain', base)).status).toBe(404);
    const viewer = await t.app.ferry.auth.createToken('reader', 'viewer', 'test');
    const anon = await t.app.inject({ method: 'POST', url: '/api/v1/deployments/credit-live/explain', payload: base });
    expect(anon.statusCode).toBe(401);
    const asViewer = await t.app.inject({
      method: 'POST',
      url: '/api/v1/deployments/credit-live/explain',
      payload: base,
      headers: { authorization: `Bearer ${viewer.token}` },
    });
    expect(asViewer.statusCode).toBe(200);
    // Audited like every POST: who explained which deployment, and whether it was answered.
    // The audit row is written after the answer is sent: poll for it.
    const audit = async () => (await t.call('GET', '/api/v1/audit?limit=200')).body.entries as { action: string; actor: string; status: number }[];
    await expect
      .poll(audit, { timeout: 10_000 })
      .toContainEqual(expect.objectContaining({ action: 'POST /api/v1/deployments/:name/explain', actor: 'reader', status: 200 }));
  });

  it('answers truncated within the budget, still additive', async () => {
    const r = await t.call('POST', '/api/v1/deployments/credit-live/explain', {
      instances: creditRows,
      background: { dataset: 'credit-train', version: '1', rows: 50 },
      budget: { max_evaluations: 3000 },
    });
    expect(r.status).toBe(200);
    expect(r.body.truncated).toBe(true);
    expect(r.body.evaluations).toBeLessThanOrEqual(3000);
    expectAdditive(r.body);
  });

  it("explains a model version with KernelSHAP (13 features) against its lineage's training data", async () => {
    await registerFixture(t, 'wine', 'wine_gbdt.onnx');
    const rows: number[][] = wine.inputs.float_input;
    const names: string[] = wine.feature_names;
    const version = await pushCsv(t, 'wine-train', [names.join(','), ...rows.map((r) => r.join(','))].join('\n') + '\n');
    // Without lineage the version has no training data: the background must be named.
    const none = await t.call('POST', '/api/v1/models/wine/versions/1/explain', { instances: [{}] });
    expect(none.status).toBe(400);
    const missing = await t.call('POST', '/api/v1/models/wine/versions/1/explain', {
      instances: [Object.fromEntries(names.map((n, j) => [n, rows[0]![j]]))],
    });
    expect(missing.body.errors[0].field).toBe('background');
    // Record the training data (mlflow.log_input with context training), as a run that made version 2.
    const run = await t.call('POST', '/api/2.0/mlflow/runs/create', { experiment_id: '0' });
    const runId = run.body.run.info.run_id as string;
    const dataset = { name: 'wine-train', digest: version.digest, source_type: 'http', source: '{"url": "x"}' };
    await t.call('POST', '/api/2.0/mlflow/runs/log-inputs', {
      run_id: runId,
      datasets: [{ dataset, tags: [{ key: 'mlflow.data.context', value: 'training' }] }],
    });
    const src = (await t.call('GET', '/api/2.0/mlflow/model-versions/get?name=wine&version=1')).body.model_version.source;
    const mv = await t.call('POST', '/api/2.0/mlflow/model-versions/create', { name: 'wine', source: src, run_id: runId });
    const v = mv.body.model_version.version as string;
    const instances = rows.slice(0, 2).map((r) => Object.fromEntries(names.map((n, j) => [n, r[j]])));
    // kernel named: with the graph readable, auto would pick TreeSHAP for this tree ensemble.
    const r = await t.call('POST', `/api/v1/models/wine/versions/${v}/explain`, { instances, seed: 1, method: 'kernel' });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toMatchObject({
      method: 'kernel',
      output_space: 'probability',
      outputs: ['probabilities[0]', 'probabilities[1]', 'probabilities[2]'],
      background: { dataset: 'wine-train', version: '1', rows: 20, source: 'training_data' },
      truncated: false,
    });
    expect(r.body.evaluations).toBe(20 + 2 + 2 * 20 * (2 * 13 + 2048));
    expectAdditive(r.body);
    // The class the model predicts is the one its attributions push up the most, away from the base rate.
    const p = r.body.explanations[0].prediction as number[];
    expect(Math.max(...p)).toBeCloseTo(Math.max(...(wine.onnx_outputs.probabilities[0] as number[])), 5);

    // auto reads the graph: a pure tree ensemble is explained by exact TreeSHAP in the margin space, no model call.
    const tree = await t.call('POST', `/api/v1/models/wine/versions/${v}/explain`, { instances, seed: 1 });
    expect(tree.status, JSON.stringify(tree.body)).toBe(200);
    expect(tree.body).toMatchObject({ method: 'tree_interventional', output_space: 'margin', evaluations: 0, truncated: false });
    expect(tree.body.outputs).toHaveLength(3);
    expectAdditive(tree.body);
    // The softmax of the explained margins is the probability the model serves.
    const margins = tree.body.explanations[0].prediction as number[];
    const z = margins.map((m) => Math.exp(m - Math.max(...margins)));
    const served = wine.onnx_outputs.probabilities[0] as number[];
    z.forEach((e, k) => expect(e / z.reduce((a, b) => a + b, 0)).toBeCloseTo(served[k]!, 5));

    const imp = await t.call('GET', `/api/v1/models/wine/versions/${v}/importance?rows=5&method=kernel`);
    expect(imp.status, JSON.stringify(imp.body)).toBe(200);
    expect(imp.body).toMatchObject({ rows: 5, cached: false, method: 'kernel', background: { source: 'training_data' } });
    expect(imp.body.features.map((f: { feature: string }) => f.feature).sort()).toEqual([...names].sort());
    const means = imp.body.features.map((f: { mean_abs: number }) => f.mean_abs);
    expect(means).toEqual([...means].sort((a, b) => b - a));
    expect(means[0]).toBeGreaterThan(0);
    const again = await t.call('GET', `/api/v1/models/wine/versions/${v}/importance?rows=5&method=kernel`);
    expect(again.body).toEqual({ ...imp.body, cached: true });
  });

  it('keeps the event loop free: /health answers while a long explanation runs', async () => {
    let done = false;
    const long = t
      .call('POST', '/api/v1/deployments/credit-live/explain', {
        instances: Array(6).fill(creditRows[0]),
        background: { dataset: 'credit-train', version: '1', rows: 1000 },
        method: 'exact',
      })
      .then((r) => ((done = true), r));
    // Let the explanation start (background read, first batches) before asking.
    await new Promise((r) => setTimeout(r, 300));
    const started = performance.now();
    const health = await t.app.inject({ method: 'GET', url: '/health' });
    const waited = performance.now() - started;
    expect(health.statusCode).toBe(200);
    expect(done).toBe(false);
    expect(waited).toBeLessThan(1000);
    const r = await long;
    expect(r.status).toBe(200);
    expect(r.body.evaluations).toBeGreaterThan(700_000);
  });
});
