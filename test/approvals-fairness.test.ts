/**
 * The approval gate's fairness check reads the latest stored fairness report of the version (the credit GBDT fixture
 * scored on its training table): within the bound it passes and the alias moves; a bound the report's value misses
 * fails with the report's number and refuses the move. Both stores.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, expect, it } from 'vitest';
import { useTestApp } from './support/app.js';
import { registerFixture } from './support/models.js';
import { forEachStore } from './support/stores.js';

const csvText = readFileSync(new URL('./fixtures/models/credit_train.csv', import.meta.url), 'utf8');
const MODEL = 'credit-gated';

forEachStore('approval gate on a fairness report', (kind) => {
  const t = useTestApp(kind);
  let ratio = 0;

  beforeAll(async () => {
    expect(await registerFixture(t, MODEL, 'credit_gbdt.onnx')).toBe('1');
    const push = await t.app.inject({
      method: 'POST',
      url: '/api/v1/datasets/credit-gated/versions?filename=credit_train.csv',
      headers: { ...t.auth, 'content-type': 'text/csv' },
      payload: csvText,
    });
    expect(push.statusCode, push.body).toBe(201);
    const res = await t.call('POST', `/api/v1/models/${MODEL}/versions/1/fairness`, {
      dataset: 'credit-gated',
      dataset_version: 'latest',
      label: 'default',
      sensitive_features: ['home_ownership'],
      metrics: ['selection_rate'],
    });
    expect(res.status, JSON.stringify(res.body).slice(0, 300)).toBe(201);
    ratio = res.body.report.analyses[0].parity.demographic_parity_ratio.between_groups;
    expect(ratio).toBeGreaterThan(0);
  }, 60_000);

  const policy = (min: number) =>
    t.call('PUT', `/api/v1/models/${MODEL}/policies/production`, {
      checks: [{ kind: 'fairness', metric: 'demographic_parity_ratio', features: ['home_ownership'], min }],
      required_approvals: 0,
    });
  const move = () => t.call('POST', '/api/2.0/mlflow/registered-models/alias', { name: MODEL, alias: 'production', version: '1' });

  it("passes within the bound and refuses the move when the report's ratio is below it", async () => {
    expect((await policy(Math.max(0, ratio - 0.05))).status).toBe(200);
    let g = (await t.call('GET', `/api/v1/models/${MODEL}/versions/1/gate?alias=production`)).body;
    expect(g.checks[0]).toMatchObject({ kind: 'fairness', passed: true, evidence: { value: ratio } });
    expect(g.checks[0].evidence.report_id).toEqual(expect.any(Number));
    expect((await move()).status).toBe(200);

    expect((await policy(Math.min(1, ratio + 0.05))).status).toBe(200);
    g = (await t.call('GET', `/api/v1/models/${MODEL}/versions/1/gate?alias=production`)).body;
    expect(g.checks[0].passed).toBe(false);
    expect(g.checks[0].reason).toContain(ratio.toFixed(4));
    const refused = await move();
    expect(refused.status).toBe(403);
    expect(refused.body.message).toContain('demographic_parity_ratio');
  });
});
