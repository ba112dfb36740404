/**
 * The Loops pages and the overview in a real chromium, against a listening test server on each store, with loop
 * runs made end to end without training exactly as test/loops/loop-gate.test.ts makes them: version 2 rejected at
 * the gate; version 1 shadowed, canaried and promoted; then version 2 again under a looser gate and an approval
 * before promotion, approved from the page. Drifted traffic and a firing alert give the overview its story.
 * Checked: the overview's serving shares, drifted feature, firing alert and each loop's last run; each timeline's
 * step sentences, the gate table's numbers (against the evidence the API holds), the decision; approving works;
 * the author's approval is refused where the policy says so, an admin forces a promotion, Reject ends a run.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { FerryClient, type LoopRunDetail } from '../src/sdk/index.js';
import type { JobsTestServer } from './jobs/support.js';
import { DEPLOYMENT, MODEL, creditSetup, gateOnHoldout, startLoopsServer, waitForRun } from './loops/support.js';
import { closeBrowser, describeUi, openUi, type UiSession } from './support/browser.js';
import { forEachStore } from './support/stores.js';

/** The gate table's number format: 4 decimals, a real minus sign, a plus on changes. */
const f4 = (x: number) => x.toFixed(4).replace(/-/g, '−');
const c4 = (x: number) => (x > 0 ? `+${f4(x)}` : f4(x));

function creditRows(): Record<string, string | number>[] {
  const [head, ...lines] = readFileSync(resolve('demo/credit_train.csv'), 'utf8').trim().split('\n');
  const cols = head!.split(',');
  // Rows with a missing value are left out: the model takes no nulls.
  return lines
    .filter((l) => !l.split(',').includes(''))
    .map((l) => Object.fromEntries(l.split(',').map((v, i) => [cols[i]!, /^[-\d.]+$/.test(v) ? Number(v) : v])));
}

