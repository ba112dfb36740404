/**
 * An A/B test's life around the report, on both stores: requests are counted as exposures only while the test
 * runs (stop ends the assignment); a server started on the same store assigns running tests again, and follows starts and stops made elsewhere; a guardrail
 * significantly worse makes the decision `worse`, naming it, and the alert metric abtest_guardrail_worse 1 (an
 * alert rule on it fires); the adjusted p-values are Holm's.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { LocalArtifactStore } from '../../src/artifacts/index.js';
import { loadConfig } from '../../src/config.js';
import { adjustPValues } from '../../src/stats/index.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { expectedOf } from '../support/models.js';
import { forEachStore } from '../support/stores.js';
import { join } from 'node:path';
import { seeded as rng } from '../support/abtest-fixtures.js';
import { deployTwoVersions, registerCreditVersions } from '../support/abtest-fixtures.js';

const HOUR = 3_600_000;

forEachStore('A/B test lifecycle', (kind) => {
  let t: TestApp;
  const record = expectedOf('credit_gbdt').records[0];
  beforeAll(async () => {
    t = await startTestApp(kind);
    await registerCreditVersions(t);
    for (const name of ['life', 'guard']) await deployTwoVersions(t, name);
  });
  afterAll(async () => t?.close());

  const predict = (dep: string, customer: string) =>
    t.call('POST', `/api/v1/deployments/${dep}/predict`, { dataframe_records: [record], customer }).then((r) => r.body);
  const unitCount = async () =>
    Number(
      (
        await t.store.db
          .selectFrom('abtest_units')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('counts exposures while running, not after stop; a restarted server assigns running tests again', async () => {
    const metric = { metric: 'conversion', kind: 'proportion', window: '1h' };
    expect((await t.call('POST', '/api/v1/abtests', { name: 'life-1', deployment: 'life', primary_metric: metric })).status).toBe(201);
    for (let i = 0; i < 20; i++) await predict('life', `a-${i}`);
    const during = (await t.call('GET', '/api/v1/abtests/life-1/report')).body;
    expect(during.srm.units.reduce((a: number, u: any) => a + u.units, 0)).toBe(20);
    expect(await unitCount()).toBe(20);
    await t.call('POST', '/api/v1/abtests/life-1/stop', {});
    for (let i = 0; i < 5; i++) await predict('life', `b-${i}`);
    await t.app.ferry.abtests.recorder.flush();
    expect(await unitCount()).toBe(20);

    // A second test on the deployment, then a second server on the same store: it is assigned there too.
    expect((await t.call('POST', '/api/v1/abtests', { name: 'life-2', deployment: 'life', primary_metric: metric })).status).toBe(201);
    // The same store object; the URL only decides the prediction log's thread (none for :memory:).
    const config = loadConfig({ dataDir: t.dataDir, store: 'sqlite::memory:' }, {});
    const other = await buildApp({ config, store: t.store, artifacts: new LocalArtifactStore(join(t.dataDir, 'artifacts')), logger: false });
    try {
      await other.ready();
      // Wait for the deployment to load on the second server (in the background), then predict there.
      for (let i = 0; i < 200 && !other.ferry.runtime.isReady('life'); i++) await new Promise((r) => setTimeout(r, 50));
      const predictThere = async (customer: string) => {
        const res = await other.inject({
          method: 'POST',
          url: '/api/v1/deployments/life/predict',
          headers: t.auth,
          payload: { dataframe_records: [record], customer },
        });
        expect(res.statusCode).toBe(200);
        await other.ferry.abtests.recorder.flush();
      };
      await predictThere('second-server');
      // Stopped on the first server, a start of another there: the second learns of both at its next sync.
      await t.call('POST', '/api/v1/abtests/life-2/stop', {});
      expect((await t.call('POST', '/api/v1/abtests', { name: 'life-3', deployment: 'life', primary_metric: metric })).status).toBe(201);
      await other.ferry.abtests.service.syncAssignments();
      await predictThere('after-sync');
    } finally {
      await other.close();
    }
    const rows = await t.store.db
      .selectFrom('abtest_units')
      .innerJoin('abtests', 'abtests.abtest_id', 'abtest_units.abtest_id')
      .select('abtests.name')
      .execute();
    expect(rows.filter((r) => r.name === 'life-2')).toHaveLength(1);
    expect(rows.filter((r) => r.name === 'life-3')).toHaveLength(1);
  });

  it('decides worse when a guardrail is significantly worse, and the alert metric says 1', async () => {
    const created = await t.call('POST', '/api/v1/abtests', {
      name: 'guard-1',
      deployment: 'guard',
      primary_metric: { metric: 'signup', kind: 'proportion', window: '1h' },
      guardrails: [{ metric: 'errors', kind: 'mean', window: '1h', direction: 'decrease' }],
      settings: { method: 'fixed' },
    });
    expect(created.status).toBe(201);
    const rule = await t.call('POST', '/api/v1/alerts/rules', {
      name: 'guardrail',
      deployment: 'guard',
      metric: 'abtest_guardrail_worse',
      comparison: '>=',
      threshold: 1,
    });
    expect(rule.status).toBe(200);
    const before = await t.call('POST', '/api/v1/alerts/evaluate', {});
    expect(before.body.transitions).toEqual([]);
    expect(await t.app.ferry.abtests.alertMetrics({ value: async () => 42 }).value('guard', 'abtest_guardrail_worse', 60_000, Date.now())).toBe(0);
    expect(await t.app.ferry.abtests.alertMetrics({ value: async () => 42 }).value('guard', 'error_rate', 60_000, Date.now())).toBe(42);
    expect(await t.app.ferry.abtests.alertMetrics({ value: async () => 42 }).value('life', 'abtest_guardrail_worse', 60_000, Date.now())).toBe(0);
    expect(await t.app.ferry.abtests.alertMetrics({ value: async () => 42 }).value('nobody', 'abtest_guardrail_worse', 60_000, Date.now())).toBeNull();

    // 400 customers; then their outcomes: version 2 errs three times as often; signups alike.
    const arms = new Map<string, string>();
    for (let i = 0; i < 400; i++) arms.set(`g-${i}`, (await predict('guard', `g-${i}`)).model_version);
    const r = rng(7);
    const now = Date.now();
    const events = [...arms].flatMap(([unit, v]) => [
      ...(r() < (v === '2' ? 0.45 : 0.15) ? [{ unit, metric: 'errors', value: 1, timestamp: now + 60_000 }] : []),
      ...(r() < 0.3 ? [{ unit, metric: 'signup', timestamp: now + 60_000 }] : []),
    ]);
    expect((await t.call('POST', '/api/v1/outcomes', events as any)).body.accepted).toBe(events.length);
    const at = now + 2 * HOUR;
    const report = (await t.call('GET', `/api/v1/abtests/guard-1/report?at=${at}`)).body;
    const errors = report.metrics[1];
    expect(errors.comparisons[0].verdict).toBe('worse');
    expect(report.decision.verdict).toBe('worse');
    expect(report.decision.reason).toContain('Guardrail errors (2) is significantly worse');
    expect(await t.app.ferry.abtests.alertMetrics({ value: async () => null }).value('guard', 'abtest_guardrail_worse', 60_000, at)).toBe(1);
    const fired = await t.app.alerts.evaluateNow(at);
    expect(fired.transitions.map((x) => [x.metric, x.to, x.value])).toEqual([['abtest_guardrail_worse', 'firing', 1]]);

    // Holm across the two metrics: the adjusted p-values are the engine's on the raw ones.
    const raw = report.metrics.map((m: any) => m.comparisons[0].p_value);
    expect(report.metrics.map((m: any) => m.comparisons[0].adjusted_p_value)).toEqual(adjustPValues(raw, 'holm'));
  });
});
