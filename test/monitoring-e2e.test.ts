/**
 * The loop end to end, on real parts: a served fixture model, reference-like traffic, then traffic with two
 * features shifted; drift flags exactly those two; feedback arrives and accuracy drops; and ONE grouped,
 * signed alert reaches a real webhook receiver on loopback.
 */
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/app.js';
import { registerFixture } from './support/models.js';

const SECRET = 'e2e-webhook-secret-0123456789';
const csvText = readFileSync(new URL('./fixtures/models/credit_train.csv', import.meta.url), 'utf8');
const [head, ...lines] = csvText.trim().split('\n');
const cols = head!.split(',');
const rows = lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [cols[i]!, v === '' ? null : /^[-\d.]+$/.test(v) ? Number(v) : v])));
const features = (r: Record<string, unknown>) => Object.fromEntries(Object.entries(r).filter(([k]) => k !== 'default'));

let t: TestApp;
let receiver: Server;
let hookUrl: string;
const received: { headers: IncomingHttpHeaders; raw: string }[] = [];

beforeAll(async () => {
  receiver = createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8').on('data', (d: string) => (raw += d));
    req.on('end', () => {
      received.push({ headers: req.headers, raw });
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  hookUrl = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/hook`;
  t = await startTestApp('sqlite');
  // The test evaluates when it chooses (POST /alerts/evaluate); a background tick in between would take its transitions.
  await t.app.alerts.stop();
});

afterAll(async () => {
  await t?.close();
  await new Promise((r) => receiver.close(r));
});

/** Sends rows in requests of 200 and gives ground truth for every row; the request ids come back. */
async function serve(batch: Record<string, unknown>[], truth: (r: Record<string, unknown>) => unknown): Promise<void> {
  for (let i = 0; i < batch.length; i += 200) {
    const chunk = batch.slice(i, i + 200);
    const res = await t.call('POST', '/api/v1/deployments/e2e/predict', { instances: chunk.map(features) });
    expect(res.status).toBe(200);
    const fb = await t.call(
      'POST',
      '/api/v1/feedback',
      chunk.map((r, row) => ({ request_id: res.body.request_id, row, label: truth(r) })) as unknown as object,
    );
    expect(fb.body).toMatchObject({ accepted: chunk.length, unknown: [] });
  }
}

const sleepUntil = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms - Date.now())));

it('flags the shifted features, sees accuracy drop, and sends one grouped signed alert', async () => {
  await registerFixture(t, 'credit', 'credit_gbdt.onnx');
  expect((await t.call('POST', '/api/v1/deployments', { name: 'e2e', routes: [{ model: 'credit', version: '1' }] })).status).toBe(200);
  // 10-second profile windows keep the test short: phase B gets a window of its own.
  expect((await t.call('PUT', '/api/v1/deployments/e2e/monitoring', { window: '10s' })).status).toBe(200);
  const ref = await t.app.inject({
    method: 'PUT',
    url: '/api/v1/deployments/e2e/reference',
    headers: { ...t.auth, 'content-type': 'text/csv' },
    payload: csvText,
  });
  expect(ref.statusCode).toBe(200);

  // Phase A: traffic like the training data, with its true labels.
  const phaseA = rows.slice(1000, 1600);
  const startA = Date.now();
  await serve(phaseA, (r) => r['default']);
  const driftA = (await t.call('GET', `/api/v1/deployments/e2e/drift?from=${startA}`)).body;
  expect(driftA.features.filter((f: any) => f.drifted).map((f: any) => f.name)).toEqual([]);

  // Phase B, in the next window: income and home ownership shifted; the labels no longer follow the model.
  const boundary = Math.ceil(Date.now() / 10_000) * 10_000;
  await sleepUntil(boundary + 50);
  const phaseB = rows.slice(0, 600).map((r) => ({ ...r, income: ((r['income'] as number | null) ?? 0) * 3 + 20_000, home_ownership: 'own' }));
  await serve(phaseB, (r) => (r['default'] === 1 ? 0 : 1));
  const driftB = (await t.call('GET', `/api/v1/deployments/e2e/drift?from=${boundary}`)).body;
  expect(driftB.current.rows).toBe(600);
  expect(
    driftB.features
      .filter((f: any) => f.drifted)
      .map((f: any) => f.name)
      .sort(),
  ).toEqual(['home_ownership', 'income']);

  const perf = (from: number, to: number) => t.call('GET', `/api/v1/deployments/e2e/performance?from=${from}&to=${to}`).then((r) => r.body);
  const accA = (await perf(startA, boundary)).overall.accuracy;
  const perfB = await perf(boundary, Date.now() + 1);
  const accB = perfB.overall.accuracy;
  expect(perfB.versions).toMatchObject([{ model_version: '1', task: 'classification', n: 600 }]);
  expect(perfB.windows).toHaveLength(1);
  expect(perfB.overall.roc_auc).toBeLessThan(0.5); // the labels were flipped: the scores now rank backwards
  expect(accA).toBeGreaterThan(0.6);
  expect(accB).toBeLessThan(accA - 0.3);

  // Alerts: three rules of the deployment hold at once → one notification listing every cause.
  expect((await t.call('PUT', '/api/v1/alerts/destinations', { allow: ['127.0.0.1'] })).status).toBe(200);
  expect((await t.call('POST', '/api/v1/alerts/notifiers', { name: 'oncall', url: hookUrl, secret: SECRET })).status).toBe(200);
  for (const [name, metric, comparison, threshold] of [
    ['income-drift', 'feature_drift:income', '>=', 1],
    ['ownership-drift', 'feature_drift:home_ownership', '>=', 1],
    ['accuracy-drop', 'accuracy', '<', 0.5],
    ['age-drift', 'feature_drift:age', '>=', 1],
  ] as const) {
    const rule = await t.call('POST', '/api/v1/alerts/rules', { name, deployment: 'e2e', metric, comparison, threshold, window: '5s', severity: 'critical' });
    expect(rule.status).toBe(200);
  }
  // The rules' 5 s window must lie inside phase B's profile window.
  await sleepUntil(Math.max(Date.now(), boundary + 6_000));
  const evaluation = (await t.call('POST', '/api/v1/alerts/evaluate')).body;
  expect(
    evaluation.transitions
      .filter((x: any) => x.to === 'firing')
      .map((x: any) => x.rule)
      .sort(),
  ).toEqual(['accuracy-drop', 'income-drift', 'ownership-drift']);
  expect(received).toHaveLength(1);
  const [post] = received;
  const ts = String(post!.headers['x-ferry-timestamp']);
  expect(post!.headers['x-ferry-signature']).toBe(`sha256=${createHmac('sha256', SECRET).update(`${ts}.${post!.raw}`).digest('hex')}`);
  const body = JSON.parse(post!.raw);
  expect(body).toMatchObject({ deployment: 'e2e', status: 'firing' });
  expect(body.alerts.map((a: any) => a.metric).sort()).toEqual(['accuracy', 'feature_drift:home_ownership', 'feature_drift:income']);
}, 60_000);
