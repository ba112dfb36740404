/**
 * Fairness end to end on both stores, with the credit GBDT fixture (a real ONNX classifier) and its training table
 * as a dataset: an offline report scored, stored, listed, shown and audited; the gate reading the stored report;
 * live fairness per window from logged traffic, TPR/FPR as labels join (late ones included); an alert rule on
 * demographic_parity_ratio:<feature> firing on traffic skewed against one group. The numbers of the offline
 * report are checked against Fairlearn in python/tests/test_fairness_report.py; here, selection rates and counts
 * are recounted by hand from the rows the model answered.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, expect, it } from 'vitest';
import { FairnessService, fairnessCheck } from '../src/analysis/index.js';
import { LiveFairnessService } from '../src/analysis/fairness-live.js';
import type { ModelLoader } from '../src/serving/index.js';
import { useTestApp } from './support/app.js';
import { registerFixture } from './support/models.js';
import { forEachStore } from './support/stores.js';

const csvText = readFileSync(new URL('./fixtures/models/credit_train.csv', import.meta.url), 'utf8');
const [head, ...lines] = csvText.trim().split('\n');
const cols = head!.split(',');
const rows = lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [cols[i]!, v === '' ? null : /^[-\d.]+$/.test(v) ? Number(v) : v])));
const features = (r: Record<string, unknown>) => Object.fromEntries(Object.entries(r).filter(([k]) => k !== 'default'));

const MODEL = 'credit-fair';
const P = `/api/v1/models/${MODEL}/versions/1/fairness`;

forEachStore('fairness', (kind) => {
  const t = useTestApp(kind);

  beforeAll(async () => {
    await t.app.alerts.stop(); // the test evaluates alerts when it chooses
    expect(await registerFixture(t, MODEL, 'credit_gbdt.onnx')).toBe('1');
    const push = await t.app.inject({
      method: 'POST',
      url: '/api/v1/datasets/credit-fair/versions?filename=credit_train.csv',
      headers: { ...t.auth, 'content-type': 'text/csv' },
      payload: csvText,
    });
    expect(push.statusCode, push.body).toBe(201);
    expect((await t.call('POST', '/api/v1/deployments', { name: 'fair', routes: [{ model: MODEL, version: '1' }] })).status).toBe(200);
  }, 60_000);

  it('scores the dataset version, stores the report, lists and shows it, and audits the write', async () => {
    const res = await t.call('POST', `${P}?rows=true`, {
      dataset: 'credit-fair',
      dataset_version: 'latest',
      label: 'default',
      sensitive_features: ['home_ownership', 'purpose'],
      metrics: ['selection_rate', 'accuracy', 'tpr', 'fpr', 'count'],
      bootstrap: { samples: 200, seed: 7 },
    });
    expect(res.status, JSON.stringify(res.body).slice(0, 500)).toBe(201);
    const r = res.body.report;
    expect(r).toMatchObject({
      model: MODEL,
      version: '1',
      dataset: 'credit-fair',
      dataset_version: 1,
      created_by: 'admin',
      n_rows: rows.length,
      rows_without_label: 0,
    });
    expect(r.rows_missing_sensitive).toBe(rows.filter((x) => x['home_ownership'] === null || x['purpose'] === null).length);
    expect(r.notes.join(' ')).toMatch(/in the group '\(missing\)'/);
    expect(r.spec).toMatchObject({
      prediction: 'label',
      metrics: ['selection_rate', 'accuracy', 'true_positive_rate', 'false_positive_rate', 'count'],
      min_group_size: 30,
    });
    expect(r.analyses.map((a: any) => a.features)).toEqual([['home_ownership', 'purpose'], ['home_ownership'], ['purpose']]);

    // Recount selection rates and group sizes by home ownership from the scored rows, by hand.
    const own = r.analyses[1];
    const sel = own.frames.find((f: any) => f.metric === 'selection_rate');
    const yPred: number[] = r.rows.y_pred;
    const home: string[] = r.rows.sensitive.home_ownership;
    expect(r.rows.y_true).toEqual(rows.map((x) => x['default']));
    for (const g of sel.groups) {
      const idx = home.map((h, i) => (h === g.key[0] ? i : -1)).filter((i) => i >= 0);
      expect(g.n).toBe(idx.length);
      expect(g.value).toBeCloseTo(idx.filter((i) => yPred[i] === 1).length / idx.length, 12);
      expect(g.interval.lo).toBeLessThanOrEqual(g.value);
      expect(g.interval.hi).toBeGreaterThanOrEqual(g.value);
    }
    const values = sel.groups.map((g: any) => g.value);
    expect(own.parity.demographic_parity_ratio.between_groups).toBeCloseTo(Math.min(...values) / Math.max(...values), 12);
    expect(own.four_fifths.ratio).toBe(own.parity.demographic_parity_ratio.between_groups);
    expect(own.four_fifths.explanation).toMatch(/heuristic|rule of thumb/i);
    // Intersections: the full product of observed values, counts always shown, small cells flagged.
    const inter = r.analyses[0].frames.find((f: any) => f.metric === 'count');
    expect(inter.groups.reduce((s: number, g: any) => s + g.n, 0)).toBe(rows.length);
    expect(inter.groups.filter((g: any) => g.insufficient).map((g: any) => g.label)).toEqual(inter.insufficient_groups);

    const list = await t.call('GET', P);
    expect(list.status).toBe(200);
    expect(list.body.reports[0]).toMatchObject({ id: r.id, sensitive_features: ['home_ownership', 'purpose'], n_rows: rows.length });
    const shown = await t.call('GET', `${P}/${r.id}`);
    expect(shown.status).toBe(200);
    expect(shown.body.report.rows).toBeUndefined();
    expect(shown.body.report.analyses).toEqual(r.analyses);
    expect((await t.call('GET', `${P}/${r.id}?rows=true`)).body.report.rows.y_pred).toEqual(yPred);

    // Audit rows are written after the response: poll for it.
    const actions = async () => (await t.call('GET', '/api/v1/audit?limit=20')).body.entries.map((e: any) => e.action);
    await expect.poll(actions, { timeout: 10_000 }).toContain('POST /api/v1/models/:name/versions/:version/fairness');
  }, 60_000);

  it('refuses what it cannot compute, naming the field', async () => {
    const body = { dataset: 'credit-fair', dataset_version: 1, label: 'default', sensitive_features: ['home_ownership'] };
    const bad = async (b: object, url = P) => t.call('POST', url, b);
    expect((await bad({ ...body, label: 'nope' })).body).toMatchObject({ status: 400, detail: expect.stringContaining("'label'") });
    expect((await bad({ ...body, sensitive_features: ['gender'] })).body.detail).toContain("'sensitive_features[0]'");
    expect((await bad({ ...body, sensitive_features: ['default'] })).status).toBe(400);
    expect((await bad({ ...body, prediction: 'nope' })).body.detail).toContain("'prediction'");
    expect((await bad({ ...body, bootstrap: { samples: 100_000 } })).body.detail).toContain("'bootstrap.samples'");
    // Weights: a column of finite numbers ≥ 0, neither the label nor a sensitive feature ('age' has empty cells).
    const weight = async (w: string) => (await bad({ ...body, sample_weight: w })).body;
    expect(await weight('nope')).toMatchObject({ status: 400, errors: [{ field: 'sample_weight' }] });
    expect(await weight('default')).toMatchObject({ status: 400, errors: [{ field: 'sample_weight' }] });
    expect(await weight('age')).toMatchObject({ status: 400, errors: [{ field: 'sample_weight' }], detail: expect.stringContaining('holds null') });
    expect((await bad({ ...body, dataset_version: 9 })).status).toBe(404);
    expect((await bad(body, `/api/v1/models/${MODEL}/versions/7/fairness`)).status).toBe(404);
    expect((await t.call('GET', `${P}/999999`)).status).toBe(404);
    // The route takes ids of up to 15 digits; past PostgreSQL's integer column this was a 500 there (a 404 on SQLite).
    expect((await t.call('GET', `${P}/999999999999999`)).status).toBe(404);
  });

  it('refuses a dataset version over the row limit from its row count, before its file is read into memory', async () => {
    // The whole file was buffered and parsed before the limit was checked: a large version exhausted memory first.
    const datasets = t.app.ferry.data.datasets;
    let opened = 0;
    const spy = Object.assign(Object.create(datasets) as typeof datasets, {
      open: (...a: Parameters<typeof datasets.open>) => (opened++, datasets.open(...a)),
    });
    const loader = { resolve: async () => ({}) } as unknown as ModelLoader;
    const svc = new FairnessService({ store: t.store, loader, datasets: spy, maxRows: 10 });
    const body = { dataset: 'credit-fair', dataset_version: 1, label: 'default', sensitive_features: ['home_ownership'] };
    const err = (await svc.create(MODEL, '1', body, 'admin').catch((e: unknown) => e)) as { status: number; message: string };
    expect(err.status).toBe(400);
    expect(err.message).toContain(`${rows.length} rows`);
    expect(opened).toBe(0);
  });

  it('gates on the latest stored report, and fails without one', async () => {
    const none = await fairnessCheck(t.store, { model: MODEL, version: '1', feature: 'age', metric: 'demographic_parity_ratio', min: 0.8 });
    expect(none).toMatchObject({ passed: false, value: null, report_id: null });
    expect(none.reason).toMatch(/No stored fairness report/);
    const created = await t.call('POST', P, {
      dataset: 'credit-fair',
      dataset_version: 1,
      label: 'default',
      sensitive_features: ['home_ownership'],
      metrics: ['selection_rate'],
    });
    expect(created.status).toBe(201);
    const dpr = created.body.report.analyses[0].parity.demographic_parity_ratio.between_groups as number;
    const pass = await fairnessCheck(t.store, { model: MODEL, version: '1', feature: 'home_ownership', metric: 'demographic_parity_ratio', min: dpr - 0.01 });
    expect(pass).toMatchObject({ passed: true, value: dpr, report_id: created.body.report.id });
    expect(pass.reason).toMatch(/within/);
    const fail = await fairnessCheck(t.store, { model: MODEL, version: '1', feature: 'home_ownership', metric: 'demographic_parity_ratio', min: dpr + 0.01 });
    expect(fail).toMatchObject({ passed: false, value: dpr });
    expect(fail.reason).toMatch(/outside/);
    // The intersection is read from the first report (the newest one analysed home_ownership alone).
    const inter = await fairnessCheck(t.store, {
      model: MODEL,
      version: '1',
      feature: ['purpose', 'home_ownership'],
      metric: 'equalized_odds_difference',
      max: 1,
    });
    expect(inter.report_id).toBeLessThan(created.body.report.id);
  });

  it('live: selection rates per group at once, TPR/FPR where labels joined, late labels recomputed', async () => {
    const from = Date.now();
    const batch = rows.slice(0, 300);
    const res = await t.call('POST', '/api/v1/deployments/fair/predict', { instances: batch.map(features) });
    expect(res.status).toBe(200);
    const labels: number[] = res.body.predictions.map((p: any) => p.label);
    const q = `/api/v1/deployments/fair/fairness?feature=home_ownership&from=${from}&to=${Date.now() + 1000}&window=1h`;
    const first = await t.call('GET', q);
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    const missing = batch.filter((b) => b['home_ownership'] === null).length;
    expect(missing).toBeGreaterThan(0);
    expect(first.body).toMatchObject({
      feature_source: 'model_input',
      prediction: 'label',
      overall: { n: 300 - missing, missing_feature: missing, labelled: 0, equalized_odds_ratio: null },
    });
    expect(first.body.notes.join(' ')).toMatch(/model inputs only/);
    for (const g of first.body.overall.groups) {
      const idx = batch.map((b, i) => (b['home_ownership'] === g.key ? i : -1)).filter((i) => i >= 0);
      expect(g).toMatchObject({ n: idx.length, labelled: 0, label_coverage: 0, true_positive_rate: null });
      expect(g.selection_rate).toBeCloseTo(idx.filter((i) => labels[i] === 1).length / idx.length, 12);
    }
    const fb = (lo: number, hi: number) =>
      t.call(
        'POST',
        '/api/v1/feedback',
        batch.slice(lo, hi).map((r, i) => ({ request_id: res.body.request_id, row: lo + i, label: r['default'] })) as unknown as object,
      );
    expect((await fb(0, 150)).body.accepted).toBe(150);
    const half = (await t.call('GET', q)).body.overall;
    expect(half.labelled).toBe(batch.slice(0, 150).filter((b) => b['home_ownership'] !== null).length);
    // Late labels: the rest join afterwards and the same window is recomputed with them.
    expect((await fb(150, 300)).body.accepted).toBe(150);
    const all = (await t.call('GET', q)).body.overall;
    expect(all.labelled).toBe(300 - missing);
    for (const g of all.groups) {
      const idx = batch.map((b, i) => (b['home_ownership'] === g.key ? i : -1)).filter((i) => i >= 0);
      const pos = idx.filter((i) => batch[i]!['default'] === 1);
      expect(g.label_coverage).toBe(1);
      expect(g.true_positive_rate).toBeCloseTo(pos.length ? pos.filter((i) => labels[i] === 1).length / pos.length : 0, 12);
    }
    const tprs = all.groups.map((g: any) => g.true_positive_rate);
    expect(all.equal_opportunity_difference).toBeCloseTo(Math.max(...tprs) - Math.min(...tprs), 12);
    expect(half.groups.reduce((s: number, g: any) => s + g.labelled, 0)).toBe(half.labelled);

    // One model version's predictions: all of them here (version 1 serves); none of a version that never served.
    expect((await t.call('GET', `${q}&model_version=1`)).body.overall).toEqual(all);
    expect((await t.call('GET', `${q}&model_version=9`)).body).toMatchObject({ model_version: '9', overall: { n: 0, groups: [] } });
    expect((await t.call('GET', '/api/v1/deployments/fair/fairness?feature=gender&from=' + from)).body.detail).toContain("'feature'");
    expect((await t.call('GET', '/api/v1/deployments/nope/fairness?feature=x')).status).toBe(404);
  }, 60_000);

  it('an alert on demographic_parity_ratio:<feature> fires when traffic is skewed against one group', async () => {
    // Rows the model scores 0 or 1, by home ownership: traffic can then be balanced or skewed at will.
    const scored: number[] = [];
    for (let i = 0; i < rows.length; i += 500) {
      const r = await t.call('POST', '/api/v1/deployments/fair/predict', { instances: rows.slice(i, i + 500).map(features) });
      scored.push(...r.body.predictions.map((p: any) => p.label as number));
    }
    const pick = (home: string, label: number, k: number) => {
      const out = rows
        .filter((r, i) => r['home_ownership'] === home && scored[i] === label)
        .slice(0, k)
        .map(features);
      expect(out.length).toBe(k);
      return out;
    };
    const rule = await t.call('POST', '/api/v1/alerts/rules', {
      name: 'fair-dpr',
      deployment: 'fair',
      metric: 'demographic_parity_ratio:home_ownership',
      comparison: '<',
      threshold: 0.8,
      window: '2s',
    });
    expect(rule.status, JSON.stringify(rule.body)).toBe(200);
    // A window with balanced traffic does not fire (previous tests' traffic is older than the window).
    await new Promise((r) => setTimeout(r, 2100));
    const balanced = [...pick('rent', 0, 30), ...pick('rent', 1, 30), ...pick('mortgage', 0, 30), ...pick('mortgage', 1, 30)];
    expect((await t.call('POST', '/api/v1/deployments/fair/predict', { instances: balanced })).status).toBe(200);
    let ev = (await t.call('POST', '/api/v1/alerts/evaluate')).body;
    expect(ev.transitions.filter((x: any) => x.rule === 'fair-dpr')).toEqual([]);
    await new Promise((r) => setTimeout(r, 2100));
    expect((await t.call('POST', '/api/v1/deployments/fair/predict', { instances: [...pick('rent', 0, 40), ...pick('mortgage', 1, 40)] })).status).toBe(200);
    ev = (await t.call('POST', '/api/v1/alerts/evaluate')).body;
    expect(ev.transitions.filter((x: any) => x.rule === 'fair-dpr').map((x: any) => x.to)).toEqual(['firing']);
    const v = await t.app.ferry.fairness.alertMetrics({ value: async () => null }).value('fair', 'demographic_parity_ratio:home_ownership', 2_000, Date.now());
    expect(v).toBe(0);
  }, 60_000);

  it('live: a range holding more predictions than one answer reads says which windows are incomplete', async () => {
    // The log is read newest first up to a bound: past it, the oldest windows had partial counts, shown as whole.
    const q = { feature: 'home_ownership', from: String(Date.now() - 3_600_000), to: String(Date.now() + 1000), window: '1h' };
    const svc = (maxRows: number) => new LiveFairnessService({ store: t.store, monitoring: t.app.ferry.monitoring.service, maxRows });
    const full = await svc(1_000_000).live('fair', q);
    const total = full.overall.n + full.overall.missing_feature;
    expect(total).toBeGreaterThan(1000);
    // The bound counts predictions; the log is read by whole requests (several hundred rows each here).
    expect(full.notes.join(' ')).not.toMatch(/Only the newest/);
    const part = await svc(3).live('fair', q);
    expect(part.overall.n + part.overall.missing_feature).toBeLessThan(total);
    expect(part.notes.join(' ')).toMatch(/Only the newest \d+ predictions of the range were read \(at most 3 per answer\): windows before \S+ are incomplete/);
    // Everything read (one request larger than the bound is read whole): no such note.
    const all = await svc(total).live('fair', q);
    expect(all.notes.join(' ')).not.toMatch(/Only the newest/);
  }, 60_000);
});
