/**
 * Request ids: every answer carries X-Request-Id (the caller's when usable, else a fresh UUIDv7), the request's
 * log lines carry it, and a prediction answers it as its request_id — so feedback and live performance work for
 * a proxy's ids (nginx's 32 hex characters, Envoy's UUIDv4) as for Ferry's own.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { LocalArtifactStore } from '../src/artifacts/index.js';
import { loadConfig } from '../src/config.js';
import type { Store } from '../src/store/index.js';
import type { TestApp } from './support/app.js';
import { expectedOf, registerFixture } from './support/models.js';
import { forEachStore, freshStore, type StoreHandle } from './support/stores.js';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const NGINX_ID = '0123abcd4567ef890123abcd4567ef89';
const ENVOY_ID = '9b2e4f1c-3d5a-4e6b-8c7d-1a2b3c4d5e6f';

forEachStore('request ids', (kind) => {
  let handle: StoreHandle;
  let store: Store;
  let app: FastifyInstance;
  let dataDir: string;
  let auth: { authorization: string };
  const lines: Record<string, unknown>[] = [];
  const raw: string[] = [];
  const credit = expectedOf('credit_gbdt');

  beforeAll(async () => {
    handle = await freshStore(kind);
    store = await handle.open();
    dataDir = mkdtempSync(join(tmpdir(), 'ferry-reqid-'));
    const config = loadConfig({ dataDir, store: handle.url, insecureNoAuth: false }, {});
    // The app's log lines, as JSON, to see which request id they carry.
    const stream = new Writable({
      write(chunk: Buffer, _enc, done) {
        for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
          raw.push(line);
          lines.push(JSON.parse(line) as Record<string, unknown>);
        }
        done();
      },
    });
    app = await buildApp({
      config,
      store,
      artifacts: new LocalArtifactStore(join(dataDir, 'artifacts')),
      logger: { level: 'info', stream },
      contractCheck: true,
    });
    const { token } = await app.ferry.auth.createToken('admin', 'admin', 'test');
    auth = { authorization: `Bearer ${token}` };
    const t = {
      app,
      auth,
      call: async (method: 'POST', url: string, payload?: object) => {
        const res = await app.inject({ method, url, headers: auth, ...(payload ? { payload } : {}) });
        return { status: res.statusCode, body: res.json() };
      },
    } as unknown as TestApp;
    await registerFixture(t, 'credit', 'credit_gbdt.onnx');
    const created = await app.inject({
      method: 'POST',
      url: '/api/v1/deployments',
      headers: auth,
      payload: { name: 'credit-risk', routes: [{ model: 'credit', version: '1' }] },
    });
    expect(created.statusCode).toBe(200);
  });
  afterAll(async () => {
    await app?.close();
    await store?.close();
    await handle?.cleanup();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers a fresh UUIDv7 on a success, a 4xx, the probes, v2, the router’s refusals and a streamed export', async () => {
    const answers = [
      await app.inject({ url: '/health' }),
      await app.inject({ url: '/ready' }),
      await app.inject({ url: '/v2/health/live' }),
      await app.inject({ url: '/api/2.0/mlflow/experiments/search?max_results=5', headers: auth }),
      await app.inject({ url: '/api/2.0/mlflow/experiments/search' }), // 401: no token
      await app.inject({ url: '/api/2.0/mlflow/experiments/get?experiment_id=nope', headers: auth }), // 4xx from the service
      await app.inject({ url: '/api/v1/deployments/credit-risk/predictions?limit=0', headers: auth }), // 400: the schema
      await app.inject({ url: '/api/v1/no-such-route', headers: auth }), // 404
      await app.inject({ url: '/api/v1/deployments/%E0%A4%A', headers: auth }), // the router's refusal
      await app.inject({ method: 'POST', url: '/v2/models/credit-risk/infer', headers: auth, payload: { inputs: [] } }), // v2 error
      await app.inject({ url: '/api/v1/deployments/credit-risk/predictions?format=csv', headers: auth }), // a streamed export
    ];
    expect(answers.map((a) => a.statusCode)).toEqual([200, 200, 200, 200, 401, 404, 400, 404, 400, 400, 200]);
    for (const a of answers) expect(a.headers['x-request-id']).toMatch(UUID_V7);
    expect(new Set(answers.map((a) => a.headers['x-request-id'])).size).toBe(answers.length);
  });

  it('uses the caller’s id: echoed on success and on an error, and in the request’s log lines', async () => {
    const ok = await app.inject({ url: '/api/2.0/mlflow/experiments/search?max_results=5', headers: { ...auth, 'x-request-id': 'abc-123' } });
    expect(ok.statusCode).toBe(200);
    expect(ok.headers['x-request-id']).toBe('abc-123');
    const refused = await app.inject({ url: '/api/2.0/mlflow/experiments/search', headers: { 'x-request-id': 'abc-124' } });
    expect(refused.statusCode).toBe(401);
    expect(refused.headers['x-request-id']).toBe('abc-124');
    const mine = lines.filter((l) => l['reqId'] === 'abc-123');
    expect(mine.map((l) => l['msg'])).toEqual(expect.arrayContaining(['incoming request', 'request completed']));
    expect(lines.some((l) => l['reqId'] === 'abc-124' && (l['res'] as { statusCode?: number } | undefined)?.statusCode === 401)).toBe(true);
  });

  it('replaces an unusable caller id (too long, control characters, spaces, non-ASCII, empty) and never logs it', async () => {
    const bad = ['x'.repeat(201), 'abc\tforged', 'two words', 'caf\u00e9', ''];
    const longest = 'y'.repeat(200);
    const kept = await app.inject({ url: '/health', headers: { 'x-request-id': longest } });
    expect(kept.headers['x-request-id']).toBe(longest);
    for (const id of bad) {
      const res = await app.inject({ url: '/api/2.0/mlflow/experiments/search?max_results=1', headers: { ...auth, 'x-request-id': id } });
      expect(res.statusCode).toBe(200);
      expect(res.headers['x-request-id']).toMatch(UUID_V7);
      if (id) expect(raw.some((l) => l.includes(JSON.stringify(id).slice(1, -1)))).toBe(false);
    }
  });

  const predict = (headers: Record<string, string> = {}) =>
    app.inject({ method: 'POST', url: '/api/v1/deployments/credit-risk/predict', headers: { ...auth, ...headers }, payload: { instances: credit.records } });
  const feedback = (requestId: string) =>
    app.inject({
      method: 'POST',
      url: '/api/v1/feedback',
      headers: auth,
      payload: credit.records.map((_: unknown, row: number) => ({ request_id: requestId, row, label: credit.outputs.label[row] })),
    });
  const performance = async (from: number) =>
    (await app.inject({ url: `/api/v1/deployments/credit-risk/performance?from=${from}&to=${Date.now() + 1}`, headers: auth })).json();

  it('makes the caller’s id the prediction’s request_id: feedback takes it and live performance counts it', async () => {
    const from = Date.now() - 1;
    const rows = credit.records.length as number;
    const answered: string[] = [];
    for (const id of [NGINX_ID, ENVOY_ID, undefined]) {
      const res = await predict(id ? { 'x-request-id': id } : {});
      expect(res.statusCode).toBe(200);
      const body = res.json();
      if (id) expect(body.request_id).toBe(id);
      else expect(body.request_id).toMatch(UUID_V7); // Ferry's own id, as before
      expect(res.headers['x-request-id']).toBe(body.request_id);
      answered.push(body.request_id);
      const fb = await feedback(body.request_id);
      expect(fb.statusCode).toBe(200);
      expect(fb.json()).toEqual({ accepted: rows, unknown: [] });
    }
    const perf = await performance(from);
    expect(perf.versions).toMatchObject([{ model_version: '1', task: 'classification', n: 3 * rows }]);
    expect(perf.overall.accuracy).toBe(1);
    // The log lists the requests under the ids the callers were answered.
    const listed = (await app.inject({ url: `/api/v1/deployments/credit-risk/predictions?from=${from}`, headers: auth })).json();
    expect(new Set(listed.predictions.map((p: { request_id: string }) => p.request_id))).toEqual(new Set(answered));
    // An id nobody was answered is still refused.
    expect((await feedback('0123abcd4567ef890123abcd4567ef00')).statusCode).toBe(404);
  });

  it('takes feedback by the longest usable caller id (200 characters)', async () => {
    const id = `${'k'.repeat(190)}-0123456789`.slice(0, 200);
    const res = await predict({ 'x-request-id': id });
    expect(res.json().request_id).toBe(id);
    expect((await feedback(id)).json()).toEqual({ accepted: credit.records.length, unknown: [] });
  });

  it('answers the header’s id on v2 too: parameters.request_id, and the body’s own id echoed as the protocol says', async () => {
    // One row with every value present, as the protocol's tensors (a column each).
    const record = credit.records[0] as Record<string, number | string>;
    const inputs = credit.signature.inputs.map((i: { name: string; type: string }) => ({
      name: i.name,
      shape: [1, 1],
      datatype: i.type === 'tensor(string)' ? 'BYTES' : 'FP32',
      data: [record[i.name]],
    }));
    const withBodyId = await app.inject({
      method: 'POST',
      url: '/v2/models/credit-risk/infer',
      headers: { ...auth, 'x-request-id': 'envoy-7f3a' },
      payload: { id: 'client-1', inputs },
    });
    expect(withBodyId.statusCode).toBe(200);
    expect(withBodyId.json()).toMatchObject({ id: 'client-1', parameters: { request_id: 'envoy-7f3a' } });
    expect(withBodyId.headers['x-request-id']).toBe('envoy-7f3a');
    const plain = await app.inject({ method: 'POST', url: '/v2/models/credit-risk/infer', headers: auth, payload: { inputs } });
    const body = plain.json();
    expect(body.parameters.request_id).toMatch(UUID_V7);
    expect(body.id).toBe(body.parameters.request_id);
    expect(plain.headers['x-request-id']).toBe(body.parameters.request_id);
    const fb = await app.inject({ method: 'POST', url: '/api/v1/feedback', headers: auth, payload: [{ request_id: 'envoy-7f3a', label: 0 }] });
    expect(fb.json()).toEqual({ accepted: 1, unknown: [] });
  });
});
