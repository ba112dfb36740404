/**
 * The explain service's TreeSHAP path on a real ONNX tree ensemble (wine GBDT, 13 features, SOFTMAX): the trees
 * read from the graph explain margins exactly (no model evaluation), agree with the served probabilities, and a
 * graph TreeSHAP cannot read falls back (auto) or is refused naming the method ('tree').
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SESSION_OPTIONS, SessionPool } from '../serving/index.js';
import type { DatasetProfile } from '../stats/index.js';
import type { MonitoringDataHooks } from './data-hooks.js';
import { ExplainService, type HeldTarget } from './explain-service.js';

const fixture = (name: string) => new URL(`../../test/fixtures/models/${name}`, import.meta.url);
const wine = JSON.parse(readFileSync(fixture('wine_gbdt.expected.json'), 'utf8')) as { inputs: { float_input: number[][] }; feature_names: string[] };
const names = wine.feature_names;
const records = wine.inputs.float_input.map((r) => Object.fromEntries(names.map((n, j) => [n, r[j]])));

const data: MonitoringDataHooks = {
  datasetReference: async () => ({
    ref: 'wine-train@1',
    rows: records.length,
    profile: { columns: new Map(names.map((n) => [n, null])) } as unknown as DatasetProfile,
    sampleRows: async (n) => records.slice(0, n),
  }),
  hasSuites: async () => false,
  validateTraffic: async () => [],
};

describe('explain service: TreeSHAP', () => {
  const bytes = new Uint8Array(readFileSync(fixture('wine_gbdt.onnx')));
  let pool: SessionPool;
  beforeAll(async () => {
    pool = await SessionPool.load(bytes, DEFAULT_SESSION_OPTIONS, names);
  });
  afterAll(async () => pool?.release());
  const target = (withBytes: boolean): HeldTarget => ({
    model: 'wine',
    version: '1',
    signature: pool.signature,
    run: (feeds, fetches) => pool.run(feeds, fetches),
    release: async () => {},
    ...(withBytes ? { bytes: async () => bytes } : {}),
  });
  const service = (withBytes: boolean) =>
    new ExplainService({
      deploymentTarget: async () => target(withBytes),
      versionTarget: async () => target(withBytes),
      monitoringReference: async () => null,
      data,
    });

  it('explains a tree ensemble exactly from its graph: margins that add up and match the served probabilities', async () => {
    const r = await service(true).explainVersion('wine', '1', { instances: records.slice(0, 5) });
    expect(r).toMatchObject({
      method: 'tree_interventional',
      output_space: 'margin',
      evaluations: 0,
      truncated: false,
      background: { rows: 20, source: 'training_data' },
    });
    expect(r.outputs).toEqual(['margin:0', 'margin:1', 'margin:2']);
    expect(r.additivity_max_error).toBeLessThan(1e-9);
    const served = await pool.run({ float_input: { type: 'float32', dims: [5, 13], data: Float32Array.from(wine.inputs.float_input.slice(0, 5).flat()) } }, [
      'probabilities',
    ]);
    const probs = served['probabilities']!.data as Float32Array;
    r.explanations.forEach((e, i) => {
      const z = e.prediction.map(Math.exp);
      const sum = z.reduce((a, b) => a + b, 0);
      z.forEach((v, k) => expect(v / sum).toBeCloseTo(probs[i * 3 + k]!, 5));
    });
  });

  it("reads a version's graph once: later explanations of it reuse the parsed trees", async () => {
    let reads = 0;
    const counted: HeldTarget = { ...target(true), bytes: async () => (reads++, bytes) };
    const svc = new ExplainService({ deploymentTarget: async () => counted, versionTarget: async () => counted, monitoringReference: async () => null, data });
    const a = await svc.explainVersion('wine', '1', { instances: records.slice(0, 1) });
    const b = await svc.explainVersion('wine', '1', { instances: records.slice(1, 2), method: 'tree' });
    expect([a.method, b.method]).toEqual(['tree_interventional', 'tree_interventional']);
    expect(reads).toBe(1);
  });

  it("falls back to a model-agnostic explainer without the graph (auto), and refuses 'tree' naming the method", async () => {
    const r = await service(false).explainVersion('wine', '1', { instances: records.slice(0, 1), seed: 2 });
    expect(r.method).toBe('kernel');
    expect(r.output_space).toBe('probability');
    const err = await service(false)
      .explainVersion('wine', '1', { instances: records.slice(0, 1), method: 'tree' })
      .catch((e: unknown) => e);
    expect(JSON.stringify(err)).toContain('"field":"method"');
  });

  it('importance by TreeSHAP: mean |φ| per feature, cached for the same background', async () => {
    const svc = service(true);
    const a = await svc.importance('wine', '1', { rows: 10 });
    expect(a).toMatchObject({ method: 'tree_interventional', rows: 10, cached: false });
    expect(a.features).toHaveLength(13);
    expect((await svc.importance('wine', '1', { rows: 10 })).cached).toBe(true);
    expect((await svc.importance('wine', '1', { rows: 9 })).cached).toBe(false);
  });
});
