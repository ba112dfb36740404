/**
 * End to end: rules → evaluation → one grouped, signed notification to a real HTTP receiver on 127.0.0.1
 * (allow-listed), deduplication, the resolve notice, a retry after a 500, a redirect that is not followed.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/app.js';

const SECRET = 'whsec-0123456789abcdef';

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  raw: string;
}

let t: TestApp;
let server: Server;
let base: string;
const received: Received[] = [];
let flakyCalls = 0;
const values = new Map<string, number | null>();

/** What a receiver should do: recompute the HMAC over `${timestamp}.${raw body}` and compare in constant time. */
function signatureValid(r: Received): boolean {
  const ts = String(r.headers['x-ferry-timestamp']);
  const expected = Buffer.from(`sha256=${createHmac('sha256', SECRET).update(`${ts}.${r.raw}`).digest('hex')}`);
  const got = Buffer.from(String(r.headers['x-ferry-signature'] ?? ''));
  return got.length === expected.length && timingSafeEqual(got, expected) && Math.abs(Date.now() / 1000 - Number(ts)) < 300;
}

beforeAll(async () => {
  server = createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8').on('data', (d: string) => (raw += d));
    req.on('end', () => {
      received.push({ path: req.url ?? '', headers: req.headers, raw });
      if (req.url === '/flaky' && flakyCalls++ === 0) return res.writeHead(500).end('try again');
      if (req.url === '/redirect') return res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' }).end();
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  t = await startTestApp('sqlite');
  // The test evaluates when it chooses (POST /alerts/evaluate); a background tick in between would take its transitions.
  await t.app.alerts.stop();
  t.app.alerts.useSource({ value: async (deployment, metric) => values.get(`${deployment}/${metric}`) ?? null });
});

afterAll(async () => {
  await t?.close();
  await new Promise((r) => server.close(r));
});

const evaluate = async () => {
  const res = await t.call('POST', '/api/v1/alerts/evaluate');
  expect(res.status).toBe(200);
  return res.body;
};
const posts = (path: string) => received.filter((r) => r.path === path);

describe('alerts delivered to a real webhook receiver', () => {
  it('sends ONE signed notification listing both causes when two rules of a deployment fire together', async () => {
    expect((await t.call('PUT', '/api/v1/alerts/destinations', { allow: ['127.0.0.1'] })).status).toBe(200);
    const hook = await t.call('POST', '/api/v1/alerts/notifiers', { name: 'receiver', url: `${base}/ok`, secret: SECRET });
    expect(hook.status).toBe(200);
    expect(JSON.stringify(hook.body)).not.toContain(SECRET);
    for (const [name, metric, threshold] of [
      ['credit-errors', 'error_rate', 0.05],
      ['credit-latency', 'latency_p99', 0.5],
    ] as const) {
      expect(
        (await t.call('POST', '/api/v1/alerts/rules', { name, deployment: 'credit', metric, comparison: '>', threshold, severity: 'critical' })).status,
      ).toBe(200);
    }
    await t.call('POST', '/api/v1/alerts/rules', { name: 'fraud-errors', deployment: 'fraud', metric: 'error_rate', comparison: '>', threshold: 0.05 });
    values.set('credit/error_rate', 0.2).set('credit/latency_p99', 0.9).set('fraud/error_rate', 0.01);

    const result = await evaluate();
    expect(result.transitions.map((x: any) => [x.rule, x.from, x.to])).toEqual([
      ['credit-errors', 'inactive', 'firing'],
      ['credit-latency', 'inactive', 'firing'],
    ]);
    expect(result.notifications).toMatchObject([{ notifier: 'receiver', deployment: 'credit', alert_status: 'firing', status: 'sent', attempts: 1 }]);

    expect(posts('/ok')).toHaveLength(1);
    const [post] = posts('/ok');
    expect(post!.headers['content-type']).toBe('application/json');
    expect(signatureValid(post!)).toBe(true);
    expect(signatureValid({ ...post!, raw: post!.raw.replace('credit', 'credjt') })).toBe(false);
    const body = JSON.parse(post!.raw);
    expect(body).toMatchObject({ version: '1', group_key: '{deployment="credit"}', deployment: 'credit', status: 'firing' });
    expect(body.alerts.map((a: any) => [a.rule, a.metric, a.value, a.threshold, a.comparison, a.severity, a.state])).toEqual([
      ['credit-errors', 'error_rate', 0.2, 0.05, '>', 'critical', 'firing'],
      ['credit-latency', 'latency_p99', 0.9, 0.5, '>', 'critical', 'firing'],
    ]);
    expect(body.alerts[0].fingerprint).toMatch(/^[0-9a-f]{16}$/);
    expect(Date.parse(body.alerts[0].starts_at)).toBeGreaterThan(0);
    expect(body.alerts[0].ends_at).toBeUndefined();
  });

  it('does not send the same firing alerts again (deduplicated until the repeat interval)', async () => {
    const result = await evaluate();
    expect(result.transitions).toEqual([]);
    expect(result.notifications).toEqual([]);
    expect(posts('/ok')).toHaveLength(1);
  });

  it('sends one resolved notification when both clear, and only once', async () => {
    values.set('credit/error_rate', 0.01).set('credit/latency_p99', null);
    const result = await evaluate();
    expect(result.transitions.map((x: any) => x.event)).toEqual(['resolved', 'resolved']);
    expect(posts('/ok')).toHaveLength(2);
    const post = posts('/ok')[1]!;
    expect(signatureValid(post)).toBe(true);
    const body = JSON.parse(post.raw);
    expect(body.status).toBe('resolved');
    expect(body.alerts.map((a: any) => [a.rule, a.state, typeof a.ends_at])).toEqual([
      ['credit-errors', 'resolved', 'string'],
      ['credit-latency', 'resolved', 'string'],
    ]);
    expect(body.alerts[1].value).toBeNull();
    await evaluate();
    expect(posts('/ok')).toHaveLength(2);
    const history = await t.call('GET', '/api/v1/alerts/history?deployment=credit');
    expect(history.body.events.map((e: any) => `${e.rule}:${e.event}`)).toEqual([
      'credit-latency:resolved',
      'credit-errors:resolved',
      'credit-latency:firing',
      'credit-errors:firing',
    ]);
  });

  it('retries a 500 with backoff and succeeds on the second attempt', async () => {
    expect((await t.call('PUT', '/api/v1/alerts/notifiers/receiver', { url: `${base}/flaky` })).status).toBe(200);
    values.set('credit/error_rate', 0.3);
    const result = await evaluate();
    expect(result.notifications).toMatchObject([{ notifier: 'receiver', status: 'sent', attempts: 2 }]);
    expect(posts('/flaky')).toHaveLength(2);
    expect(posts('/flaky')[0]!.raw).toBe(posts('/flaky')[1]!.raw);
    expect(posts('/flaky').every(signatureValid)).toBe(true);
  });

  it('does not follow a redirect (a 3xx is a failed delivery, not retried)', async () => {
    expect((await t.call('PUT', '/api/v1/alerts/notifiers/receiver', { url: `${base}/redirect` })).status).toBe(200);
    const before = received.length;
    values.set('credit/error_rate', 0.0);
    const result = await evaluate();
    expect(result.notifications).toMatchObject([{ notifier: 'receiver', alert_status: 'resolved', status: 'failed', attempts: 1 }]);
    expect(result.notifications[0].last_error).toMatch(/302 redirect to 169\.254\.169\.254 not followed/);
    expect(received.length - before).toBe(1);
    const listed = await t.call('GET', '/api/v1/alerts/notifications?deployment=credit');
    expect(listed.body.notifications[0]).toMatchObject({ status: 'failed', attempts: 1, alert_status: 'resolved' });
    expect(JSON.stringify(listed.body)).not.toContain(SECRET);
  });

  it('a notifier whose destination is no longer allowed fails at send time without a request', async () => {
    await t.call('PUT', '/api/v1/alerts/notifiers/receiver', { url: `${base}/ok` });
    await t.call('PUT', '/api/v1/alerts/destinations', { allow: [] });
    const before = received.length;
    values.set('credit/error_rate', 0.5);
    const result = await evaluate();
    expect(result.notifications).toMatchObject([{ status: 'failed', attempts: 0 }]);
    expect(result.notifications[0].last_error).toMatch(/loopback/);
    expect(received.length).toBe(before);
  });
});
