/**
 * Model cards in a real chromium against a real `ferry server` (validation evidence stale after one second, so a
 * stale section shows): the standalone HTML card rendered with no console errors, nothing run from an XSS attempt
 * in an authored field, printed to PDF; and the version page showing the card with the stale section marked and
 * the validation report downloaded. Screenshots (and the PDF) go to test-results/ui/.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { FerryClient } from '../../src/sdk/index.js';
import { closeBrowser, describeUi, openUi, SCREENSHOT_DIR, type UiSession } from '../support/browser.js';
import { type FerryServer, startFerry } from '../support/ferry-process.js';

const XSS = '<img src=x onerror="window.__pwned=1;alert(1)"><script>window.__pwned=2</script>';

const fixture = (name: string) => new URL(`../fixtures/models/${name}`, import.meta.url);

/** An MLflow onnx model's MLmodel (what mlflow.onnx.log_model writes), so the version is servable and explainable. */
const MLMODEL = `artifact_path: model
flavors:
  onnx:
    data: model.onnx
`;

/** A servable version trained on a Ferry dataset version, with params, a metric and authored card fields. */
async function seed(client: FerryClient): Promise<void> {
  const pushed = await client.data.push('card-train', readFileSync(fixture('credit_train.csv')), { filename: 'credit_train.csv' });
  const experimentId = await client.experiments.create('card-training');
  const run = await client.runs.create({ experimentId, runName: 'gbdt' });
  const runId = run.info.run_id;
  await client.http.post('/api/2.0/mlflow/runs/log-batch', {
    run_id: runId,
    params: [{ key: 'n_estimators', value: '100' }],
    metrics: [{ key: 'val_auc', value: 0.87, timestamp: Date.now(), step: 0 }],
  });
  await client.http.post('/api/2.0/mlflow/runs/log-inputs', {
    run_id: runId,
    datasets: [
      {
        tags: [{ key: 'mlflow.data.context', value: 'training' }],
        dataset: { name: 'card-train', digest: pushed.version.digest, source_type: 'http', source: '{}' },
      },
    ],
  });
  const root = run.info.artifact_uri.replace(/^mlflow-artifacts:\/*/, '');
  await client.http.request('PUT', `/api/2.0/mlflow-artifacts/artifacts/${root}/model/model.onnx`, {
    body: new Uint8Array(readFileSync(fixture('credit_gbdt.onnx'))),
  });
  await client.http.send('PUT', `/api/2.0/mlflow-artifacts/artifacts/${root}/model/MLmodel`, { body: MLMODEL, contentType: 'text/plain' });
  await client.models.create('credit-card');
  await client.modelVersions.create({ name: 'credit-card', source: `runs:/${runId}/model`, runId });
  await client.cards.edit('credit-card', { intended_use: XSS, owner: 'Credit risk team', limitations: 'Trained on 2025 applications only.' });
}

describeUi('Model cards', () => {
  let server: FerryServer;
  let client: FerryClient;
  let ui: UiSession;

  beforeAll(async () => {
    server = await startFerry({ env: { FERRY_CARD_STALE_VALIDATION: '1s' } });
    client = new FerryClient({ url: server.url, token: server.adminToken });
    await seed(client);
    // Past the one-second validation age: the training data section is stale from now on.
    await new Promise((r) => setTimeout(r, 1200));
    ui = await openUi(server.url);
    await ui.goto('#/models');
    await ui.signIn(server.adminToken);
  }, 180_000);
  afterAll(async () => {
    await ui?.close();
    await closeBrowser();
    await server?.stop();
  });

  it('renders the standalone HTML card with no console errors, runs nothing from the facts, and prints to PDF', async () => {
    const html = await client.cards.render('credit-card', 1, 'html');
    const page = await ui.context.newPage();
    const errors: string[] = [];
    const dialogs: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    // Any request the card made would be an external fetch: it must make none.
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    await page.setContent(html, { waitUntil: 'load' });
    expect(await page.locator('h1').textContent()).toBe('Model card: credit-card version 1');
    expect(await page.locator('section#uses dd').first().textContent()).toContain(XSS);
    expect(await page.locator('section#training_data.stale').count()).toBe(1);
    expect(await page.locator('section#training_data .badge.stale').textContent()).toMatch(/stale/);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(dialogs).toEqual([]);
    expect(requests.filter((u) => !u.startsWith('about:') && !u.startsWith('data:'))).toEqual([]);
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'cards-html-card.png'), fullPage: true });
    const pdf = join(SCREENSHOT_DIR, 'cards-html-card.pdf');
    await page.emulateMedia({ media: 'print' });
    await page.pdf({ path: pdf, format: 'A4', printBackground: true });
    expect(readFileSync(pdf).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows the card on the version page with the stale section marked, and downloads the report', async () => {
    // Which API calls of the page failed, if any (the console names no URL).
    const failed: string[] = [];
    ui.page.on('response', (r) => {
      if (r.status() >= 400) failed.push(`${r.status()} ${r.url()}`);
    });
    await ui.goto('#/models/credit-card/versions/1');
    await ui.page.getByRole('heading', { name: 'Model card' }).waitFor();
    const stale = ui.page.locator('.card-section.stale');
    await expect.poll(() => stale.count()).toBe(1);
    expect(await stale.getAttribute('data-section')).toBe('training_data');
    expect(await ui.page.getByTestId('stale-sections').textContent()).toContain('training_data');
    // The XSS attempt is shown as text.
    expect(await ui.page.locator('.card-section[data-section="uses"]').textContent()).toContain('<script>window.__pwned=2</script>');
    expect(await ui.page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    await ui.screenshot('version-page-card');

    const [download] = await Promise.all([ui.page.waitForEvent('download'), ui.page.getByRole('button', { name: 'Download validation report' }).click()]);
    expect(download.suggestedFilename()).toBe('credit-card-v1-validation-report.zip');
    const path = await download.path();
    expect(readFileSync(path).subarray(0, 2).toString('latin1')).toBe('PK');
    expect(failed).toEqual([]);
    ui.expectNoConsoleErrors();
  });
});
