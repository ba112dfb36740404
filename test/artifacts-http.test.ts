import { describe, expect, it } from 'vitest';
import { useTestApp } from './support/app.js';

describe('artifact routes', () => {
  const t = useTestApp('sqlite', { maxArtifactBytes: 1000 });

  it('uploads, lists (proxy and run view), downloads and deletes', async () => {
    const run = (await t.app.inject({ method: 'POST', url: '/api/2.0/mlflow/runs/create', headers: t.auth, payload: { experiment_id: '0' } })).json().run.info;
    const base = `/api/2.0/mlflow-artifacts/artifacts/0/${run.run_id}/artifacts`;
    const put = await t.app.inject({
      method: 'PUT',
      url: `${base}/plots/roc.json`,
      headers: { ...t.auth, 'content-type': 'application/json' },
      payload: '{"auc": 0.9}',
    });
    expect(put.statusCode).toBe(200);
    await t.app.inject({
      method: 'PUT',
      url: `${base}/model.onnx`,
      headers: { ...t.auth, 'content-type': 'application/octet-stream' },
      payload: Buffer.from([1, 2, 3]),
    });
    const list = await t.app.inject({ method: 'GET', url: `/api/2.0/mlflow-artifacts/artifacts?path=0/${run.run_id}/artifacts`, headers: t.auth });
    expect(list.json()).toEqual({
      files: [
        { path: 'model.onnx', is_dir: false, file_size: 3 },
        { path: 'plots', is_dir: true },
      ],
    });
    const runList = await t.app.inject({ method: 'GET', url: `/api/2.0/mlflow/artifacts/list?run_id=${run.run_id}&path=plots`, headers: t.auth });
    expect(runList.json()).toEqual({ root_uri: run.artifact_uri, files: [{ path: 'plots/roc.json', is_dir: false, file_size: 12 }] });
    const get = await t.app.inject({ method: 'GET', url: `${base}/plots/roc.json`, headers: t.auth });
    expect(get.body).toBe('{"auc": 0.9}');
    expect(get.headers['x-content-type-options']).toBe('nosniff');
    expect((await t.app.inject({ method: 'DELETE', url: `${base}/plots`, headers: t.auth })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: `${base}/plots/roc.json`, headers: t.auth })).statusCode).toBe(404);
  });

  it('answers one byte range with 206 and Content-Range, a range past the end with 416, and ignores what it does not serve', async () => {
    const url = '/api/2.0/mlflow-artifacts/artifacts/ranges/data.bin';
    const bytes = Buffer.from(Array.from({ length: 100 }, (_, i) => i));
    expect((await t.app.inject({ method: 'PUT', url, headers: { ...t.auth, 'content-type': 'application/octet-stream' }, payload: bytes })).statusCode).toBe(
      200,
    );
    const get = (range?: string) => t.app.inject({ method: 'GET', url, headers: { ...t.auth, ...(range ? { range } : {}) } });
    const whole = await get();
    expect(whole.statusCode).toBe(200);
    expect(whole.headers['accept-ranges']).toBe('bytes');
    const cases: [string, number, number][] = [
      ['bytes=10-19', 10, 19],
      ['bytes=90-', 90, 99],
      ['bytes=-5', 95, 99],
      ['bytes=98-500', 98, 99], // an end past the file's end stops at it
      ['bytes=-500', 0, 99],
    ];
    for (const [range, from, to] of cases) {
      const res = await get(range);
      expect(res.statusCode, range).toBe(206);
      expect(res.headers['content-range'], range).toBe(`bytes ${from}-${to}/100`);
      expect(res.rawPayload, range).toEqual(bytes.subarray(from, to + 1));
      expect(Number(res.headers['content-length']), range).toBe(to - from + 1);
    }
    for (const range of ['bytes=100-', 'bytes=500-600', 'bytes=-0']) {
      const res = await get(range);
      expect(res.statusCode, range).toBe(416);
      expect(res.headers['content-range'], range).toBe('bytes */100');
    }
    // Several ranges, other units, nonsense: the whole file.
    for (const range of ['bytes=0-1,5-6', 'items=0-1', 'bytes=5-2', 'bytes=x-']) expect((await get(range)).statusCode, range).toBe(200);
    // A missing file is still the usual JSON 404, not an attachment.
    const missing = await t.app.inject({
      method: 'GET',
      url: '/api/2.0/mlflow-artifacts/artifacts/ranges/none.bin',
      headers: { ...t.auth, range: 'bytes=0-1' },
    });
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['content-type']).toMatch(/json/);
  });

  it('answers 413 for an upload over the limit', async () => {
    const res = await t.app.inject({
      method: 'PUT',
      url: '/api/2.0/mlflow-artifacts/artifacts/0/big.bin',
      headers: { ...t.auth, 'content-type': 'application/octet-stream' },
      payload: Buffer.alloc(5000),
    });
    expect(res.statusCode).toBe(413);
    expect(res.json()).toMatchObject({ error_code: 'PAYLOAD_TOO_LARGE' });
  });

  const traversals = ['..%2F..%2Fetc%2Fpasswd', '0/..%2F..%2F..%2Fetc%2Fpasswd', '%2Fetc%2Fpasswd', '0/a%5C..%5Cb', '0/%00x'];
  it.each(traversals)('refuses path traversal %s in every artifact route', async (p) => {
    const h = { ...t.auth, 'content-type': 'text/plain' };
    const calls = [
      t.app.inject({ method: 'PUT', url: `/api/2.0/mlflow-artifacts/artifacts/${p}`, headers: h, payload: 'x' }),
      t.app.inject({ method: 'GET', url: `/api/2.0/mlflow-artifacts/artifacts/${p}`, headers: t.auth }),
      t.app.inject({ method: 'DELETE', url: `/api/2.0/mlflow-artifacts/artifacts/${p}`, headers: t.auth }),
      t.app.inject({ method: 'GET', url: `/api/2.0/mlflow-artifacts/artifacts?path=${p}`, headers: t.auth }),
    ];
    for (const res of await Promise.all(calls)) {
      expect([400, 404]).toContain(res.statusCode);
      expect(res.json().error_code).toMatch(/INVALID_PARAMETER_VALUE|RESOURCE_DOES_NOT_EXIST|ENDPOINT_NOT_FOUND/);
    }
    const run = (await t.app.inject({ method: 'POST', url: '/api/2.0/mlflow/runs/create', headers: t.auth, payload: { experiment_id: '0' } })).json().run.info;
    const res = await t.app.inject({ method: 'GET', url: `/api/2.0/mlflow/artifacts/list?run_id=${run.run_id}&path=${p}`, headers: t.auth });
    expect(res.statusCode).toBe(400);
  });
});
