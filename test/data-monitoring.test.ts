/** Data meets monitoring: a dataset version (or a model version's training data) as the drift reference; suites on live traffic. */
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { useTestApp, type TestApp } from './support/app.js';
import { fixture, registerFixture } from './support/models.js';
import { forEachStore } from './support/stores.js';
import { clearOfWindowEnd } from './support/clock-windows.js';

const trainCsv = readFileSync(fixture('credit_train.csv'), 'utf8');

function records(): Record<string, unknown>[] {
  const [head, ...lines] = trainCsv.trim().split('\n');
  const cols = head!.split(',');
  return lines.map((l) =>
    Object.fromEntries(
      l
        .split(',')
        .map((v, i) => [cols[i]!, v === '' ? null : /^[-\d.]+$/.test(v) ? Number(v) : v])
        .filter(([k]) => k !== 'default'),
    ),
  );
}

async function pushCsv(t: TestApp, name: string, body: string) {
  const res = await t.app.inject({
    method: 'POST',
    url: `/api/v1/datasets/${name}/versions?filename=train.csv`,
    headers: { ...t.auth, 'content-type': 'text/csv' },
    payload: body,
  });
  expect(res.statusCode).toBeLessThan(300);
  return res.json().version as { digest: string; version: number };
}

forEachStore('data and monitoring', (kind) => {
  const t = useTestApp(kind);
  const send = async (name: string, rows: Record<string, unknown>[]) => {
    for (let i = 0; i < rows.length; i += 200)
      expect((await t.call('POST', `/api/v1/deployments/${name}/predict`, { instances: rows.slice(i, i + 200) })).status).toBe(200);
  };

  it('uses a dataset version as the reference, scoring a sample with the live model', async () => {
    await registerFixture(t, 'credit', 'credit_gbdt.onnx');
    expect((await t.call('POST', '/api/v1/deployments', { name: 'credit-live', routes: [{ model: 'credit', version: '1' }] })).status).toBe(200);
    await pushCsv(t, 'credit-train', trainCsv);
    const r = await t.call('PUT', '/api/v1/deployments/credit-live/reference', { dataset: 'credit-train@1' });
    expect(r.status).toBe(200);
    expect(r.body.reference).toMatchObject({
      rows: 2000,
      source: { kind: 'dataset', dataset: 'credit-train@1', prediction: { scored_by_model_version: '1', sample_rows: 2000 } },
    });
    const withColumn = await t.call('PUT', '/api/v1/deployments/credit-live/reference', { dataset: 'credit-train@latest', prediction_column: 'default' });
    expect(withColumn.body.reference.source.prediction).toEqual({ column: 'default' });
    const unknown = await t.call('PUT', '/api/v1/deployments/credit-live/reference', { dataset: 'nope@1' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors[0].field).toBe('dataset');

    const like = records().slice(0, 600);
    await send('credit-live', like);
    const drift = (await t.call('GET', '/api/v1/deployments/credit-live/drift?from=1h')).body;
    expect(drift.reference.rows).toBe(2000);
    expect(drift.features.filter((f: { drifted: boolean }) => f.drifted)).toEqual([]);
  });

  it('reads a reference file as data push does: a ;-separated CSV is taken by both, a malformed one refused by both alike', async () => {
    const semi = trainCsv.replaceAll(',', ';');
    const pushed = await pushCsv(t, 'credit-semi', semi);
    expect(pushed).toMatchObject({ rows: 2000 });
    const ref = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/deployments/credit-live/reference?prediction_column=default',
      headers: { ...t.auth, 'content-type': 'text/csv' },
      payload: semi,
    });
    expect(ref.statusCode).toBe(200);
    expect(ref.json().reference).toMatchObject({ rows: 2000, source: { kind: 'file', format: 'csv', prediction: { column: 'default' } } });
    expect(ref.json().reference.columns).toEqual(expect.arrayContaining(['age', 'income', 'home_ownership', 'purpose']));

    for (const bad of ['age;income\n1;2\n3;4;5\n', 'age,purpose\n1,"car\n']) {
      const push = await t.app.inject({
        method: 'POST',
        url: '/api/v1/datasets/broken/versions?filename=bad.csv',
        headers: { ...t.auth, 'content-type': 'text/csv' },
        payload: bad,
      });
      const put = await t.app.inject({
        method: 'PUT',
        url: '/api/v1/deployments/credit-live/reference',
        headers: { ...t.auth, 'content-type': 'text/csv' },
        payload: bad,
      });
      const answer = (r: typeof push) => [r.statusCode, r.json().code, r.json().detail];
      expect(answer(push), bad).toEqual([400, 'INVALID_DATA_FILE', expect.stringMatching(/^line \d+/)]);
      expect(answer(put), bad).toEqual(answer(push));
    }
  });

  it("follows lineage to the serving model version's training data", async () => {
    const version = await pushCsv(t, 'credit-train', trainCsv);
    const run = await t.call('POST', '/api/2.0/mlflow/runs/create', { experiment_id: '0' });
    const runId = run.body.run.info.run_id as string;
    const dataset = { name: 'credit-train', digest: version.digest, source_type: 'http', source: '{"url": "x"}' };
    expect(
      (
        await t.call('POST', '/api/2.0/mlflow/runs/log-inputs', {
          run_id: runId,
          datasets: [{ dataset, tags: [{ key: 'mlflow.data.context', value: 'training' }] }],
        })
      ).status,
    ).toBe(200);
    const src = (await t.call('GET', '/api/2.0/mlflow/model-versions/get?name=credit&version=1')).body.model_version.source;
    const mv = await t.call('POST', '/api/2.0/mlflow/model-versions/create', { name: 'credit', source: src, run_id: runId });
    expect(mv.status).toBe(200);
    expect(
      (await t.call('POST', '/api/v1/deployments', { name: 'credit-v2', routes: [{ model: 'credit', version: mv.body.model_version.version }] })).status,
    ).toBe(200);
    const r = await t.call('PUT', '/api/v1/deployments/credit-v2/reference', { training_data: true });
    expect(r.status).toBe(200);
    expect(r.body.reference.source).toMatchObject({ kind: 'dataset', dataset: 'credit-train@1', training_data_of: `credit/${mv.body.model_version.version}` });
    // Version 1 has no recorded training data.
    const none = await t.call('PUT', '/api/v1/deployments/credit-live/reference', { training_data: true });
    expect(none.status).toBe(400);
    expect(none.body.detail).toMatch(/no training dataset version on record/);
  });

  it('runs suites attached to a deployment on its traffic, in the quality report and as an alert metric', async () => {
    const suite = {
      expectations: [
        { type: 'expect_column_values_to_not_be_null', kwargs: { column: 'age', mostly: 0.9 } }, // the training data has 3% missing ages
        { type: 'expect_column_values_to_be_between', kwargs: { column: 'income', min_value: 0, max_value: 500_000 } },
        {
          type: 'expect_column_distinct_values_to_be_in_set',
          kwargs: { column: 'purpose', value_set: ['home', 'car', 'education', 'business', 'debt', 'medical'] },
        },
      ],
    };
    expect((await t.call('PUT', '/api/v1/suites/live-rules', suite)).status).toBe(200);
    expect((await t.call('POST', '/api/v1/suites/live-rules/attachments', { deployment: 'ghost' })).status).toBe(404);
    expect((await t.call('POST', '/api/v1/suites/live-rules/attachments', { deployment: 'credit-live' })).status).toBe(200);
    const before = await t.app.ferry.monitoring.alertMetrics.value('credit-live', 'validation_failures', 3_600_000, Date.now());
    expect(before).toBe(0);
    await send(
      'credit-live',
      records()
        .slice(600, 800)
        .map((r) => ({ ...r, age: null })),
    );
    const q = (await t.call('GET', '/api/v1/deployments/credit-live/quality?from=1h')).body;
    expect(q.validations).toEqual([
      expect.objectContaining({ suite: 'live-rules', success: false, failed: 1, failures: [{ type: 'expect_column_values_to_not_be_null', column: 'age' }] }),
    ]);
    expect(q.windows.at(-1).validations[0].suite).toBe('live-rules');
    const after = await t.app.ferry.monitoring.alertMetrics.value('credit-live', 'validation_failures', 3_600_000, Date.now() + 1);
    expect(after).toBe(1);
  });

  it('records a finished window’s result once (the background job’s step)', async () => {
    expect((await t.call('PUT', '/api/v1/deployments/credit-live/monitoring', { window: '10s' })).status).toBe(200);
    // Send early in a 10 s window, so the traffic cannot straddle two windows (two results) on a slow machine.
    await clearOfWindowEnd(10_000, 6_000);
    const windowStart = Date.now() - (Date.now() % 10_000);
    await send(
      'credit-live',
      records()
        .slice(800, 900)
        .map((r) => ({ ...r, age: null })),
    );
    // Wait for the 10 s window holding that traffic to end.
    await new Promise((r) => setTimeout(r, 10_000 - (Date.now() % 10_000) + 50));
    await t.app.ferry.monitoring.drift.validateFinishedWindows('credit-live');
    await t.app.ferry.monitoring.drift.validateFinishedWindows('credit-live');
    // This window's results only: the earlier test's traffic sits in a 1 h window, which starts on the hour; when
    // that was under 40 s ago, the job (reading stored windows at the current 10 s length) sees it as well.
    const recorded = (await t.call('GET', '/api/v1/validations?target_kind=deployment&target=credit-live')).body.validations.filter(
      (v: { window_start: string }) => Date.parse(v.window_start) >= windowStart,
    );
    expect(recorded).toHaveLength(1);
    expect(recorded[0]).toMatchObject({ suite: 'live-rules', success: false, failed: 1, version: null });
    expect(recorded[0].window_start).toMatch(/^\d{4}-/);
  }, 30_000);
});
