/**
 * End to end over HTTP, on both stores: a deployment with two versions and a sticky key, an A/B test on it,
 * 20,000 units of traffic (each a customer; every tenth sends a second request), outcome events posted after
 * the traffic — inside their unit's attribution window, before its delay, after the window closed, before first
 * exposure (CUPED's covariate, and beyond its lookback), by unit and by request id, for units nobody saw — and
 * the report read over HTTP. The expected report is computed here independently: each unit's value from what
 * this test sent (plain TypeScript), then the engine's compare(), adjustPValues() and sampleRatioMismatch() on
 * those values. Equal to 1e-9.
 *
 * Timestamps are chosen so that membership in a window does not depend on the exact first exposure: every
 * unit's first exposure lies in [t0, t1] (the traffic's span, a few seconds), and each event is placed so it
 * falls on the same side of every window bound whether the unit was first seen at t0 or at t1 (checked).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type ArmMoments, addUnit, adjustPValues, compare, emptyArmMoments, sampleRatioMismatch } from '../../src/stats/index.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { expectedOf } from '../support/models.js';
import { forEachStore } from '../support/stores.js';
import { seeded as rng } from '../support/abtest-fixtures.js';
import { deployTwoVersions, registerCreditVersions } from '../support/abtest-fixtures.js';

const UNITS = 20_000;
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

interface MetricDef {
  metric: string;
  kind: 'proportion' | 'mean' | 'ratio';
  window: number;
  delay: number;
  lookback: number | null;
  denominator?: string;
  direction: 'increase' | 'decrease';
}

const METRICS: MetricDef[] = [
  { metric: 'conversion', kind: 'proportion', window: HOUR, delay: 0, lookback: DAY, direction: 'increase' },
  { metric: 'revenue', kind: 'mean', window: 2 * HOUR, delay: 10 * MIN, lookback: null, direction: 'increase' },
  { metric: 'refunds', kind: 'ratio', window: HOUR, delay: 0, lookback: null, denominator: '$requests', direction: 'decrease' },
  { metric: 'clicks', kind: 'ratio', window: HOUR, delay: 0, lookback: null, denominator: 'views', direction: 'increase' },
];

const asSpec = (m: MetricDef) => ({
  metric: m.metric,
  kind: m.kind,
  window: `${m.window / MIN}m`,
  ...(m.delay ? { delay: `${m.delay / MIN}m` } : {}),
  ...(m.lookback !== null ? { cuped_lookback: `${m.lookback / HOUR}h` } : {}),
  ...(m.denominator ? { denominator: m.denominator } : {}),
  direction: m.direction,
});

interface SentEvent {
  unit?: string;
  request_id?: string;
  metric: string;
  value: number;
  timestamp: number;
}

/** Within 1e-9 relative (1e-12 absolute near 0), or both null. */
function expectClose(actual: number | null | undefined, expected: number | null | undefined, what: string): void {
  if (expected === null || expected === undefined) {
    expect(actual ?? null, what).toBeNull();
    return;
  }
  expect(typeof actual, what).toBe('number');
  const diff = Math.abs((actual as number) - expected);
  expect(diff <= 1e-9 * Math.max(Math.abs(expected), Math.abs(actual as number)) || diff <= 1e-12, `${what}: ${actual} vs ${expected}`).toBe(true);
}

async function pool<T>(n: number, concurrency: number, job: (i: number) => Promise<T>): Promise<T[]> {
  const out = new Array<T>(n);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) {
        const i = next++;
        out[i] = await job(i);
      }
    }),
  );
  return out;
}

