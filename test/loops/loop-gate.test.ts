/**
 * Loops end to end without training (a version named by the trigger), on both stores: a worse candidate is
 * rejected at the gate and the deployment is untouched; a better one passes the gate, shadows, canaries and is
 * promoted — the deployment and the @champion alias move in one run, once; and the bad inputs of the issue.
 */
import { expect, it } from 'vitest';
import { forEachStore } from '../support/stores.js';
import { DATASET, DEPLOYMENT, MODEL, creditSetup, gateOnHoldout, kinds, quickRollout, useLoopsServer, waitForRun } from './support.js';

forEachStore('loops without training', (kind) => {
  {
    const t = useLoopsServer(kind, creditSetup);

    it('rejects a worse candidate at the gate, with the numbers, and leaves the deployment alone', async () => {
      const created = await t.call('POST', '/api/v1/loops', {
        name: 'gate-only',
        model: MODEL,
        deployment: DEPLOYMENT,
        gate: gateOnHoldout(-0.01),
        rollout: { shadow: null, steps: [] },
      });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      const before = (await t.call('GET', `/api/v1/deployments/${DEPLOYMENT}`)).body.deployment.revision;
      const trig = await t.call('POST', '/api/v1/loops/gate-only/trigger', { candidate_version: '2', reason: 'try v2' });
      expect(trig.status, JSON.stringify(trig.body)).toBe(202);
      expect(trig.body.coalesced).toBe(false);
      const run = await waitForRun(t, 'gate-only', trig.body.loop_run.seq);
      expect(run.state).toBe('rejected');
      expect(kinds(run)).toEqual(['triggered:info', 'registered:passed', 'evaluating:failed', 'rejected:failed']);
      const gate = run.steps[2];
      expect(gate.reason).toMatch(/^Rejected: on credit-train v1, slice all, accuracy fell from 0\.751 to 0\.724 \(−0\.028/);
      expect(gate.evidence.outcome).toBe('fail');
      expect(gate.links.dataset_versions).toEqual([{ dataset: 'credit-train', version: 1 }]);
      expect(run.candidate_version).toBe('2');
      expect(run.champion_version).toBe('1');
      expect((await t.call('GET', `/api/v1/deployments/${DEPLOYMENT}`)).body.deployment.revision).toBe(before);
    }, 90_000);

    it('promotes a better candidate through shadow and a canary step, once, moving routes and alias', async () => {
      // Version 2 serves; version 1 is the better one on the table.
      await t.call('PUT', `/api/v1/deployments/${DEPLOYMENT}`, { routes: [{ model: MODEL, version: '2' }] });
      const created = await t.call('POST', '/api/v1/loops', {
        name: 'full',
        model: MODEL,
        deployment: DEPLOYMENT,
        gate: gateOnHoldout(-0.01),
        rollout: quickRollout(),
      });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      const trig = await t.call('POST', '/api/v1/loops/full/trigger', { candidate_version: '1' });
      expect(trig.status).toBe(202);
      const run = await waitForRun(t, 'full', trig.body.loop_run.seq);
      expect(run.state, JSON.stringify(run.steps.map((s: any) => s.reason))).toBe('promoted');
      const k = kinds(run);
      expect(k.slice(0, 4)).toEqual(['triggered:info', 'registered:passed', 'evaluating:passed', 'shadow:started']);
      expect(k).toContain('canary:started');
      expect(k[k.length - 1]).toBe('promoted:passed');
      const d = (await t.call('GET', `/api/v1/deployments/${DEPLOYMENT}`)).body.deployment;
      expect(d.spec.routes).toEqual([{ model: MODEL, version: '1', weight: 100 }]);
      expect(d.spec.shadow).toEqual([]);
      const alias = await t.call('GET', `/api/2.0/mlflow/registered-models/alias?name=${MODEL}&alias=champion`);
      expect(alias.body.model_version.version).toBe('1');
      const revs = (await t.call('GET', `/api/v1/deployments/${DEPLOYMENT}/revisions`)).body.revisions;
      const byRun = revs.filter((r: any) => String(r.created_by).startsWith(`loop:full#${run.seq}`)).map((r: any) => r.created_by);
      expect(byRun.sort()).toEqual([`loop:full#${run.seq} (canary 1/1)`, `loop:full#${run.seq} (promotion)`, `loop:full#${run.seq} (shadow)`].sort());
      // Every step says why, in one sentence, with its evidence.
      for (const s of run.steps) expect(s.reason).toMatch(/\.$/);
    }, 90_000);

    it('rejects at a fairness condition on the holdout, with per-group evidence and the champion shown', async () => {
      const fairness = [
        { feature: 'home_ownership', metric: 'demographic_parity_difference', max: 1 },
        { feature: 'home_ownership', metric: 'demographic_parity_ratio', min: 0.999 },
      ];
      const created = await t.call('POST', '/api/v1/loops', {
        name: 'gate-fair',
        model: MODEL,
        deployment: DEPLOYMENT,
        gate: { ...gateOnHoldout(-1), fairness },
        rollout: { shadow: null, steps: [] },
      });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      const trig = await t.call('POST', '/api/v1/loops/gate-fair/trigger', { candidate_version: '2' });
      const run = await waitForRun(t, 'gate-fair', trig.body.loop_run.seq);
      expect(run.state, JSON.stringify(run.steps.map((s: any) => s.reason))).toBe('rejected');
      const gate = run.steps.find((s: any) => s.kind === 'evaluating');
      expect(gate.reason).toMatch(
        /^Rejected: on credit-train v1, the candidate's demographic_parity_ratio for home_ownership is 0\.\d{3}, below its minimum 0\.999\.$/,
      );
      const [dpd, dpr] = gate.evidence.fairness;
      expect(dpd.passed).toBe(true);
      expect(dpr).toMatchObject({ passed: false, kind: 'value_lower', min: 0.999, max: null });
      // Every row of the table scored by both versions; groups with their counts and rates, champion (v1) shown.
      expect(dpr.candidate.rows).toBe(2000);
      expect(dpr.candidate.groups.reduce((k: number, g: any) => k + g.n, 0)).toBe(2000);
      for (const g of dpr.candidate.groups) if (!g.insufficient) expect(g.selection_rate).toBeCloseTo(g.selected / g.n, 12);
      expect(typeof dpr.champion.value).toBe('number');
      expect(gate.evidence.failures).toEqual([]);
    }, 90_000);

    it('refuses bad loops with a 4xx naming the field', async () => {
      const base = { name: 'bad', model: MODEL, deployment: DEPLOYMENT, gate: gateOnHoldout(), rollout: { steps: [] } };
      const cases: [Record<string, unknown>, number, string][] = [
        [{ ...base, model: 'no-such-model' }, 400, 'model'],
        [{ ...base, deployment: 'no-such' }, 400, 'deployment'],
        [{ ...base, rollout: { steps: [{ weight: 150 }] } }, 400, 'weight'],
        [{ ...base, triggers: [{ kind: 'schedule', cron: '0 0 30 2 *' }] }, 400, 'triggers[0].cron'],
        [{ ...base, gate: { ...gateOnHoldout(), holdout: { dataset: 'nope' } } }, 400, 'gate.holdout.dataset'],
        [{ ...base, gate: { production_window: null, thresholds: [{ metric: 'accuracy', lower: 0.5 }] } }, 400, 'gate.holdout'],
        [{ ...base, gate: { ...gateOnHoldout(), holdout: { dataset: DATASET, version: '99' } } }, 400, 'gate.holdout.version'],
        [{ ...base, approvals: [{ at: 'before_canary' }] }, 400, 'approvals[0].at'],
        [{ ...base, rollout: { steps: [], alias: 'latest' } }, 400, 'rollout.alias'],
        [{ ...base, training: { git: { url: 'https://bob:secret@git.example/credit.git', commit: 'abcdef1' } } }, 400, 'training.git.url'],
        [
          { ...base, gate: { ...gateOnHoldout(), fairness: [{ feature: 'home_ownership', metric: 'demographic_parity_ratio', min: 1.5 }] } },
          400,
          'gate.fairness[0].min',
        ],
        [{ ...base, gate: { ...gateOnHoldout(), fairness: [{ feature: 'home_ownership', metric: 'demographic_parity_ratio' }] } }, 400, 'gate.fairness[0]'],
        [
          { ...base, gate: { ...gateOnHoldout(), fairness: [{ feature: 'gender', metric: 'demographic_parity_ratio', min: 0.8 }] } },
          400,
          'gate.fairness[0].feature',
        ],
        [
          {
            ...base,
            gate: {
              production_window: '7d',
              thresholds: [{ metric: 'accuracy', lower: 0.5 }],
              fairness: [{ feature: 'x', metric: 'demographic_parity_ratio', min: 0.8 }],
            },
          },
          400,
          'gate.fairness',
        ],
      ];
      for (const [body, status, field] of cases) {
        const res = await t.call('POST', '/api/v1/loops', body);
        expect(res.status, JSON.stringify(res.body)).toBe(status);
        expect(JSON.stringify(res.body)).toContain(field);
      }
    });
  }
});
