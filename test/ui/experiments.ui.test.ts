/**
 * The Experiments and Run pages in a real chromium against a real `ferry server`, seeded through the SDK:
 * sign in, see and filter runs, compare two, open a run's metrics, artifacts and dataset inputs; page through
 * a large experiment one request per page. Screenshots go to test-results/ui/.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { FerryClient } from '../../src/sdk/index.js';
import { closeBrowser, describeUi, openUi, type UiSession } from '../support/browser.js';
import { type FerryServer, startFerry } from '../support/ferry-process.js';

/** Runs in the large experiment (FERRY_UI_BIG_RUNS=10000 for the full-size check; seeding is the slow part). */
const BIG_RUNS = Number(process.env['FERRY_UI_BIG_RUNS'] ?? 1_050);

interface Seeded {
  experimentId: string;
  bigExperimentId: string;
  runs: Record<'a' | 'b' | 'c', string>;
  dataset: { name: string; version: number };
}

async function seed(client: FerryClient): Promise<Seeded> {
  const experimentId = await client.experiments.create('churn-model');
  const runs = {} as Record<'a' | 'b' | 'c', string>;
  const specs = [
    { name: 'a', depth: '4', lr: '0.1', auc: [0.6, 0.7, 0.85] },
    { name: 'b', depth: '6', lr: '0.1', auc: [0.55, 0.65, 0.75] },
    { name: 'c', depth: '4', lr: '0.3', auc: [0.5, 0.6, 0.7] },
  ] as const;
  for (const s of specs) {
    const run = await client.runs.create({ experimentId, runName: `run-${s.name}` });
    runs[s.name] = run.info.run_id;
    await client.runs.logBatch(run.info.run_id, {
      params: [
        { key: 'max_depth', value: s.depth },
        { key: 'learning_rate', value: s.lr },
      ],
      metrics: s.auc.flatMap((v, step) => [
        { key: 'auc', value: v, step },
        { key: 'loss', value: 1 - v, step },
      ]),
      tags: [{ key: 'team', value: 'risk' }],
    });
    await client.runs.update(run.info.run_id, { status: 'FINISHED' });
  }
  // Artifacts for run a: a file at the root and one in a folder.
  const a = await client.runs.get(runs.a);
  const root = a.info.artifact_uri.replace(/^mlflow-artifacts:\/*/, '');
  await client.http.send('PUT', `/api/2.0/mlflow-artifacts/artifacts/${root}/notes.txt`, { body: 'hello from run a\n', contentType: 'text/plain' });
  await client.http.send('PUT', `/api/2.0/mlflow-artifacts/artifacts/${root}/model/MLmodel`, { body: 'flavors: {}\n', contentType: 'text/plain' });
  // A Ferry dataset version, recorded as run a's training input by digest (what mlflow.log_input sends).
  const pushed = await client.data.push('churn-train', new TextEncoder().encode('x,y\n1,0\n2,1\n3,0\n'), { filename: 'train.csv' });
  await client.http.post('/api/2.0/mlflow/runs/log-inputs', {
    run_id: runs.a,
    datasets: [
      {
        tags: [{ key: 'mlflow.data.context', value: 'training' }],
        dataset: {
          name: 'churn-train',
          digest: pushed.version.digest.slice(0, 16),
          source_type: 'http',
          source: JSON.stringify({ url: 'http://example/train.csv' }),
        },
      },
    ],
  });

  // A large experiment, to page through.
  const bigExperimentId = await client.experiments.create('big-sweep');
  for (let i = 0; i < BIG_RUNS; i += 25) {
    await Promise.all(
      Array.from({ length: Math.min(25, BIG_RUNS - i) }, async (_, j) => {
        const run = await client.runs.create({ experimentId: bigExperimentId, runName: `sweep-${i + j}` });
        await client.runs.logBatch(run.info.run_id, { params: [{ key: 'i', value: String(i + j) }], metrics: [{ key: 'score', value: (i + j) / BIG_RUNS }] });
      }),
    );
  }
  return { experimentId, bigExperimentId, runs, dataset: { name: 'churn-train', version: pushed.version.version } };
}

describeUi('Experiments and Run pages', () => {
  let server: FerryServer;
  let ui: UiSession;
  let seeded: Seeded;
  let client: FerryClient;
  const runRows = () => ui.page.getByRole('table', { name: 'Runs' }).locator('tbody tr');

  beforeAll(async () => {
    server = await startFerry();
    client = new FerryClient({ url: server.url, token: server.adminToken });
    seeded = await seed(client);
    ui = await openUi(server.url);
  }, 180_000);
  afterAll(async () => {
    await ui?.close();
    await closeBrowser();
    await server?.stop();
  });

  it('refuses a wrong token in words, then signs in', async () => {
    await ui.goto('#/experiments');
    await ui.page.getByLabel('API token').fill('fry_wrong');
    await ui.page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => ui.page.getByRole('alert').textContent()).toContain('Invalid credentials');
    ui.consoleErrors.length = 0; // the refused whoami is logged by the browser as a failed resource
    await ui.signIn(server.adminToken);
    await expect.poll(() => ui.page.getByRole('navigation', { name: 'Sections' }).textContent()).toContain('Experiments');
  });

  it('lists experiments and shows runs with chosen columns', async () => {
    await ui.goto(`#/experiments/${seeded.experimentId}`);
    await expect.poll(() => runRows().count()).toBe(3);
    const header = await ui.page.getByRole('table', { name: 'Runs' }).locator('thead').textContent();
    expect(header).toContain('auc');
    expect(header).toContain('max_depth');
    await expect.poll(() => ui.page.getByRole('list', { name: 'Experiments' }).textContent()).toContain('big-sweep');
    await ui.screenshot('runs');
  });

  it('keeps a link that was opened while #/experiments was still choosing its default', async () => {
    // `#/experiments` redirects to the first experiment once the list arrives. Hold the list, move the URL on
    // the way a click or page.goto does before the router has heard of it (no hashchange yet), then let the
    // list arrive: the late redirect must not replace the newer location.
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const pattern = '**/api/2.0/mlflow/experiments/search';
    await ui.page.route(pattern, async (route) => {
      await held;
      await route.continue();
    });
    await ui.goto('#/nowhere');
    await ui.page.evaluate(() => (location.hash = '#/experiments'));
    await ui.page.getByRole('heading', { name: 'Experiments' }).waitFor();
    await ui.page.evaluate((id) => history.replaceState(history.state, '', `#/experiments/${id}`), seeded.experimentId);
    const arrived = ui.page.waitForResponse(pattern);
    release();
    await arrived;
    await expect.poll(() => ui.page.getByRole('list', { name: 'Experiments' }).textContent()).toContain('churn-model');
    await ui.page.evaluate(() => window.dispatchEvent(new HashChangeEvent('hashchange')));
    await ui.page.unroute(pattern);
    await expect.poll(() => runRows().count()).toBe(3);
    expect(new URL(ui.page.url()).hash).toBe(`#/experiments/${seeded.experimentId}`);
  });

  it('keeps a link that was opened while #/experiments was still looking for the latest run activity', async () => {
    // Choosing the default takes a second step (the newest runs) after the list: the same rule holds there.
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const pattern = '**/api/2.0/mlflow/runs/search';
    await ui.page.route(pattern, async (route) => {
      await held;
      await route.continue();
    });
    await ui.goto('#/nowhere');
    const searching = ui.page.waitForRequest(pattern);
    await ui.page.evaluate(() => (location.hash = '#/experiments'));
    await searching;
    const choosing = ui.page.getByText('Opening the most recently active experiment');
    await choosing.waitFor();
    await ui.page.evaluate((id) => history.replaceState(history.state, '', `#/experiments/${id}`), seeded.experimentId);
    release();
    await choosing.waitFor({ state: 'detached' });
    await ui.page.evaluate(() => window.dispatchEvent(new HashChangeEvent('hashchange')));
    await ui.page.unroute(pattern);
    await expect.poll(() => runRows().count()).toBe(3);
    expect(new URL(ui.page.url()).hash).toBe(`#/experiments/${seeded.experimentId}`);
  });

  it('filters runs with the API filter language, and shows a bad filter in words', async () => {
    await ui.page.getByLabel('Filter', { exact: true }).fill("metrics.auc > 0.72 and params.max_depth = '4'");
    await ui.page.getByRole('button', { name: 'Apply' }).click();
    await expect.poll(() => runRows().count()).toBe(1);
    expect(await runRows().first().textContent()).toContain('run-a');

    // The builder appends a clause.
    await ui.page.getByRole('button', { name: 'Clear', exact: true }).click();
    await expect.poll(() => runRows().count()).toBe(3);
    await ui.page.getByLabel('Field kind').selectOption('params');
    await ui.page.getByLabel('Key', { exact: true }).fill('max_depth');
    await ui.page.getByLabel('Operator').selectOption('=');
    await ui.page.getByLabel('Value').fill('6');
    await ui.page.getByRole('button', { name: 'Add condition' }).click();
    await expect.poll(() => runRows().count()).toBe(1);
    expect(await ui.page.getByLabel('Filter', { exact: true }).inputValue()).toBe("params.max_depth = '6'");

    await ui.page.getByLabel('Filter', { exact: true }).fill('metrics.auc >>> 1');
    await ui.page.getByRole('button', { name: 'Apply' }).click();
    const alert = ui.page.getByRole('alert');
    await expect.poll(() => alert.textContent()).toContain('Invalid filter');
    expect(await alert.textContent()).toContain('INVALID_PARAMETER_VALUE');
    expect(await runRows().count()).toBe(0);
    await ui.screenshot('bad-filter');
    await ui.page.getByRole('button', { name: 'Clear', exact: true }).click();
    await expect.poll(() => runRows().count()).toBe(3);
  });

  it('sorts by a metric column on the server', async () => {
    await ui.page.getByRole('table', { name: 'Runs' }).getByRole('button', { name: /auc/ }).click();
    await expect.poll(() => runRows().first().textContent()).toContain('run-c');
    await ui.page.getByRole('table', { name: 'Runs' }).getByRole('button', { name: /auc/ }).click();
    await expect.poll(() => runRows().first().textContent()).toContain('run-a');
  });

  it('compares two runs: params diff highlighted and metric charts drawn', async () => {
    await ui.page.getByLabel(`Select ${seeded.runs.a}`).check();
    await ui.page.getByLabel(`Select ${seeded.runs.b}`).check();
    await ui.page.getByRole('button', { name: 'Compare (2)' }).click();
    const params = ui.page.getByRole('table', { name: 'Params diff' });
    await params.waitFor();
    const depthRow = params.locator('tbody tr', { hasText: 'max_depth' });
    expect(await depthRow.getAttribute('class')).toContain('differs');
    expect(await params.locator('tbody tr', { hasText: 'learning_rate' }).getAttribute('class')).toBeNull();
    await expect.poll(() => ui.page.locator('.chart-card[data-metric="auc"] canvas').count()).toBeGreaterThan(0);
    expect(await ui.page.locator('.chart-card[data-metric="auc"] .u-legend').textContent()).toContain('run-b');
    await ui.screenshot('compare');
  });

  it('opens a run: metrics charts, artifacts with download, dataset inputs linked to the Ferry version', async () => {
    await ui.goto(`#/runs/${seeded.runs.a}`);
    await ui.page.getByRole('heading', { name: 'run-a' }).waitFor();
    expect(await ui.page.getByRole('table', { name: 'Params' }).textContent()).toContain('max_depth');
    await ui.page.getByRole('tab', { name: /Metrics/ }).click();
    await expect.poll(() => ui.page.locator('.chart-card[data-metric="loss"] canvas').count()).toBeGreaterThan(0);
    await ui.screenshot('run-metrics');

    await ui.page.getByRole('tab', { name: 'Artifacts' }).click();
    const files = ui.page.getByRole('table', { name: 'Artifacts' });
    await expect.poll(() => files.textContent()).toContain('notes.txt');
    const [download] = await Promise.all([ui.page.waitForEvent('download'), ui.page.getByRole('button', { name: 'Download notes.txt' }).click()]);
    expect(download.suggestedFilename()).toBe('notes.txt');
    const path = await download.path();
    const { readFileSync } = await import('node:fs');
    expect(readFileSync(path, 'utf8')).toBe('hello from run a\n');
    await ui.page.getByRole('button', { name: /model\// }).click();
    await expect.poll(() => files.textContent()).toContain('MLmodel');
    await ui.screenshot('run-artifacts');

    await ui.page.getByRole('tab', { name: /Inputs/ }).click();
    const link = ui.page.getByRole('link', { name: /churn-train@/ });
    await link.waitFor();
    expect(await link.getAttribute('href')).toBe(`#/data/churn-train/${seeded.dataset.version}`);
    expect(await ui.page.getByRole('table', { name: 'Dataset inputs' }).textContent()).toContain('training');
    await ui.screenshot('run-inputs');
  });

  it('opens the links the mlflow client prints after a run: the run, and its experiment', async () => {
    // mlflow 3.x prints `<tracking uri>/#/experiments/<experiment_id>/runs/<run_id>` and
    // `<tracking uri>/#/experiments/<experiment_id>`, each with `?workspace=<name>` outside the default workspace.
    const { experimentId, runs } = seeded;
    await ui.goto('#/nowhere');
    await ui.goto(`#/experiments/${experimentId}/runs/${runs.a}`);
    await ui.page.getByRole('heading', { name: 'run-a' }).waitFor();
    expect(await ui.page.getByRole('table', { name: 'Params' }).textContent()).toContain('max_depth');
    // One URL per run: the MLflow form is replaced by Ferry's, so Back leaves instead of bouncing back here.
    expect(new URL(ui.page.url()).hash).toBe(`#/runs/${runs.a}`);
    await ui.page.goBack();
    await expect.poll(() => new URL(ui.page.url()).hash).toBe('#/nowhere');

    await ui.goto(`#/experiments/${experimentId}/runs/${runs.b}?workspace=team%20a`);
    await ui.page.getByRole('heading', { name: 'run-b' }).waitFor();
    expect(new URL(ui.page.url()).hash).toBe(`#/runs/${runs.b}`);

    // Links copied from MLflow's own UI: a run's artifacts, an experiment's runs tab.
    await ui.goto(`#/experiments/${experimentId}/runs/${runs.a}/artifacts/model/MLmodel`);
    await expect.poll(() => ui.page.getByRole('table', { name: 'Artifacts' }).textContent()).toContain('notes.txt');
    expect(new URL(ui.page.url()).hash).toBe(`#/runs/${runs.a}?tab=artifacts`);
    await ui.goto(`#/experiments/${experimentId}/runs`);
    await expect.poll(() => runRows().count()).toBe(3);
    expect(new URL(ui.page.url()).hash).toBe(`#/experiments/${experimentId}`);

    await ui.goto(`#/experiments/${experimentId}?workspace=team%20a`);
    await ui.page.getByRole('heading', { name: 'churn-model' }).waitFor();
    await expect.poll(() => runRows().count()).toBe(3);
  });

  it('pages through a large experiment one request per page', async () => {
    const searches: string[] = [];
    ui.page.on('request', (req) => {
      if (req.url().endsWith('/api/2.0/mlflow/runs/search')) searches.push(req.postData() ?? '');
    });
    const started = Date.now();
    await ui.goto(`#/experiments/${seeded.bigExperimentId}`);
    await expect.poll(() => runRows().count()).toBe(100);
    const firstPageMs = Date.now() - started;
    expect(searches, searches.join('\n')).toHaveLength(1);
    expect(JSON.parse(searches[0]!)).toMatchObject({ max_results: 100 });
    await ui.page.getByRole('button', { name: 'Next ›' }).click();
    await expect.poll(() => ui.page.locator('.pager-label').first().textContent()).toContain('runs 101–200');
    expect(searches).toHaveLength(2);
    await ui.page.getByRole('button', { name: '‹ Previous' }).click();
    await expect.poll(() => ui.page.locator('.pager-label').first().textContent()).toContain('runs 1–100');
    expect(searches.length).toBe(3);
    console.log(`big experiment (${BIG_RUNS} runs): first page in ${firstPageMs} ms`);
    await ui.screenshot('big-experiment');
  });

  it('opens the most recently active experiment, not the empty Default that sorts first', async () => {
    // Default (created with the server, never used) sorts first by name; big-sweep holds the newest runs.
    await ui.goto('#/experiments');
    await expect.poll(() => new URL(ui.page.url()).hash).toBe(`#/experiments/${seeded.bigExperimentId}`);
    await ui.page.getByRole('heading', { name: 'big-sweep' }).waitFor();
    expect(await ui.page.getByRole('list', { name: 'Experiments' }).locator('li').first().textContent()).toBe('Default');

    // Activity, not creation order: a run started in the older churn-model makes it the latest...
    const later = Date.now() + 60_000;
    await client.runs.create({ experimentId: seeded.experimentId, runName: 'run-late', startTime: later });
    await ui.goto('#/nowhere');
    await ui.goto('#/experiments');
    await expect.poll(() => new URL(ui.page.url()).hash).toBe(`#/experiments/${seeded.experimentId}`);
    // ...and a run that ends after that start brings big-sweep back.
    const sweep = await client.runs.search({ experimentIds: [seeded.bigExperimentId], maxResults: 1 });
    await client.runs.update(sweep.runs[0]!.info.run_id, { status: 'FINISHED', endTime: later + 1 });
    await ui.goto('#/nowhere');
    await ui.goto('#/experiments');
    await expect.poll(() => new URL(ui.page.url()).hash).toBe(`#/experiments/${seeded.bigExperimentId}`);
  });

  it('says so for an unknown page, and the nav marks the section', async () => {
    await ui.goto('#/nowhere');
    await expect.poll(() => ui.page.getByRole('heading', { name: 'Not found' }).count()).toBe(1);
    await ui.goto(`#/runs/${seeded.runs.b}`);
    expect(await ui.page.getByRole('link', { name: 'Experiments' }).getAttribute('aria-current')).toBe('page');
  });

  it('logged no console errors', () => {
    // The deliberately bad filter answers 400, which chromium reports as a failed resource.
    ui.expectNoConsoleErrors([/status of 400/]);
  });
});
