/**
 * Real onnxruntime on the committed fixture models (python/fixtures/make_models.py): predictions through
 * Ferry's records path must equal scikit-learn's (the reference) within 1e-5.
 */
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { recordsToFeeds } from '../protocols/records-codec.js';
import { SessionPool } from './session-pool.js';
import { toJsonArray } from './tensor.js';

const dir = new URL('../../../test/fixtures/models/', import.meta.url);
const bytes = (name: string) => new Uint8Array(readFileSync(new URL(name, dir)));
const expected = (name: string) => JSON.parse(readFileSync(new URL(`${name}.expected.json`, dir), 'utf8'));

const pools: SessionPool[] = [];
afterAll(async () => Promise.all(pools.map((p) => p.release())));

function flat(v: unknown): number[] {
  return (Array.isArray(v) ? v.flat(Infinity) : [v]) as number[];
}

describe('SessionPool on fixture models', () => {
  it.each(['breast_cancer_logreg', 'diabetes_ridge', 'wine_gbdt', 'credit_gbdt', 'credit_gbdt_v2'])(
    '%s: records in, scikit-learn’s predictions out (1e-5)',
    async (name) => {
      const exp = expected(name);
      // A huge inline threshold: every model also gets a main-thread session, and both paths must agree.
      const pool = await SessionPool.load(
        bytes(`${name}.onnx`),
        { workers: 2, intraOpNumThreads: 1, inlineMaxUs: 1e9 },
        exp.records ? undefined : exp.feature_names,
      );
      pools.push(pool);
      expect(pool.signature.features).toEqual(exp.feature_names);
      expect(pool.canRunInline).toBe(true);
      const records =
        exp.records ??
        (Object.values(exp.inputs)[0] as number[][]).map((row) => Object.fromEntries(exp.feature_names.map((f: string, i: number) => [f, row[i]])));
      const { feeds } = recordsToFeeds({ instances: records }, pool.signature);
      for (const out of [await pool.run(feeds), await pool.runInline(feeds)])
        for (const [key, want] of Object.entries(exp.outputs as Record<string, unknown>)) {
          const got = toJsonArray(out[key]!) as number[];
          const w = flat(want);
          expect(got).toHaveLength(w.length);
          if (key === 'label') expect(got).toEqual(w);
          else got.forEach((g, i) => expect(Math.abs(g - w[i]!), `${key}[${i}]`).toBeLessThanOrEqual(1e-5 + 1e-5 * Math.abs(w[i]!)));
        }
    },
  );

  it('measures the single-row run time and offers the main-thread path only below the threshold', async () => {
    const never = await SessionPool.load(bytes('credit_gbdt.onnx'), { workers: 1, intraOpNumThreads: 1, inlineMaxUs: 0 });
    const tooSlow = await SessionPool.load(bytes('credit_gbdt.onnx'), { workers: 1, intraOpNumThreads: 1, inlineMaxUs: 0.001 });
    pools.push(never, tooSlow);
    expect(never.canRunInline).toBe(false);
    expect(never.singleRowUs).toBeNull();
    expect(tooSlow.canRunInline).toBe(false);
    expect(tooSlow.singleRowUs).toBeGreaterThan(0.001);
    await tooSlow.release();
    expect(tooSlow.canRunInline).toBe(false);
  });

  it('refuses bad inputs on the main-thread path with a 400, as on the workers', async () => {
    const pool = await SessionPool.load(bytes('diabetes_ridge.onnx'), { workers: 1, intraOpNumThreads: 1, inlineMaxUs: 1e9 });
    pools.push(pool);
    const input = pool.signature.inputs[0]!;
    const wrong = { [input.name]: { type: 'float32' as const, dims: [1, 3], data: new Float32Array(3) } };
    await expect(pool.runInline(wrong)).rejects.toMatchObject({ code: 'INVALID_PARAMETER_VALUE' });
    await expect(pool.run(wrong)).rejects.toMatchObject({ code: 'INVALID_PARAMETER_VALUE' });
  });

  it('reads per-column inputs as the features of a pipeline model', async () => {
    const pool = await SessionPool.load(bytes('credit_gbdt.onnx'), { workers: 1, intraOpNumThreads: 1 });
    pools.push(pool);
    expect(pool.signature.layout).toBe('per-column');
    expect(pool.signature.inputs.find((i) => i.name === 'home_ownership')?.type).toBe('string');
    expect(pool.signature.outputs.map((o) => o.name)).toEqual(['label', 'probabilities']);
  });

  it('takes feature names from the model’s metadata_props when none are given', async () => {
    const pool = await SessionPool.load(bytes('breast_cancer_logreg.onnx'), { workers: 1, intraOpNumThreads: 1 });
    pools.push(pool);
    expect(pool.signature.features).toEqual(expected('breast_cancer_logreg').feature_names);
    expect(pool.loadMs).toBeGreaterThan(0);
  });

  it('serves only the tensor outputs of a ZipMap model and says which it skipped', async () => {
    const pool = await SessionPool.load(bytes('zipmap_default.onnx'), { workers: 1, intraOpNumThreads: 1 });
    pools.push(pool);
    expect(pool.signature.outputs.map((o) => o.name)).toEqual(['output_label']);
    expect(pool.signature.skippedOutputs).toEqual(['output_probability']);
    const exp = expected('zipmap_default');
    const rows = (Object.values(exp.inputs)[0] as number[][]).slice(0, 3);
    const out = await pool.run({ float_input: { type: 'float32', dims: [3, 30], data: Float32Array.from(rows.flat()) } });
    expect(toJsonArray(out['output_label']!)).toEqual(flat(exp.outputs.label ?? exp.onnx_outputs.output_label).slice(0, 3));
  });

  it('refuses a truncated file and a non-ONNX file with a clear 400', async () => {
    await expect(SessionPool.load(bytes('truncated.onnx'))).rejects.toMatchObject({
      code: 'INVALID_PARAMETER_VALUE',
      message: expect.stringContaining('Not a valid ONNX model'),
    });
    await expect(SessionPool.load(new TextEncoder().encode('name,age\nx,1\n'))).rejects.toMatchObject({ code: 'INVALID_PARAMETER_VALUE' });
  });

  it('answers concurrent requests from several workers correctly', async () => {
    const exp = expected('diabetes_ridge');
    const pool = await SessionPool.load(bytes('diabetes_ridge.onnx'), { workers: 2, intraOpNumThreads: 1 }, exp.feature_names);
    pools.push(pool);
    const rows = Object.values(exp.inputs)[0] as number[][];
    const outs = await Promise.all(rows.map((r) => pool.run({ float_input: { type: 'float32', dims: [1, r.length], data: Float32Array.from(r) } })));
    outs.forEach((o, i) => expect(Math.abs((toJsonArray(o['variable']!)[0] as number) - flat(exp.outputs.variable)[i]!)).toBeLessThan(1e-3));
    expect(pool.inflight).toBe(0);
  });
});
