/**
 * The Models and Deployments pages in a real chromium against a real `ferry server`, seeded through the SDK:
 * two versions of `credit` (uploaded .onnx files) and one of `credit-tracked` (registered from a run that
 * trained on a Ferry dataset version, with an MLmodel signature), a 90/10 deployment with traffic. In the UI:
 * list and search models, open versions (signature, run, training data), change the canary weight, roll
 * back, watch the live charts (read from the traffic API, summed over replicas), see the cluster on the
 * overview; each action is checked through the SDK. Screenshots go to test-results/ui/.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { FerryClient, type PredictRequest } from '../../src/sdk/index.js';
import { closeBrowser, describeUi, openUi, type UiSession } from '../support/browser.js';
import { type FerryServer, startFerry } from '../support/ferry-process.js';

const fixture = (name: string) => new URL(`../fixtures/models/${name}`, import.meta.url);

/** Rows of credit_train.csv as records (numbers as numbers, empty cells as null), without the label. */
function creditRows(n: number): Record<string, unknown>[] {
  const [header, ...lines] = readFileSync(fixture('credit_train.csv'), 'utf8').trim().split('\n');
  const cols = header!.split(',');
  const value = (v: string) => (v === '' ? null : Number.isNaN(Number(v)) ? v : Number(v));
  return lines.slice(0, n).map((line) =>
    Object.fromEntries(
      line
        .split(',')
        .map((v, i) => [cols[i]!, value(v)])
        .filter(([c]) => c !== 'default'),
    ),
  );
}

/** An MLflow onnx model's MLmodel with a column signature, the inputs folded over two lines as PyYAML writes them. */
const MLMODEL = `artifact_path: model
flavors:
  onnx:
    data: model.onnx
signature:
  inputs: '[{"type": "long", "name": "age", "required": true}, {"type": "string", "name": "home_ownership",
    "required": true}]'
  outputs: '[{"type": "tensor", "tensor-spec": {"dtype": "int64", "shape": [-1]}, "name": "label"}]'
`;

const BULK_MODELS = 60;

type Seeded = { runId: string; dataset: { name: string; version: number } };

