/**
 * What a binding does besides JSON rows, against a real redis-server that needs a password, on both stores: the
 * credentials given (write-only) are what the consumer connects with; the v2 inference-request format answers in
 * the v2 form with the request's id; raw float32/float64 rows (format bytes) score as their JSON twins; feedback
 * names a stream prediction by its request id (its place in the stream); a key field picks the sticky unit; a
 * disabled binding stops and an enabled one starts again; deleting the deployment deletes its bindings.
 */
import { readFileSync } from 'node:fs';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { HAVE_REDIS, NO_REDIS_REASON, startRedis, type TestBroker } from '../helpers/brokers.js';
import { adminCall, type ChaosRig, ok200 } from '../chaos/support.js';
import { forEachStore } from '../support/stores.js';
import { waitFor } from '../support/ferry-servers.js';
import { expectedOf, fixture } from '../support/models.js';
import { credit, expectResult, streamRig } from './support.js';

const PASSWORD = 'stream-test-password-7d1c';
const RECORDS = credit.records as Record<string, unknown>[];

/** Entries of a Redis stream as {field: value} objects (the tests' own reader). */
async function entries(redis: Redis, stream: string): Promise<Record<string, string>[]> {
  const raw = (await redis.xrange(stream, '-', '+')) as [string, string[]][];
  return raw.map(([, f]) => Object.fromEntries(Array.from({ length: f.length / 2 }, (_, i) => [f[2 * i]!, f[2 * i + 1]!])));
}

async function until(redis: Redis, stream: string, n: number): Promise<Record<string, string>[]> {
  return waitFor(
    () => entries(redis, stream),
    (all) => all.length >= n,
    30_000,
  );
}

