import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { useTestApp } from './support/app.js';
import { clearOfWindowEnd } from './support/clock-windows.js';
import { registerFixture } from './support/models.js';
import { forEachStore } from './support/stores.js';

const csvText = (file: string) => readFileSync(new URL(`./fixtures/models/${file}`, import.meta.url), 'utf8');
/** The CSV's rows as records (numbers parsed, empty cells missing), without the target column. */
function records(file: string): Record<string, unknown>[] {
  const [head, ...lines] = csvText(file).trim().split('\n');
  const cols = head!.split(',');
  return lines.map((l) =>
    Object.fromEntries(
      l
        .split(',')
        .map((v, i) => [cols[i]!, v === '' ? null : /^[-\d.]+$/.test(v) ? Number(v) : v])
        .filter(([k]) => k !== 'default'),
    ),
  );
}

forEachStore('reference and drift', (kind) => {
  const t = useTestApp(kind);
  const train = records('credit_train.csv');
  const send = async (name: string, rows: Record<string, unknown>[]) => {
    for (let i = 0; i < rows.length; i += 200)
      expect((await t.call('POST', `/api/v1/deployments/${name}/predict`, { instances: rows.slice(i, i + 200) })).status).toBe(200);
  };
  const putTable = (name: string, body: string, type = 'text/csv', query = '') =>
    t.app
      .inject({ method: 'PUT', url: `/api/v1/deployments/${name}/reference${query}`, headers: { ...t.auth, 'content-type': type }, payload: body })
      .then((r) => ({ status: r.statusCode, body: r.json() }));

  it('refuses references that do not fit the model, naming what is wrong', async () => {
    await registerFixture(t, 'credit', 'credit_gbdt.onnx');
    for (const name of ['same', 'shifted', 'small'])
      expect((await t.call('POST', '/api/v1/deployments', { name, routes: [{ model: 'credit', version: '1' }] })).status).toBe(200);
    const noAge = csvText('credit_train.csv').replace(/^age,/, 'years,');
    const r1 = await putTable('same', noAge);
    expect(r1.status).toBe(400);
    expect(r1.body.detail).toMatch(/lacks the model's feature age/);
    const textAge = csvText('credit_train.csv').replace(/\n63,/, '\nold,');
    expect((await putTable('same', textAge)).body.detail).toMatch(/Column 'age' has 1 value\(s\) that are not numbers \(first at line 2: "old"\)/);
    expect((await putTable('same', '{"age": 1}\nnot json\n', 'application/x-ndjson')).body.detail).toMatch(/line 2/);
    expect((await putTable('same', 'age,income\n1,2,3\n')).status).toBe(400);
    expect((await putTable('same', csvText('credit_train.csv'), 'text/csv', '?prediction_column=nope')).body.errors[0].field).toBe('prediction_column');
    expect((await t.call('PUT', '/api/v1/deployments/same/reference', { dataset: 'credit@1' })).body.errors[0].field).toBe('dataset');
    expect((await t.call('PUT', '/api/v1/deployments/same/reference', {})).status).toBe(400);
    expect((await putTable('ghost', csvText('credit_train.csv'))).status).toBe(404);
    expect((await t.call('GET', '/api/v1/deployments/same/drift')).status).toBe(404); // no reference yet
  });

  it('flags drift on exactly the shifted features (large reference: Wasserstein and Jensen-Shannon)', async () => {
    for (const name of ['same', 'shifted']) {
      const r = await putTable(name, csvText('credit_train.csv'));
      expect(r.status).toBe(200);
      expect(r.body.reference).toMatchObject({ rows: 2000, source: { kind: 'file', format: 'csv', prediction: { scored_by_model_version: '1' } } });
    }
    const summary = (await t.call('GET', '/api/v1/deployments/same/reference')).body.reference;
    expect(summary.columns.income).toMatchObject({ kind: 'numerical', count: 2000 });
    expect(summary.columns.home_ownership.kind).toBe('categorical');

    const like = train.slice(1000, 1600);
    await clearOfWindowEnd(3_600_000, 15_000); // one 1 h window each (asserted below)
    await send('same', like);
    await send(
      'shifted',
      like.map((r) => ({ ...r, income: (r['income'] as number) * 3, home_ownership: 'own' })),
    );

    const same = (await t.call('GET', '/api/v1/deployments/same/drift?from=1h')).body;
    expect(same.reference.rows).toBe(2000);
    expect(same.current.rows).toBe(600);
    expect(same.dataset_drift).toBe(false);
    expect(same.features.filter((f: any) => f.drifted).map((f: any) => f.name)).toEqual([]);
    const income = same.features.find((f: any) => f.name === 'income');
    // 2,000 reference and 600 live values fit the exact budget: Wasserstein on every value, not the sketches.
    expect(income).toMatchObject({ kind: 'numerical', method: 'wasserstein', p_value: null, threshold: 0.1, basis: 'exact' });
    expect(income.reference.edges.length).toBe(income.reference.counts.length + 1);
    expect(same.features.find((f: any) => f.name === 'purpose')).toMatchObject({ kind: 'categorical', method: 'jensenshannon', basis: 'exact' });
    expect(same.prediction).toMatchObject({ name: 'label', drifted: false });

    const shifted = (await t.call('GET', '/api/v1/deployments/shifted/drift?from=1h')).body;
    expect(
      shifted.features
        .filter((f: any) => f.drifted)
        .map((f: any) => f.name)
        .sort(),
    ).toEqual(['home_ownership', 'income']);
    expect(shifted).toMatchObject({ dataset_drift: false, number_drifted: 2, drift_share: 0.5 });
    const h = shifted.features.find((f: any) => f.name === 'home_ownership');
    expect(h.statistic).toBeGreaterThan(0.1);
    expect(h.current.categories).toContain('own');
    // Half the features is the threshold: a lower share makes the dataset drifted.
    expect((await t.call('GET', '/api/v1/deployments/shifted/drift?from=1h&drift_share=0.25')).body.dataset_drift).toBe(true);
    const windows = (await t.call('GET', '/api/v1/deployments/shifted/drift/windows?from=2h')).body.windows;
    expect(windows).toHaveLength(1);
    expect(
      windows[0].features
        .filter((f: any) => f.drifted)
        .map((f: any) => f.name)
        .sort(),
    ).toEqual(['home_ownership', 'income']);
    expect(
      (await t.call('GET', '/api/v1/deployments/shifted/drift?from=1h&method=income:psi')).body.features.find((f: any) => f.name === 'income'),
    ).toMatchObject({ method: 'psi', drifted: true });
    expect((await t.call('GET', '/api/v1/deployments/shifted/drift?method=income:magic')).status).toBe(400);
    expect((await t.call('GET', '/api/v1/deployments/shifted/drift?from=tomorrow')).body.errors[0].field).toBe('from');
    const q = (await t.call('GET', '/api/v1/deployments/shifted/quality?from=1h')).body;
    expect(q.has_reference).toBe(true);
    const qIncome = q.features.find((f: any) => f.name === 'income');
    const incomes = train.map((r) => r['income']).filter((v): v is number => typeof v === 'number');
    const [lo, hi] = [Math.min(...incomes), Math.max(...incomes)];
    // (A missing income times 3 is 0 in the shifted traffic: below the range too.)
    const expectOut = like.map((r) => (r['income'] as number) * 3).filter((v) => v > hi || v < lo).length / like.length;
    expect(Math.abs(qIncome.out_of_range - expectOut)).toBeLessThan(0.02);
    expect(q.features.find((f: any) => f.name === 'home_ownership')).toMatchObject({ unseen_categories: 0 });
    const expectNull = like.filter((r) => r['months_employed'] === null).length / like.length;
    expect(q.features.find((f: any) => f.name === 'months_employed').null_rate).toBeCloseTo(expectNull, 10);
    expect(q.windows).toHaveLength(1);
    expect(q.windows[0].features.find((f: any) => f.name === 'income').out_of_range).toBeCloseTo(qIncome.out_of_range, 10);
    await send('shifted', [{ ...like[0]!, purpose: 'yacht' }]);
    const q2 = (await t.call('GET', '/api/v1/deployments/shifted/quality?from=1h')).body.features.find((f: any) => f.name === 'purpose');
    expect(q2.unseen_top).toEqual([{ value: 'yacht', count: 1 }]);
    // A named column of the table can stand for the prediction instead (here the training target).
    const target = await putTable('shifted', csvText('credit_train.csv'), 'text/csv', '?prediction_column=default');
    expect(target.body.reference.source.prediction).toEqual({ column: 'default' });
  });

  it('uses exact tests on a small reference (KS, chi-squared), and takes a past window of traffic as a reference', async () => {
    const small = await putTable('small', csvText('credit_sample.csv'));
    expect(small.body.reference.rows).toBe(200);
    await send(
      'small',
      train.slice(0, 400).map((r) => ({ ...r, debt_ratio: (r['debt_ratio'] as number) + 0.3 })),
    );
    const d = (await t.call('GET', '/api/v1/deployments/small/drift?from=1h')).body;
    const debt = d.features.find((f: any) => f.name === 'debt_ratio');
    expect(debt).toMatchObject({ method: 'ks', drifted: true, basis: 'exact', threshold: 0.05 });
    expect(debt.p_value).toBeLessThan(1e-6);
    expect(d.features.find((f: any) => f.name === 'purpose')).toMatchObject({ method: 'chisquare' });
    expect(d.features.find((f: any) => f.name === 'age').drifted).toBe(false);

    const fromTraffic = await t.call('PUT', '/api/v1/deployments/small/reference', { from: '1h' });
    expect(fromTraffic.body.reference).toMatchObject({ rows: 400, source: { kind: 'window' } });
    const self = (await t.call('GET', '/api/v1/deployments/small/drift?from=1h')).body;
    expect(self.number_drifted).toBe(0);
  });
});
