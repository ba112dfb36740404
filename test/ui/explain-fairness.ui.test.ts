/**
 * Explanations, fairness and estimated performance in a real chromium against a real `ferry server`, seeded through
 * the SDK: the credit GBDT (a real ONNX binary classifier) registered from a file (so no lineage: the server knows
 * no training data for it), its training table pushed as a dataset version, a deployment with 300 logged
 * predictions, labels for half of them, and a stored fairness report. In the UI: global importance refused without
 * a background, then drawn with one; the fairness report's groups, parity and bars; a logged prediction explained
 * as a waterfall whose φ are the API's; a typed row explained; live fairness charts; CBPE beside realized
 * performance. Screenshots go to test-results/ui/.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { FerryClient } from '../../src/sdk/index.js';
import { closeBrowser, describeUi, openUi, type UiSession } from '../support/browser.js';
import { type FerryServer, startFerry } from '../support/ferry-process.js';

const fixture = (name: string) => new URL(`../fixtures/models/${name}`, import.meta.url);

/** Rows of credit_train.csv as records (numbers as numbers, empty cells as null), the label apart. */
function creditRows(n: number): { inputs: Record<string, unknown>; label: number }[] {
  const [header, ...lines] = readFileSync(fixture('credit_train.csv'), 'utf8').trim().split('\n');
  const cols = header!.split(',');
  const value = (v: string) => (v === '' ? null : Number.isNaN(Number(v)) ? v : Number(v));
  return lines.slice(0, n).map((line) => {
    const rec = Object.fromEntries(line.split(',').map((v, i) => [cols[i]!, value(v)]));
    const { default: label, ...inputs } = rec;
    return { inputs, label: label as number };
  });
}

// The expected refusals (no background / reference known for a version without lineage) are 400 answers, which
// chromium logs as a failed resource load; nothing else may be logged.
const REFUSAL = [/status of 400/];

