/**
 * Loops as Kubernetes controllers see them, on both stores: the Flagger webhook halts (412) while a run is going
 * or waiting and after a rejection, advances (200) once the run promoted, and its rollback hook fires on a
 * rejection; the verdict route read as Argo Rollouts' web metric does (jsonPath {$}, successCondition result.ok,
 * the documented failureCondition) succeeds, pauses and fails when it should; the loop gauges carry the run's
 * state, verdict, margin and outcomes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Registry } from 'prom-client';
import { registerApiRoutes } from '../../src/server/api-routes.js';
import { interopRoutes } from '../../src/loops/interop-routes.js';
import { loopMetrics } from '../../src/loops/loop-metrics.js';
import { insertRun } from '../../src/loops/loop-repo.js';
import { step } from '../../src/loops/run-context.js';
import { forEachStore } from '../support/stores.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { DEPLOYMENT, MODEL, createCreditLoop, creditSetup, quickRollout, waitForRun } from './support.js';

const FLAGGER = { name: 'podinfo', namespace: 'test', phase: 'Progressing', checksum: 'abc123', metadata: { team: 'ml' }, added_later: true };

/** Argo Rollouts' EvaluateResult (utils/evaluate/evaluate.go) with both conditions set. */
function argoPhase(result: any): 'Successful' | 'Failed' | 'Inconclusive' {
  // successCondition: result.ok
  const success = result.ok === true;
  // failureCondition: result.verdict == "fail" || result.phase in ["rolled_back", "rejected", "failed", "cancelled"]
  const failure = result.verdict === 'fail' || ['rolled_back', 'rejected', 'failed', 'cancelled'].includes(result.phase);
  if (failure) return 'Failed';
  return success ? 'Successful' : 'Inconclusive';
}

interface Server extends TestApp {
  scrape(): Promise<string>;
}

/** The test app with the loop driver running fast, and the interop routes and gauges (wired here until app.ts does). */
async function startServer(kind: Parameters<typeof startTestApp>[0]): Promise<Server> {
  const env: Record<string, string> = {
    FERRY_LOOPS_TICK_MS: '50',
    FERRY_LOOPS_POLL_MS: '100',
    FERRY_LOOPS_TRIGGER_SECONDS: '0',
    FERRY_LOOPS_LEASE_SECONDS: '5',
  };
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  let t: TestApp;
  try {
    t = await startTestApp(kind);
  } finally {
    for (const [k, v] of Object.entries(saved))
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
  }
  const wired = t.app.hasRoute({ method: 'POST', url: '/api/v1/loops/:name/flagger/:hook' });
  let registry: Registry | null = null;
  if (!wired) {
    registerApiRoutes(t.app, interopRoutes(t.app.ferry.loops.service));
    registry = new Registry();
    loopMetrics(registry, t.store);
  }
  t.app.ferry.loops.start();
  return {
    ...t,
    scrape: async () => (registry ? registry.metrics() : (await t.app.inject({ method: 'GET', url: '/metrics', headers: t.auth })).body),
  };
}

