import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { useTestApp } from './support/app.js';
import { expectedOf, fixture } from './support/models.js';

describe('registering a plain .onnx file', () => {
  const t = useTestApp('sqlite');
  const upload = (name: string, file: string | Buffer, query = '') =>
    t.app.inject({
      method: 'POST',
      url: `/api/v1/models/${name}/versions${query}`,
      headers: { ...t.auth, 'content-type': 'application/octet-stream' },
      payload: typeof file === 'string' ? readFileSync(fixture(file)) : file,
    });

  it('checks, stores and registers it with its signature and feature names, then serves it', async () => {
    const names = Array.from({ length: 10 }, (_, i) => `x${i}`).join(',');
    const res = await upload('diabetes', 'diabetes_ridge.onnx', `?features=${names}`);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.model_version).toMatchObject({ name: 'diabetes', version: '1' });
    expect(body.signature.features).toEqual(names.split(','));
    expect(body.model_version.tags.map((t: any) => t.key).sort()).toEqual(['ferry.features', 'ferry.signature']);
    await t.call('POST', '/api/v1/deployments', { name: 'diabetes', routes: [{ model: 'diabetes', version: '1' }] });
    const exp = expectedOf('diabetes_ridge');
    const row = Object.fromEntries((exp.inputs.float_input[0] as number[]).map((v, i) => [`x${i}`, v]));
    const pred = await t.call('POST', '/api/v1/deployments/diabetes/predict', { instances: [row] });
    expect(Math.abs(pred.body.predictions[0] - exp.outputs.variable[0][0])).toBeLessThan(1e-3);
  });

  it('refuses a truncated file, a non-ONNX file, an empty body and wrong feature counts with 400s', async () => {
    const truncated = await upload('bad', 'truncated.onnx');
    expect(truncated.statusCode).toBe(400);
    expect(truncated.json().detail).toContain('Not a valid ONNX model');
    expect((await upload('bad', Buffer.from('not a model'))).statusCode).toBe(400);
    const features = await upload('bad', 'diabetes_ridge.onnx', '?features=a,b');
    expect(features.statusCode).toBe(400);
    expect(features.json().errors[0].field).toBe('features');
    expect((await upload('bad', Buffer.alloc(0))).statusCode).toBe(400);
    const name = await upload('bad%2Fname', 'diabetes_ridge.onnx');
    expect(name.statusCode).toBe(400);
    expect(name.json().errors[0].field).toBe('name');
    expect((await t.call('GET', '/api/2.0/mlflow/registered-models/get?name=bad')).status).toBe(404);
  });
});
