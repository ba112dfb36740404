/**
 * The A/B tests page in a real chromium against a real `ferry server`: a deployment of two model versions with
 * a sticky key, an A/B test created over the API, 200 units of traffic and planted conversions sent as outcome
 * events. The list shows the test; its page shows the decision, the sample-ratio check, per arm the units as
 * the predictions' answers split them and the conversion rates as planted, the lift, and the lift-over-time
 * chart with its interval band; Stop (with a reason) ends it and keeps the report.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type AbTestReport, FerryClient, type PredictRequest } from '../../src/sdk/index.js';
import { closeBrowser, describeUi, openUi, type UiSession } from '../support/browser.js';
import { type FerryServer, startFerry } from '../support/ferry-process.js';
import { fixture } from '../support/models.js';
import { creditRow, seeded } from '../support/abtest-fixtures.js';

const UNITS = 200;
const WINDOW = '3s';

describeUi('A/B tests page', () => {
  let server: FerryServer;
  let client: FerryClient;
  let ui: UiSession;
  let report: AbTestReport;
  const served = new Map<string, { version: string; at: number }>();
  const converted = new Set<string>();
  const tally = (v: string) => [...served.values()].filter((s) => s.version === v).length;
  const rate = (v: string) => [...converted].filter((u) => served.get(u)!.version === v).length / tally(v);

  beforeAll(async () => {
    server = await startFerry();
    client = new FerryClient({ url: server.url, token: server.adminToken });
    await client.modelVersions.register('credit', readFileSync(fixture('credit_gbdt.onnx')));
    await client.modelVersions.register('credit', readFileSync(fixture('credit_gbdt_v2.onnx')));
    await client.deployments.create('shop', {
      routes: [
        { model: 'credit', version: '1', weight: 50 },
        { model: 'credit', version: '2', weight: 50 },
      ],
      sticky_key: 'customer',
    });
    await client.abtests.create({
      name: 'checkout',
      deployment: 'shop',
      description: 'does v2 sell more?',
      primary_metric: { metric: 'conversion', kind: 'proportion', window: WINDOW },
      guardrails: [{ metric: 'complaints', kind: 'proportion', window: WINDOW, direction: 'decrease' }],
      settings: { sequential_tuning: 200 },
    });
    const row = creditRow();
    for (let i = 0; i < UNITS; i += 20) {
      await Promise.all(
        Array.from({ length: 20 }, async (_, j) => {
          const unit = `u-${i + j}`;
          const res = await client.deployments.predict('shop', { instances: [row], customer: unit } as PredictRequest);
          served.set(unit, { version: res.model_version, at: Date.now() });
        }),
      );
    }
    // Version 2 converts at ~50%, version 1 at ~20%.
    const rand = seeded(7);
    for (const [u, s] of served) if (rand() < (s.version === '2' ? 0.5 : 0.2)) converted.add(u);
    const sent = await client.abtests.sendOutcomes([...converted].map((unit) => ({ unit, metric: 'conversion', timestamp: served.get(unit)!.at })));
    expect(sent).toEqual({ accepted: converted.size, unknown: [] });
    // Every unit's window closes WINDOW after its exposure; wait until the report counts them all.
    const end = Date.now() + 30_000;
    for (;;) {
      report = await client.abtests.report('checkout');
      if (report.metrics[0]!.arms.every((a) => a.pending_units === 0) && report.metrics[0]!.arms.reduce((s, a) => s + a.units, 0) === UNITS) break;
      if (Date.now() > end) throw new Error(`units did not mature: ${JSON.stringify(report.metrics[0]!.arms)}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    ui = await openUi(server.url);
    await ui.signIn(server.adminToken);
  }, 180_000);
  afterAll(async () => {
    await ui?.close();
    await closeBrowser();
    await server?.stop();
  });

  it('lists the test from the nav, filters by state', async () => {
    await ui.page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'A/B tests' }).click();
    const table = ui.page.getByRole('table', { name: 'A/B tests' });
    await expect.poll(() => table.getByRole('row').count()).toBe(2);
    const row = table.getByRole('row').filter({ has: ui.page.getByRole('link', { name: 'checkout' }) });
    expect(await row.locator('.badge').textContent()).toBe('running');
    const text = await row.textContent();
    expect(text).toContain('shop');
    expect(text).toContain('1 50% (control), 2 50%');
    expect(text).toContain('conversion (proportion, 3s)');
    await ui.page.getByLabel('State').selectOption('stopped');
    await expect.poll(() => ui.page.url()).toContain('state=stopped');
    await expect.poll(() => ui.page.getByText('No A/B test matches these filters.').count()).toBe(1);
    ui.expectNoConsoleErrors();
  });

  it("shows the report: decision, sample ratio, per arm the units and rates, the lift, and the lift's band over time", async () => {
    await ui.goto('#/abtests/checkout');
    const decision = ui.page.getByRole('region', { name: 'Decision' });
    await expect.poll(() => decision.textContent()).toContain(report.decision.reason);
    expect(await decision.locator('.badge').textContent()).toBe(report.decision.verdict.replace('_', ' '));

    const srm = await ui.page.getByRole('region', { name: 'Sample ratio' }).textContent();
    expect(srm).toContain(`1: ${tally('1')} units`);
    expect(srm).toContain(`2: ${tally('2')} units`);
    expect(srm).toContain('expected 50.0%');

    const primary = ui.page.getByRole('table', { name: 'conversion' });
    const cells = async (arm: string) =>
      (
        await primary
          .getByRole('row')
          .filter({ has: ui.page.getByRole('cell', { name: new RegExp(`^${arm}( \\(control\\))?$`) }) })
          .getByRole('cell')
          .allTextContents()
      ).map((s) => s.trim());
    const control = await cells('1');
    expect(control.slice(0, 4)).toEqual(['1 (control)', String(tally('1')), '0', String(Number(rate('1').toPrecision(4)))]);
    const treatment = await cells('2');
    expect(treatment.slice(0, 4)).toEqual(['2', String(tally('2')), '0', String(Number(rate('2').toPrecision(4)))]);
    const lift = ((rate('2') - rate('1')) / rate('1')) * 100;
    expect(treatment[4]).toBe(`+${lift.toFixed(Math.abs(lift) < 10 ? 2 : 1)}%`);
    expect(treatment[5]).toMatch(/^[+-]?[\d.]+% to [+-]?[\d.]+%$/);
    const c = report.metrics[0]!.comparisons[0]!;
    expect(treatment.at(-1)).toBe(c.verdict.replace('_', ' '));
    expect(await ui.page.getByRole('region', { name: 'Primary: conversion' }).textContent()).toContain(c.reason);
    expect(await ui.page.getByRole('table', { name: 'complaints' }).getByRole('row').count()).toBe(3);

    const chart = ui.page.getByRole('region', { name: 'Lift over time' });
    await expect.poll(() => chart.getByTestId('lift-chart').locator('canvas').count()).toBe(1);
    const legend = await chart.locator('.u-legend').textContent();
    expect(legend).toContain('lift of 2');
    expect(legend).toContain('upper (95% CS)');
    expect(legend).toContain('lower (95% CS)');
    // The history the chart draws has points with an interval.
    const history = (await client.abtests.report('checkout', { history: true })).history.filter((p) => p.metric === 'conversion');
    expect(history.some((p) => p.lower !== null && p.upper !== null)).toBe(true);
    await ui.screenshot('report');
    ui.expectNoConsoleErrors();
  });

  it('stops the test with a reason; the report stays', async () => {
    await ui.page.getByRole('button', { name: 'Stop test' }).click();
    const dialog = ui.page.getByRole('dialog');
    await dialog.getByLabel('Reason (optional)').fill('v2 ships');
    await dialog.getByRole('button', { name: 'Yes, stop it' }).click();
    await expect.poll(() => ui.page.locator('.page-header .badge').textContent()).toBe('stopped');
    expect(await ui.page.getByRole('region', { name: 'A/B test' }).textContent()).toContain(': v2 ships');
    expect(await ui.page.getByRole('button', { name: 'Stop test' }).count()).toBe(0);
    expect(await ui.page.getByRole('table', { name: 'conversion' }).getByRole('row').count()).toBe(3);
    expect(await client.abtests.get('checkout')).toMatchObject({ state: 'stopped', stop_reason: 'v2 ships' });
    ui.expectNoConsoleErrors();
  });
});
