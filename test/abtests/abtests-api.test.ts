/**
 * A/B tests over HTTP, bad input first: a deployment with one route, weights that do not add up or differ
 * from the deployment's, metric rules, one running test per deployment, outcome events that name no unit or
 * an unknown one, non-finite values, a metric without events (insufficient_data) — clear 4xx or an explicit
 * status, never NaN. On both stores.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { forEachStore } from '../support/stores.js';
import { deployTwoVersions, registerCreditVersions } from '../support/abtest-fixtures.js';

const conversion = { metric: 'conversion', kind: 'proportion', window: '1h' };

/** Every number in a JSON answer is finite (JSON has no NaN; a NaN serialized would be null, so look at the text too). */
function expectNoNaN(body: unknown): void {
  const text = JSON.stringify(body);
  expect(text).not.toMatch(/NaN|Infinity/);
  const walk = (v: unknown): void => {
    if (typeof v === 'number') expect(Number.isFinite(v)).toBe(true);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(body);
}

forEachStore('A/B tests API', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
    await registerCreditVersions(t);
    await deployTwoVersions(t, 'two', [3, 1]);
    const one = await t.call('POST', '/api/v1/deployments', { name: 'one', routes: [{ model: 'credit', version: '1' }] });
    expect(one.status).toBe(200);
  });
  afterAll(async () => t?.close());

  const create = (body: object) => t.call('POST', '/api/v1/abtests', { deployment: 'two', primary_metric: conversion, ...body });

  describe('create refuses', () => {
    it('a deployment with one route, naming deployment', async () => {
      const r = await create({ name: 'single', deployment: 'one' });
      expect(r.status).toBe(400);
      expect(r.body.detail).toContain("Deployment 'one' has 1 route");
      expect(r.body.errors).toEqual([{ field: 'deployment', message: r.body.detail }]);
    });

    it('a deployment that does not exist', async () => {
      const r = await create({ name: 'nowhere', deployment: 'nowhere' });
      expect(r.status).toBe(404);
      expect(r.body.detail).toContain("Deployment 'nowhere'");
    });

    it('arms whose weights do not add up to 100, naming arms', async () => {
      const r = await create({
        name: 'bad-weights',
        arms: [
          { version: '1', weight: 75 },
          { version: '2', weight: 30 },
        ],
      });
      expect(r.status).toBe(400);
      expect(r.body.detail).toContain("'arms' must add up to 100; they add up to 105");
      expect(r.body.errors[0].field).toBe('arms');
    });

    it('arms that name other versions', async () => {
      const r = await create({
        name: 'bad-versions',
        arms: [
          { version: '1', weight: 50 },
          { version: '3', weight: 50 },
        ],
      });
      expect(r.status).toBe(400);
      expect(r.body.detail).toContain("'arms' must name each version");
    });

    it("arms that differ from the deployment's split, saying both", async () => {
      const r = await create({
        name: 'other-split',
        arms: [
          { version: '1', weight: 50 },
          { version: '2', weight: 50 },
        ],
      });
      expect(r.status).toBe(400);
      expect(r.body.code).toBe('INVALID_STATE');
      expect(r.body.detail).toContain('1: 50%, 2: 50%');
      expect(r.body.detail).toContain('1: 75%, 2: 25%');
    });

    it('a control that is not an arm, a ratio without denominator, a mean with one, a zero window', async () => {
      expect((await create({ name: 'c', control: '7' })).body.detail).toContain("'control' must be one of the arms");
      const ratio = await create({ name: 'r', primary_metric: { metric: 'revenue', kind: 'ratio', window: '1h' } });
      expect(ratio.status).toBe(400);
      expect(ratio.body.detail).toContain('needs a denominator');
      const mean = await create({ name: 'm', guardrails: [{ metric: 'revenue', kind: 'mean', window: '1h', denominator: 'x' }] });
      expect(mean.status).toBe(400);
      expect(mean.body.detail).toContain('guardrails[0] is a mean metric');
      const zero = await create({ name: 'z', primary_metric: { ...conversion, window: '0' } });
      expect(zero.status).toBe(400);
      expect(zero.body.detail).toContain('primary_metric.window');
      const twice = await create({ name: 'tw', guardrails: [conversion] });
      expect(twice.status).toBe(400);
      expect(twice.body.detail).toContain("Metric 'conversion' is listed twice");
    });
  });

  it('creates a running test with the deployment split, refuses a second one, stops it, and is audited', async () => {
    const r = await create({
      name: 'first',
      arms: [
        { version: '2', weight: 25 },
        { version: '1', weight: 75 },
      ],
      control: '1',
    });
    expect(r.status).toBe(201);
    expect(r.body.abtest).toMatchObject({
      name: 'first',
      deployment: 'two',
      state: 'running',
      unit_key: 'customer',
      control: '1',
      arms: [
        { version: '1', weight: 75 },
        { version: '2', weight: 25 },
      ],
      settings: { method: 'sequential', alpha: 0.05, sequential_tuning: 5000, correction: 'holm' },
      primary_metric: { ...conversion, direction: 'increase' },
      guardrails: [],
    });
    expect(r.body.abtest.started_at).toBeGreaterThan(0);
    const second = await create({ name: 'second' });
    expect(second.status).toBe(400);
    expect(second.body.detail).toContain("already runs A/B test 'first'");
    const draft = await create({ name: 'draft', start: false });
    expect(draft.status).toBe(201);
    expect(draft.body.abtest.state).toBe('draft');
    expect((await t.call('POST', '/api/v1/abtests/draft/start', {})).body.detail).toContain("already runs A/B test 'first'");
    expect((await t.call('POST', '/api/v1/abtests/first', {})).status).toBe(404);
    const dup = await create({ name: 'first' });
    expect(dup.status).toBe(400);
    expect(dup.body.detail).toContain('already exists');

    const listed = await t.call('GET', '/api/v1/abtests?deployment=two&state=running');
    expect(listed.body.abtests.map((a: any) => a.name)).toEqual(['first']);
    const stopped = await t.call('POST', '/api/v1/abtests/first/stop', { reason: 'done' });
    expect(stopped.status).toBe(200);
    expect(stopped.body.abtest).toMatchObject({ state: 'stopped', stop_reason: 'done' });
    expect((await t.call('POST', '/api/v1/abtests/first/stop', {})).status).toBe(400);
    const started = await t.call('POST', '/api/v1/abtests/draft/start');
    expect(started.status).toBe(200);
    expect(started.body.abtest.state).toBe('running');
    await t.call('POST', '/api/v1/abtests/draft/stop');
    const audit = await t.store.db.selectFrom('audit_log').select('action').where('action', 'like', '%abtests%').execute();
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining(['POST /api/v1/abtests', 'POST /api/v1/abtests/:name/stop', 'POST /api/v1/abtests/:name/start']),
    );
  });

  describe('outcomes', () => {
    it('refuse an item with both or neither of unit and request_id, naming it', async () => {
      const both = await t.call('POST', '/api/v1/outcomes', [{ metric: 'conversion' }, { unit: 'u', request_id: 'r', metric: 'conversion' }] as any);
      expect(both.status).toBe(400);
      expect(both.body.detail).toContain('outcomes[0] needs exactly one of unit or request_id');
      expect(both.body.errors[0].field).toBe('outcomes[0]');
      const b2 = await t.call('POST', '/api/v1/outcomes', {
        outcomes: [
          { unit: 'u', metric: 'x' },
          { unit: 'u', request_id: 'r', metric: 'x' },
        ],
      });
      expect(b2.body.detail).toContain('outcomes[1] needs exactly one of unit or request_id (got both)');
    });

    it('refuse a non-finite value and a malformed timestamp', async () => {
      // 1e999 is valid JSON that parses to Infinity.
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/outcomes',
        headers: { ...t.auth, 'content-type': 'application/json' },
        payload: '[{"unit":"u-1","metric":"revenue","value":1e999}]',
      });
      expect(res.statusCode).toBe(400);
      expect(res.json().errors[0].field).toBe('outcomes[0].value');
      const ts = await t.call('POST', '/api/v1/outcomes', [{ unit: 'u-1', metric: 'revenue', timestamp: 'yesterday' }] as any);
      expect(ts.status).toBe(400);
      expect(ts.body.detail).toContain('outcomes[0].timestamp');
    });

    it('store events of units no test has seen, reporting each; unknown requests only reported; none stored: 404', async () => {
      const r = await t.call('POST', '/api/v1/outcomes', [
        { unit: 'never-seen', metric: 'conversion' },
        { request_id: 'no-such-request', metric: 'conversion' },
      ] as any);
      expect(r.status).toBe(200);
      expect(r.body.accepted).toBe(1);
      expect(r.body.unknown).toEqual([
        { index: 0, unit: 'never-seen', reason: expect.stringContaining('no A/B test has exposed this unit') },
        { index: 1, request_id: 'no-such-request', reason: expect.stringContaining('no logged prediction') },
      ]);
      const stored = await t.store.db.selectFrom('outcomes').selectAll().execute();
      expect(stored).toHaveLength(1);
      // Keyed with the installation's PII key: the raw id is not stored.
      expect(stored[0]!.unit).toMatch(/^h:[0-9a-f]{32}$/);
      expect(stored[0]!.value).toBe(1);
      const none = await t.call('POST', '/api/v1/outcomes', [{ request_id: 'no-such-request', metric: 'conversion' }] as any);
      expect(none.status).toBe(404);
      expect(none.body.detail).toContain('None of the 1 outcome events');
    });
  });

  it('reports a test without mature units or events as insufficient_data, with nulls and no NaN', async () => {
    const r = await create({
      name: 'empty',
      start: false,
      guardrails: [{ metric: 'revenue', kind: 'ratio', denominator: '$requests', window: '1h', direction: 'decrease' }],
    });
    expect(r.status).toBe(201);
    const rep = await t.call('GET', '/api/v1/abtests/empty/report?history=true');
    expect(rep.status).toBe(200);
    expectNoNaN(rep.body);
    expect(rep.body.decision.verdict).toBe('insufficient_data');
    expect(rep.body.history).toEqual([]);
    expect(rep.body.srm).toMatchObject({ flagged: false, chi_squared: null, p_value: null });
    for (const m of rep.body.metrics) {
      expect(m.arms.every((a: any) => a.units === 0 && a.mean === null)).toBe(true);
      expect(m.comparisons[0]).toMatchObject({ verdict: 'insufficient_data', absolute: null, relative: null, p_value: null, adjusted_p_value: null });
      expect(m.comparisons[0].reason).toContain('no units yet');
    }
  });

  it("refuses to start a draft whose split is no longer the deployment's", async () => {
    expect((await create({ name: 'stale', start: false })).status).toBe(201);
    const put = await t.call('PUT', '/api/v1/deployments/two', {
      routes: [
        { model: 'credit', version: '1', weight: 1 },
        { model: 'credit', version: '2', weight: 1 },
      ],
      sticky_key: 'customer',
    });
    expect(put.status).toBe(200);
    const r = await t.call('POST', '/api/v1/abtests/stale/start', {});
    expect(r.status).toBe(400);
    expect(r.body.detail).toContain("expects 1: 75%, 2: 25% but deployment 'two' now splits 1: 50%, 2: 50%");
  });
});
