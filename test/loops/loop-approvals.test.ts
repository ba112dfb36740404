/**
 * People's acts on loop runs end to end on both stores: an approval before promotion that must come from someone
 * other than the run's author (the author's is refused, another user's promotes), a rejection that ends the run
 * and restores the deployment, a forced promotion with its reason (admins only, only while the run goes), a
 * cancel in the middle of a canary, a dry run that changes nothing; and two ways a candidate fails before the
 * gate: a training job that registers nothing, a version whose signature differs from the champion's.
 *
 * Each scenario has its own model (versions 1 = credit_gbdt, 2 = credit_gbdt_v2) and deployment serving
 * version 2; the loop judges version 1 (better on the holdout) unless it trains.
 */
import { describe, expect, it } from 'vitest';
import { HAVE_VENV, type JobsTestServer, uploadProject, zipOf } from '../jobs/support.js';
import { registerFixture } from '../support/models.js';
import { forEachStore } from '../support/stores.js';
import { gateOnHoldout, useLoopsServer } from './support.js';
import {
  aliasOf,
  asCaller,
  createLoop,
  deploymentOf,
  eventually,
  modelAndDeployment,
  pushCreditDataset,
  runOf,
  stepsOf,
  trigger,
  waitForState,
} from './scenario-support.js';

const NO_SHADOW = { shadow: null, steps: [] };
const APPROVE_BEFORE_PROMOTION = [{ at: 'before_promotion', distinct_from_author: true }];

