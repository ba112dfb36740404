/**
 * Model-quality metrics of A/B tests from feedback, over HTTP on both stores. A deployment with two versions of a
 * classifier and a sticky key; seeded traffic (customers sending one to three requests of one or two rows);
 * labels as feedback, then some of them sent again changed (a label flipped, a label replaced by an outcome):
 * the report's `model:accuracy` and `model:log_loss` (ratios over `model:scored`, the default denominator) and
 * `model:scored` (mean: labelled rows per unit) per arm equal what this test computes from the predictions the
 * API answered and the labels it sent last, with log loss as scikit-learn's log_loss defines it (probabilities
 * clipped to [2^-52, 1 − 2^-52] for float64). To 1e-9.
 *
 * No regression model is among the fixtures: `model:absolute_error` and `model:squared_error` are checked with
 * `value` feedback against the classifier's predicted label read as a number (ŷ ∈ {0, 1}), which exercises the
 * same path a regressor's numeric prediction takes. Feedback on requests the same customers sent before the test
 * started (no unit in the log) is accepted and counts nowhere.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { expectedOf } from '../support/models.js';
import { forEachStore } from '../support/stores.js';
import { seeded as rng } from '../support/abtest-fixtures.js';
import { deployTwoVersions, registerCreditVersions } from '../support/abtest-fixtures.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** scikit-learn's log_loss clips probabilities to [eps, 1 - eps], eps = np.finfo(float64).eps. */
const EPS = 2 ** -52;

/** Within 1e-9 relative (1e-12 absolute near 0). */
function expectClose(actual: unknown, expected: number, what: string): void {
  expect(typeof actual, what).toBe('number');
  const a = actual as number;
  const diff = Math.abs(a - expected);
  expect(diff <= 1e-9 * Math.max(Math.abs(expected), Math.abs(a)) || diff <= 1e-12, `${what}: ${a} vs ${expected}`).toBe(true);
}

interface ServedRow {
  unit: string;
  arm: string;
  requestId: string;
  row: number;
  label: number;
  probabilities: number[];
}