forEachStore('A/B test end to end', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
    await registerCreditVersions(t);
    await deployTwoVersions(t, 'shop');
  });
  afterAll(async () => t?.close());

  it('reports what the engine computes on the same raw data, computed independently', { timeout: 240_000 }, async () => {
    const created = await t.call('POST', '/api/v1/abtests', {
      name: 'checkout',
      deployment: 'shop',
      primary_metric: asSpec(METRICS[0]!),
      guardrails: METRICS.slice(1).map(asSpec),
      control: '1',
    });
    expect(created.status).toBe(201);

    // ---- traffic: one request per customer, a second for every tenth ----
    const record = expectedOf('credit_gbdt').records[0];
    const t0 = Date.now();
    const served = await pool(UNITS + UNITS / 10, 32, async (i) => {
      const u = i % UNITS;
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/deployments/shop/predict',
        headers: t.auth,
        payload: { dataframe_records: [record], customer: `c-${u}` },
      });
      if (res.statusCode !== 200) throw new Error(res.body);
      const b = res.json();
      return { unit: u, version: b.model_version as string, requestId: b.request_id as string };
    });
    const t1 = Date.now();
    // The bounds below need the whole traffic inside ten minutes (it takes seconds).
    expect(t1 - t0).toBeLessThan(10 * MIN);
    const arm = new Map<number, string>();
    const requestOf = new Map<number, string>();
    const requests = new Map<number, number>();
    for (const s of served) {
      const before = arm.get(s.unit);
      expect(before === undefined || before === s.version, 'a customer keeps to one version').toBe(true);
      arm.set(s.unit, s.version);
      if (!requestOf.has(s.unit)) requestOf.set(s.unit, s.requestId);
      requests.set(s.unit, (requests.get(s.unit) ?? 0) + 1);
    }

    // ---- outcomes (seeded), each placed on one side of every window bound ----
    const r = rng(16);
    const sent: SentEvent[] = [];
    const byUnit = new Map<number, SentEvent[]>();
    const add = (u: number, metric: string, value: number, timestamp: number, byRequest = false) => {
      const e: SentEvent = byRequest ? { request_id: requestOf.get(u)!, metric, value, timestamp } : { unit: `c-${u}`, metric, value, timestamp };
      sent.push(e);
      let list = byUnit.get(u);
      if (!list) byUnit.set(u, (list = []));
      list.push(e);
    };
    for (let u = 0; u < UNITS; u++) {
      const treated = arm.get(u) === '2';
      const before = r() < 0.3;
      if (before) add(u, 'conversion', 1, t0 - 12 * HOUR); // in the CUPED lookback
      if (r() < 0.1) add(u, 'conversion', 1, t0 - 2 * DAY); // before the lookback
      if (r() < (before ? 0.2 : 0.08) * (treated ? 1.15 : 1)) add(u, 'conversion', 1, t0 + 30 * MIN, r() < 0.05);
      if (r() < 0.02) add(u, 'conversion', 0, t0 + 30 * MIN); // a zero: no conversion
      if (r() < 0.05) add(u, 'conversion', 1, t1 + HOUR + 5 * MIN); // after its window closed
      if (r() < 0.4) add(u, 'revenue', Math.floor(r() * 400) / 4, t0 + HOUR);
      if (r() < 0.1) add(u, 'revenue', 5, t0 + 5 * MIN); // within the delay
      if (r() < 0.1) add(u, 'revenue', 7.25, t1 + 3 * HOUR); // after the window
      if (r() < 0.05) add(u, 'refunds', 1 + Math.floor(r() * 2), t0 + 20 * MIN);
      const views = Math.floor(r() * 4);
      if (views) add(u, 'views', views, t0 + 40 * MIN);
      if (views && r() < 0.5) add(u, 'clicks', 1 + Math.floor(r() * views), t0 + 40 * MIN);
    }
    const ghosts: SentEvent[] = Array.from({ length: 50 }, (_, i) => ({ unit: `ghost-${i}`, metric: 'conversion', value: 1, timestamp: t0 }));
    const all = [...sent, ...ghosts];
    let accepted = 0;
    const unknown: any[] = [];
    for (let i = 0; i < all.length; i += 10_000) {
      const res = await t.call('POST', '/api/v1/outcomes', all.slice(i, i + 10_000) as any);
      expect(res.status).toBe(200);
      accepted += res.body.accepted;
      unknown.push(...res.body.unknown.map((x: any) => ({ ...x, index: x.index + i })));
    }
    expect(accepted).toBe(all.length);
    expect(unknown.map((x) => x.unit)).toEqual(ghosts.map((g) => g.unit));
    expect(unknown[0].index).toBe(sent.length);

    // ---- the expected report, from what was sent ----
    const at = t1 + 4 * HOUR;
    const side = (ts: number, lo: (first: number) => number, hi: (first: number) => number) => {
      const a = ts >= lo(t0) && ts < hi(t0);
      expect(a, 'an event on one side of a window bound whatever the first exposure').toBe(ts >= lo(t1) && ts < hi(t1));
      return a;
    };
    const sumIn = (u: number, metric: string, lo: (f: number) => number, hi: (f: number) => number) => {
      let sum = 0;
      let hits = 0;
      for (const e of byUnit.get(u) ?? [])
        if (e.metric === metric && side(e.timestamp, lo, hi)) {
          sum += e.value;
          if (e.value !== 0) hits++;
        }
      return { sum, hits };
    };
    const expected = METRICS.map((m) => {
      const moments = new Map<string, ArmMoments>([
        ['1', emptyArmMoments()],
        ['2', emptyArmMoments()],
      ]);
      for (let u = 0; u < UNITS; u++) {
        const lo = (f: number) => f + m.delay;
        const hi = (f: number) => f + m.delay + m.window;
        const main = sumIn(u, m.metric, lo, hi);
        const value = m.kind === 'proportion' ? (main.hits > 0 ? 1 : 0) : main.sum;
        const opts: { denominator?: number; covariate?: number } = {};
        if (m.denominator === '$requests') opts.denominator = requests.get(u)!;
        else if (m.denominator) opts.denominator = sumIn(u, m.denominator, lo, hi).sum;
        if (m.lookback !== null) {
          const pre = sumIn(
            u,
            m.metric,
            (f) => f - m.lookback!,
            (f) => f,
          );
          opts.covariate = m.kind === 'proportion' ? (pre.hits > 0 ? 1 : 0) : pre.sum;
        }
        const a = arm.get(u)!;
        moments.set(a, addUnit(moments.get(a)!, value, opts));
      }
      const settings = { method: 'sequential' as const, alpha: 0.05, sequentialTuning: 5000, cuped: m.lookback !== null };
      const c = compare({ kind: m.kind, direction: m.direction, control: moments.get('1')!, treatment: moments.get('2')!, settings });
      return { m, moments, c };
    });
    const adjusted = adjustPValues(
      expected.map((e) => e.c.pValue),
      'holm',
    );
    const counts = ['1', '2'].map((v) => [...arm.values()].filter((a) => a === v).length);
    const srm = sampleRatioMismatch(counts, [50, 50]);

    // ---- the report over HTTP ----
    const res = await t.call('GET', `/api/v1/abtests/checkout/report?at=${at}&history=true&points=3`);
    expect(res.status).toBe(200);
    const report = res.body;
    expect(JSON.stringify(report)).not.toMatch(/NaN|Infinity/);
    expect(report).toMatchObject({ abtest: 'checkout', state: 'running', at, method: 'sequential', alpha: 0.05 });
    expect(report.srm.units.map((u: any) => u.units)).toEqual(counts);
    expectClose(report.srm.chi_squared, srm.chiSquared, 'srm chi2');
    expectClose(report.srm.p_value, srm.pValue, 'srm p');
    expect(report.srm.flagged).toBe(srm.flagged);
    expect(report.metrics.map((x: any) => x.metric)).toEqual(METRICS.map((m) => m.metric));
    expected.forEach(({ m, moments, c }, i) => {
      const got = report.metrics[i];
      expect(got).toMatchObject({ kind: m.kind, direction: m.direction, role: i === 0 ? 'primary' : 'guardrail' });
      for (const [k, a] of got.arms.entries()) {
        const mo = moments.get(['1', '2'][k]!)!;
        expect(a.units).toBe(mo.n);
        expect(a.pending_units).toBe(0);
        expectClose(a.mean, m.kind === 'ratio' ? mo.sum / mo.denominatorSum! : mo.sum / mo.n, `${m.metric} mean`);
      }
      if (m.lookback !== null) {
        // CUPED means on the metric's scale: ȳ − θ·(x̄ − pooled x̄); their difference is the engine's adjusted effect.
        const [c1, c2] = [moments.get('1')!, moments.get('2')!];
        const pooled = (c1.covariateSum! + c2.covariateSum!) / (c1.n + c2.n);
        [c1, c2].forEach((mo, k) =>
          expectClose(got.arms[k].cuped_mean, mo.sum / mo.n - c.cupedTheta! * (mo.covariateSum! / mo.n - pooled), `${m.metric} cuped mean`),
        );
        expectClose(got.arms[1].cuped_mean - got.arms[0].cuped_mean, c.absolute!.estimate, `${m.metric} cuped difference`);
      } else expect(got.arms.map((a: any) => a.cuped_mean)).toEqual([null, null]);
      const cmp = got.comparisons[0];
      expect(cmp).toMatchObject({ arm: '2', control: '1' });
      expect(c.status).toBe('ok');
      for (const part of ['absolute', 'relative'] as const)
        for (const f of ['estimate', 'lower', 'upper', 'stderr'] as const) expectClose(cmp[part][f], c[part]![f], `${m.metric} ${part}.${f}`);
      expectClose(cmp.relative.p_value, c.relative!.pValue, `${m.metric} relative p`);
      expectClose(cmp.p_value, c.pValue, `${m.metric} p`);
      expectClose(cmp.adjusted_p_value, adjusted[i], `${m.metric} adjusted p`);
      const verdict = (c.verdict === 'better' || c.verdict === 'worse') && adjusted[i]! >= 0.05 ? 'inconclusive' : c.verdict;
      expect(cmp.verdict, m.metric).toBe(verdict);
      if (m.lookback !== null) expect(c.cupedTheta).not.toBe(0);
    });
    // History: its last point is the primary metric as of `at`.
    expect(report.history.map((h: any) => h.at)).toEqual([Number(created.body.abtest.started_at), expect.any(Number), at]);
    const last = report.history[2];
    expect(last.units).toBe(expected[0]!.moments.get('2')!.n);
    expectClose(last.estimate, expected[0]!.c.relative!.estimate, 'history estimate');
    expectClose(last.upper, expected[0]!.c.relative!.upper, 'history upper');
    expect(report.history[0]).toMatchObject({ units: 0, estimate: null, lower: null, upper: null });

    // Before the conversion window closed: every unit pending, nothing to decide.
    const early = (await t.call('GET', `/api/v1/abtests/checkout/report?at=${t1 + 45 * MIN}`)).body;
    const conv = early.metrics[0];
    expect(conv.arms.map((a: any) => [a.units, a.pending_units])).toEqual(counts.map((n) => [0, n]));
    expect(conv.comparisons[0].verdict).toBe('insufficient_data');
    expect(early.decision.verdict).toBe('insufficient_data');

    // The unit table never holds a raw customer id.
    const raw = await t.store.db.selectFrom('abtest_units').select('unit').where('unit', 'like', 'c-%').execute();
    expect(raw).toEqual([]);
    const units = await t.store.db.selectFrom('abtest_units').select(['requests']).execute();
    expect(units).toHaveLength(UNITS);
    expect(units.reduce((a, u) => a + Number(u.requests), 0)).toBe(served.length);
  });
});