forEachStore('loop approvals and human acts', (kind) => {
  let bob: JobsTestServer;
  const t = useLoopsServer(kind, async (s) => {
    await pushCreditDataset(s);
    bob = await asCaller(s, 'bob', 'editor');
  });

  /** A scenario's model, deployment (serving version 2) and loop; answers the deployment's revision before any run. */
  async function scenario(name: string, extra: Record<string, unknown>): Promise<number> {
    await modelAndDeployment(t, `m-${name}`, `d-${name}`, '2');
    await createLoop(t, { name, model: `m-${name}`, deployment: `d-${name}`, gate: gateOnHoldout(-0.01), rollout: NO_SHADOW, ...extra });
    return (await deploymentOf(t, `d-${name}`)).revision as number;
  }

  it("asks another user than the author to approve the promotion: the author's approve is 403, bob's promotes", async () => {
    await scenario('approve', { approvals: APPROVE_BEFORE_PROMOTION });
    const { loop_run } = await trigger(t, 'approve', { candidate_version: '1' });
    const waiting = await waitForState(t, 'approve', loop_run.seq, 'awaiting_approval');
    expect(waiting.author).toBe('admin');
    expect(waiting.steps.at(-1).reason).toBe("Waiting for approval before promotion by someone other than admin, as the loop's policy asks.");
    const own = await t.call('POST', `/api/v1/loops/approve/runs/${loop_run.seq}/approve`, { decision: 'approve' });
    expect(own.status, JSON.stringify(own.body)).toBe(403);
    expect(JSON.stringify(own.body)).toContain("other than the run's author (admin)");
    expect((await runOf(t, 'approve', loop_run.seq)).state).toBe('awaiting_approval');
    const ok = await bob.call('POST', `/api/v1/loops/approve/runs/${loop_run.seq}/approve`, { decision: 'approve', reason: 'looks right' });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    const run = await waitForState(t, 'approve', loop_run.seq, 'promoted');
    expect(stepsOf(run)).toEqual(['triggered:info', 'registered:passed', 'evaluating:passed', 'awaiting_approval:info', 'approved:passed', 'promoted:passed']);
    expect(run.steps[4]).toMatchObject({ actor: 'bob', reason: 'Approved by bob before promotion: looks right.' });
    expect((await deploymentOf(t, 'd-approve')).spec.routes).toEqual([{ model: 'm-approve', version: '1', weight: 100 }]);
    expect(await aliasOf(t, 'm-approve')).toBe('1');
    // An ended run takes no more approvals.
    expect((await bob.call('POST', `/api/v1/loops/approve/runs/${loop_run.seq}/approve`, { decision: 'approve' })).status).toBe(400);
  }, 60_000);

  it('a rejection ends the run as rejected and restores the deployment the shadow step changed', async () => {
    const baseline = await scenario('reject', {
      // The shadow passes on its duration under the extend policy (too few requests to judge), then the run waits.
      rollout: { shadow: { duration: '1s' }, steps: [], on_insufficient_data: 'extend' },
      approvals: APPROVE_BEFORE_PROMOTION,
    });
    const { loop_run } = await trigger(t, 'reject', { candidate_version: '1' });
    await waitForState(t, 'reject', loop_run.seq, 'awaiting_approval');
    expect((await deploymentOf(t, 'd-reject')).spec.shadow).toEqual([{ model: 'm-reject', version: '1' }]);
    const res = await bob.call('POST', `/api/v1/loops/reject/runs/${loop_run.seq}/approve`, { decision: 'reject', reason: 'not this week' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const run = await waitForState(t, 'reject', loop_run.seq, 'rejected');
    const end = run.steps.at(-1);
    expect(end).toMatchObject({ kind: 'rejected', actor: 'bob', reason: 'Rejected by bob before promotion: not this week.' });
    expect(end.evidence.deployment_restored_to).toBe(baseline);
    const d = await deploymentOf(t, 'd-reject');
    expect(d.spec.shadow).toEqual([]);
    expect(d.spec.routes).toEqual([{ model: 'm-reject', version: '2', weight: 100 }]);
    expect(await aliasOf(t, 'm-reject')).toBeNull();
  }, 60_000);

  it('forces a promotion with a reason (admins only, while the run goes), saying so', async () => {
    await scenario('force', { approvals: APPROVE_BEFORE_PROMOTION });
    const { loop_run } = await trigger(t, 'force', { candidate_version: '1' });
    await waitForState(t, 'force', loop_run.seq, 'awaiting_approval');
    const url = `/api/v1/loops/force/runs/${loop_run.seq}/promote`;
    expect((await bob.call('POST', url, { reason: 'an editor may not' })).status).toBe(403);
    expect((await t.call('POST', url, {})).status).toBe(400);
    const res = await t.call('POST', url, { reason: 'the fix customers wait for' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const run = await waitForState(t, 'force', loop_run.seq, 'promoted');
    expect(stepsOf(run).slice(-2)).toEqual(['approved:info', 'promoted:passed']);
    expect(run.steps.at(-2)).toMatchObject({ actor: 'admin', reason: 'admin forced the promotion of version 1: the fix customers wait for.' });
    expect(run.steps.at(-1)).toMatchObject({ actor: 'admin', reason: 'Promoted version 1 by force: the fix customers wait for (admin).' });
    expect(run.steps.at(-1).evidence.forced).toEqual({ by: 'admin', reason: 'the fix customers wait for' });
    expect((await deploymentOf(t, 'd-force')).spec.routes).toEqual([{ model: 'm-force', version: '1', weight: 100 }]);
    // Once ended, no more forcing.
    const again = await t.call('POST', url, { reason: 'twice' });
    expect(again.status).toBe(400);
    expect(again.body.message ?? JSON.stringify(again.body)).toContain('has ended (promoted)');
  }, 60_000);

  it('a cancel in the middle of a canary ends the run as cancelled, restores the deployment and stops the test', async () => {
    const baseline = await scenario('cancel', {
      rollout: {
        shadow: null,
        steps: [{ weight: 30, min_units: 100, max_duration: '10m' }],
        primary_metric: { metric: 'conversion', kind: 'proportion', window: '1s' },
      },
    });
    const { loop_run } = await trigger(t, 'cancel', { candidate_version: '1' });
    const canary = await eventually('the canary to start', async () => {
      const r = await runOf(t, 'cancel', loop_run.seq);
      return stepsOf(r).includes('canary:started') ? r : undefined;
    });
    expect((await deploymentOf(t, 'd-cancel')).spec.routes).toEqual([
      { model: 'm-cancel', version: '2', weight: 70 },
      { model: 'm-cancel', version: '1', weight: 30 },
    ]);
    const res = await bob.call('POST', `/api/v1/loops/cancel/runs/${loop_run.seq}/cancel`, { reason: 'wrong day' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const run = await waitForState(t, 'cancel', loop_run.seq, 'cancelled');
    const end = run.steps.at(-1);
    expect(end).toMatchObject({ kind: 'cancelled', actor: 'bob', reason: 'Cancelled by bob: wrong day.' });
    expect(end.evidence.deployment_restored_to).toBe(baseline);
    expect((await deploymentOf(t, 'd-cancel')).spec.routes).toEqual([{ model: 'm-cancel', version: '2', weight: 100 }]);
    const abtest = canary.steps.find((s: any) => s.kind === 'canary').links.abtest;
    expect((await t.call('GET', `/api/v1/abtests/${abtest}`)).body.abtest.state).not.toBe('running');
    expect((await bob.call('POST', `/api/v1/loops/cancel/runs/${loop_run.seq}/cancel`, {})).status).toBe(400);
  }, 60_000);

  it('a dry run reports what it would decide and changes nothing', async () => {
    const baseline = await scenario('dry', { rollout: { shadow: { duration: '1s' }, steps: [{ weight: 50 }] } });
    const { loop_run } = await trigger(t, 'dry', { candidate_version: '1', dry_run: true });
    expect(loop_run.dry_run).toBe(true);
    const run = await waitForState(t, 'dry', loop_run.seq, 'dry_run');
    expect(run.steps[0].reason).toMatch(/\(a dry run: nothing will be changed\)\.$/);
    expect(run.steps.at(-1)).toMatchObject({ kind: 'dry_run', status: 'info' });
    // Past the gate, the policy's judge is run on the traffic already logged: version 1 never served, so there is
    // nothing to judge it on, and the sentence says what the policy would do with that.
    const last = run.steps.at(-1);
    expect(last.reason).toMatch(
      /^Dry run: version 1 would pass the gate; on the traffic already logged the judge would hold it — .*0 candidate .* Nothing was changed\.$/,
    );
    expect(last.evidence.judge.verdict).toBe('insufficient_data');
    const revs = (await t.call('GET', '/api/v1/deployments/d-dry/revisions')).body.revisions;
    expect(revs.map((r: any) => r.revision)).toEqual([baseline]);
    expect(await aliasOf(t, 'm-dry')).toBeNull();
    // A dry run is never promoted, even by force.
    expect((await t.call('POST', `/api/v1/loops/dry/runs/${loop_run.seq}/promote`, { reason: 'try' })).status).toBe(400);
  }, 60_000);

  it('fails a candidate whose signature differs from the champion, naming the differing inputs', async () => {
    await scenario('signature', {});
    expect(await registerFixture(t, 'm-signature', 'wine_gbdt.onnx')).toBe('3');
    const { loop_run } = await trigger(t, 'signature', { candidate_version: '3' });
    const run = await waitForState(t, 'signature', loop_run.seq, 'failed');
    expect(stepsOf(run)).toEqual(['triggered:info', 'failed:failed']);
    const end = run.steps.at(-1);
    expect(end.reason).toMatch(/^Version 3's signature does not match the champion's \(version 2\): /);
    expect(end.evidence.differences.length).toBeGreaterThan(0);
    // The differing inputs by name (the wine model's columns are not the credit model's).
    expect(end.reason).toMatch(/input '[^']+' is new/);
    expect((await deploymentOf(t, 'd-signature')).spec.routes).toEqual([{ model: 'm-signature', version: '2', weight: 100 }]);
  }, 60_000);

  describe.skipIf(!HAVE_VENV)('with a training job', () => {
    it('fails a run whose training job succeeds but registers no version', async () => {
      const up = await uploadProject(
        t,
        await zipOf({ MLproject: `name: lazy\nentry_points:\n  main:\n    command: "python -c 'print(\\"trained nothing\\")'"\n` }),
      );
      expect(up.status, JSON.stringify(up.body)).toBe(201);
      await scenario('lazy', { training: { project: up.body.project.digest } });
      const { loop_run } = await trigger(t, 'lazy', {});
      const run = await waitForState(t, 'lazy', loop_run.seq, 'failed', 120_000);
      expect(stepsOf(run)).toEqual(['triggered:info', 'training:started', 'training:passed', 'failed:failed']);
      const jobId = run.steps[1].links.job_id;
      expect(run.steps.at(-1).reason).toBe(`Training job ${jobId} succeeded but registered no version of model m-lazy.`);
      expect(run.candidate_version).toBeNull();
    }, 150_000);
  });
});
