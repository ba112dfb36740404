/**
 * A loop meets the approval gate of the alias it promotes: while the policy is unmet the promotion is refused, the
 * run ends rejected saying which conditions are unmet (not a crash, not retried), the deployment and the alias stay
 * as they were; after an independent approval the next run promotes. Both stores.
 */
import { describe, expect, it } from 'vitest';
import { forEachStore } from '../support/stores.js';
import { gateOnHoldout, useLoopsServer } from './support.js';
import { aliasOf, asCaller, createLoop, deploymentOf, modelAndDeployment, pushCreditDataset, stepsOf, trigger, waitForState } from './scenario-support.js';
import type { JobsTestServer } from '../jobs/support.js';

forEachStore('loop promotion under an approval gate', (kind) => {
  let reviewer: JobsTestServer;
  const t = useLoopsServer(kind, async (s) => {
    await pushCreditDataset(s);
    reviewer = await asCaller(s, 'reviewer', 'admin');
  });

  describe('a policy on @champion', () => {
    it('refuses the promotion until someone other than the author approves; the run ends rejected with the reason', async () => {
      await modelAndDeployment(t, 'm-gated', 'd-gated', '2');
      // The loop waits for a person before promoting: the gate's approval is given on the facts as the run left them
      // (its evaluation is one of the version's facts, so an approval given before a run's evaluation is superseded).
      await createLoop(t, {
        name: 'gated',
        model: 'm-gated',
        deployment: 'd-gated',
        gate: gateOnHoldout(-0.01),
        rollout: { shadow: null, steps: [] },
        approvals: [{ at: 'before_promotion', distinct_from_author: false }],
      });
      const before = await deploymentOf(t, 'd-gated');
      const policy = await t.call('PUT', '/api/v1/models/m-gated/policies/champion', { checks: [], required_approvals: 1, roles: ['admin'] });
      expect(policy.status, JSON.stringify(policy.body)).toBe(200);

      // Run 1: the loop's own approval is given, the gate's is not: the promotion is refused and the run ends.
      const first = (await trigger(t, 'gated', { candidate_version: '1' })).loop_run;
      await waitForState(t, 'gated', first.seq, 'awaiting_approval');
      expect((await t.call('POST', `/api/v1/loops/gated/runs/${first.seq}/approve`, { decision: 'approve' })).status).toBe(200);
      const refused = await waitForState(t, 'gated', first.seq, 'rejected');
      expect(stepsOf(refused)).toEqual([
        'triggered:info',
        'registered:passed',
        'evaluating:passed',
        'awaiting_approval:info',
        'approved:passed',
        'rejected:failed',
      ]);
      const end = refused.steps.at(-1);
      expect(end.reason).toMatch(
        /^Promotion of version 1 to @champion was refused by the alias's approval gate: Moving @champion of m-gated to version 1 is refused/,
      );
      expect(end.reason).toContain('1 more independent approval by admin needed');
      expect(end.evidence.conditions).toHaveLength(1);
      expect(await aliasOf(t, 'm-gated')).toBeNull();
      expect((await deploymentOf(t, 'd-gated')).spec.routes).toEqual(before.spec.routes);

      // Run 2: an independent admin approves the version for @champion while the run waits; it promotes.
      const second = (await trigger(t, 'gated', { candidate_version: '1' })).loop_run;
      await waitForState(t, 'gated', second.seq, 'awaiting_approval');
      const approved = await reviewer.call('POST', '/api/v1/models/m-gated/versions/1/approvals', {
        alias: 'champion',
        decision: 'approve',
        comment: 'holdout reviewed',
      });
      expect(approved.body.gate.satisfied, JSON.stringify(approved.body)).toBe(true);
      expect((await t.call('POST', `/api/v1/loops/gated/runs/${second.seq}/approve`, { decision: 'approve' })).status).toBe(200);
      await waitForState(t, 'gated', second.seq, 'promoted');
      expect(await aliasOf(t, 'm-gated')).toBe('1');

      const events = (await t.call('GET', '/api/v1/models/m-gated/gate-events?alias=champion')).body.events as { kind: string; actor: string }[];
      expect(events.map((e) => `${e.kind}:${e.actor}`)).toEqual([
        `alias_moved:loop:gated#${second.seq}`,
        'approval:reviewer',
        `alias_refused:loop:gated#${first.seq}`,
        'policy_set:admin',
      ]);
    }, 90_000);
  });
});