forEachStore('A/B test model-quality metrics', (kind) => {
  let t: TestApp;
  const records = expectedOf('credit_gbdt').records as Record<string, unknown>[];

  beforeAll(async () => {
    t = await startTestApp(kind);
    await registerCreditVersions(t);
    for (const name of ['clf', 'reg']) await deployTwoVersions(t, name);
  });
  afterAll(async () => t?.close());

  /** Seeded traffic: `units` customers, each one to three requests of one or two rows; every row as answered. */
  async function traffic(deployment: string, units: number, seed: number): Promise<ServedRow[]> {
    const r = rng(seed);
    const out: ServedRow[] = [];
    for (let u = 0; u < units; u++) {
      const requests = 1 + Math.floor(r() * 3);
      for (let q = 0; q < requests; q++) {
        const rows = Array.from({ length: 1 + Math.floor(r() * 2) }, () => records[Math.floor(r() * records.length)]);
        const res = await t.call('POST', `/api/v1/deployments/${deployment}/predict`, { dataframe_records: rows, customer: `${deployment}-${u}` });
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        (res.body.predictions as { label: number; probabilities: number[] }[]).forEach((p, row) =>
          out.push({
            unit: `${deployment}-${u}`,
            arm: res.body.model_version,
            requestId: res.body.request_id,
            row,
            label: p.label,
            probabilities: p.probabilities,
          }),
        );
      }
    }
    return out;
  }

  const sendFeedback = async (items: object[]) => {
    const res = await t.call('POST', '/api/v1/feedback', items as unknown as object);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ accepted: items.length, unknown: [] });
  };

  const report = async (name: string) => {
    const res = await t.call('GET', `/api/v1/abtests/${name}/report?at=${Date.now() + 2 * DAY}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(JSON.stringify(res.body)).not.toMatch(/NaN|Infinity/);
    return res.body as { metrics: { metric: string; arms: { arm: string; units: number; mean: number | null }[] }[] };
  };

  it('refuses model: names it does not derive, naming the field; outcomes cannot send them', async () => {
    const bad = await t.call('POST', '/api/v1/abtests', {
      name: 'bad',
      deployment: 'clf',
      primary_metric: { metric: 'model:precision', kind: 'ratio', window: '1d' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe('primary_metric.metric');
    expect(bad.body.detail).toContain('model:accuracy');
    const den = await t.call('POST', '/api/v1/abtests', {
      name: 'bad',
      deployment: 'clf',
      primary_metric: { metric: 'conversion', kind: 'proportion', window: '1d' },
      guardrails: [{ metric: 'model:accuracy', kind: 'ratio', denominator: 'model:rows', window: '1d' }],
    });
    expect(den.status).toBe(400);
    expect(den.body.errors[0].field).toBe('guardrails[0].denominator');
    const sent = await t.call('POST', '/api/v1/outcomes', [{ unit: 'x', metric: 'model:accuracy', value: 1 }] as unknown as object);
    expect(sent.status).toBe(400);
    expect(sent.body.errors[0].field).toBe('outcomes[0].metric');
  });

  it('reports accuracy and log loss per arm from labels, as computed here from the answers', { timeout: 120_000 }, async () => {
    const created = await t.call('POST', '/api/v1/abtests', {
      name: 'clf-quality',
      deployment: 'clf',
      primary_metric: { metric: 'model:accuracy', kind: 'ratio', window: '1d' },
      guardrails: [
        { metric: 'model:log_loss', kind: 'ratio', window: '1d' },
        { metric: 'model:scored', kind: 'mean', window: '1d' },
      ],
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    // A model: ratio without a denominator is over model:scored; direction defaults to the metric's better side.
    expect(created.body.abtest.primary_metric).toMatchObject({ denominator: 'model:scored', direction: 'increase' });
    expect(created.body.abtest.guardrails[0]).toMatchObject({ denominator: 'model:scored', direction: 'decrease' });

    const served = await traffic('clf', 120, 7);
    const arms = [...new Set(served.map((s) => s.arm))].sort();
    expect(arms).toEqual(['1', '2']);
    const r = rng(11);
    // Labels agree with the prediction 70% of the time; a fifth of the rows get none.
    const truth = new Map<ServedRow, number | 'outcome'>();
    const first: object[] = [];
    for (const s of served) {
      if (r() < 0.2) continue;
      const label = r() < 0.7 ? s.label : 1 - s.label;
      truth.set(s, label);
      first.push({ request_id: s.requestId, row: s.row, label });
    }
    await sendFeedback(first);
    // Sent again: some labels flipped, some replaced by an outcome (no model-quality events any more).
    const again: object[] = [];
    for (const [s, label] of truth) {
      const x = r();
      if (x < 0.1) {
        truth.set(s, 1 - (label as number));
        again.push({ request_id: s.requestId, row: s.row, label: 1 - (label as number) });
      } else if (x < 0.15) {
        truth.set(s, 'outcome');
        again.push({ request_id: s.requestId, row: s.row, outcome: 'churned' });
      }
    }
    expect(again.length).toBeGreaterThan(10);
    await sendFeedback(again);

    const got = await report('clf-quality');
    const metric = (name: string) => got.metrics.find((m) => m.metric === name)!;
    for (const arm of arms) {
      const rows = [...truth].filter(([s, l]) => s.arm === arm && l !== 'outcome') as [ServedRow, number][];
      const correct = rows.filter(([s, l]) => s.label === l).length;
      const loss = rows.reduce((a, [s, l]) => a - Math.log(Math.min(Math.max(s.probabilities[l]!, EPS), 1 - EPS)), 0);
      const units = new Set(served.filter((s) => s.arm === arm).map((s) => s.unit)).size;
      expect(rows.length).toBeGreaterThan(30);
      const acc = metric('model:accuracy').arms.find((a) => a.arm === arm)!;
      expect(acc.units).toBe(units);
      expectClose(acc.mean, correct / rows.length, `accuracy, arm ${arm}`);
      expectClose(metric('model:log_loss').arms.find((a) => a.arm === arm)!.mean, loss / rows.length, `log loss, arm ${arm}`);
      expectClose(metric('model:scored').arms.find((a) => a.arm === arm)!.mean, rows.length / units, `scored rows per unit, arm ${arm}`);
    }
  });

  describe('value feedback', () => {
    it('reports absolute and squared error per arm (against the predicted label as a number)', { timeout: 120_000 }, async () => {
      // Served before the test (the same customers): their feedback is accepted and gives no events.
      const before = await traffic('reg', 20, 31);
      await sendFeedback(before.map((s) => ({ request_id: s.requestId, row: s.row, value: 100 })));
      const created = await t.call('POST', '/api/v1/abtests', {
        name: 'reg-quality',
        deployment: 'reg',
        primary_metric: { metric: 'model:absolute_error', kind: 'ratio', window: '1d' },
        guardrails: [{ metric: 'model:squared_error', kind: 'ratio', window: '1d' }],
      });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      expect(created.body.abtest.primary_metric).toMatchObject({ denominator: 'model:scored', direction: 'decrease' });
      const served = await traffic('reg', 60, 23);
      const r = rng(29);
      const ys = served.map(() => Math.round((r() * 3 - 1) * 1000) / 1000);
      await sendFeedback(served.map((s, i) => ({ request_id: s.requestId, row: s.row, value: ys[i] })));
      const got = await report('reg-quality');
      for (const arm of ['1', '2']) {
        const idx = served.flatMap((s, i) => (s.arm === arm ? [i] : []));
        expect(idx.length).toBeGreaterThan(10);
        const abs = idx.reduce((a, i) => a + Math.abs(served[i]!.label - ys[i]!), 0) / idx.length;
        const sq = idx.reduce((a, i) => a + (served[i]!.label - ys[i]!) ** 2, 0) / idx.length;
        expectClose(got.metrics.find((m) => m.metric === 'model:absolute_error')!.arms.find((a) => a.arm === arm)!.mean, abs, `absolute error, arm ${arm}`);
        expectClose(got.metrics.find((m) => m.metric === 'model:squared_error')!.arms.find((a) => a.arm === arm)!.mean, sq, `squared error, arm ${arm}`);
      }
    });
  });
});
