/**
 * Linear models explained exactly through the API (committed skl2onnx fixtures, python/fixtures/make_linear_models.py):
 * `auto` reads the graph and picks `linear` (no model call), a classifier in its margin space, whose post_transform
 * (σ per column, softmax) gives back what /predict serves; a regressor in its value space, where exact enumeration
 * through onnxruntime finds the same attributions; `method: 'linear'` refused naming why on a graph that is not one.
 * shap's LinearExplainer on the same converter output: python/tests/test_stats_shap_linear.py.
 */
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { useTestApp, type TestApp } from './support/app.js';
import { fixture, registerFixture } from './support/models.js';
import { forEachStore } from './support/stores.js';

const csv = readFileSync(fixture('linear/linear_train.csv'), 'utf8');
const FEATURES = ['income', 'debt_ratio', 'age', 'utilization'];
const rows = csv
  .trim()
  .split('\n')
  .slice(1)
  .map((l) => l.split(',').map(Number));
const instances = rows.slice(0, 5).map((r) => Object.fromEntries(FEATURES.map((f, j) => [f, r[j]])));
const background = { dataset: 'linear-train', version: '1' };

type Explanation = { attributions: Record<string, number>[]; prediction: number[] };
type Answer = { base_values: number[]; explanations: Explanation[]; additivity_max_error: number };

/** base + Σφ = f(x) for every row and output, summed here rather than trusting additivity_max_error. */
function expectAdditive(body: Answer) {
  expect(body.additivity_max_error).toBeLessThan(1e-12);
  for (const e of body.explanations)
    e.attributions.forEach((phi, o) => {
      const sum = Object.values(phi).reduce((a, b) => a + b, body.base_values[o]!);
      expect(Math.abs(sum - e.prediction[o]!)).toBeLessThan(1e-12 * Math.max(1, Math.abs(e.prediction[o]!)));
    });
}

async function deploy(t: TestApp, model: string, file: string) {
  await registerFixture(t, model, `linear/${file}`);
  const r = await t.call('POST', '/api/v1/deployments', { name: `${model}-live`, routes: [{ model, version: '1' }] });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
}

async function served(t: TestApp, deployment: string, output: string): Promise<number[][]> {
  const r = await t.call('POST', `/api/v1/deployments/${deployment}/predict`, { instances });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  // A single-output regressor's prediction is its bare value; a classifier's, an object of its outputs.
  return r.body.predictions.map((p: number | Record<string, number | number[]>) => (typeof p === 'number' ? [p] : [p[output]!].flat()));
}

const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));

