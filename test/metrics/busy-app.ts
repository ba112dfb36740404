/**
 * An app with something in every gauge: a served fixture model with a reference, traffic with two features
 * shifted and ground truth for every row, an alert rule firing on the drift, and a queued job. The metric tests
 * scrape its /metrics.
 */
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { uploadProject, zipOf } from '../jobs/support.js';
import type { TestApp } from '../support/app.js';
import { clearOfWindowEnd } from '../support/clock-windows.js';
import { registerFixture } from '../support/models.js';

export const DEPLOYMENT = 'credit';

const csvText = readFileSync(new URL('../fixtures/models/credit_train.csv', import.meta.url), 'utf8');
const [head, ...lines] = csvText.trim().split('\n');
const cols = head!.split(',');
const rows: Record<string, unknown>[] = lines.map((l) =>
  Object.fromEntries(l.split(',').map((v, i) => [cols[i]!, v === '' ? null : /^[-\d.]+$/.test(v) ? Number(v) : v])),
);
const features = (r: Record<string, unknown>) => Object.fromEntries(Object.entries(r).filter(([k]) => k !== 'default'));

export async function scrape(t: TestApp): Promise<string> {
  const res = await t.app.inject({ method: 'GET', url: '/metrics', headers: t.auth });
  expect(res.statusCode).toBe(200);
  expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
  return res.body;
}

/** Fills `t` (a fresh app); the alert engine's background evaluation is stopped (the setup evaluates once). */
export async function makeBusy(t: TestApp): Promise<void> {
  await t.app.alerts.stop();
  await registerFixture(t, 'credit', 'credit_gbdt.onnx');
  expect((await t.call('POST', '/api/v1/deployments', { name: DEPLOYMENT, routes: [{ model: 'credit', version: '1' }] })).status).toBe(200);
  const ref = await t.app.inject({
    method: 'PUT',
    url: `/api/v1/deployments/${DEPLOYMENT}/reference`,
    headers: { ...t.auth, 'content-type': 'text/csv' },
    payload: csvText,
  });
  expect(ref.statusCode).toBe(200);

  // One 1 h profile window: income and home ownership shifted, every row labelled.
  await clearOfWindowEnd(3_600_000, 30_000);
  const shifted: Record<string, unknown>[] = rows
    .slice(0, 400)
    .map((r) => ({ ...r, income: ((r['income'] as number | null) ?? 0) * 3 + 20_000, home_ownership: 'own' }));
  for (let i = 0; i < shifted.length; i += 200) {
    const chunk = shifted.slice(i, i + 200);
    const res = await t.call('POST', `/api/v1/deployments/${DEPLOYMENT}/predict`, { instances: chunk.map(features) });
    expect(res.status).toBe(200);
    const fb = await t.call(
      'POST',
      '/api/v1/feedback',
      chunk.map((r, row) => ({ request_id: res.body.request_id, row, label: r['default'] })) as unknown as object,
    );
    expect(fb.body).toMatchObject({ accepted: chunk.length, unknown: [] });
  }

  // An alert rule on the drift, evaluated on monitoring's real numbers.
  const rule = await t.call('POST', '/api/v1/alerts/rules', {
    name: 'income-drift',
    deployment: DEPLOYMENT,
    metric: 'feature_drift:income',
    comparison: '>=',
    threshold: 1,
    severity: 'critical',
  });
  expect(rule.status).toBe(200);
  const evaluation = await t.call('POST', '/api/v1/alerts/evaluate');
  expect(evaluation.body.transitions.map((x: { rule: string; to: string }) => [x.rule, x.to])).toEqual([['income-drift', 'firing']]);

  // A job: queued (the app's worker starts only when a server listens).
  const project = await uploadProject(t, await zipOf({ MLproject: 'name: idle\nentry_points:\n  main:\n    command: "python -c pass"\n' }));
  expect(project.status).toBe(201);
  expect((await t.call('POST', '/api/v1/jobs', { project: project.body.project.digest })).status).toBe(201);
}
