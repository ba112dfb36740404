/**
 * The Monitoring, Alerts and Data pages in a real chromium against a real `ferry server`, seeded through the
 * SDK: the credit model deployed with dataset credit-risk@1 as its reference, traffic with drifted income and
 * its labels, a drift alert rule that fires; a second dataset version (income shifted, a column added, one
 * retyped with a warning, a failing suite) and a 120-column dataset. Screenshots go to test-results/ui/.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { FerryClient } from '../../src/sdk/index.js';
import { closeBrowser, describeUi, openUi, type UiSession } from '../support/browser.js';
import { clearOfWindowEnd } from '../support/clock-windows.js';
import { type FerryServer, startFerry } from '../support/ferry-process.js';
import { fixture } from '../support/models.js';

const WIDE_COLUMNS = 120;
const enc = (s: string) => new TextEncoder().encode(s);

interface Seeded {
  runId: string;
}

async function seed(client: FerryClient): Promise<Seeded> {
  const csv = readFileSync(fixture('credit_train.csv'), 'utf8');
  const [head, ...lines] = csv.trim().split('\n');
  const cols = head!.split(',');
  const rows: Record<string, string | number | null>[] = lines.map((l) =>
    Object.fromEntries(l.split(',').map((v, i) => [cols[i]!, v === '' ? null : /^[-\d.]+$/.test(v) ? Number(v) : v])),
  );

  await client.modelVersions.register('credit', readFileSync(fixture('credit_gbdt.onnx')));
  await client.deployments.create('credit', { routes: [{ model: 'credit', version: '1', weight: 100 }] });
  await client.deployments.create('scoring-noref', { routes: [{ model: 'credit', version: '1', weight: 100 }] });

  // Dataset version 1 (the training data) and a suite that runs on every later push.
  const v1 = await client.data.push('credit-risk', enc(csv), { filename: 'credit_train.csv' });
  await client.data.putSuite('credit-rules', {
    expectations: [
      { type: 'expect_column_values_to_be_between', kwargs: { column: 'income', min_value: 0, max_value: 150_000 } },
      { type: 'expect_column_values_to_not_be_null', kwargs: { column: 'age', mostly: 0.9 } },
    ],
  });
  await client.data.attach('credit-rules', { dataset: 'credit-risk' });
  // Version 2: 12,000 rows (past the type-inference sample), income shifted, a region column, and one
  // months_employed value that is text on the last line (a demotion warning, a retyped column in the diff).
  const shifted = [`${head},region`];
  for (let copy = 0; copy < 6; copy++) {
    lines.forEach((l, i) => {
      const v = l.split(',');
      if (v[1] !== '') v[1] = String(Number(v[1]) * 3 + 20_000);
      if (copy === 5 && i === lines.length - 1) v[4] = 'unknown';
      shifted.push([...v, i % 2 ? 'north' : 'south'].join(','));
    });
  }
  const v2 = await client.data.push('credit-risk', enc(`${shifted.join('\n')}\n`), { filename: 'credit_shifted.csv' });
  expect(v2.version.schema.warnings.map((w) => w.column)).toEqual(['months_employed']);
  expect(v2.validations).toMatchObject([{ suite: 'credit-rules', success: false }]);

  // Lineage: a run trained on version 1, and a model version from that run.
  const experimentId = await client.experiments.create('credit-training');
  const run = await client.runs.create({ experimentId, runName: 'gbdt-train' });
  await client.http.post('/api/2.0/mlflow/runs/log-inputs', {
    run_id: run.info.run_id,
    datasets: [
      {
        tags: [{ key: 'mlflow.data.context', value: 'training' }],
        dataset: { name: 'credit-risk', digest: v1.version.digest, source_type: 'http', source: '{"url": "x"}' },
      },
    ],
  });
  const mv1 = await client.modelVersions.get('credit', 1);
  await client.modelVersions.create({ name: 'credit', source: mv1.source, runId: run.info.run_id });

  // Monitoring: the reference, traffic with income drifted, and labels for every row.
  await client.monitoring.setReference('credit', { dataset: 'credit-risk@1' });
  // The suite also judges each window of live traffic (its income bound fails on the drifted traffic).
  await client.data.attach('credit-rules', { deployment: 'credit' });
  const traffic = rows.slice(0, 600).map((r): Record<string, string | number | null> => ({ ...r, income: Number(r['income'] ?? 0) * 3 + 20_000 }));
  await clearOfWindowEnd(3_600_000, 15_000); // one 1 h window of traffic ("Validation per window" has one row)
  for (let i = 0; i < traffic.length; i += 200) {
    const chunk = traffic.slice(i, i + 200);
    const res = await client.deployments.predict('credit', { instances: chunk.map(({ default: _label, ...features }) => features) });
    await client.monitoring.feedback(chunk.map((r, row) => ({ request_id: res.request_id, row, label: r['default'] as number })));
  }
  await client.alerts.createRule({
    name: 'income-drift',
    deployment: 'credit',
    metric: 'feature_drift:income',
    comparison: '>=',
    threshold: 1,
    window: '1h',
    severity: 'critical',
  });
  // A second rule fires, then resolves once its threshold is raised.
  await client.alerts.createRule({
    name: 'traffic-seen',
    deployment: 'credit',
    metric: 'request_rate',
    comparison: '>',
    threshold: 0,
    window: '1h',
    severity: 'info',
  });
  const evaluation = await client.alerts.evaluate();
  expect(evaluation.transitions.map((t) => [t.rule, t.to]).sort()).toEqual([
    ['income-drift', 'firing'],
    ['traffic-seen', 'firing'],
  ]);
  await client.alerts.updateRule('traffic-seen', { threshold: 1e9 });
  const second = await client.alerts.evaluate();
  expect(second.transitions.map((t) => [t.rule, t.event])).toEqual([['traffic-seen', 'resolved']]);

  // A wide dataset: more columns than one page of the profile table.
  const names = Array.from({ length: WIDE_COLUMNS }, (_, j) => `f${String(j).padStart(3, '0')}`);
  const wide = [names.join(','), ...Array.from({ length: 200 }, (_, i) => names.map((_, j) => (i * (j + 1)) % 97).join(','))].join('\n');
  await client.data.push('wide', enc(`${wide}\n`), { filename: 'wide.csv' });
  return { runId: run.info.run_id };
}

describeUi('Monitoring, Alerts and Data pages', () => {
  let server: FerryServer;
  let ui: UiSession;
  let seeded: Seeded;
  const requests: string[] = [];
  const count = (re: RegExp) => requests.filter((u) => re.test(u)).length;

  beforeAll(async () => {
    // The seed evaluates alert rules itself and expects their transitions: no background evaluation in between.
    server = await startFerry({ env: { FERRY_ALERT_EVAL_SECONDS: '86400' } });
    seeded = await seed(new FerryClient({ url: server.url, token: server.adminToken }));
    ui = await openUi(server.url);
    ui.page.on('request', (req) => {
      if (req.url().startsWith(`${server.url}/api/`)) requests.push(new URL(req.url()).pathname);
    });
    await ui.signIn(server.adminToken);
    // Sign-in lands on the Overview, which asks for drift too: let it finish before the requests are counted.
    await ui.page.waitForLoadState('networkidle');
  }, 180_000);
  afterAll(async () => {
    await ui?.close();
    await closeBrowser();
    await server?.stop();
  });

  it('monitoring: the drift table per feature, and a drifted feature opens its reference-vs-current histogram', async () => {
    requests.length = 0;
    await ui.goto('#/monitoring');
    await expect.poll(() => ui.page.evaluate(() => location.hash)).toBe('#/monitoring/credit');
    const table = ui.page.getByRole('table', { name: 'Feature drift' });
    await expect.poll(() => table.locator('tbody tr').count()).toBe(8); // 7 features and the prediction
    const income = table.locator('tbody tr', { hasText: 'income' });
    expect(await income.textContent()).toContain('drifted');
    expect(await income.textContent()).toContain('wasserstein');
    expect(await ui.page.locator('.drift-summary').textContent()).toContain('dataset credit-risk@1');

    await table.getByRole('button', { name: 'income', exact: true }).click();
    const card = ui.page.getByRole('region', { name: 'Histogram of income' });
    await card.waitFor();
    const bars = await card
      .locator('svg rect')
      .evaluateAll((rects) => rects.map((r) => ({ fill: r.getAttribute('fill'), h: Number(r.getAttribute('height')) })));
    const drawn = (fill: string) => bars.filter((b) => b.fill === fill && b.h > 0).length;
    expect(drawn('#9ca3af')).toBeGreaterThan(5); // reference
    expect(drawn('#2563eb')).toBeGreaterThan(5); // current
    expect(await card.locator('.legend').textContent()).toMatch(/reference.*current/);
    expect(await card.textContent()).toContain('> 217k'); // current values past the reference's range
    expect(await ui.page.evaluate(() => location.hash)).toBe('#/monitoring/credit?feature=income');
    // The bins came with the drift answer: one drift request for the table and the histogram.
    expect(count(/\/drift$/)).toBe(1);
    await ui.screenshot('monitoring-drift-histogram');

    await ui.page.getByRole('group', { name: 'Time range' }).getByRole('button', { name: '7d' }).click();
    await expect.poll(() => ui.page.evaluate(() => location.hash)).toContain('range=7d');
    await expect.poll(() => count(/\/drift$/)).toBe(2);
    await card.waitFor();
  });

  it('monitoring: drift and data quality over time, and live performance per model version', async () => {
    await ui.page.getByRole('tab', { name: 'Drift & quality over time' }).click();
    for (const chart of ['Share of drifted features', 'Drift score per feature', 'Missing-value rate per feature']) {
      await expect.poll(() => ui.page.locator(`.chart-card[data-chart="${chart}"] canvas`).count(), { message: chart }).toBeGreaterThan(0);
    }
    expect(await ui.page.locator('.chart-card[data-chart="Drift score per feature"] .u-legend').textContent()).toContain('income');
    const suites = ui.page.getByRole('table', { name: 'Validation per window' });
    await expect.poll(() => suites.locator('tbody tr').count()).toBe(1);
    expect(await suites.locator('tbody tr').textContent()).toMatch(/credit-rules.*failed.*1 of 2.*expect_column_values_to_be_between \(income\)/);
    await ui.screenshot('monitoring-trends');

    await ui.page.getByRole('tab', { name: 'Performance' }).click();
    const perf = ui.page.getByRole('table', { name: 'Performance per model version' });
    await expect.poll(() => perf.locator('tbody tr').count()).toBe(1);
    expect(await perf.locator('tbody tr').textContent()).toContain('v1');
    expect(await perf.locator('thead').textContent()).toContain('roc_auc');
    await expect.poll(() => ui.page.locator('.chart-card[data-metric="accuracy"] canvas').count()).toBeGreaterThan(0);
    expect(await ui.page.locator('.chart-card[data-metric="accuracy"] .u-legend').textContent()).toContain('v1');
    await ui.screenshot('monitoring-performance');
  });

  it('monitoring: an unknown deployment, or one without a reference, is explained in words', async () => {
    await ui.goto('#/monitoring/ghost');
    await expect.poll(() => ui.page.getByRole('alert').first().textContent()).toContain("Deployment 'ghost' does not exist");
    await ui.page.getByLabel('Deployment').selectOption('scoring-noref');
    await expect.poll(() => ui.page.getByRole('alert').first().textContent()).toContain("Deployment 'scoring-noref' has no reference yet");
    expect(await ui.page.getByRole('tabpanel').textContent()).toContain('ferry reference set scoring-noref --dataset NAME@VERSION');
    await ui.page.getByRole('tab', { name: 'Performance' }).click();
    await expect.poll(() => ui.page.getByRole('tabpanel').textContent()).toContain('No predictions in this time range have feedback yet');
  });

  it('alerts: firing and resolved groups list each alert with its cause; rules, history and silences', async () => {
    await ui.goto('#/alerts');
    const group = ui.page.getByRole('region', { name: 'Firing alerts of credit' });
    await group.waitFor();
    const text = await group.textContent();
    expect(text).toContain('income-drift');
    expect(text).toContain('feature_drift:income = 1 (fires when ≥ 1)');
    expect(text).toContain('critical');
    expect(text).toContain('1 firing');
    expect(text).not.toContain('traffic-seen');
    const resolved = ui.page.getByRole('region', { name: 'Resolved alerts of credit' });
    expect(await resolved.textContent()).toContain('traffic-seen');
    expect(await resolved.textContent()).toContain('request_rate = ');
    expect(await resolved.textContent()).toContain('1 resolved');
    await ui.screenshot('alerts');

    await ui.page.getByRole('tab', { name: 'Rules' }).click();
    const rules = ui.page.getByRole('table', { name: 'Alert rules' });
    await expect.poll(() => rules.textContent()).toContain('feature_drift:income ≥ 1');
    expect(await rules.textContent()).toContain('firing');
    await ui.page.getByRole('tab', { name: 'History' }).click();
    const history = ui.page.getByRole('table', { name: 'Alert history' });
    await expect.poll(() => history.locator('tbody tr').count()).toBe(3);
    expect(await history.locator('tbody tr').first().textContent()).toContain('resolved');

    // Silences: a typo is explained, a silence is created, shown against the alert, then expired.
    await ui.page.getByRole('tab', { name: 'Silences' }).click();
    await ui.page.getByLabel('Matchers').fill('deployment');
    await ui.page.getByRole('button', { name: 'Silence', exact: true }).click();
    await expect.poll(() => ui.page.getByRole('alert').first().textContent()).toContain('"deployment" is not name=value or name=~regex.');
    await ui.page.getByLabel('Matchers').fill('deployment=credit, severity=~warning|critical');
    await ui.page.getByLabel('Comment').fill('migration');
    await ui.page.getByRole('button', { name: 'Silence', exact: true }).click();
    const silences = ui.page.getByRole('table', { name: 'Silences' });
    await expect.poll(() => silences.textContent()).toContain('deployment=credit, severity=~warning|critical');
    await ui.page.getByRole('tab', { name: 'Alerts' }).click();
    await expect.poll(() => group.textContent()).toContain('until');
    await ui.page.getByRole('tab', { name: 'Silences' }).click();
    await silences.getByRole('button', { name: /^Expire silence/ }).click();
    await expect.poll(() => silences.locator('tbody tr').count()).toBe(0);

    // The cause links to the feature's histogram on the Monitoring page.
    await ui.page.getByRole('tab', { name: 'Alerts' }).click();
    await group.getByRole('link', { name: /feature_drift:income/ }).click();
    await ui.page.getByRole('region', { name: 'Histogram of income' }).waitFor();
  });

  it('data: datasets, versions with a warning, and a diff with schema changes and drift per column', async () => {
    await ui.goto('#/data');
    const datasets = ui.page.getByRole('table', { name: 'Datasets' });
    await expect.poll(() => datasets.locator('tbody tr').count()).toBe(2);
    await datasets.getByRole('link', { name: 'credit-risk' }).click();
    const versions = ui.page.getByRole('table', { name: 'Versions' });
    await expect.poll(() => versions.locator('tbody tr').count()).toBe(2);
    expect(await versions.locator('tbody tr').first().textContent()).toMatch(/12\s000/);
    await ui.screenshot('data-dataset');

    await ui.page.getByRole('button', { name: 'Compare versions' }).click();
    await expect.poll(() => ui.page.evaluate(() => location.hash)).toBe('#/data/credit-risk/diff?from=1&to=2');
    const schema = ui.page.getByRole('table', { name: 'Schema changes' });
    await expect.poll(() => schema.locator('tbody tr').count()).toBe(2);
    expect(await schema.locator('tbody tr', { hasText: 'region' }).textContent()).toContain('added');
    expect(await schema.locator('tbody tr', { hasText: 'months_employed' }).textContent()).toContain('integer → string');
    const drift = ui.page.getByRole('table', { name: 'Column drift' });
    expect(await drift.locator('tbody tr', { hasText: 'income' }).textContent()).toContain('drifted');
    await drift.getByRole('button', { name: 'income', exact: true }).click();
    expect(await ui.page.getByRole('region', { name: 'Histogram of income' }).locator('svg rect').count()).toBeGreaterThan(10);
    await ui.screenshot('data-diff');
  });

  it('data: a version page shows its profile, schema warnings, failed expectations and lineage', async () => {
    await ui.goto('#/data/credit-risk/1');
    const profile = ui.page.getByRole('table', { name: 'Profile' });
    await expect.poll(() => profile.locator('tbody tr').count()).toBe(8);
    expect(await profile.locator('tbody tr', { hasText: 'income' }).textContent()).toContain('173 (');
    await profile.getByRole('button', { name: 'income', exact: true }).click();
    expect(await ui.page.getByRole('region', { name: 'Column income' }).locator('svg rect').count()).toBeGreaterThan(10);
    await profile.getByRole('button', { name: 'home_ownership', exact: true }).click();
    expect(await ui.page.getByRole('region', { name: 'Column home_ownership' }).textContent()).toContain('top categories');
    await ui.screenshot('data-profile');

    await ui.page.getByRole('tab', { name: 'Lineage' }).click();
    const run = ui.page.getByRole('link', { name: 'gbdt-train' });
    await run.waitFor();
    expect(await run.getAttribute('href')).toBe(`#/runs/${seeded.runId}`);
    expect(await ui.page.getByRole('table', { name: 'Model versions using this version' }).getByRole('link', { name: 'credit' }).getAttribute('href')).toBe(
      '#/models/credit',
    );

    await ui.goto('#/data/credit-risk/2?tab=validations');
    expect(await ui.page.getByRole('note', { name: 'Schema warnings' }).textContent()).toContain("column 'months_employed' looked integer");
    const results = ui.page.getByRole('list', { name: 'Validation results' });
    await expect.poll(() => results.textContent()).toContain('credit-rules');
    expect(await results.textContent()).toContain('1 of 2 expectations failed');
    await results.getByRole('button', { name: 'Show failed expectations' }).click();
    const unexpected = ui.page.getByRole('table', { name: 'Unexpected values of income' });
    await unexpected.waitFor();
    expect(await unexpected.locator('thead').textContent()).toMatch(/Row.*Line.*Value/);
    const first = await unexpected.locator('tbody tr').first().locator('td').allTextContents();
    expect(Number(first[0])).toBeGreaterThanOrEqual(0);
    expect(Number(first[2])).toBeGreaterThan(150_000);
    await ui.screenshot('data-validation');
  });

  it('data: a 120-column profile loads in one request and pages 50 columns at a time', async () => {
    requests.length = 0;
    const started = Date.now();
    await ui.goto('#/data/wide/1');
    const profile = ui.page.getByRole('table', { name: 'Profile' });
    await expect.poll(() => profile.locator('tbody tr').count()).toBe(50);
    const ms = Date.now() - started;
    expect(await ui.page.locator('.pager-label').first().textContent()).toBe(`Rows 1–50 of ${WIDE_COLUMNS}`);
    expect(count(/\/datasets\/wide\/versions\/1$/)).toBe(1);
    await ui.page.getByRole('button', { name: 'Next ›' }).click();
    await expect.poll(() => profile.locator('tbody tr').first().textContent()).toContain('f050');
    expect(count(/\/api\/v1\/datasets/)).toBe(1);
    console.log(`wide profile (${WIDE_COLUMNS} columns): first page in ${ms} ms`);
  });

  it('logged no console errors', () => {
    // The unknown deployment answers 404, which chromium reports as a failed resource.
    ui.expectNoConsoleErrors([/status of 404/]);
  });
});
