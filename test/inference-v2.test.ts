import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/app.js';
import { expectedOf, registerFixture } from './support/models.js';

describe('Open Inference Protocol endpoints', () => {
  let t: TestApp;
  const bc = expectedOf('breast_cancer_logreg');
  const rows = bc.inputs.float_input as number[][];
  beforeAll(async () => {
    t = await startTestApp('sqlite');
    await registerFixture(t, 'cancer', 'breast_cancer_logreg.onnx');
    await registerFixture(t, 'cancer', 'breast_cancer_logreg.onnx');
    await t.call('POST', '/api/v1/deployments', {
      name: 'cancer',
      routes: [
        { model: 'cancer', version: '1', weight: 1 },
        { model: 'cancer', version: '2', weight: 1 },
      ],
    });
  });
  afterAll(async () => t.close());

  it('answers health probes without a token, and server/model metadata with one', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/v2/health/live' })).json()).toEqual({ live: true });
    expect((await t.app.inject({ method: 'GET', url: '/v2/health/ready' })).json()).toEqual({ ready: true });
    expect((await t.call('GET', '/v2')).body).toMatchObject({ name: 'ferry' });
    const meta = (await t.call('GET', '/v2/models/cancer')).body;
    expect(meta).toMatchObject({ name: 'cancer', platform: 'onnxruntime_onnx', inputs: [{ name: 'float_input', datatype: 'FP32', shape: [-1, 30] }] });
    expect(meta.versions.sort()).toEqual(['1', '2']);
    expect((await t.call('GET', '/v2/models/cancer/ready')).body).toEqual({ name: 'cancer', ready: true });
    expect((await t.call('GET', '/v2/models/cancer/versions/2/ready')).body).toEqual({ name: 'cancer', ready: true });
    expect((await t.call('GET', '/v2/models/cancer/versions/7/ready')).body).toEqual({ name: 'cancer', ready: false });
  });

  it('infers through the split and on one version, with requested outputs and the request id', async () => {
    const body = {
      id: 'req-1',
      inputs: [{ name: 'float_input', shape: [rows.length, 30], datatype: 'FP32', data: rows }],
      outputs: [{ name: 'probabilities' }],
    };
    const res = await t.call('POST', '/v2/models/cancer/infer', body);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ model_name: 'cancer', id: 'req-1' });
    expect(res.body.outputs.map((o: any) => o.name)).toEqual(['probabilities']);
    const want = (bc.outputs.probabilities as number[][]).flat();
    res.body.outputs[0].data.forEach((v: number, i: number) => expect(Math.abs(v - want[i]!)).toBeLessThan(1e-5));
    const direct = await t.call('POST', '/v2/models/cancer/versions/2/infer', { inputs: body.inputs });
    expect(direct.body.model_version).toBe('2');
    expect(direct.body.outputs.find((o: any) => o.name === 'label')).toMatchObject({ datatype: 'INT64', shape: [rows.length], data: bc.outputs.label });
  });

  it('answers bad requests in the protocol’s error shape, naming the input', async () => {
    const wrongType = await t.call('POST', '/v2/models/cancer/infer', { inputs: [{ name: 'float_input', shape: [1, 30], datatype: 'FP64', data: rows[0] }] });
    expect(wrongType.status).toBe(400);
    expect(wrongType.body.error).toContain('FP32');
    const wrongShape = await t.call('POST', '/v2/models/cancer/infer', {
      inputs: [{ name: 'float_input', shape: [1, 29], datatype: 'FP32', data: rows[0]!.slice(0, 29) }],
    });
    expect(wrongShape.status).toBe(400);
    expect((await t.call('POST', '/v2/models/nope/infer', { inputs: [] })).status).toBe(404);
    expect(
      (await t.call('POST', '/v2/models/cancer/versions/9/infer', { inputs: [{ name: 'float_input', shape: [1, 30], datatype: 'FP32', data: rows[0] }] }))
        .status,
    ).toBe(404);
  });
  it('takes and answers binary tensors (the binary tensor data extension), as tritonclient sends by default', async () => {
    const x = Buffer.from(Float32Array.from(rows.flat()).buffer);
    const json = Buffer.from(
      JSON.stringify({
        inputs: [{ name: 'float_input', shape: [rows.length, 30], datatype: 'FP32', parameters: { binary_data_size: x.length } }],
        outputs: [{ name: 'label', parameters: { binary_data: true } }, { name: 'probabilities' }],
      }),
    );
    const res = await t.app.inject({
      method: 'POST',
      url: '/v2/models/cancer/versions/1/infer',
      headers: { ...t.auth, 'content-type': 'application/octet-stream', 'inference-header-content-length': String(json.length) },
      payload: Buffer.concat([json, x]),
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/octet-stream');
    const n = Number(res.headers['inference-header-content-length']);
    const head = JSON.parse(res.rawPayload.subarray(0, n).toString('utf8'));
    expect(head.outputs[0]).toEqual({ name: 'label', shape: [rows.length], datatype: 'INT64', parameters: { binary_data_size: 8 * rows.length } });
    const labels = new BigInt64Array(Uint8Array.from(res.rawPayload.subarray(n)).buffer);
    expect(Array.from(labels, Number)).toEqual(bc.outputs.label);
    const want = (bc.outputs.probabilities as number[][]).flat();
    head.outputs[1].data.forEach((v: number, i: number) => expect(Math.abs(v - want[i]!)).toBeLessThan(1e-5));
    expect((await t.call('GET', '/v2')).body.extensions).toContain('binary_tensor_data');
  });

  it('refuses a binary request whose header and body disagree, and stays healthy', async () => {
    const send = (headerLength: string, payload: Buffer) =>
      t.app.inject({ method: 'POST', url: '/v2/models/cancer/infer', headers: { ...t.auth, 'inference-header-content-length': headerLength }, payload });
    const json = Buffer.from(JSON.stringify({ inputs: [{ name: 'float_input', shape: [1, 30], datatype: 'FP32', parameters: { binary_data_size: 120 } }] }));
    const short = await send(String(json.length), Buffer.concat([json, Buffer.alloc(100)]));
    expect(short.statusCode).toBe(400);
    expect(short.json().error).toContain('only 100 remain');
    const badHeader = await send('99999', Buffer.concat([json, Buffer.alloc(120)]));
    expect(badHeader.statusCode).toBe(400);
    expect(badHeader.json().error).toContain('Inference-Header-Content-Length');
    const cut = await send('20', Buffer.concat([json, Buffer.alloc(120)]));
    expect(cut.statusCode).toBe(400);
    expect(cut.json().error).toContain('Malformed JSON body');
    // A stale header (tritonclient leaves it in a reused headers dict) on a body that is whole JSON is ignored.
    const stale = await send('20', Buffer.from(JSON.stringify({ inputs: [{ name: 'float_input', shape: [1, 30], datatype: 'FP32', data: rows[0] }] })));
    expect(stale.statusCode).toBe(200);
    const ok = await send(String(json.length), Buffer.concat([json, Buffer.from(Float32Array.from(rows[0]!).buffer)]));
    expect(ok.statusCode).toBe(200);
  });
});