forEachStore('linear explanations', (kind) => {
  const t = useTestApp(kind);

  it('a binary LogisticRegression: auto picks linear, margins whose σ is the served probability, additive exactly', async () => {
    const push = await t.app.inject({
      method: 'POST',
      url: '/api/v1/datasets/linear-train/versions?filename=data.csv',
      headers: { ...t.auth, 'content-type': 'text/csv' },
      payload: csv,
    });
    expect(push.statusCode, push.body).toBeLessThan(300);
    await deploy(t, 'logreg', 'logreg_binary.onnx');
    const r = await t.call('POST', '/api/v1/deployments/logreg-live/explain', { instances, background });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toMatchObject({
      method: 'linear',
      output_space: 'margin',
      outputs: ['margin:0', 'margin:1'],
      evaluations: 0,
      truncated: false,
      // The whole table (300 rows): a linear explanation evaluates nothing, so it takes the full background allowance.
      background: { dataset: 'linear-train', version: '1', rows: 300, source: 'request' },
    });
    expectAdditive(r.body);
    const probabilities = await served(t, 'logreg-live', 'probabilities');
    r.body.explanations.forEach((e: Explanation, i: number) => {
      // skl2onnx writes −w and +w: the two margins are opposite, and so is every attribution.
      expect(e.prediction[0]).toBeCloseTo(-e.prediction[1]!, 12);
      for (const f of FEATURES) expect(e.attributions[0]![f]).toBeCloseTo(-e.attributions[1]![f]!, 12);
      e.prediction.forEach((m, k) => expect(Math.abs(sigmoid(m) - probabilities[i]![k]!)).toBeLessThan(1e-6));
    });
    expect(Object.keys(r.body.explanations[0].attributions[0])).toEqual(FEATURES);
    // Named explicitly: the same answer.
    const named = await t.call('POST', '/api/v1/deployments/logreg-live/explain', { instances, background, method: 'linear' });
    expect(named.body).toEqual(r.body);
  });

  it('a 3-class LogisticRegression: softmax of the explained margins is the served probability', async () => {
    await deploy(t, 'logreg3', 'logreg_3class.onnx');
    const r = await t.call('POST', '/api/v1/deployments/logreg3-live/explain', { instances, background: { ...background, rows: 50 } });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toMatchObject({ method: 'linear', output_space: 'margin', outputs: ['margin:0', 'margin:1', 'margin:2'], background: { rows: 50 } });
    expectAdditive(r.body);
    const probabilities = await served(t, 'logreg3-live', 'probabilities');
    r.body.explanations.forEach((e: Explanation, i: number) => {
      const z = e.prediction.map((m) => Math.exp(m - Math.max(...e.prediction)));
      const sum = z.reduce((a, b) => a + b, 0);
      z.forEach((v, k) => expect(Math.abs(v / sum - probabilities[i]![k]!)).toBeLessThan(1e-6));
    });
  });

  it('a LinearRegression: the value space, what /predict serves, and what exact enumeration through onnxruntime finds', async () => {
    await deploy(t, 'linreg', 'linear_regressor.onnx');
    const body = { instances, background: { ...background, rows: 40 } };
    const r = await t.call('POST', '/api/v1/deployments/linreg-live/explain', body);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toMatchObject({ method: 'linear', output_space: 'raw', outputs: ['value'], evaluations: 0 });
    expectAdditive(r.body);
    const values = await served(t, 'linreg-live', 'variable');
    r.body.explanations.forEach((e: Explanation, i: number) =>
      expect(Math.abs(e.prediction[0]! - values[i]![0]!)).toBeLessThan(1e-5 * Math.abs(values[i]![0]!)),
    );
    // The model-agnostic enumeration runs the model on every coalition over the same background: for a linear model
    // its Shapley values are w_i·(x_i − mean_i) too, up to onnxruntime's float32 arithmetic.
    const exact = await t.call('POST', '/api/v1/deployments/linreg-live/explain', { ...body, method: 'exact' });
    expect(exact.status, JSON.stringify(exact.body)).toBe(200);
    expect(exact.body).toMatchObject({ method: 'exact', output_space: 'raw', background: { digest: r.body.background.digest } });
    r.body.explanations.forEach((e: Explanation, i: number) =>
      FEATURES.forEach((f) => expect(Math.abs(e.attributions[0]![f]! - exact.body.explanations[i].attributions[0][f])).toBeLessThan(1e-4)),
    );
    expect(Math.abs(r.body.base_values[0] - exact.body.base_values[0])).toBeLessThan(1e-4);
  });

  it("refuses method 'linear' naming why on a graph that is not one, and a missing value naming where", async () => {
    await registerFixture(t, 'reused', 'linear/linear_input_reused.onnx');
    const r = await t.call('POST', '/api/v1/models/reused/versions/1/explain', { instances, background, method: 'linear' });
    expect(r.status, JSON.stringify(r.body)).toBe(400);
    expect(r.body.errors[0].field).toBe('method');
    expect(r.body.detail).toMatch(/ReduceSum also reads the graph input/);
    // auto falls back to exact enumeration there: 4 features, and f(x) includes the input's sum.
    const auto = await t.call('POST', '/api/v1/models/reused/versions/1/explain', { instances, background: { ...background, rows: 20 } });
    expect(auto.status, JSON.stringify(auto.body)).toBe(200);
    expect(auto.body.method).toBe('exact');

    const missing = await t.call('POST', '/api/v1/deployments/logreg-live/explain', { instances: [{ ...instances[0], age: null }], background });
    expect(missing.status, JSON.stringify(missing.body)).toBe(400);
    expect(missing.body.errors[0].field).toBe('instances[0].age');
  });
});