if (!HAVE_REDIS) it.skip(`stream binding formats: ${NO_REDIS_REASON}`, () => {});
else
  forEachStore('stream binding formats and lifecycle (redis)', (kind) => {
    let broker: TestBroker;
    let redis: Redis;
    let rig: ChaosRig;
    beforeAll(async () => {
      broker = await startRedis({ password: PASSWORD });
      redis = new Redis(broker.url, { password: PASSWORD, protocol: 2 });
      rig = await streamRig(kind);
      // A single-tensor model for format bytes: breast_cancer_logreg takes one [N, 30] float input.
      const up = await fetch(`${rig.server.url}/api/v1/models/cancer/versions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${rig.server.adminToken}`, 'content-type': 'application/octet-stream' },
        body: readFileSync(fixture('breast_cancer_logreg.onnx')),
      });
      expect(up.status).toBe(200);
      await ok200(rig.server, 'POST', '/api/v1/deployments', { name: 'cancer', routes: [{ model: 'cancer', version: '1' }] });
    }, 240_000);
    afterAll(async () => {
      redis?.disconnect();
      await rig?.close();
      await broker?.close();
    });
    const bind = (deployment: string, body: object) =>
      ok200(rig.server, 'POST', `/api/v1/deployments/${deployment}/streams`, {
        kind: 'redis',
        url: broker.url,
        credentials: { username: 'default', password: PASSWORD },
        ...body,
      });

    it('connects with the credentials given, which no answer shows; without them it fails and says why', { timeout: 120_000 }, async () => {
      const wrong = await ok200(rig.server, 'POST', '/api/v1/deployments/risk/streams', {
        name: 'no-auth',
        kind: 'redis',
        url: broker.url,
        input: 'x',
        output: 'y',
      });
      expect(wrong.stream.has_credentials).toBe(false);
      const failed = await waitFor(
        async () => (await ok200(rig.server, 'GET', '/api/v1/deployments/risk/streams/no-auth')).stream.status,
        (s) => s.state === 'failed',
        30_000,
      );
      expect(failed.reason).toMatch(/NOAUTH|auth/i);
      await ok200(rig.server, 'DELETE', '/api/v1/deployments/risk/streams/no-auth');
      const good = await bind('risk', { name: 'rows', input: `rows-${kind}`, output: `rows-out-${kind}`, key_field: 'user' });
      expect(good.stream.has_credentials).toBe(true);
      expect(JSON.stringify(good)).not.toContain(PASSWORD);
      for (let i = 0; i < 20; i++) await redis.xadd(`rows-${kind}`, '*', 'value', JSON.stringify({ ...RECORDS[i], user: `u${i}` }));
      const out = await until(redis, `rows-out-${kind}`, 20);
      out.forEach((m) => {
        const body = JSON.parse(m['value']!);
        const pos = /^redis:rows-[a-z]+:0:(\d+-\d+)$/.exec(body.request_id);
        expect(pos, body.request_id).not.toBeNull();
        expect(m['ferry-request-id']).toBe(body.request_id);
      });
      // Row i answered as scikit-learn does (results come in the order of the stream).
      out.forEach((m, i) => expectResult(i, JSON.parse(m['value']!)));
      // Feedback names a stream prediction by its request id.
      const ids = out.map((m) => JSON.parse(m['value']!).request_id as string);
      const fb = await ok200(rig.server, 'POST', '/api/v1/feedback', {
        feedback: ids.map((request_id, i) => ({ request_id, label: (credit.outputs.label as number[])[i] })),
      });
      expect(fb.accepted).toBe(20);
      // The key field is the sticky unit a test would count; a logged prediction carries the id.
      const page = await ok200(rig.server, 'GET', '/api/v1/deployments/risk/predictions?limit=100');
      expect(page.predictions.map((p: any) => p.request_id)).toEqual(expect.arrayContaining(ids));
    });

    it('answers a v2 inference request in the v2 form, under the id the request carries', { timeout: 120_000 }, async () => {
      await bind('risk', { name: 'v2', input: `v2-${kind}`, output: `v2-out-${kind}`, format: 'v2' });
      const r = RECORDS[6]!;
      const inputs = Object.entries(r).map(([name, v]) =>
        typeof v === 'string' || (v === null && ['home_ownership', 'purpose'].includes(name))
          ? { name, shape: [1, 1], datatype: 'BYTES', data: [v ?? ''] }
          : { name, shape: [1, 1], datatype: 'FP32', data: [v] },
      );
      await redis.xadd(`v2-${kind}`, '*', 'value', JSON.stringify({ id: 'order-6', inputs }));
      const [m] = await until(redis, `v2-out-${kind}`, 1);
      const body = JSON.parse(m!['value']!);
      expect(body).toMatchObject({ id: 'order-6', model_name: 'risk', model_version: '1', request_id: 'order-6' });
      const label = body.outputs.find((o: any) => o.name === 'label');
      expect(label.data).toEqual([(credit.outputs.label as number[])[6]]);
    });

    it('scores raw float32 and float64 rows as their JSON twins', { timeout: 120_000 }, async () => {
      const cancer = expectedOf('breast_cancer_logreg');
      const rows = (cancer.inputs[Object.keys(cancer.inputs)[0]!] as number[][]).slice(0, 5);
      for (const dtype of ['float32', 'float64'] as const) {
        await bind('cancer', { name: `raw-${dtype}`, input: `raw-${dtype}-${kind}`, output: `raw-${dtype}-out-${kind}`, format: 'bytes', bytes_dtype: dtype });
        const size = dtype === 'float32' ? 4 : 8;
        const buf = Buffer.alloc(rows.length * rows[0]!.length * size);
        rows.flat().forEach((v, i) => (dtype === 'float32' ? buf.writeFloatLE(v, i * 4) : buf.writeDoubleLE(v, i * 8)));
        await redis.xadd(`raw-${dtype}-${kind}`, '*', 'value', buf);
        // Not a whole number of rows: dead-lettered, naming the row size.
        await redis.xadd(`raw-${dtype}-${kind}`, '*', 'value', buf.subarray(0, size * 3));
        const [m] = await until(redis, `raw-${dtype}-out-${kind}`, 1);
        const preds = JSON.parse(m!['value']!).predictions;
        expect(preds.map((p: any) => p.label)).toEqual((cancer.onnx_outputs.label as number[]).slice(0, 5));
        const [dead] = await until(redis, `raw-${dtype}-${kind}.dlq`, 1);
        expect(dead!['ferry-error']).toContain(`rows of ${rows[0]!.length} ${dtype} values`);
      }
      const bad = await adminCall(rig.server, 'POST', '/api/v1/deployments/cancer/streams', {
        name: 'x',
        kind: 'redis',
        url: broker.url,
        input: 'a',
        output: 'b',
        bytes_dtype: 'float64',
      });
      expect(bad.status).toBe(400);
      expect(JSON.stringify(bad.body)).toContain('bytes_dtype');
    });

    it('stops a disabled binding, starts it again when enabled, and deletes the bindings with their deployment', { timeout: 120_000 }, async () => {
      await ok200(rig.server, 'PUT', '/api/v1/deployments/risk/streams/rows', { enabled: false });
      await waitFor(
        async () => (await ok200(rig.server, 'GET', '/api/v1/deployments/risk/streams/rows')).stream.status.state,
        (s) => s === 'stopped',
        10_000,
      );
      await redis.xadd(`rows-${kind}`, '*', 'value', JSON.stringify({ ...RECORDS[0], user: 'late' }));
      await new Promise((r) => setTimeout(r, 1000));
      expect((await entries(redis, `rows-out-${kind}`)).length).toBe(20);
      const back = await ok200(rig.server, 'PUT', '/api/v1/deployments/risk/streams/rows', { enabled: true });
      expect(back.stream.has_credentials).toBe(true);
      await until(redis, `rows-out-${kind}`, 21);
      await ok200(rig.server, 'DELETE', '/api/v1/deployments/cancer');
      const gone = await adminCall(rig.server, 'GET', '/api/v1/deployments/cancer/streams/raw-float32');
      expect(gone.status).toBe(404);
      // Its consumers stopped with it: a message now stays unread.
      await redis.xadd(`raw-float32-${kind}`, '*', 'value', Buffer.alloc(120));
      await new Promise((r) => setTimeout(r, 1000));
      expect((await entries(redis, `raw-float32-out-${kind}`)).length).toBe(1);
    });
  });