describeUi('Explanations, fairness and estimated performance', () => {
  let server: FerryServer;
  let client: FerryClient;
  let ui: UiSession;

  beforeAll(async () => {
    server = await startFerry();
    client = new FerryClient({ url: server.url, token: server.adminToken });
    await client.modelVersions.register('credit', readFileSync(fixture('credit_gbdt.onnx')));
    await client.data.push('credit-train', readFileSync(fixture('credit_train.csv')), { filename: 'credit_train.csv' });
    await client.deployments.create('credit-risk', { routes: [{ model: 'credit', version: '1' }] });
    await client.deployments.create('credit-quiet', { routes: [{ model: 'credit', version: '1' }] });
    // The deployment's monitoring reference is the training table: the explanations' default background.
    await client.monitoring.setReference('credit-risk', { dataset: 'credit-train@1' });
    const rows = creditRows(300);
    for (let i = 0; i < rows.length; i += 50) {
      const batch = rows.slice(i, i + 50);
      const res = await client.deployments.predict('credit-risk', { instances: batch.map((r) => r.inputs) });
      // Labels for the first half of each batch.
      await client.monitoring.feedback(batch.slice(0, 25).map((r, row) => ({ request_id: res.request_id, row, label: r.label })));
    }
    await client.fairness.create('credit', '1', {
      dataset: 'credit-train',
      dataset_version: 1,
      label: 'default',
      sensitive_features: ['home_ownership'],
      metrics: ['selection_rate', 'true_positive_rate', 'false_positive_rate', 'accuracy', 'count'],
      min_group_size: 500,
    });
    ui = await openUi(server.url);
    await ui.goto('#/models');
    await ui.signIn(server.adminToken);
  }, 180_000);
  afterAll(async () => {
    await ui?.close();
    await closeBrowser();
    await server?.stop();
  });

  it('draws global importance once a background is named, and the stored fairness report', async () => {
    const page = ui.page;
    await ui.goto('#/models/credit/versions/1');
    await page.getByRole('heading', { name: 'Feature importance' }).waitFor();
    // Computed on request. No lineage: the server refuses, and the page says how to give a background.
    expect(await page.locator('[data-testid="importance"] .bar').count()).toBe(0);
    await page.getByRole('button', { name: 'Compute importance' }).click();
    await page.getByTestId('importance-hint').waitFor();
    await page.getByLabel('Importance background').fill('credit-train@1');
    await page.getByRole('button', { name: 'Compute importance' }).click();
    const bars = page.locator('[data-testid="importance"] .bar');
    await expect.poll(() => bars.count()).toBe(7);
    const importance = await client.explain.importance('credit', '1', { dataset: 'credit-train', dataset_version: '1' });
    // Largest first, as the API ranks them; the method and the background stated.
    expect(await bars.first().getAttribute('data-label')).toBe(importance.features[0]!.feature);
    const said = await page.getByTestId('importance').textContent();
    expect(said).toContain(importance.method);
    expect(said).toContain('credit-train@1');
    expect(said).toContain(`output space ${importance.output_space}`);

    // Fairness: the report opens by itself; groups as rows with counts, insufficient ones marked.
    const report = page.getByTestId('fairness-report');
    await report.waitFor();
    const groupRows = report.getByRole('table', { name: 'Metrics by group' }).locator('tbody tr');
    await expect.poll(() => groupRows.count()).toBe(4);
    const table = (await report.getByRole('table', { name: 'Metrics by group' }).textContent()) ?? '';
    for (const g of ['mortgage', 'own', 'rent', '(missing)']) expect(table).toContain(g);
    expect(table).toContain('651');
    expect(await report.locator('tbody tr.insufficient').count()).toBe(2); // own (478) and (missing) (121) < 500
    expect(await page.getByTestId('four-fifths').textContent()).toContain('heuristic');
    // One bar chart per metric but the count, one bar per group.
    const charts = report.locator('.chart-card');
    expect(await charts.count()).toBe(4);
    expect(await charts.first().locator('.bar rect').count()).toBe(4);
    await ui.screenshot('version-importance-fairness');
    // The choice is remembered for the tab: the next visit shows the bars without asking.
    await ui.goto('#/models/credit/versions/1');
    await expect.poll(() => bars.count()).toBe(7);

    // A new report from the page: two sensitive features give their intersection first, then each alone.
    await page.getByText('New fairness report').click();
    await page.getByLabel('Fairness dataset').fill('credit-train@1');
    await page.getByLabel('Fairness label column').fill('default');
    await page.getByLabel('Sensitive features').fill('home_ownership, purpose');
    await page.getByRole('button', { name: 'Create report' }).click();
    await expect.poll(() => page.getByTestId('fairness-report').getAttribute('data-report')).toBe('2');
    await expect.poll(() => page.getByRole('table', { name: 'Fairness reports' }).locator('tbody tr').count()).toBe(2);
    const stored = await client.fairness.get('credit', '1', 2);
    expect(stored.spec).toMatchObject({ sensitive_features: ['home_ownership', 'purpose'], label: 'default', min_group_size: 30 });
    const analyses = page.getByRole('group', { name: 'Analysis' }).getByRole('button');
    expect(await analyses.allTextContents()).toEqual(stored.analyses.map((x) => x.features.join(' × ')));
    await analyses.nth(1).click();
    await expect.poll(() => page.getByRole('table', { name: 'Metrics by group' }).locator('tbody tr').count()).toBe(4);
    await ui.screenshot('version-fairness-new-report');
    ui.expectNoConsoleErrors(REFUSAL);
    ui.consoleErrors.length = 0; // checked: the next test starts clean
  });

  it('explains a logged prediction and a typed row as waterfalls that add up to f(x), and shows live fairness', async () => {
    const page = ui.page;
    await ui.goto('#/deployments/credit-risk');
    await page.getByRole('heading', { name: 'Predictions and explanations' }).waitFor();
    const explainButtons = page.getByTestId('predictions-panel').getByRole('button', { name: /^Explain .+#\d+$/ });
    await expect.poll(() => explainButtons.count()).toBeGreaterThan(0);
    await explainButtons.first().click();
    const steps = page.locator('[data-testid="waterfall"] .step');
    await expect.poll(() => steps.count()).toBe(7);
    // The newest logged row (what the table shows first), explained through the API: the same method and φ.
    const newest = (await client.monitoring.predictions('credit-risk', { status: 'ok', route: 'main', limit: 1 })).predictions[0]!;
    const api = await client.explain.deployment('credit-risk', { instances: [newest.inputs] });
    expect(await page.getByTestId('explain-method').textContent()).toContain(api.method);
    expect(await page.getByTestId('explain-background').textContent()).toContain('credit-train@1');
    const phis = Object.fromEntries(
      await steps.evaluateAll((els) => els.map((e) => [e.getAttribute('data-feature')!, Number(e.getAttribute('data-phi'))] as const)),
    );
    // A binary classifier's probabilities: the page opens on the positive class's.
    const o = Number(await page.getByLabel('Explained output').inputValue());
    expect(api.outputs[o]).toBe('probabilities[1]');
    const expected = api.explanations[0]!.attributions[o]!;
    expect(Object.keys(phis).sort()).toEqual(Object.keys(expected).sort());
    for (const [f, v] of Object.entries(expected)) expect(phis[f]).toBeCloseTo(v, 12);
    expect(api.base_values[o]! + Object.values(phis).reduce((a, b) => a + b, 0)).toBeCloseTo(api.explanations[0]!.prediction[o]!, 6);
    expect(Number(await page.locator('[data-testid="waterfall"] .prediction').getAttribute('data-value'))).toBeCloseTo(api.explanations[0]!.prediction[o]!, 12);
    expect(await page.getByTestId('truncated').count()).toBe(0);
    await ui.screenshot('deployment-explain-logged');

    // A typed row, by KernelSHAP with a named background.
    const row = { ...(newest.inputs as Record<string, unknown>), age: 71 };
    await page.getByText('Explain a row').click();
    await page.getByLabel('Row to explain (JSON)').fill(JSON.stringify(row));
    await page.getByLabel('Explanation background').fill('credit-train@1');
    await page.getByLabel('Explanation method').selectOption('kernel');
    await page.getByRole('button', { name: 'Explain row' }).click();
    await expect.poll(async () => page.getByTestId('explain-method').textContent()).toContain('kernel');
    await expect.poll(() => steps.count()).toBe(7);
    expect(await page.locator('[data-testid="waterfall"] .step[data-feature="age"] text').first().textContent()).toBe('age = 71');

    // Live fairness by home_ownership: the ratio chart and the coverage chart drawn, the groups listed.
    await page.getByLabel('Sensitive feature').fill('home_ownership');
    await page.getByRole('button', { name: 'Show' }).click();
    await page.locator('[data-testid="live-fairness-ratios"] canvas').waitFor();
    await page.locator('[data-testid="live-fairness-coverage"] canvas').waitFor();
    const legend = (await page.getByTestId('live-fairness-ratios').textContent()) ?? '';
    expect(legend).toContain('demographic parity ratio');
    expect(legend).toContain('equalized odds ratio'); // half the rows are labelled
    const live = await client.fairness.live('credit-risk', { feature: 'home_ownership' });
    const groups = page.getByRole('table', { name: 'Groups over the range' }).locator('tbody tr');
    await expect.poll(() => groups.count()).toBe(live.overall.groups.length);
    await ui.screenshot('deployment-live-fairness');

    // A deployment with nothing logged: the form starts from the serving version's signature.
    await ui.goto('#/deployments/credit-quiet');
    const form = page.getByLabel('Row to explain (JSON)');
    await expect.poll(async () => JSON.parse((await form.inputValue()) || '{}')).toMatchObject({ age: 0, home_ownership: '', purpose: '' });
    ui.expectNoConsoleErrors();
  });

  it('shows the CBPE estimate with its band beside realized performance once a reference is named', async () => {
    const page = ui.page;
    await ui.goto('#/monitoring/credit-risk?tab=performance');
    const panel = page.getByTestId('estimated-performance');
    await panel.waitFor();
    // Fitted on request. Without lineage the estimator has no reference: refused, with what CBPE needs said.
    await page.getByRole('button', { name: 'Estimate' }).click();
    await page.getByTestId('estimated-refused').waitFor();
    await page.getByLabel('CBPE reference').fill('credit-train@1');
    await page.getByRole('button', { name: 'Estimate' }).click();
    await page.locator('[data-testid="estimated-chart"] canvas').waitFor();
    const chart = (await page.getByTestId('estimated-chart').textContent()) ?? '';
    expect(chart).toContain('estimated accuracy');
    expect(chart).toContain('band lower');
    expect(chart).toContain('realized accuracy');
    const est = await client.monitoring.estimated('credit-risk', { from: '24h', window: '1h', dataset: 'credit-train@1' });
    const windows = est.windows.filter((w) => w.rows > 0);
    const rows = panel.getByRole('table', { name: 'Estimated performance per window' }).locator('tbody tr');
    await expect.poll(() => rows.count()).toBe(windows.length);
    expect(await rows.first().textContent()).toContain(String(windows[0]!.rows));
    // Another metric redraws the chart.
    await panel.getByRole('button', { name: 'roc_auc' }).click();
    await expect.poll(async () => page.getByTestId('estimated-chart').getAttribute('data-estimated-metric')).toBe('roc_auc');
    await ui.screenshot('monitoring-estimated-performance');
    // Remembered for the tab: the next visit estimates without asking.
    await ui.goto('#/monitoring/credit-risk?tab=performance');
    await page.locator('[data-testid="estimated-chart"] canvas').waitFor();
    ui.expectNoConsoleErrors(REFUSAL);
    ui.consoleErrors.length = 0; // checked: the next test starts clean
  });
});
