/**
 * Estimated performance (CBPE) end to end on both stores, with the credit GBDT fixture (a real ONNX binary
 * classifier) and its training table as the labelled reference: the estimator fitted on the dataset version scored
 * by the serving model version, the deployment's predictions estimated per window before any label arrives, realized
 * metrics and label coverage as feedback joins, and an alert rule on estimated_accuracy firing on live traffic.
 * The numbers themselves are checked against nannyml in python/tests/test_stats_cbpe.py; here the plumbing is
 * checked: the right rows in the right windows, the model's own probabilities, and the realized figures recounted
 * by hand.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, expect, it } from 'vitest';
import { cbpeEstimate, cbpeFit } from '../src/stats/index.js';
import { useTestApp } from './support/app.js';
import { registerFixture } from './support/models.js';
import { forEachStore } from './support/stores.js';

const csvText = readFileSync(new URL('./fixtures/models/credit_train.csv', import.meta.url), 'utf8');
const [head, ...lines] = csvText.trim().split('\n');
const cols = head!.split(',');
const rows = lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [cols[i]!, v === '' ? null : /^[-\d.]+$/.test(v) ? Number(v) : v])));
const features = (r: Record<string, unknown>) => Object.fromEntries(Object.entries(r).filter(([k]) => k !== 'default'));

const MODEL = 'credit-cbpe';
const DATASET = 'credit-cbpe';
const E = '/api/v1/deployments/est/performance/estimated';

forEachStore('estimated performance', (kind) => {
  const t = useTestApp(kind);
  // The model's answers for every training row (the reference, scored as the server scores it).
  const refProba: number[] = [];
  const refPred: number[] = [];

  beforeAll(async () => {
    await t.app.alerts.stop(); // the test evaluates alerts when it chooses
    expect(await registerFixture(t, MODEL, 'credit_gbdt.onnx')).toBe('1');
    const push = await t.app.inject({
      method: 'POST',
      url: `/api/v1/datasets/${DATASET}/versions?filename=credit_train.csv`,
      headers: { ...t.auth, 'content-type': 'text/csv' },
      payload: csvText,
    });
    expect(push.statusCode, push.body).toBe(201);
    expect((await t.call('POST', '/api/v1/deployments', { name: 'est', routes: [{ model: MODEL, version: '1' }] })).status).toBe(200);
    for (let i = 0; i < rows.length; i += 500) {
      const r = await t.call('POST', '/api/v1/deployments/est/predict', { instances: rows.slice(i, i + 500).map(features) });
      refPred.push(...r.body.predictions.map((p: any) => p.label as number));
      refProba.push(...r.body.predictions.map((p: any) => p.probabilities[1] as number));
    }
    expect(refProba.length).toBe(rows.length);
    // Those reference predictions are older than every window below.
    await new Promise((r) => setTimeout(r, 1100));
  }, 120_000);

  it('estimates each window before labels come, and shows realized metrics beside the band as labels join', async () => {
    const from = Date.now();
    const batch = rows.slice(0, 400);
    const res = await t.call('POST', '/api/v1/deployments/est/predict', { instances: batch.map(features) });
    expect(res.status).toBe(200);
    const pred: number[] = res.body.predictions.map((p: any) => p.label);
    const proba: number[] = res.body.predictions.map((p: any) => p.probabilities[1]);
    const q = `${E}?dataset=${DATASET}@1&from=${from}&to=${from + 7_200_000}&window=1h`;

    const first = await t.call('GET', q);
    expect(first.status, JSON.stringify(first.body).slice(0, 800)).toBe(200);
    const b = first.body;
    expect(b).toMatchObject({
      deployment: 'est',
      model: { name: MODEL, version: '1' },
      band_width: 3,
      rows_other_versions: 0,
      reference: {
        dataset: `${DATASET}@1`,
        label: 'default', // the one column that is not a model input
        rows: rows.length,
        rows_without_label: 0,
        positives: rows.filter((r) => r['default'] === 1).length,
        predicted_positives: refPred.filter((p) => p === 1).length,
        prediction_output: 'label',
        probability_output: 'probabilities',
        calibration: { requested: 'auto' },
      },
    });
    expect(b.reference.calibration.reason).toMatch(/calibrat/);
    expect(b.notes.join(' ')).toMatch(/covariate shift/);
    // Two windows: the hour with the batch, and the next one (no rows yet: no estimate).
    expect(b.windows).toHaveLength(2);
    expect(b.windows[1]).toMatchObject({ rows: 0, labelled: 0, label_coverage: null, expected_confusion: null, metrics: null, outside_band: [] });
    const w = b.windows[0];
    expect(w).toMatchObject({ rows: 400, labelled: 0, label_coverage: 0 });
    expect(b.overall.rows).toBe(400);

    // The same fit and estimate from the model's answers (numbers vs nannyml: python/tests/test_stats_cbpe.py).
    const fitted = cbpeFit({ yTrue: rows.map((r) => r['default']), yProba: refProba, yPred: refPred });
    expect(b.reference.calibration.method).toBe(fitted.calibration.method);
    const expected = cbpeEstimate(fitted, { yProba: proba, yPred: pred });
    for (const m of ['roc_auc', 'f1', 'precision', 'recall', 'specificity', 'accuracy', 'average_precision'] as const) {
      const got = w.metrics[m];
      expect(got.estimated).toBeCloseTo(expected.metrics[m].value!, 6);
      expect(got.sampling_error).toBeCloseTo(expected.metrics[m].samplingError!, 9);
      expect(got.lower).toBeLessThanOrEqual(got.estimated);
      expect(got.upper).toBeGreaterThanOrEqual(got.estimated);
      expect(got.lower).toBeGreaterThanOrEqual(0);
      expect(got.upper).toBeLessThanOrEqual(1);
      expect(got).toMatchObject({ realized: null, realized_outside_band: null });
    }
    const c = w.expected_confusion;
    expect(c.tp + c.fp + c.fn + c.tn).toBeCloseTo(400, 9);

    // Half the labels arrive: realized metrics on those rows, coverage 0.5.
    const fb = (lo: number, hi: number) =>
      t.call(
        'POST',
        '/api/v1/feedback',
        batch.slice(lo, hi).map((r, i) => ({ request_id: res.body.request_id, row: lo + i, label: r['default'] })) as unknown as object,
      );
    expect((await fb(0, 200)).body.accepted).toBe(200);
    const half = (await t.call('GET', q)).body.windows[0];
    expect(half).toMatchObject({ rows: 400, labelled: 200, label_coverage: 0.5 });
    const truth = batch.slice(0, 200).map((r) => r['default'] as number);
    const correct = truth.filter((y, i) => y === pred[i]).length;
    expect(half.metrics.accuracy.realized).toBeCloseTo(correct / 200, 12);
    const tp = truth.filter((y, i) => y === 1 && pred[i] === 1).length;
    expect(half.metrics.recall.realized).toBeCloseTo(tp / truth.filter((y) => y === 1).length, 12);
    // The estimate does not move when labels join: it never reads them.
    expect(half.metrics.accuracy.estimated).toBe(w.metrics.accuracy.estimated);
    for (const m of Object.keys(half.metrics)) {
      const x = half.metrics[m];
      if (x.realized !== null) expect(x.realized_outside_band).toBe(x.realized < x.lower || x.realized > x.upper);
      expect(half.outside_band.includes(m)).toBe(x.realized_outside_band === true);
    }
  }, 120_000);

  it('refuses what it cannot estimate, naming the field', async () => {
    const detail = async (url: string) => (await t.call('GET', url)).body;
    // No training data on record for the version (no lineage): the reference must be named.
    expect(await detail(E)).toMatchObject({ status: 400, detail: expect.stringContaining("'dataset'") });
    expect((await detail(`${E}?dataset=${DATASET}@1&label=nope`)).detail).toContain("'label' 'nope'");
    expect((await detail(`${E}?dataset=${DATASET}@1&label=purpose`)).detail).toMatch(/binary/);
    expect((await detail(`${E}?dataset=${DATASET}@1&probability=nope`)).detail).toContain("('nope')");
    expect((await detail(`${E}?dataset=nope@1`)).status).toBe(400);
    expect((await detail(`${E}?dataset=${DATASET}@1&calibration=platt`)).status).toBe(400);
    expect((await detail(`${E}?dataset=${DATASET}@1&window=1s&from=7d`)).detail).toContain("'window'");
    expect((await t.call('GET', '/api/v1/deployments/nope/performance/estimated')).status).toBe(404);
  }, 60_000);

  it('an alert on estimated_accuracy fires on live traffic, with no label at all', async () => {
    const rule = await t.call('POST', '/api/v1/alerts/rules', {
      name: 'est-acc',
      deployment: 'est',
      metric: `estimated_accuracy:default@${DATASET}@1`,
      comparison: '<',
      threshold: 0.999,
      window: '2s',
    });
    expect(rule.status, JSON.stringify(rule.body)).toBe(200);
    // No traffic in the window: no value, no transition.
    await new Promise((r) => setTimeout(r, 2100));
    let ev = (await t.call('POST', '/api/v1/alerts/evaluate')).body;
    expect(ev.transitions.filter((x: any) => x.rule === 'est-acc')).toEqual([]);
    const sent = await t.call('POST', '/api/v1/deployments/est/predict', { instances: rows.slice(1000, 1300).map(features) });
    expect(sent.status).toBe(200);
    ev = (await t.call('POST', '/api/v1/alerts/evaluate')).body;
    const fired = ev.transitions.filter((x: any) => x.rule === 'est-acc');
    expect(fired.map((x: any) => x.to)).toEqual(['firing']);
    const value = fired[0].value;
    expect(value).toBeGreaterThan(0.5);
    expect(value).toBeLessThan(0.999);
    // The plain metric reads the version's training data from lineage; there is none here, so no value.
    const plain = await t.call('POST', '/api/v1/alerts/rules', {
      name: 'est-plain',
      deployment: 'est',
      metric: 'estimated_f1',
      comparison: '<',
      threshold: 2,
      window: '1h',
    });
    expect(plain.status).toBe(200);
    ev = (await t.call('POST', '/api/v1/alerts/evaluate')).body;
    expect(ev.transitions.filter((x: any) => x.rule === 'est-plain')).toEqual([]);
    const bad = await t.call('POST', '/api/v1/alerts/rules', { name: 'est-bad', deployment: 'est', metric: 'estimated_auc', comparison: '<', threshold: 1 });
    expect(bad.status).toBe(400);
  }, 60_000);
});
