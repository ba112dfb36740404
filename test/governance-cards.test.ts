/**
 * Model cards and the validation report on both stores: the card is built from stored facts (registry, run,
 * training data with profile and validations, loop gate verdicts); two renders with no new fact are byte-identical
 * and a new fact changes the hash; staleness follows the clock and the policy; facts are escaped in HTML and
 * Markdown; the report zip holds the card, the test log and checksums that match; viewers read, editors edit.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import { AuditLog } from '../src/auth/index.js';
import { startCards } from '../src/governance/index.js';
import { safeName } from '../src/governance/report-service.js';
import { readZip } from '../src/jobs/index.js';
import { fixture, registerFixture } from './support/models.js';
import { forEachStore } from './support/stores.js';
import { useTestApp, type TestApp } from './support/app.js';

const DAY = 86_400_000;
const CSV =
  [
    'age,income,purpose,approved',
    ...Array.from({ length: 60 }, (_, i) => `${20 + (i % 40)},${30_000 + i * 100},${['car', 'home'][i % 2]},${i % 3 === 0}`),
  ].join('\n') + '\n';
const XSS = `<script>alert("x")</script><img src=x onerror=alert(1)> & [link](javascript:alert(1)) # heading | pipe`;

async function inject(t: TestApp, method: 'GET' | 'PUT' | 'POST', url: string, token?: string, payload?: object) {
  return t.app.inject({ method, url, headers: { authorization: `Bearer ${token ?? t.adminToken}` }, ...(payload ? { payload } : {}) });
}

/** A model version trained on a validated dataset version by a run with params, metrics and a git commit. */
async function seed(t: TestApp, model: string): Promise<{ runId: string; version: string }> {
  expect(
    (await t.call('PUT', '/api/v1/suites/card-rules', { expectations: [{ type: 'expect_column_values_to_not_be_null', kwargs: { column: 'age' } }] })).status,
  ).toBe(200);
  const push = await t.app.inject({
    method: 'POST',
    url: `/api/v1/datasets/${model}-train/versions?filename=train.csv`,
    headers: { ...t.auth, 'content-type': 'text/csv' },
    payload: CSV,
  });
  expect(push.statusCode).toBe(201);
  const digest = push.json().version.digest as string;
  expect((await t.call('POST', '/api/v1/suites/card-rules/validations', { dataset: `${model}-train@1` })).status).toBe(200);
  const run = await t.call('POST', '/api/2.0/mlflow/runs/create', { experiment_id: '0', tags: [{ key: 'mlflow.source.git.commit', value: 'abc123' }] });
  const runId = run.body.run.info.run_id as string;
  await t.call('POST', '/api/2.0/mlflow/runs/log-batch', {
    run_id: runId,
    params: [
      { key: 'max_depth', value: '4' },
      { key: 'learning_rate', value: '0.1' },
    ],
    metrics: [{ key: 'val_auc', value: 0.91, timestamp: Date.now(), step: 0 }],
  });
  await t.call('POST', '/api/2.0/mlflow/runs/log-inputs', {
    run_id: runId,
    datasets: [{ dataset: { name: `${model}-train`, digest, source_type: 'http', source: '{}' }, tags: [{ key: 'mlflow.data.context', value: 'training' }] }],
  });
  expect((await t.call('POST', '/api/2.0/mlflow/registered-models/create', { name: model })).status).toBe(200);
  const mv = await t.call('POST', '/api/2.0/mlflow/model-versions/create', { name: model, source: `runs:/${runId}/model`, run_id: runId });
  expect(mv.status).toBe(200);
  return { runId, version: mv.body.model_version.version as string };
}