async function seed(client: FerryClient): Promise<Seeded> {
  await client.modelVersions.register('credit', readFileSync(fixture('credit_gbdt.onnx')), { description: 'first cut' });
  await client.modelVersions.register('credit', readFileSync(fixture('credit_gbdt_v2.onnx')), { description: 'more trees' });
  await client.models.setAlias('credit', 'champion', '1');
  await client.deployments.create('credit-risk', {
    routes: [
      { model: 'credit', version: '1', weight: 90 },
      { model: 'credit', version: '2', weight: 10 },
    ],
  });
  const rows = creditRows(200);
  for (let i = 0; i < rows.length; i += 10) await client.deployments.predict('credit-risk', { instances: rows.slice(i, i + 10) });

  // A model version registered from a run that trained on a Ferry dataset version.
  const pushed = await client.data.push('credit-train', readFileSync(fixture('credit_train.csv')), { filename: 'credit_train.csv' });
  const experimentId = await client.experiments.create('credit-training');
  const run = await client.runs.create({ experimentId, runName: 'gbdt' });
  const { run_id: runId } = run.info;
  const dataset = { name: 'credit-train', digest: pushed.version.digest, source_type: 'http', source: JSON.stringify({ url: 'http://example/train.csv' }) };
  await client.http.post('/api/2.0/mlflow/runs/log-inputs', {
    run_id: runId,
    datasets: [{ tags: [{ key: 'mlflow.data.context', value: 'training' }], dataset }],
  });
  const root = run.info.artifact_uri.replace(/^mlflow-artifacts:\/*/, '');
  await client.http.request('PUT', `/api/2.0/mlflow-artifacts/artifacts/${root}/model/model.onnx`, {
    body: new Uint8Array(readFileSync(fixture('credit_gbdt.onnx'))),
  });
  await client.http.send('PUT', `/api/2.0/mlflow-artifacts/artifacts/${root}/model/MLmodel`, { body: MLMODEL, contentType: 'text/plain' });
  await client.models.create('credit-tracked');
  await client.modelVersions.create({ name: 'credit-tracked', source: `runs:/${runId}/model`, runId });
  // Enough models for two pages.
  for (let i = 0; i < BULK_MODELS; i += 20)
    await Promise.all(Array.from({ length: 20 }, (_, j) => client.models.create(`bulk-${String(i + j).padStart(3, '0')}`)));
  return { runId, dataset: { name: 'credit-train', version: pushed.version.version } };
}

describeUi('Models and Deployments pages', () => {
  let server: FerryServer;
  let client: FerryClient;
  let ui: UiSession;
  let seeded: Seeded;
  const rowsOf = (table: string) => ui.page.getByRole('table', { name: table, exact: true }).locator('tbody tr');
  const dialog = () => ui.page.getByRole('dialog');

  beforeAll(async () => {
    server = await startFerry();
    client = new FerryClient({ url: server.url, token: server.adminToken });
    seeded = await seed(client);
    ui = await openUi(server.url);
    await ui.goto('#/deployments');
    await ui.signIn(server.adminToken);
  }, 180_000);
  afterAll(async () => {
    await ui?.close();
    await closeBrowser();
    await server?.stop();
  });

  it('lists registered models one page per request, and searches them by name on the server', async () => {
    const searches: string[] = [];
    ui.page.on('request', (req) => {
      if (req.url().includes('/api/2.0/mlflow/registered-models/search')) searches.push(req.url());
    });
    await ui.goto('#/models');
    await expect.poll(() => rowsOf('Models').count()).toBe(50);
    expect(searches).toHaveLength(1);
    expect(searches[0]).toContain('max_results=50');
    expect(await rowsOf('Models').first().textContent()).toContain('bulk-000');
    await ui.page.getByRole('button', { name: 'Next ›' }).click();
    await expect.poll(() => ui.page.locator('.pager-label').last().textContent()).toContain('models 51–62');
    expect(await rowsOf('Models').count()).toBe(12);
    expect(searches).toHaveLength(2);
    expect(await ui.page.getByRole('button', { name: 'Next ›' }).isDisabled()).toBe(true);

    await ui.page.getByRole('searchbox', { name: 'Search models' }).fill('credit');
    await expect.poll(() => rowsOf('Models').count()).toBe(2);
    expect(await rowsOf('Models').first().textContent()).toContain('@champion → v1');
    await ui.screenshot('models');
    await ui.page.getByRole('searchbox', { name: 'Search models' }).fill('TRACKED');
    await expect.poll(() => rowsOf('Models').count()).toBe(1);
    expect(await rowsOf('Models').first().textContent()).toContain('credit-tracked');
    expect(ui.page.url()).toContain('q=TRACKED');
    await ui.page.getByRole('searchbox', { name: 'Search models' }).fill('credit');
    await expect.poll(() => rowsOf('Models').count()).toBe(2);
  });

  it("shows a model's versions, aliases and the deployments serving it", async () => {
    await rowsOf('Models').getByRole('link', { name: 'credit', exact: true }).click();
    await ui.page.getByRole('heading', { name: 'credit' }).waitFor();
    await expect.poll(() => rowsOf('Versions').count()).toBe(2);
    expect(await rowsOf('Versions').first().textContent()).toContain('v2');
    expect(await rowsOf('Versions').nth(1).textContent()).toContain('@champion');
    expect(await rowsOf('Versions').first().textContent()).toMatch(/7 inputs → 2 outputs/);
    await expect.poll(() => rowsOf('Deployments of this model').count()).toBe(2);
    expect(await ui.page.getByRole('table', { name: 'Deployments of this model' }).textContent()).toContain('90%');
    await ui.screenshot('model');
  });

  it("shows an uploaded version's signature", async () => {
    await rowsOf('Versions').getByRole('link', { name: 'v1', exact: true }).click();
    const inputs = ui.page.getByRole('table', { name: 'Signature inputs' });
    await expect.poll(() => inputs.textContent()).toContain('home_ownership');
    expect(await inputs.textContent()).toContain('age');
    expect(await ui.page.getByTestId('signature').textContent()).toContain('when it was registered');
    expect(await ui.page.getByRole('table', { name: 'Signature outputs' }).textContent()).toContain('probabilities');
    await expect.poll(() => ui.page.getByText('Registered without a source run, so no training data is recorded.', { exact: true }).count()).toBe(1);
    await ui.screenshot('version-uploaded');
  });

  it("shows a run-registered version's MLmodel signature, source run and training data", async () => {
    await ui.goto('#/models/credit-tracked/versions/1');
    const runLink = ui.page.getByRole('link', { name: seeded.runId });
    await runLink.waitFor();
    expect(await runLink.getAttribute('href')).toBe(`#/runs/${seeded.runId}`);
    const data = ui.page.getByRole('link', { name: /credit-train@1/ });
    await data.waitFor();
    expect(await data.getAttribute('href')).toBe(`#/data/${seeded.dataset.name}/${seeded.dataset.version}`);
    expect(await ui.page.getByRole('table', { name: 'Training data' }).textContent()).toContain('training');
    await expect.poll(() => ui.page.getByTestId('signature').textContent()).toContain('MLmodel');
    expect(await ui.page.getByRole('table', { name: 'Signature inputs' }).textContent()).toContain('home_ownership');
    await ui.screenshot('version-tracked');
  });

  it('lists deployments with their state and split', async () => {
    await ui.goto('#/deployments');
    await expect.poll(() => rowsOf('Deployments').count()).toBe(1);
    const row = await rowsOf('Deployments').first().textContent();
    expect(row).toContain('credit-risk');
    expect(row).toContain('ready');
    expect(row).toMatch(/credit:1 90%.*credit:2 10%/);
    await ui.screenshot('deployments');
  });

  it('changes the canary weight after a confirmation, refusing bad weights first', async () => {
    await rowsOf('Deployments').getByRole('link', { name: 'credit-risk' }).click();
    await expect.poll(() => rowsOf('Routes').count()).toBe(2);
    expect(await rowsOf('Routes').first().textContent()).toMatch(/main.*credit:1.*90%/);
    expect(await rowsOf('Routes').nth(1).textContent()).toMatch(/canary.*credit:2.*10%/);

    const canary = ui.page.getByLabel('Weight of credit:2');
    const main = ui.page.getByLabel('Weight of credit:1');
    const apply = ui.page.getByRole('button', { name: 'Apply weights…' });
    await canary.fill('12.5');
    await expect.poll(() => ui.page.getByRole('table', { name: 'Weights' }).textContent()).toContain('whole numbers');
    expect(await apply.isDisabled()).toBe(true);
    await canary.fill('0');
    await main.fill('0');
    await expect.poll(() => ui.page.locator('.weight-editor').textContent()).toContain('needs a weight above 0');
    expect(await apply.isDisabled()).toBe(true);

    await main.fill('50');
    await canary.fill('50');
    await apply.click();
    await expect.poll(() => dialog().textContent()).toContain('credit:2: 10 → 50 (10% → 50%)');
    await ui.screenshot('weights-confirm');
    await dialog().getByRole('button', { name: 'Apply weights' }).click();
    await expect.poll(() => ui.page.getByRole('status').filter({ hasText: 'Weights applied' }).count()).toBe(1);
    expect(await dialog().count()).toBe(0);

    const d = await client.deployments.get('credit-risk');
    expect(d.revision).toBe(2);
    expect(d.spec.routes.map((r) => [r.version, r.weight])).toEqual([
      ['1', 50],
      ['2', 50],
    ]);
    await expect.poll(() => rowsOf('Routes').nth(1).textContent()).toContain('50%');
    await expect.poll(() => rowsOf('Revisions').count()).toBe(2);
  });

  it('draws live requests/s, latency and error-rate charts from real traffic', async () => {
    const rows = creditRows(20);
    const started = Date.now();
    let polls = 0;
    ui.page.on('request', (req) => {
      if (new URL(req.url()).pathname === '/api/v1/deployments/credit-risk/traffic') polls++;
    });
    let sending = true;
    const traffic = (async () => {
      for (let i = 0; sending; i++) {
        const req: PredictRequest = { instances: [rows[i % rows.length]!] };
        await client.deployments.predict('credit-risk', req);
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    try {
      for (const chart of ['requests', 'latency', 'errors']) {
        await expect.poll(() => ui.page.locator(`.chart-card[data-chart="${chart}"] canvas`).count(), { timeout: 20_000 }).toBeGreaterThan(0);
      }
      const perVersion = ui.page.getByRole('table', { name: 'Traffic per model version' });
      // Requests/s of v1 (the second column) above zero once two readings saw traffic.
      await expect
        .poll(async () => Number(await perVersion.locator('tbody tr').first().locator('td').nth(1).textContent()), { timeout: 20_000 })
        .toBeGreaterThan(0);
      expect(await perVersion.locator('tbody tr').count()).toBe(2);
      // Read from the cluster's traffic API (one server here, so one replica summed), not from this server's /metrics.
      expect(await ui.page.getByTestId('traffic-source').textContent()).toContain('Summed over every replica serving this Ferry (1 now)');
      expect(polls).toBeGreaterThan(0);
      expect(await ui.page.locator('.chart-card[data-chart="latency"] .u-legend').textContent()).toContain('v1 p99');
      // One reading every 5 s, never a burst.
      expect(polls).toBeLessThanOrEqual(Math.ceil((Date.now() - started) / 5000) + 1);
      await ui.screenshot('traffic');
    } finally {
      sending = false;
      await traffic;
    }
  }, 60_000);

  it('rolls back to the first revision after a confirmation', async () => {
    await ui.page.getByRole('button', { name: 'Roll back to revision 1' }).click();
    await expect.poll(() => dialog().textContent()).toContain('credit:1 90% · credit:2 10%');
    await ui.screenshot('rollback-confirm');
    await dialog().getByRole('button', { name: 'Roll back to revision 1' }).click();
    await expect.poll(() => ui.page.getByRole('status').filter({ hasText: 'Rolled back to revision 1' }).count()).toBe(1);

    const d = await client.deployments.get('credit-risk');
    expect(d.revision).toBe(3);
    expect(d.spec.routes.map((r) => [r.version, r.weight])).toEqual([
      ['1', 90],
      ['2', 10],
    ]);
    expect((await client.deployments.revisions('credit-risk'))[0]!.comment).toBe('rollback to revision 1');
    await expect.poll(() => rowsOf('Routes').first().textContent()).toContain('90%');
    await expect.poll(() => rowsOf('Revisions').count()).toBe(3);
    await ui.screenshot('rolled-back');
  });

  it('refuses to apply weights over a change made meanwhile, and says so', async () => {
    await client.deployments.update('credit-risk', {
      routes: [
        { model: 'credit', version: '1', weight: 80 },
        { model: 'credit', version: '2', weight: 20 },
      ],
    });
    await ui.page.getByLabel('Weight of credit:1').fill('70');
    await ui.page.getByLabel('Weight of credit:2').fill('30');
    await ui.page.getByRole('button', { name: 'Apply weights…' }).click();
    await dialog().getByRole('button', { name: 'Apply weights' }).click();
    await expect.poll(() => ui.page.getByRole('alert').filter({ hasText: 'changed since this page loaded' }).count()).toBe(1);
    expect(await dialog().count()).toBe(0);
    await ui.screenshot('changed-meanwhile');
    expect(await ui.page.getByLabel('Weight of credit:2').inputValue()).toBe('20');
    expect((await client.deployments.get('credit-risk')).spec.routes.map((r) => r.weight)).toEqual([80, 20]);
  });

  it("shows the API's refusal in words", async () => {
    await client.deployments.create('scratch', { routes: [{ model: 'credit', version: '1', weight: 1 }] });
    await client.deployments.update('scratch', { routes: [{ model: 'credit', version: '2', weight: 1 }] });
    await ui.goto('#/deployments/scratch');
    await expect.poll(() => rowsOf('Revisions').count()).toBe(2);
    // Nothing carries over from credit-risk's page (its notice, its refused edit).
    expect(await ui.page.getByRole('alert').count()).toBe(0);
    expect(await ui.page.getByRole('status').filter({ hasText: 'Rolled back' }).count()).toBe(0);
    expect(await ui.page.getByRole('heading', { name: 'scratch' }).count()).toBe(1);
    await client.deployments.delete('scratch');
    await ui.page.getByRole('button', { name: 'Roll back to revision 1' }).click();
    await dialog().getByRole('button', { name: 'Roll back to revision 1' }).click();
    const alert = dialog().getByRole('alert');
    await expect.poll(() => alert.textContent()).toContain("Deployment 'scratch' does not exist.");
    expect(await alert.textContent()).toContain('Not found');
    await ui.screenshot('api-error');
    await dialog().getByRole('button', { name: 'Cancel' }).click();
    expect(await dialog().count()).toBe(0);
  });

  it('lets a viewer see a deployment but not change it', async () => {
    const viewer = await client.tokens.create({ name: 'ui-viewer', role: 'viewer' });
    const other = await openUi(server.url, { testName: 'models-deployments-viewer' });
    try {
      await other.goto('#/deployments/credit-risk');
      await other.signIn(viewer.token);
      await expect.poll(() => other.page.getByRole('table', { name: 'Routes' }).locator('tbody tr').count()).toBe(2);
      expect(await other.page.getByLabel('Weight of credit:1').count()).toBe(0);
      expect(await other.page.getByText('need the editor role').count()).toBe(1);
      await expect.poll(() => other.page.getByRole('button', { name: 'Roll back to revision 1' }).count()).toBe(1);
      expect(await other.page.getByRole('button', { name: 'Roll back to revision 1' }).isDisabled()).toBe(true);
      other.expectNoConsoleErrors();
    } finally {
      await other.close();
    }
  });

  it('shows this server as the cluster on the overview', async () => {
    const status = await client.cluster.status();
    await ui.goto('#/overview');
    const cluster = ui.page.getByRole('region', { name: 'Cluster' });
    const replicas = cluster.getByRole('table', { name: 'Replicas' });
    await expect.poll(() => replicas.locator('tbody tr').count()).toBe(1);
    const row = await replicas.locator('tbody tr').first().textContent();
    expect(row).toContain(`${status.replica} (answered)`);
    expect(row).toContain('serving');
    expect(await cluster.textContent()).toContain('1 replica, heartbeat every 2.0s');
    await ui.screenshot('cluster');
  });

  it('logged no console errors', () => {
    // The refused rollback answers 404, which chromium reports as a failed resource.
    ui.expectNoConsoleErrors([/status of 404/]);
  });
});