/** A sample's value from Prometheus text, or undefined when the series is absent. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  const want = Object.entries(labels)
    .map(([k, v]) => `${k}="${v}"`)
    .sort()
    .join(',');
  for (const line of text.split('\n')) {
    const m = /^([a-z_]+)\{([^}]*)\} (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    if (m[2]!.split(',').sort().join(',') === want) return Number(m[3]);
  }
  return undefined;
}

forEachStore('loops interop (Flagger, Argo Rollouts, Prometheus)', (kind) => {
  describe('webhook and metrics', () => {
    let t: Server;
    let viewer: string;
    const hook = (loop: string, h: string, headers: Record<string, string> = t?.auth, payload: object = FLAGGER) =>
      t.app.inject({ method: 'POST', url: `/api/v1/loops/${loop}/flagger/${h}`, headers, payload });
    const verdict = async (loop: string) => {
      const res = await t.app.inject({ method: 'GET', url: `/api/v1/loops/${loop}/verdict`, headers: t.auth });
      expect(res.statusCode).toBe(200);
      // Argo's web provider: json.Unmarshal, then jsonPath {$} (the default) gives the whole object as `result`.
      return JSON.parse(res.body);
    };
    beforeAll(async () => {
      t = await startServer(kind);
      await creditSetup(t as any);
      viewer = (await t.app.ferry.auth.createToken('flagger', 'viewer', 'admin')).token;
    }, 120_000);
    afterAll(() => t?.close());

    it('validates the payload and the hook, refuses anonymous callers, takes a viewer token as basic auth', async () => {
      await createCreditLoop(t, 'idle');
      const none = await hook('idle', 'confirm-promotion');
      expect(none.statusCode).toBe(412);
      expect(none.json()).toMatchObject({ ok: false, code: 'LOOP_HALT', status: 412, loop_run: null, hook: 'confirm-promotion' });
      expect(none.json().detail).toMatch(/has not run yet/);
      expect((await hook('idle', 'confirm-promotion', t.auth, { namespace: 'test' })).statusCode).toBe(400);
      expect((await hook('idle', 'pre-rollout')).statusCode).toBe(400);
      expect((await hook('no-such-loop', 'confirm-promotion')).statusCode).toBe(404);
      expect((await hook('idle', 'confirm-promotion', {})).statusCode).toBe(401);
      // Flagger's webhook has no header field; Go sends a URL's user:password as basic auth (token as password).
      const basic = { authorization: `Basic ${Buffer.from(`flagger:${viewer}`).toString('base64')}` };
      expect((await hook('idle', 'confirm-promotion', basic)).statusCode).toBe(412);
      expect((await hook('idle', 'confirm-promotion', { authorization: `Bearer ${viewer}` })).statusCode).toBe(412);
      // Not run: Argo pauses (neither condition holds), no series but the outcome counters.
      expect(argoPhase(await verdict('idle'))).toBe('Inconclusive');
      const text = await t.scrape();
      expect(sample(text, 'ferry_loop_run_state', { loop: 'idle', state: 'running' })).toBeUndefined();
      expect(sample(text, 'ferry_loop_runs_total', { loop: 'idle', outcome: 'promoted' })).toBe(0);
    });

    it('halts after a rejection at the gate, and its rollback hook fires', async () => {
      await createCreditLoop(t, 'reject');
      const trig = await t.call('POST', '/api/v1/loops/reject/trigger', { candidate_version: '2' });
      const run = await waitForRun(t as any, 'reject', trig.body.loop_run.seq);
      expect(run.state).toBe('rejected');
      for (const h of ['confirm-rollout', 'confirm-traffic-increase', 'rollout', 'confirm-promotion']) {
        const res = await hook('reject', h);
        expect(res.statusCode, `${h}: ${res.body}`).toBe(412);
        expect(res.json()).toMatchObject({ ok: false, state: 'rejected', phase: 'rejected', loop_run: run.seq });
      }
      const rb = await hook('reject', 'rollback');
      expect(rb.statusCode).toBe(200);
      expect(rb.json()).toMatchObject({ ok: true, hook: 'rollback', state: 'rejected' });
      expect(argoPhase(await verdict('reject'))).toBe('Failed');
      const text = await t.scrape();
      expect(sample(text, 'ferry_loop_run_state', { loop: 'reject', state: 'rejected' })).toBe(1);
      expect(sample(text, 'ferry_loop_run_state', { loop: 'reject', state: 'running' })).toBe(0);
      expect(sample(text, 'ferry_loop_run', { loop: 'reject' })).toBe(run.seq);
      expect(sample(text, 'ferry_loop_runs_total', { loop: 'reject', outcome: 'rejected' })).toBe(1);
      expect(sample(text, 'ferry_loop_runs_total', { loop: 'reject', outcome: 'promoted' })).toBe(0);
    }, 90_000);

    it('halts while the run waits for approval, advances once promoted; Argo succeeds; the gauges follow', async () => {
      // Version 2 serves; version 1 is the better one on the table.
      await t.call('PUT', `/api/v1/deployments/${DEPLOYMENT}`, { routes: [{ model: MODEL, version: '2' }] });
      await createCreditLoop(t, 'promote', {
        rollout: quickRollout({ primary_margin: 0.05 }),
        approvals: [{ at: 'before_promotion', distinct_from_author: false }],
      });
      const trig = await t.call('POST', '/api/v1/loops/promote/trigger', { candidate_version: '1' });
      const seq = trig.body.loop_run.seq;
      const waiting = await waitForRun(t as any, 'promote', seq, 60_000, (r) => r.state === 'awaiting_approval' || r.ended_at !== null);
      expect(waiting.state, JSON.stringify(waiting.steps.map((s: any) => s.reason))).toBe('awaiting_approval');

      const expectHook = async (h: string, status: number) => {
        const res = await hook('promote', h);
        expect(res.statusCode, `${h}: ${res.body}`).toBe(status);
        return res.json();
      };
      expect((await expectHook('confirm-promotion', 412)).detail).toMatch(/not promoted yet/);
      expect((await expectHook('confirm-rollout', 412)).reason).toMatch(/approval/);
      expect((await expectHook('confirm-traffic-increase', 412)).reason).toMatch(/approval/);
      // No harm found: the rollout hook (whose refusals Flagger counts toward a rollback) lets it go on.
      expect(await expectHook('rollout', 200)).toMatchObject({ ok: true, state: 'awaiting_approval' });
      await expectHook('rollback', 412);
      let text = await t.scrape();
      expect(sample(text, 'ferry_loop_run_state', { loop: 'promote', state: 'awaiting_approval' })).toBe(1);
      expect(sample(text, 'ferry_loop_run_state', { loop: 'promote', state: 'promoted' })).toBe(0);
      expect(sample(text, 'ferry_loop_margin', { loop: 'promote' })).toBe(0.05);

      const ok = await t.call('POST', `/api/v1/loops/promote/runs/${seq}/approve`, { decision: 'approve', reason: 'looks fine' });
      expect(ok.status, JSON.stringify(ok.body)).toBe(200);
      const run = await waitForRun(t as any, 'promote', seq);
      expect(run.state).toBe('promoted');
      for (const h of ['confirm-rollout', 'confirm-traffic-increase', 'rollout', 'confirm-promotion']) {
        expect(await expectHook(h, 200)).toMatchObject({ ok: true, state: 'promoted', phase: 'promoted', loop_run: seq });
      }
      await expectHook('rollback', 412);
      const v = await verdict('promote');
      expect(v.ok).toBe(true);
      expect(argoPhase(v)).toBe('Successful');

      text = await t.scrape();
      expect(sample(text, 'ferry_loop_run_state', { loop: 'promote', state: 'promoted' })).toBe(1);
      expect(sample(text, 'ferry_loop_run_state', { loop: 'promote', state: 'awaiting_approval' })).toBe(0);
      expect(sample(text, 'ferry_loop_verdict', { loop: 'promote', verdict: 'pass' })).toBe(1);
      expect(sample(text, 'ferry_loop_verdict', { loop: 'promote', verdict: 'fail' })).toBe(0);
      expect(sample(text, 'ferry_loop_runs_total', { loop: 'promote', outcome: 'promoted' })).toBe(1);
      // The primary's numbers are the last judged step's evidence; absent (never NaN) where the judge had none.
      const judged = [...run.steps].reverse().find((s: any) => s.evidence?.primary);
      const p = judged.evidence.primary;
      expect(p.margin).toBe(0.05);
      for (const [name, x] of [
        ['ferry_loop_primary_lift', p.estimate],
        ['ferry_loop_primary_lift_lower', p.lower],
        ['ferry_loop_primary_lift_upper', p.upper],
      ] as const)
        expect(sample(text, name, { loop: 'promote' })).toBe(x === null ? undefined : x);
      expect(text).not.toMatch(/NaN/);
    }, 90_000);

    it('a rollback with numbers: the lift gauges carry the judged interval; Flagger halts and rolls back; Argo fails', async () => {
      const loop = await createCreditLoop(t, 'harm', { rollout: { shadow: null, steps: [{ weight: 10 }] } });
      // A run that ended rolled back during its canary, written as the driver writes one (the driver leaves ended runs alone).
      const now = Date.now();
      const primary = {
        source: 'report',
        metric: 'conversion',
        basis: 'relative',
        direction: 'increase',
        estimate: -0.03125,
        lower: -0.0703125,
        upper: 0.0078125,
        margin: 0.02,
        clears: false,
        units: 500,
        units_per: 'arm',
      };
      const why = 'Rolled back: conversion fell 3.1% (interval −7.0% to +0.8%).';
      const inserted = await insertRun(
        t.store,
        {
          id: `run-harm-${kind}`,
          loop: 'harm',
          seq: 0,
          state: 'rolled_back',
          phase: 'rolled_back',
          dry_run: 0,
          author: 'admin',
          trigger: 'manual',
          spec: JSON.stringify(loop.spec),
          context: '{}',
          candidate_version: '1',
          champion_version: '2',
          promotion_key: null,
          lease_owner: null,
          lease_until: null,
          wake_at: now,
          started_at: now,
          updated_at: now,
          ended_at: now,
          reason: why,
          next_step: 0,
        },
        [
          step('triggered', 'info', 'Triggered by hand by admin.'),
          step('canary', 'failed', why, { index: 1, of: 1, evidence: { phase: 'canary', verdict: 'fail', primary } }),
          step('rolled_back', 'failed', why, { evidence: { verdict: 'fail' } }),
        ],
        { id: `trig-harm-${kind}`, loop: 'harm', kind: 'manual', actor: 'admin', detail: 'by hand', coalesced: 0, at: now },
      );
      expect(inserted).toBe(true);
      for (const h of ['confirm-traffic-increase', 'rollout', 'confirm-promotion']) {
        const res = await hook('harm', h);
        expect(res.statusCode, `${h}: ${res.body}`).toBe(412);
        expect(res.json()).toMatchObject({ ok: false, verdict: 'fail', state: 'rolled_back' });
        expect(res.json().detail).toContain(why);
      }
      expect((await hook('harm', 'rollback')).statusCode).toBe(200);
      const v = await verdict('harm');
      expect(v).toMatchObject({ ok: false, verdict: 'fail', phase: 'rolled_back' });
      expect(argoPhase(v)).toBe('Failed');
      const text = await t.scrape();
      expect(sample(text, 'ferry_loop_primary_lift', { loop: 'harm' })).toBe(-0.03125);
      expect(sample(text, 'ferry_loop_primary_lift_lower', { loop: 'harm' })).toBe(-0.0703125);
      expect(sample(text, 'ferry_loop_primary_lift_upper', { loop: 'harm' })).toBe(0.0078125);
      expect(sample(text, 'ferry_loop_margin', { loop: 'harm' })).toBe(0.02);
      expect(sample(text, 'ferry_loop_verdict', { loop: 'harm', verdict: 'fail' })).toBe(1);
      expect(sample(text, 'ferry_loop_verdict', { loop: 'harm', verdict: 'pass' })).toBe(0);
      expect(sample(text, 'ferry_loop_run_state', { loop: 'harm', state: 'rolled_back' })).toBe(1);
      expect(sample(text, 'ferry_loop_runs_total', { loop: 'harm', outcome: 'rolled_back' })).toBe(1);
      // The other loops keep their own numbers.
      expect(sample(text, 'ferry_loop_runs_total', { loop: 'reject', outcome: 'rejected' })).toBe(1);
    });
  });
});