/** A loop run whose offline gate judged the version, stored as the loop driver stores it. */
async function gateStep(t: TestApp, model: string, version: string, at: number): Promise<void> {
  const db = t.store.db;
  await db
    .insertInto('loops')
    .values({
      name: `${model}-loop`,
      model,
      deployment: `${model}-dep`,
      description: null,
      state: 'active',
      spec: '{}',
      cursors: '{}',
      next_seq: 2,
      created_at: at,
      created_by: 'admin',
      updated_at: at,
    })
    .execute();
  await db
    .insertInto('loop_runs')
    .values({
      id: `${model}-run-1`,
      loop: `${model}-loop`,
      seq: 1,
      state: 'promoted',
      phase: 'promoted',
      dry_run: 0,
      author: 'admin',
      trigger: 'manual',
      spec: '{}',
      context: '{}',
      candidate_version: version,
      champion_version: null,
      promotion_key: null,
      lease_owner: null,
      lease_until: null,
      wake_at: at,
      started_at: at,
      updated_at: at,
      ended_at: at,
      reason: null,
      next_step: 2,
    })
    .execute();
  const evidence = {
    outcome: 'no_baseline_pass',
    reason: 'The candidate passed.',
    baseline: false,
    sources: [
      {
        source: 'holdout',
        label: 'holdout credit-train@1',
        dataset: { dataset: `${model}-train`, version: 1 },
        window: null,
        rows: 60,
        judged: true,
        not_judged: null,
        slices: [
          {
            name: 'all',
            feature: null,
            rows: 60,
            judged: true,
            metrics: [{ metric: 'accuracy', rows: 60, candidate: 0.85, champion: null, delta: null, passed: true }],
          },
          {
            name: 'purpose=car',
            feature: 'purpose',
            rows: 30,
            judged: true,
            metrics: [{ metric: 'accuracy', rows: 30, candidate: 0.8, champion: null, delta: null, passed: true }],
          },
        ],
      },
    ],
  };
  await db
    .insertInto('loop_steps')
    .values({
      run_id: `${model}-run-1`,
      seq: 1,
      kind: 'evaluating',
      status: 'passed',
      step_index: null,
      step_of: null,
      actor: 'loop',
      at,
      links: '{}',
      evidence: JSON.stringify(evidence),
      reason: 'The candidate passed the gate on 60 held-out rows.',
    })
    .execute();
}

