/**
 * Loop triggers end to end on both stores: an alert rule of the deployment firing starts a run and a second
 * firing while it goes is recorded as coalesced; a version registered by another user starts a run that judges
 * it without training; N new feedback labels, a new dataset version and a cron schedule coming due each start
 * one; the debounce coalesces; a paused loop records its triggers and starts nothing. Each scenario has a model
 * and a deployment of its own, and its loop is paused at its end, so no trigger reaches another scenario.
 */
import { expect, it } from 'vitest';
import { registerFixture } from '../support/models.js';
import { forEachStore } from '../support/stores.js';
import { useLoopsServer } from './support.js';
import {
  asCaller,
  createLoop,
  creditRows,
  eventually,
  lenientGate,
  modelAndDeployment,
  predict,
  pushCreditDataset,
  runOf,
  runsOf,
  sendFeedback,
  stepsOf,
  trigger,
  waitForState,
} from './scenario-support.js';

const rows = creditRows();

forEachStore('loop triggers', (kind) => {
  const t = useLoopsServer(kind, pushCreditDataset);

  const pause = async (loop: string) => expect((await t.call('POST', `/api/v1/loops/${loop}/pause`, {})).status).toBe(200);
  /** The loop's trigger records, straight from the store (a paused loop's have no run to be read through). */
  const triggerRows = (loop: string) => t.store.db.selectFrom('loop_triggers').selectAll().where('loop', '=', loop).orderBy('at').execute();
  /**
   * A loop `on-<name>` with its own model `m-<name>` and deployment `d-<name>`, started by `trigger` alone; it judges
   * with the lenient gate and promotes at once (no shadow, no canary); `extra` adds fields or overrides.
   */
  async function triggeredLoop(name: string, trigger: Record<string, unknown>, extra: Record<string, unknown> = {}): Promise<void> {
    await modelAndDeployment(t, `m-${name}`, `d-${name}`);
    await createLoop(t, {
      name: `on-${name}`,
      model: `m-${name}`,
      deployment: `d-${name}`,
      triggers: [trigger],
      gate: lenientGate(),
      rollout: { shadow: null, steps: [] },
      ...extra,
    });
  }
  const evaluate = async () => expect((await t.call('POST', '/api/v1/alerts/evaluate', {})).status).toBe(200);

  it('an alert rule firing starts a run; a second firing while it goes is recorded as coalesced', async () => {
    // The run waits for approval before promotion, so it is still going when the rule fires again.
    await triggeredLoop('alert', { kind: 'alert' }, { debounce: '0s', approvals: [{ at: 'before_promotion' }] });
    for (let i = 0; i < 3; i++) await predict(t, 'd-alert', `u-${i}`, rows[i]!);
    const rule = await t.call('POST', '/api/v1/alerts/rules', {
      name: 'traffic-seen',
      deployment: 'd-alert',
      metric: 'request_rate',
      comparison: '>',
      threshold: 0,
      window: '1h',
    });
    expect(rule.status, JSON.stringify(rule.body)).toBe(200);
    await evaluate();
    const first = await eventually('a run of on-alert', async () => (await runsOf(t, 'on-alert'))[0]);
    const run = await waitForState(t, 'on-alert', first.seq, 'awaiting_approval');
    expect(run.trigger).toBe('alert');
    expect(run.author).toBe('alert:traffic-seen');
    expect(run.steps[0].reason).toMatch(/^Alert rule traffic-seen fired on d-alert \(value [0-9.e-]+\)\.$/);
    expect(run.candidate_version).toBe('2');
    // Resolved, then firing again: the second firing joins the run that goes.
    expect((await t.call('PUT', `/api/v1/alerts/rules/${rule.body.rule.id}`, { threshold: 1e9 })).status).toBe(200);
    await evaluate();
    expect((await t.call('PUT', `/api/v1/alerts/rules/${rule.body.rule.id}`, { threshold: 0 })).status).toBe(200);
    await evaluate();
    const after = await eventually('the coalesced firing', async () => {
      const r = await runOf(t, 'on-alert', first.seq);
      return r.triggers.length === 2 ? r : undefined;
    });
    expect(after.triggers.map((x: any) => [x.kind, x.coalesced])).toEqual([
      ['alert', false],
      ['alert', true],
    ]);
    expect((await runsOf(t, 'on-alert')).length).toBe(1);
    await t.call('POST', `/api/v1/loops/on-alert/runs/${first.seq}/cancel`, {});
    await pause('on-alert');
  }, 60_000);

  it('a version registered by another user starts a run that judges it without training', async () => {
    await triggeredLoop('registry', { kind: 'registry' });
    // Versions 1 and 2 were there before the loop: they fire nothing.
    await t.app.ferry.loops.triggers.poll(true);
    expect(await runsOf(t, 'on-registry')).toEqual([]);
    const alice = await asCaller(t, 'alice', 'editor');
    expect(await registerFixture(alice, 'm-registry', 'credit_gbdt.onnx')).toBe('3');
    const first = await eventually('a run of on-registry', async () => (await runsOf(t, 'on-registry'))[0]);
    const run = await waitForState(t, 'on-registry', first.seq, 'promoted');
    expect(run.trigger).toBe('registry');
    expect(run.candidate_version).toBe('3');
    expect(run.steps[0].reason).toMatch(/^Version 3 of m-registry was registered by alice/);
    expect(stepsOf(run)).toEqual(['triggered:info', 'registered:passed', 'evaluating:passed', 'promoted:passed']);
    expect(run.steps[1].reason).toContain('named by the registry trigger');
    await pause('on-registry');
  }, 60_000);

  it('N new feedback labels start a run (fewer do not)', async () => {
    await triggeredLoop('labels', { kind: 'labels', min_labels: 5 }, { approvals: [{ at: 'before_promotion' }] });
    const served = [];
    for (let i = 0; i < 5; i++) served.push(await predict(t, 'd-labels', `u-${i}`, rows[i]!));
    await sendFeedback(
      t,
      served.slice(0, 4).map((s) => ({ request_id: s.requestId, label: s.label })),
    );
    await t.app.ferry.loops.triggers.poll(true);
    expect(await runsOf(t, 'on-labels')).toEqual([]);
    await sendFeedback(t, [{ request_id: served[4]!.requestId, label: served[4]!.label }]);
    const first = await eventually('a run of on-labels', async () => (await runsOf(t, 'on-labels'))[0]);
    expect(first.trigger).toBe('labels');
    const run = await runOf(t, 'on-labels', first.seq);
    expect(run.steps[0].reason).toBe("5 new labels arrived for d-labels's predictions (the trigger asks for 5).");
    await t.call('POST', `/api/v1/loops/on-labels/runs/${first.seq}/cancel`, {});
    await pause('on-labels');
  }, 60_000);

  it('a new dataset version starts a run; a paused loop records it and starts none', async () => {
    await pushCreditDataset(t, 'fresh-data');
    await triggeredLoop('data', { kind: 'dataset', dataset: 'fresh-data' }, { debounce: '0s', approvals: [{ at: 'before_promotion' }] });
    const push = async (n: number) => {
      const csv = [
        'age,income,debt_ratio,credit_lines,months_employed,home_ownership,purpose,default',
        ...Array.from({ length: n }, (_, i) => `${30 + i},50000,0.3,2,12,rent,car,0`),
      ];
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/datasets/fresh-data/versions?filename=fresh.csv',
        headers: { ...t.auth, 'content-type': 'text/csv' },
        payload: csv.join('\n'),
      });
      expect(res.statusCode, res.body).toBe(201);
      return res.json().version.version as number;
    };
    expect(await push(3)).toBe(2);
    const first = await eventually('a run of on-data', async () => (await runsOf(t, 'on-data'))[0]);
    expect(first.trigger).toBe('dataset');
    expect((await runOf(t, 'on-data', first.seq)).steps[0].reason).toBe('Dataset fresh-data has a new version, v2.');
    const c = await t.call('POST', `/api/v1/loops/on-data/runs/${first.seq}/cancel`, {});
    expect(c.status, JSON.stringify(c.body)).toBe(200);
    await waitForState(t, 'on-data', first.seq, 'cancelled');

    await pause('on-data');
    expect((await t.call('POST', '/api/v1/loops/on-data/trigger', {})).status).toBe(400);
    expect(await push(4)).toBe(3);
    await eventually('the paused loop to record the new version', async () => {
      const recorded = await triggerRows('on-data');
      return recorded.length === 2 ? recorded : undefined;
    });
    const recorded = await triggerRows('on-data');
    expect(recorded.map((r) => [r.kind, r.run_id === null, Number(r.coalesced), r.detail])).toEqual([
      ['dataset', false, 0, 'Dataset fresh-data has a new version, v2'],
      ['dataset', true, 0, 'Dataset fresh-data has a new version, v3'],
    ]);
    expect((await runsOf(t, 'on-data')).length).toBe(1);
    // Resumed: the version seen while paused does not fire again.
    expect((await t.call('POST', '/api/v1/loops/on-data/resume', {})).status).toBe(200);
    await t.app.ferry.loops.triggers.poll(true);
    expect((await runsOf(t, 'on-data')).length).toBe(1);
    await pause('on-data');
  }, 60_000);

  it('a cron schedule that comes due starts a run; later firings within the debounce are coalesced into it', async () => {
    // Every second (croner's six fields); the default debounce (10m) coalesces the next ones.
    await triggeredLoop(
      'cron',
      { kind: 'schedule', cron: '* * * * * *' },
      { gate: { ...lenientGate(), thresholds: [{ metric: 'accuracy', absolute: -0.01 }] } },
    );
    const first = await eventually('a run of on-cron', async () => (await runsOf(t, 'on-cron'))[0]);
    expect(first.trigger).toBe('schedule');
    // Version 2 (the newest that is not the champion) is worse: rejected, and the run ends.
    const ended = await waitForState(t, 'on-cron', first.seq, 'rejected');
    expect(ended.steps[0].reason).toMatch(/^The schedule '\* \* \* \* \* \*' came due at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z\.$/);
    const coalesced = await eventually('two later firings coalesced', async () => {
      const r = await runOf(t, 'on-cron', first.seq);
      return r.triggers.filter((x: any) => x.coalesced).length >= 2 ? r : undefined;
    });
    expect(coalesced.triggers[0]).toMatchObject({ kind: 'schedule', coalesced: false });
    expect(coalesced.triggers.slice(1).every((x: any) => x.kind === 'schedule' && x.coalesced)).toBe(true);
    expect((await runsOf(t, 'on-cron')).length).toBe(1);
    await pause('on-cron');
    // A manual trigger is never debounced: it starts a run of its own at once (once resumed).
    expect((await t.call('POST', '/api/v1/loops/on-cron/resume', {})).status).toBe(200);
    const manual = await trigger(t, 'on-cron', { reason: 'by hand' });
    expect(manual.coalesced).toBe(false);
    expect(manual.loop_run.seq).toBe(first.seq + 1);
    await pause('on-cron');
  }, 60_000);
});