describeUi('Loops and overview pages', () => {
  forEachStore('loops UI', (kind) => {
    let t: JobsTestServer;
    let client: FerryClient;
    let ui: UiSession;
    let rejected: LoopRunDetail;
    let promoted: LoopRunDetail;

    beforeAll(async () => {
      t = await startLoopsServer(kind);
      await creditSetup(t);
      client = new FerryClient({ url: t.url, token: t.adminToken });
      // Drift: the training table as reference, traffic with income tripled, a rule on income's drift.
      await client.monitoring.setReference(DEPLOYMENT, { dataset: 'credit-train@1' });
      const traffic = creditRows()
        .slice(0, 300)
        .map(({ default: _label, ...r }) => ({ ...r, income: Number(r['income']) * 3 + 20_000 }));
      await client.deployments.predict(DEPLOYMENT, { instances: traffic });
      await client.alerts.createRule({
        name: 'income-drift',
        deployment: DEPLOYMENT,
        metric: 'feature_drift:income',
        comparison: '>=',
        threshold: 1,
        window: '1h',
        severity: 'critical',
      });
      const evaluation = await client.alerts.evaluate();
      expect(evaluation.transitions.map((x) => [x.rule, x.to])).toEqual([['income-drift', 'firing']]);

      // A worse candidate rejected at the gate (as loop-gate.test.ts), here per slice of home_ownership (slices
      // under 500 rows reported, not judged) and with a paired interval.
      const gate = {
        ...gateOnHoldout(-0.01),
        slices: [{ feature: 'home_ownership' }],
        min_slice_size: 500,
        thresholds: [{ metric: 'accuracy', absolute: -0.01, margin: 0.01 }],
      };
      await client.loops.create({
        name: 'gate-only',
        model: MODEL,
        deployment: DEPLOYMENT,
        gate: gate as never,
        rollout: { shadow: null, steps: [] },
      });
      const r1 = await client.loops.trigger('gate-only', { candidate_version: '2', reason: 'try v2' });
      rejected = await waitForRun(t, 'gate-only', r1.loop_run.seq);
      expect(rejected.state).toBe('rejected');

      // A better one shadowed, canaried and promoted: version 2 serves, version 1 is the candidate.
      await client.deployments.update(DEPLOYMENT, { routes: [{ model: MODEL, version: '2' }] });
      await client.loops.create({
        name: 'full',
        model: MODEL,
        deployment: DEPLOYMENT,
        gate: gateOnHoldout(-0.01) as never,
        rollout: {
          shadow: { duration: '4s' },
          steps: [{ weight: 50, min_units: 1, max_duration: '2s' }],
          on_insufficient_data: 'extend',
          on_inconclusive: 'extend',
          primary_metric: { metric: 'model:accuracy', kind: 'ratio', window: '1s' },
        },
      });
      const r2 = await client.loops.trigger('full', { candidate_version: '1' });
      // While version 1 shadows, labelled traffic gives the judge paired requests to put an interval on. The
      // shadow route loads after the revision applies: requests sent before it is ready have no shadow answer.
      const shadowing = await waitForRun(t, 'full', r2.loop_run.seq, 30_000, (r) => r.phase === 'shadow' || r.ended_at !== null);
      expect(shadowing.phase).toBe('shadow');
      for (const end = Date.now() + 30_000; ; await new Promise((r) => setTimeout(r, 100))) {
        const d = await client.deployments.get(DEPLOYMENT);
        if (d.spec.shadow.length > 0 && d.status.serving_revision === d.revision && d.status.routes.every((x) => x.state === 'ready')) break;
        if (Date.now() > end) throw new Error(`the shadow never became ready: ${JSON.stringify(d.status)}`);
      }
      const labelled = creditRows().slice(300, 500);
      for (let i = 0; i < labelled.length; i += 5) {
        const chunk = labelled.slice(i, i + 5);
        const res = await client.deployments.predict(DEPLOYMENT, { instances: chunk.map(({ default: _label, ...r }) => r) });
        await client.monitoring.feedback(chunk.map((r, row) => ({ request_id: res.request_id, row, label: r['default'] as number })));
      }
      promoted = await waitForRun(t, 'full', r2.loop_run.seq);
      expect(promoted.state, JSON.stringify(promoted.steps.map((s) => s.reason))).toBe('promoted');

      ui = await openUi(t.url);
      await ui.signIn(t.adminToken);
    }, 180_000);

    afterAll(async () => {
      await ui?.close();
      await closeBrowser();
      await t?.close();
    });

    it('opens on the overview: shares served, what drifted, what fires, what the loops did', async () => {
      await ui.goto('#/');
      await expect.poll(() => ui.page.url()).toContain('#/overview');
      const serving = ui.page.getByRole('table', { name: 'Deployments serving' });
      await expect.poll(() => serving.getByRole('row').count()).toBe(2);
      const row = await serving.getByRole('row').nth(1).textContent();
      expect(row).toContain(DEPLOYMENT);
      expect(row).toContain(`${MODEL} v1 100%`); // the promotion moved every route to version 1
      expect(row).toContain('none'); // no shadow left behind

      const drift = ui.page.getByRole('region', { name: 'Drift' });
      await expect.poll(() => drift.locator('strong').textContent()).toContain('income');
      const report = await client.monitoring.drift(DEPLOYMENT);
      const flagged = report.features.filter((x) => x.drifted === true).map((x) => x.name);
      expect(flagged).toContain('income');
      if (report.prediction?.drifted) flagged.push('the prediction');
      expect(await drift.locator('strong').textContent()).toBe(flagged.join(', '));

      const alerts = ui.page.getByRole('region', { name: 'Alerts' });
      await expect.poll(() => alerts.textContent()).toContain('income-drift');
      expect(await alerts.getByRole('listitem').first().textContent()).toMatch(/^firing income-drift on credit: feature_drift:income >= 1/);

      const loops = ui.page.getByRole('region', { name: 'Loops' });
      await expect.poll(() => loops.getByRole('listitem').count()).toBe(2);
      expect(await loops.textContent()).toContain(rejected.reason!);
      expect(await loops.textContent()).toContain(promoted.reason!);
      await ui.screenshot('overview');
      await loops
        .getByRole('listitem')
        .filter({ has: ui.page.getByRole('link', { name: 'full', exact: true }) })
        .getByRole('link', { name: `#${promoted.seq}` })
        .click();
      await expect.poll(() => ui.page.url()).toContain(`#/loops/full/runs/${promoted.seq}`);
      ui.expectNoConsoleErrors();
    });

    it('lists the loops and shows a loop with its spec in brief and its runs', async () => {
      await ui.page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Loops' }).click();
      const table = ui.page.getByRole('table', { name: 'Loops' });
      await expect.poll(() => table.getByRole('row').count()).toBe(3);
      const full = await table
        .getByRole('row')
        .filter({ has: ui.page.getByRole('link', { name: 'full', exact: true }) })
        .textContent();
      expect(full).toContain('promoted');
      expect(full).toContain(promoted.reason!);
      await table.getByRole('link', { name: 'full', exact: true }).click();
      const policy = ui.page.getByRole('region', { name: 'Policy' });
      await expect.poll(() => policy.textContent()).toContain('accuracy change −0.010');
      expect(await policy.textContent()).toContain('shadow 4s');
      expect(await policy.textContent()).toContain('canary 1/1: 50% of traffic, at least 1 units, at most 2s');
      const runs = ui.page.getByRole('table', { name: 'Loop runs' });
      await expect.poll(() => runs.getByRole('row').count()).toBe(2);
      expect(await runs.getByRole('row').nth(1).textContent()).toContain(promoted.reason!);
      ui.expectNoConsoleErrors();
    });

    it("shows a rejected run's timeline: every step's sentence, the gate table's numbers, the decision", async () => {
      await ui.goto(`#/loops/gate-only/runs/${rejected.seq}`);
      const headline = ui.page.getByRole('region', { name: 'Decision' });
      await expect.poll(() => headline.textContent()).toBe(`Rejected${rejected.reason}`);
      const timeline = ui.page.getByRole('region', { name: 'Timeline' });
      const items = timeline.locator('li.loop-step');
      await expect.poll(() => items.count()).toBe(rejected.steps.length);
      for (const [i, s] of rejected.steps.entries()) {
        const text = await items.nth(i).locator('.loop-step-reason').textContent();
        expect(text).toBe(s.reason);
        expect(await items.nth(i).locator('.badge').textContent()).toBe(s.status);
      }

      // The gate table holds the evidence's numbers, formatted, with the failing change marked.
      const gate = rejected.steps.find((s) => s.kind === 'evaluating')!.evidence as any;
      const holdout = gate.sources.find((s: any) => s.source === 'holdout');
      const m = holdout.slices.find((s: any) => s.name === 'all').metrics[0];
      const table = ui.page.getByRole('table', { name: 'Gate' });
      const row = table.getByRole('row').filter({ hasText: 'holdout credit-train v1' }).filter({ hasText: 'accuracy' }).first();
      const cells = (await row.getByRole('cell').allTextContents()).map((s) => s.trim());
      expect(cells.slice(0, 7)).toEqual(['holdout credit-train v1', 'all', 'accuracy', String(m.rows), f4(m.candidate), f4(m.champion), c4(m.delta)]);
      expect(m.candidate - m.champion).toBeCloseTo(m.delta, 12);
      const iv = m.statistical.interval;
      expect(cells[7]).toBe(`[${c4(iv.lower)}, ${c4(iv.upper)}] (95%)`);
      expect(cells[8]).toBe('accuracy change −0.010, interval clears −0.010');
      expect(cells[9]).toBe('fail');
      const failedKinds = gate.failures.filter((x: any) => x.source === gate.sources.indexOf(holdout) && x.slice === 'all').map((x: any) => x.kind);
      expect(failedKinds).toContain('change_absolute');
      expect(await row.getByRole('cell').nth(6).getAttribute('class')).toContain('cell-failed');
      expect(await row.getByRole('cell').nth(7).getAttribute('class')).toBe(failedKinds.includes('statistical') ? 'cell-failed' : null);
      expect(await row.getByRole('cell').nth(4).getAttribute('class')).not.toContain('cell-failed');
      // A slice under min_slice_size: greyed, with why; the judged ones carry their own numbers.
      const small = holdout.slices.find((x: any) => !x.judged && x.rows > 0);
      expect(small.rows).toBeLessThan(500);
      const smallRow = table.getByRole('row').filter({ hasText: small.name }).first();
      expect(await smallRow.getAttribute('class')).toBe('not-judged');
      expect(await smallRow.textContent()).toContain(small.not_judged ?? small.metrics[0].not_judged);
      const rent = holdout.slices.find((x: any) => x.name.includes('rent'));
      expect(rent.judged).toBe(true);
      const rentRow = table.getByRole('row').filter({ hasText: rent.name }).first();
      const rentCells = (await rentRow.getByRole('cell').allTextContents()).map((x) => x.trim());
      const rm = rent.metrics[0];
      expect(rentCells.slice(1, 7)).toEqual([rent.name, 'accuracy', String(rent.rows), f4(rm.candidate), f4(rm.champion), c4(rm.delta)]);
      expect(await ui.page.locator('.gate-failures').textContent()).toContain(gate.failures[0].phrase);
      await ui.screenshot('rejected');
      ui.expectNoConsoleErrors();
    });

    it("shows a promoted run's timeline: shadow and canary verdicts with the interval chart and serving numbers", async () => {
      await ui.goto(`#/loops/full/runs/${promoted.seq}`);
      const headline = ui.page.getByRole('region', { name: 'Decision' });
      await expect.poll(() => headline.textContent()).toBe(`Promoted${promoted.reason}`);
      const items = ui.page.getByRole('region', { name: 'Timeline' }).locator('li.loop-step');
      await expect.poll(() => items.count()).toBe(promoted.steps.length);
      const labels = (await items.locator('.step-kind').allTextContents()).map((s) => s.trim());
      expect(labels).toEqual(promoted.steps.map((s) => (s.index !== null ? `${s.kind.replace(/_/g, ' ')} ${s.index}/${s.of}` : s.kind.replace(/_/g, ' '))));
      expect(labels).toContain('canary 1/1');
      const reasons = await items.locator('.loop-step-reason').allTextContents();
      expect(reasons).toEqual(promoted.steps.map((s) => s.reason));

      const rollout = ui.page.getByRole('region', { name: 'Rollout' });
      await expect.poll(() => rollout.getByTestId('band-chart').locator('canvas').count()).toBeGreaterThan(0);
      const judged = promoted.steps.filter((s) => (s.kind === 'shadow' || s.kind === 'canary') && 'primary' in s.evidence);
      const verdicts = rollout.getByRole('table', { name: 'Verdicts' });
      expect(await verdicts.getByRole('row').count()).toBe(judged.length + 1);
      // The shadow's paired loss difference on the labelled traffic: its estimate and interval, as the evidence holds them.
      const shadowPrimary = (judged.filter((s) => s.kind === 'shadow').at(-1)!.evidence as any).primary;
      expect(shadowPrimary).toMatchObject({ source: 'quality', basis: 'loss_difference', units: 200 });
      const shadowRow = (
        await verdicts
          .getByRole('row')
          .nth(judged.filter((s) => s.kind === 'shadow').length)
          .getByRole('cell')
          .allTextContents()
      ).map((x) => x.trim());
      expect(shadowRow.slice(0, 3)).toEqual(['shadow', c4(shadowPrimary.estimate), `[${c4(shadowPrimary.lower)}, ${c4(shadowPrimary.upper)}]`]);
      expect(await rollout.locator('.u-legend').first().textContent()).toContain('must clear');
      // The last verdict is open: its serving numbers, as the evidence holds them.
      const last = judged[judged.length - 1]!.evidence as any;
      const serving = ui.page.getByRole('table', { name: 'Serving' });
      await expect.poll(() => serving.getByRole('row').count()).toBe(3);
      const champion = (await serving.getByRole('row').nth(1).getByRole('cell').allTextContents()).map((s) => s.trim());
      expect(champion.slice(0, 3)).toEqual(['champion', String(last.serving.champion.requests), String(last.serving.champion.errors)]);
      await ui.screenshot('promoted');
      ui.expectNoConsoleErrors();
    });

    it('approves a run that awaits approval from the page; the run is promoted', async () => {
      // Version 2 against version 1 under a looser gate (it may lose 0.05), then a person decides.
      await client.loops.create({
        name: 'approve',
        model: MODEL,
        deployment: DEPLOYMENT,
        gate: gateOnHoldout(-0.05) as never,
        rollout: { shadow: null, steps: [] },
        approvals: [{ at: 'before_promotion', distinct_from_author: false }],
      });
      const trig = await client.loops.trigger('approve', { candidate_version: '2' });
      const waiting = await waitForRun(t, 'approve', trig.loop_run.seq, 60_000, (r) => r.state === 'awaiting_approval' || r.ended_at !== null);
      expect(waiting.state).toBe('awaiting_approval');

      await ui.goto(`#/loops/approve/runs/${waiting.seq}`);
      const headline = ui.page.getByRole('region', { name: 'Decision' });
      await expect.poll(() => headline.textContent()).toBe(`Awaiting approval${waiting.reason}`);
      const approval = ui.page.getByRole('region', { name: 'Approval' });
      await approval.getByLabel('Reason (optional)').fill('gate numbers look fine');
      await approval.getByRole('button', { name: 'Approve' }).click();
      // The page refreshes itself (every 2 s) until the run ends.
      await expect.poll(() => headline.locator('h2').textContent(), { timeout: 30_000 }).toBe('Promoted');
      const after = await client.loops.run('approve', waiting.seq);
      expect(after.state).toBe('promoted');
      const approved = after.steps.find((s) => s.kind === 'approved')!;
      expect(approved.actor).toBe('admin');
      expect(approved.reason).toContain('gate numbers look fine');
      const items = ui.page.getByRole('region', { name: 'Timeline' }).locator('li.loop-step');
      await expect.poll(() => items.locator('.loop-step-reason').allTextContents()).toEqual(after.steps.map((s) => s.reason));
      expect(await headline.locator('p').textContent()).toBe(after.reason);
      // Who approved it, next to the decision.
      expect(await headline.getByRole('listitem').allTextContents()).toEqual([approved.reason]);
      expect(await ui.page.getByRole('region', { name: 'Approval' }).count()).toBe(0);
      expect((await client.deployments.get(DEPLOYMENT)).spec.routes).toEqual([{ model: MODEL, version: '2', weight: 100 }]);
      await ui.screenshot('approved');
      ui.expectNoConsoleErrors();
    }, 90_000);

    it("refuses the author's approval where the policy says so; an admin forces the promotion; Reject ends a run", async () => {
      const create = (name: string, distinct: boolean) =>
        client.loops.create({
          name,
          model: MODEL,
          deployment: DEPLOYMENT,
          gate: gateOnHoldout(-0.05) as never,
          rollout: { shadow: null, steps: [] },
          approvals: [{ at: 'before_promotion', distinct_from_author: distinct }],
        });
      const awaiting = async (name: string, version: string) => {
        const trig = await client.loops.trigger(name, { candidate_version: version });
        const run = await waitForRun(t, name, trig.loop_run.seq, 60_000, (r) => r.state === 'awaiting_approval' || r.ended_at !== null);
        expect(run.state).toBe('awaiting_approval');
        return run as LoopRunDetail;
      };
      const headline = ui.page.getByRole('region', { name: 'Decision' });

      // Version 2 serves now; version 1 waits for someone other than its author (the admin).
      await create('force-me', true);
      const forced = await awaiting('force-me', '1');
      await ui.goto(`#/loops/force-me/runs/${forced.seq}`);
      const approval = ui.page.getByRole('region', { name: 'Approval' });
      await approval.getByRole('button', { name: 'Approve' }).click();
      await expect.poll(() => approval.getByRole('alert').textContent()).toContain("approver other than the run's author (admin)");
      expect((await client.loops.run('force-me', forced.seq)).state).toBe('awaiting_approval');
      await ui.page.getByRole('button', { name: 'Force promotion…' }).click();
      const force = ui.page.getByRole('region', { name: 'Force promotion' });
      await force.getByLabel('Reason (required)').fill('hotfix for the drift');
      await force.getByRole('button', { name: 'Promote now' }).click();
      await expect.poll(() => headline.locator('h2').textContent(), { timeout: 30_000 }).toBe('Promoted');
      expect(await headline.getByRole('listitem').allTextContents()).toEqual(['admin forced the promotion of version 1: hotfix for the drift.']);
      expect((await client.deployments.get(DEPLOYMENT)).spec.routes).toEqual([{ model: MODEL, version: '1', weight: 100 }]);

      // Version 2 again; rejected from the page with a reason: the deployment stays on version 1.
      await create('reject-me', false);
      const rejectedRun = await awaiting('reject-me', '2');
      await ui.goto(`#/loops/reject-me/runs/${rejectedRun.seq}`);
      await ui.page.getByRole('region', { name: 'Approval' }).getByLabel('Reason (optional)').fill('not this week');
      await ui.page.getByRole('region', { name: 'Approval' }).getByRole('button', { name: 'Reject' }).click();
      await expect.poll(() => headline.locator('h2').textContent(), { timeout: 30_000 }).toBe('Rejected');
      expect(await headline.locator('p').textContent()).toBe('Rejected by admin before promotion: not this week.');
      expect((await client.loops.run('reject-me', rejectedRun.seq)).state).toBe('rejected');
      expect((await client.deployments.get(DEPLOYMENT)).spec.routes).toEqual([{ model: MODEL, version: '1', weight: 100 }]);
      ui.expectNoConsoleErrors([/status of 403/]);
    }, 120_000);
  });
});