forEachStore('model cards', (kind) => {
  const t = useTestApp(kind);

  it('builds the card from stored facts; two renders are byte-identical; a new fact changes the hash', async () => {
    const { runId, version } = await seed(t, 'credit');
    const url = `/api/v1/models/credit/versions/${version}/card`;
    const a = await inject(t, 'GET', url);
    const b = await inject(t, 'GET', url);
    expect(a.statusCode).toBe(200);
    expect(a.headers['content-type']).toMatch(/^application\/json/);
    expect(b.body).toBe(a.body);
    const card = a.json();
    expect(card.card_schema).toBe('ferry.model_card/1');
    expect(card.content_hash).toMatch(/^sha256:[0-9a-f]{64}$/);
    const s = Object.fromEntries(card.sections.map((x: { id: string }) => [x.id, x]));
    expect(card.sections.map((x: { id: string }) => x.id)).toEqual([
      'identity',
      'uses',
      'risks',
      'training_data',
      'training_run',
      'evaluation',
      'fairness',
      'explanations',
      'monitoring',
      'approvals',
    ]);
    expect(s.identity.facts).toMatchObject({ name: 'credit', version, run_id: runId, git_commit: 'abc123', source: `runs:/${runId}/model` });
    expect(s.training_run.facts).toMatchObject({ params: { learning_rate: '0.1', max_depth: '4' }, metrics: { val_auc: 0.91 } });
    const dv = s.training_data.facts.inputs[0].dataset_versions[0];
    expect(dv).toMatchObject({ ref: 'credit-train@1', rows: 60 });
    expect(dv.validations).toEqual([expect.objectContaining({ suite: 'card-rules', success: true, failed: 0 })]);
    expect(dv.columns.find((c: { name: string }) => c.name === 'age')).toMatchObject({ count: 60, nulls: 0, min: 20, max: 59 });
    expect(s.training_data.as_of).toBeGreaterThan(Date.now() - 60_000);
    expect(s.uses).toMatchObject({ status: 'empty', stale: false });
    expect(s.evaluation.status).toBe('empty');
    // No fairness, explanation, monitoring or approval source is wired into this test's cards: they say so.
    for (const id of ['fairness', 'explanations', 'monitoring', 'approvals']) expect(s[id].status).toMatch(/^(unavailable|empty|present)$/);
    expect(card.mct).toMatchObject({ schema_version: '0.0.2', model_details: { name: 'credit', version: { name: version } } });
    // MCT v0.0.2's shape: only its five top-level keys, a `date` as YYYY-MM-DD, metric values as strings.
    expect(Object.keys(card.mct).sort()).toEqual(['considerations', 'model_details', 'model_parameters', 'quantitative_analysis', 'schema_version']);
    expect(card.mct.model_details.version.date).toMatch(/^\d{4}-\d\d-\d\d$/);
    for (const m of card.mct.quantitative_analysis.performance_metrics)
      expect([typeof m.type, typeof m.value, typeof m.slice]).toEqual(['string', 'string', 'string']);
    expect(card.mct.quantitative_analysis.performance_metrics).toContainEqual({ type: 'val_auc', value: '0.91', slice: 'training run' });

    // A new fact (a metric logged on the source run) changes the hash, and the renders agree again afterwards.
    await t.call('POST', '/api/2.0/mlflow/runs/log-metric', { run_id: runId, key: 'val_loss', value: 0.3, timestamp: Date.now(), step: 0 });
    const c = await inject(t, 'GET', url);
    expect(c.json().content_hash).not.toBe(card.content_hash);
    expect((await inject(t, 'GET', url)).body).toBe(c.body);
    // The render time is in the body only when asked for, and does not enter the hash.
    const timed = (await inject(t, 'GET', `${url}?generated_at=true`)).json();
    expect(timed.generated_at).toMatch(/^\d{4}-/);
    expect(timed.content_hash).toBe(c.json().content_hash);
    // The status approvals read carries the same hash.
    const status = await t.call('GET', `${url}/status`);
    expect(status.body).toMatchObject({ content_hash: c.json().content_hash, hash: c.json().content_hash, stale_sections: [] });
  });

  it('reads the offline gate per slice from the loop, into the card, MCT and model-index', async () => {
    const url = '/api/v1/models/credit/versions/1/card';
    const before = (await inject(t, 'GET', url)).json();
    await gateStep(t, 'credit', '1', Date.now() - 1000);
    const card = (await inject(t, 'GET', url)).json();
    expect(card.content_hash).not.toBe(before.content_hash);
    const ev = card.sections.find((x: { id: string }) => x.id === 'evaluation');
    expect(ev.status).toBe('present');
    expect(ev.facts.evaluations[0]).toMatchObject({ loop: 'credit-loop', run: 1, passed: true });
    expect(ev.facts.evaluations[0].sources[0].slices.map((x: { name: string }) => x.name)).toEqual(['all', 'purpose=car']);
    expect(card.mct.quantitative_analysis.performance_metrics).toContainEqual({ type: 'accuracy', value: '0.8', slice: 'holdout credit-train@1: purpose=car' });
    expect(card.model_index[0].results[0]).toMatchObject({
      task: { type: 'tabular-classification' },
      dataset: { name: 'credit-train@1' },
      metrics: [
        { type: 'accuracy', value: 0.85, name: 'accuracy', verified: false },
        { type: 'accuracy', value: 0.8, name: 'accuracy (purpose=car)', verified: false },
      ],
    });
    // model-index's required fields (huggingface_hub's EvalResult): task type, dataset type and name, metric type and value.
    for (const r of card.model_index[0].results) {
      expect([typeof r.task.type, typeof r.dataset.type, typeof r.dataset.name]).toEqual(['string', 'string', 'string']);
      for (const m of r.metrics) expect([typeof m.type, typeof m.value]).toEqual(['string', 'number']);
    }
    const hf = await inject(t, 'GET', `${url}?format=hf`);
    expect(hf.json()['model-index']).toEqual(card.model_index);
    const mct = await inject(t, 'GET', `${url}?format=mct`);
    expect(mct.json()).toEqual(card.mct);
    expect((await inject(t, 'GET', `${url}?format=pdf`)).statusCode).toBe(400);
  });

  it('shows stored fairness reports by group, with parity and the four-fifths heuristic as the report states them', async () => {
    const url = '/api/v1/models/credit/versions/1/card';
    const before = (await inject(t, 'GET', url)).json();
    expect(before.sections.find((x: { id: string }) => x.id === 'fairness').status).toBe('empty');
    const analysis = {
      features: ['sex'],
      frames: [
        {
          metric: 'selection_rate',
          overall: 0.5,
          n: 60,
          groups: [
            { key: ['F'], label: 'F', value: 0.4, n: 30, weight: 30, observed: true, insufficient: false },
            { key: ['M'], label: 'M', value: 0.6, n: 30, weight: 30, observed: true, insufficient: false },
          ],
          group_min: 0.4,
          group_max: 0.6,
          difference: { between_groups: 0.2, to_overall: 0.1 },
          ratio: { between_groups: 0.4 / 0.6, to_overall: 0.8 },
          insufficient_groups: [],
        },
      ],
      parity: {
        demographic_parity_ratio: { between_groups: 0.4 / 0.6, to_overall: 0.8 },
        demographic_parity_difference: { between_groups: 0.2, to_overall: 0.1 },
      },
      four_fifths: {
        ratio: 0.4 / 0.6,
        threshold: 0.8,
        flagged: true,
        undefined: false,
        explanation: 'A heuristic: the lowest selection rate over the highest.',
      },
      insufficient_groups: [],
    };
    const at = Date.now() - 5000;
    for (const [i, a] of [analysis, { ...analysis, four_fifths: { ...analysis.four_fifths, flagged: false } }].entries()) {
      const row = {
        model: 'credit',
        version: '1',
        dataset: 'credit-train',
        dataset_version: 1,
        spec: JSON.stringify({ label: 'approved', sensitive_features: ['sex'], min_group_size: 30 }),
        result: JSON.stringify({ n_rows: 60, analyses: [a], notes: [] }),
        created_at: at + i,
        created_by: 'analyst',
      };
      // Stored as the fairness capability stores a report; its table may keep the scored rows in a column of their own.
      const db = t.store.db as unknown as Kysely<any>;
      await db
        .insertInto('fairness_reports')
        .values({ ...row, scored_rows: '{}' })
        .execute()
        .catch(() => db.insertInto('fairness_reports').values(row).execute());
    }
    const card = (await inject(t, 'GET', url)).json();
    expect(card.content_hash).not.toBe(before.content_hash);
    const fair = card.sections.find((x: { id: string }) => x.id === 'fairness');
    expect(fair).toMatchObject({ status: 'present', as_of: at + 1, stale: false });
    // The newest report per dataset version and features only (the second one, not flagged).
    expect(fair.facts.reports).toEqual([
      expect.objectContaining({ dataset: 'credit-train@1', sensitive_features: 'sex', four_fifths_flagged: false, created_by: 'analyst' }),
    ]);
    expect(fair.facts.groups).toEqual([
      expect.objectContaining({ features: 'sex', metric: 'selection_rate', group: 'F', n: 30, value: 0.4 }),
      expect.objectContaining({ features: 'sex', metric: 'selection_rate', group: 'M', n: 30, value: 0.6 }),
    ]);
    expect(fair.facts.parity).toContainEqual(expect.objectContaining({ metric: 'demographic_parity_ratio', between_groups: 0.4 / 0.6, to_overall: 0.8 }));
    expect(card.mct.quantitative_analysis.performance_metrics).toContainEqual({ type: 'selection_rate', value: '0.4', slice: 'sex=F' });
    const html = (await inject(t, 'GET', `${url}?format=html`)).body;
    expect(html).toContain('A heuristic: the lowest selection rate over the highest.');
  });

  it('shows live monitoring of the deployments serving the version: drift against the reference, performance from feedback', async () => {
    const version = await registerFixture(t, 'credit-served', 'credit_gbdt.onnx');
    const url = `/api/v1/models/credit-served/versions/${version}/card`;
    const none = (await inject(t, 'GET', url)).json();
    expect(none.sections.find((x: { id: string }) => x.id === 'monitoring')).toMatchObject({ status: 'empty', stale: false });
    expect((await t.call('POST', '/api/v1/deployments', { name: 'credit-served', routes: [{ model: 'credit-served', version }] })).status).toBe(200);
    const train = readFileSync(fixture('credit_train.csv'), 'utf8');
    const ref = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/deployments/credit-served/reference',
      headers: { ...t.auth, 'content-type': 'text/csv' },
      payload: train,
    });
    expect(ref.statusCode).toBe(200);
    const [head, ...lines] = train.trim().split('\n');
    const cols = head!.split(',');
    const rows = lines.slice(0, 300).map((l) =>
      Object.fromEntries(
        l
          .split(',')
          .map((v, i) => [cols[i]!, v === '' ? null : /^[-\d.]+$/.test(v) ? Number(v) : v])
          .filter(([k]) => k !== 'default'),
      ),
    );
    const answered = await t.call('POST', '/api/v1/deployments/credit-served/predict', { instances: rows });
    expect(answered.status).toBe(200);
    // A monitoring read writes the profiles the card reads.
    expect((await t.call('GET', '/api/v1/deployments/credit-served/drift')).status).toBe(200);
    const card = (await inject(t, 'GET', url)).json();
    const mon = card.sections.find((x: { id: string }) => x.id === 'monitoring');
    expect(mon).toMatchObject({ status: 'present', stale: false, stale_after_days: 30 });
    expect(mon.facts.deployments).toEqual([expect.objectContaining({ deployment: 'credit-served', rows: 300, dataset_drift: expect.any(Boolean) })]);
    expect(mon.facts.drift.map((d: { feature: string }) => d.feature)).toContain('age');
    // No training data on record for this version: CBPE has no labelled reference, and the card says why.
    expect(mon.facts.estimated_performance).toEqual([]);
    expect(mon.facts.deployments[0].estimated_not_computed).toMatch(/dataset|training data/);
    expect((await inject(t, 'GET', url)).body).toBe((await inject(t, 'GET', url)).body);

    // A version whose run recorded its training data (mlflow.log_input, context training): CBPE estimates its
    // performance from that labelled table, and the card shows the estimate beside drift.
    const push = await t.app.inject({
      method: 'POST',
      url: '/api/v1/datasets/credit-served-train/versions?filename=credit_train.csv',
      headers: { ...t.auth, 'content-type': 'text/csv' },
      payload: train,
    });
    expect(push.statusCode, push.body).toBe(201);
    const run = (await t.call('POST', '/api/2.0/mlflow/runs/create', { experiment_id: '0' })).body.run.info.run_id as string;
    const dataset = { name: 'credit-served-train', digest: push.json().version.digest, source_type: 'http', source: '{"url": "x"}' };
    const logged = await t.call('POST', '/api/2.0/mlflow/runs/log-inputs', {
      run_id: run,
      datasets: [{ dataset, tags: [{ key: 'mlflow.data.context', value: 'training' }] }],
    });
    expect(logged.status, JSON.stringify(logged.body)).toBe(200);
    const source = (await t.call('GET', `/api/2.0/mlflow/model-versions/get?name=credit-served&version=${version}`)).body.model_version.source;
    const v2 = (await t.call('POST', '/api/2.0/mlflow/model-versions/create', { name: 'credit-served', source, run_id: run })).body.model_version
      .version as string;
    expect((await t.call('POST', '/api/v1/deployments', { name: 'credit-served-2', routes: [{ model: 'credit-served', version: v2 }] })).status).toBe(200);
    const ref2 = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/deployments/credit-served-2/reference',
      headers: { ...t.auth, 'content-type': 'text/csv' },
      payload: train,
    });
    expect(ref2.statusCode).toBe(200);
    expect((await t.call('POST', '/api/v1/deployments/credit-served-2/predict', { instances: rows })).status).toBe(200);
    expect((await t.call('GET', '/api/v1/deployments/credit-served-2/drift')).status).toBe(200);
    const card2 = (await inject(t, 'GET', `/api/v1/models/credit-served/versions/${v2}/card`)).json();
    const mon2 = card2.sections.find((x: { id: string }) => x.id === 'monitoring');
    expect(mon2.facts.estimated_performance).toEqual([
      expect.objectContaining({
        deployment: 'credit-served-2',
        rows: 300,
        labelled: 0,
        reference: expect.objectContaining({ dataset: 'credit-served-train@1', label: 'default' }),
        metrics: expect.objectContaining({ roc_auc: expect.objectContaining({ estimated: expect.any(Number) }) }),
      }),
    ]);
  });

  it('viewers read the card, editing needs an editor; authored fields are escaped in HTML and Markdown', async () => {
    const { token: viewer } = await t.app.ferry.auth.createToken('card-viewer', 'viewer', 'test');
    const { token: editor } = await t.app.ferry.auth.createToken('card-editor', 'editor', 'test');
    const url = '/api/v1/models/credit/versions/1/card';
    expect((await inject(t, 'GET', url, viewer)).statusCode).toBe(200);
    expect((await inject(t, 'GET', '/api/v1/models/credit/card', viewer)).statusCode).toBe(200);
    const denied = await inject(t, 'PUT', '/api/v1/models/credit/card', viewer, { intended_use: 'x' });
    expect(denied.statusCode).toBe(403);
    const before = (await inject(t, 'GET', url)).json().content_hash;
    const put = await inject(t, 'PUT', '/api/v1/models/credit/card', editor, { intended_use: XSS, owner: 'Risk team', contact: 'risk@example.com' });
    expect(put.statusCode).toBe(200);
    expect(put.json().levels).toEqual([
      expect.objectContaining({ version: null, updated_by: 'card-editor', fields: { intended_use: XSS, owner: 'Risk team', contact: 'risk@example.com' } }),
    ]);
    // A version's own value overrides the model's; null clears.
    expect((await inject(t, 'PUT', '/api/v1/models/credit/card', editor, { version: '1', limitations: 'Not for under-18s.' })).statusCode).toBe(200);
    expect((await inject(t, 'PUT', '/api/v1/models/credit/card', editor, { version: '99', limitations: 'x' })).statusCode).toBe(404);
    expect((await inject(t, 'PUT', '/api/v1/models/credit/card', editor, { bogus: 'x' })).statusCode).toBe(400);
    const card = (await inject(t, 'GET', url)).json();
    expect(card.content_hash).not.toBe(before);
    const uses = card.sections.find((x: { id: string }) => x.id === 'uses');
    expect(uses).toMatchObject({ status: 'present', facts: { intended_use: { text: XSS, set_at: 'model', updated_by: 'card-editor' } } });
    expect(card.sections.find((x: { id: string }) => x.id === 'risks').facts.limitations).toMatchObject({ text: 'Not for under-18s.', set_at: 'version 1' });
    expect(card.mct.considerations.use_cases).toEqual([{ description: XSS }]);
    expect(card.mct.model_details.owners).toEqual([{ name: 'Risk team', contact: 'risk@example.com' }]);

    const html = await inject(t, 'GET', `${url}?format=html`, viewer);
    expect(html.headers['content-type']).toMatch(/^text\/html/);
    expect(html.headers['content-security-policy']).toMatch(/default-src 'none'/);
    expect(html.body).not.toMatch(/<script|<img|onerror=alert\(1\)>/i);
    expect(html.body).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt; &amp;');
    expect(html.body).not.toMatch(/src=["']?https?:|href=|@import|url\(/);
    expect(html.body).toContain('@media print');
    expect((await inject(t, 'GET', `${url}?format=html`)).body).toBe(html.body);

    const md = (await inject(t, 'GET', `${url}?format=md`)).body;
    expect(md).toContain('## Uses');
    expect(md).toContain('## Bias, risks, and limitations');
    expect(md).toContain('&lt;script\\>alert("x")&lt;/script\\>&lt;img src=x onerror=alert(1)\\> &amp; \\[link\\](javascript:alert(1)) \\# heading \\| pipe');
    expect(md).not.toMatch(/<script|<img/);
  });

  it('marks sections stale as the clock passes the policy age, without changing the hash', async () => {
    let now = Date.now();
    const monitoringAt = now - DAY;
    const cards = startCards({
      store: t.store,
      registry: t.app.ferry.registry,
      runs: t.app.ferry.runs,
      lineage: t.app.ferry.data.lineage,
      datasets: t.app.ferry.data.datasets,
      audit: new AuditLog(t.store),
      now: () => now,
      providers: {
        monitoring: async () => ({ as_of: monitoringAt, facts: { drift: [{ feature: 'age', psi: 0.02 }] } }),
      },
    });
    const fresh = await cards.service.cardStatus('credit', '1');
    expect(fresh.stale_sections).toEqual([]);
    now += 30 * DAY;
    const month = await cards.service.card('credit', '1');
    expect(month.stale_sections).toEqual(['monitoring']);
    expect(month.sections.find((s) => s.id === 'monitoring')).toMatchObject({ status: 'present', stale: true, stale_after_days: 30 });
    expect(month.content_hash).toBe(fresh.content_hash);
    now += 336 * DAY;
    const year = await cards.service.cardStatus('credit', '1');
    expect(year.stale_sections).toEqual(['training_data', 'evaluation', 'fairness', 'monitoring']);
    expect(year.sections.find((s) => s.id === 'training_data')).toMatchObject({ stale: true, present: true });
    expect(year.hash).toBe(fresh.content_hash);
    const html = (await cards.service.render('credit', '1', 'html')).body;
    expect(html).toContain('<section id="training_data" class="stale"');
    expect(html).toContain('stale: older than 365 days');

    // The policy is configurable: a one-hour validation age makes validation evidence stale two hours on.
    const strict = startCards({
      store: t.store,
      registry: t.app.ferry.registry,
      runs: t.app.ferry.runs,
      lineage: t.app.ferry.data.lineage,
      datasets: t.app.ferry.data.datasets,
      audit: new AuditLog(t.store),
      policy: { validation_ms: 3_600_000 },
      now: () => Date.now() + 2 * 3_600_000,
    });
    expect((await strict.service.cardStatus('credit', '1')).stale_sections).toEqual(['training_data', 'evaluation', 'fairness']);
  });

  it('an approval signs the card hash without changing it, and shows in the approvals section', async () => {
    const url = '/api/v1/models/credit/versions/1/card';
    const before = (await inject(t, 'GET', url)).json();
    const { token: reviewer } = await t.app.ferry.auth.createToken('card-reviewer', 'editor', 'test');
    const res = await inject(t, 'POST', '/api/v1/models/credit/versions/1/approvals', reviewer, {
      alias: 'production',
      decision: 'approve',
      comment: 'Reviewed.',
    });
    expect(res.statusCode).toBe(201);
    expect(res.json().approval.facts_hash).toBe(before.content_hash);
    const after = (await inject(t, 'GET', url)).json();
    expect(after.content_hash).toBe(before.content_hash);
    const approvals = after.sections.find((x: { id: string }) => x.id === 'approvals');
    expect(approvals.status).toBe('present');
    expect(JSON.stringify(approvals.facts)).toContain('card-reviewer');
  });

  it('exports the validation report: card, test log and SHA256SUMS that match, audited', async () => {
    const { token: viewer } = await t.app.ferry.auth.createToken('report-viewer', 'viewer', 'test');
    const res = await inject(t, 'GET', '/api/v1/models/credit/versions/1/report', viewer);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/zip');
    expect(res.headers['content-disposition']).toMatch(/credit-v1-validation-report\.zip/);
    const files = await readZip(res.rawPayload);
    const byName = new Map(files.map((f) => [f.path, f.data]));
    expect([...byName.keys()].sort()).toEqual(
      ['SHA256SUMS', 'card.html', 'card.json', 'card.md', 'manifest.json', 'test-log.csv', 'test-log.json'].map((n) => `credit-v1/${n}`).sort(),
    );
    const sums = byName.get('credit-v1/SHA256SUMS')!.toString('utf8').trim().split('\n');
    expect(sums).toHaveLength(6);
    for (const line of sums) {
      const [hex, name] = line.split('  ');
      expect(
        createHash('sha256')
          .update(byName.get(`credit-v1/${name}`)!)
          .digest('hex'),
        name,
      ).toBe(hex);
    }
    const card = JSON.parse(byName.get('credit-v1/card.json')!.toString('utf8'));
    expect(byName.get('credit-v1/card.json')!.toString('utf8')).toBe((await inject(t, 'GET', '/api/v1/models/credit/versions/1/card')).body);
    expect(res.headers['x-ferry-card-hash']).toBe(card.content_hash);
    const log = JSON.parse(byName.get('credit-v1/test-log.json')!.toString('utf8')).entries as {
      kind: string;
      actor: string;
      outcome: string;
      at_iso: string;
    }[];
    const kinds = new Set(log.map((e) => e.kind));
    for (const k of ['data_validation', 'gate_evaluation', 'fairness_report', 'approval', 'card_edit']) expect(kinds, k).toContain(k);
    // Refused attempts are evidence too.
    expect(log.filter((e) => e.kind === 'card_edit').map((e) => [e.actor, e.outcome])).toEqual([
      ['card-viewer', 'refused (403)'],
      ['card-editor', 'done'],
      ['card-editor', 'done'],
      ['card-editor', 'refused (404)'],
      ['card-editor', 'refused (400)'],
    ]);
    expect(log.every((e) => /^\d{4}-\d\d-\d\dT/.test(e.at_iso))).toBe(true);
    expect(JSON.parse(byName.get('credit-v1/manifest.json')!.toString('utf8'))).toMatchObject({
      model: 'credit',
      version: '1',
      generated_by: 'report-viewer',
      content_hash: card.content_hash,
    });
    // The export is audited.
    const audit = await t.store.db.selectFrom('audit_log').selectAll().where('action', '=', 'model.report.export').execute();
    expect(audit).toEqual([expect.objectContaining({ actor: 'report-viewer', path: '/api/v1/models/credit/versions/1/report', status: 200 })]);
    // A second export lists the first one in its log.
    const again = await readZip((await inject(t, 'GET', '/api/v1/models/credit/versions/1/report')).rawPayload);
    const log2 = JSON.parse(again.find((f) => f.path.endsWith('test-log.json'))!.data.toString('utf8')).entries as { kind: string }[];
    expect(log2.some((e) => e.kind === 'report_export')).toBe(true);
    expect((await inject(t, 'GET', '/api/v1/models/credit/versions/7/report')).statusCode).toBe(404);
    // A model name with spaces, slashes and non-ASCII letters gives safe entry names and a safe file name.
    const odd = '../Risk Model/ü';
    expect((await t.call('POST', '/api/2.0/mlflow/registered-models/create', { name: odd })).status).toBe(200);
    const run = await t.call('POST', '/api/2.0/mlflow/runs/create', { experiment_id: '0' });
    expect((await t.call('POST', '/api/2.0/mlflow/model-versions/create', { name: odd, source: `runs:/${run.body.run.info.run_id}/model` })).status).toBe(200);
    const oddRes = await inject(t, 'GET', `/api/v1/models/${encodeURIComponent(odd)}/versions/1/report`);
    expect(oddRes.statusCode).toBe(200);
    expect(oddRes.headers['content-disposition']).toContain('Risk_Model_-v1-validation-report.zip');
    const oddFiles = await readZip(oddRes.rawPayload);
    expect(oddFiles.map((f) => f.path).every((p) => p.startsWith('Risk_Model_-v1/') && !p.includes('..'))).toBe(true);
    expect(JSON.parse(oddFiles.find((f) => f.path.endsWith('manifest.json'))!.data.toString('utf8')).model).toBe(odd);
    expect((await inject(t, 'GET', '/api/v1/models/nope/versions/1/card')).statusCode).toBe(404);
  });

  it('renders a version whose run holds a time past what a date can hold (the MLflow API stores any int64)', async () => {
    // Found by the fuzzer: every render of such a card, its status, the gate and the report answered 500.
    const run = (await t.call('POST', '/api/2.0/mlflow/runs/create', { experiment_id: '0', start_time: 9e15 })).body.run.info.run_id as string;
    expect((await t.call('POST', '/api/2.0/mlflow/runs/log-metric', { run_id: run, key: 'auc', value: 0.8, timestamp: 9e18 })).status).toBe(200);
    const source = (await t.call('GET', '/api/2.0/mlflow/model-versions/get?name=credit&version=1')).body.model_version.source;
    const v = (await t.call('POST', '/api/2.0/mlflow/model-versions/create', { name: 'credit', source, run_id: run })).body.model_version.version;
    for (const path of ['card', 'card?format=html', 'card?format=md', 'card/status', 'report']) {
      const res = await inject(t, 'GET', `/api/v1/models/credit/versions/${v}/${path}`);
      expect(res.statusCode, `${path}: ${res.body.slice(0, 300)}`).toBe(200);
    }
    const card = (await inject(t, 'GET', `/api/v1/models/credit/versions/${v}/card`)).json();
    expect(card.sections.find((x: { id: string }) => x.id === 'training_run')).toMatchObject({ status: 'present', as_of_iso: null });
  });
});

describe('report entry names', () => {
  it('keep letters, digits, dot, dash and underscore only, never a leading dot', () => {
    expect(safeName('../../etc/passwd')).toBe('etc_passwd');
    expect(safeName('risk model ü')).toBe('risk_model_');
    expect(safeName('..')).toBe('model');
    expect(safeName('credit.v2-final_x')).toBe('credit.v2-final_x');
  });
});
