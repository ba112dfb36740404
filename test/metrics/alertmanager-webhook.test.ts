/**
 * A notifier of kind `alertmanager` sends Prometheus Alertmanager's webhook body (version "4") to a real HTTP
 * receiver: firing, then resolved. The body is checked against Alertmanager's documented webhook schema
 * (https://prometheus.io/docs/alerting/latest/configuration/#webhook_config; Go: notify/webhook.Message and
 * template.Data), written below as a closed JSON schema: no field missing, none extra, the types Go decodes.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { externalUrlFromEnv } from '../../src/alerts/alertmanager-payload.js';
import { startTestApp, type TestApp } from '../support/app.js';

const KV = Type.Record(Type.String({ pattern: '^[a-zA-Z_][a-zA-Z0-9_]*$' }), Type.String());
/** RFC 3339, as Go's time.Time decodes it. */
const Rfc3339 = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2})$' });
const Status = Type.Union([Type.Literal('firing'), Type.Literal('resolved')]);
const AlertmanagerAlert = Type.Object(
  {
    status: Status,
    labels: KV,
    annotations: KV,
    startsAt: Rfc3339,
    endsAt: Rfc3339,
    generatorURL: Type.String(),
    fingerprint: Type.String(),
  },
  { additionalProperties: false },
);
const AlertmanagerWebhook = Type.Object(
  {
    version: Type.Literal('4'),
    groupKey: Type.String(),
    truncatedAlerts: Type.Integer({ minimum: 0 }),
    status: Status,
    receiver: Type.String(),
    groupLabels: KV,
    commonLabels: KV,
    commonAnnotations: KV,
    externalURL: Type.String(),
    alerts: Type.Array(AlertmanagerAlert),
  },
  { additionalProperties: false },
);

let t: TestApp;
let server: Server;
let base: string;
const received: { path: string; headers: IncomingHttpHeaders; raw: string }[] = [];
const values = new Map<string, number | null>();

beforeAll(async () => {
  server = createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8').on('data', (d: string) => (raw += d));
    req.on('end', () => {
      received.push({ path: req.url ?? '', headers: req.headers, raw });
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  // Read when the app is built (the alert dispatcher's externalURL).
  process.env['FERRY_EXTERNAL_URL'] = 'https://ferry.example.com/';
  try {
    t = await startTestApp('sqlite');
  } finally {
    delete process.env['FERRY_EXTERNAL_URL'];
  }
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

describe('Alertmanager-compatible webhook notifier', () => {
  it('is a notifier kind; it needs no secret, and an unknown kind is refused naming the field', async () => {
    expect((await t.call('PUT', '/api/v1/alerts/destinations', { allow: ['127.0.0.1'] })).status).toBe(200);
    const bad = await t.call('POST', '/api/v1/alerts/notifiers', { name: 'x', kind: 'pagerduty', url: `${base}/x` });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('kind');
    const made = await t.call('POST', '/api/v1/alerts/notifiers', { name: 'oncall', kind: 'alertmanager', url: `${base}/am` });
    expect(made.status).toBe(200);
    expect(made.body.notifier).toMatchObject({ name: 'oncall', kind: 'alertmanager', has_secret: false });
    expect((await t.call('GET', '/api/v1/alerts/notifiers/oncall')).body.notifier.kind).toBe('alertmanager');
  });

  it('sends one Alertmanager group per deployment: version 4, groupKey, labels, annotations, zero endsAt while firing', async () => {
    for (const [name, metric, threshold, labels] of [
      ['credit-errors', 'error_rate', 0.05, { team: 'risk' }],
      ['credit-income-drift', 'feature_drift:income', 1, { team: 'risk' }],
    ] as const) {
      const rule = await t.call('POST', '/api/v1/alerts/rules', {
        name,
        deployment: 'credit',
        metric,
        comparison: '>=',
        threshold,
        severity: 'critical',
        labels,
      });
      expect(rule.status).toBe(200);
    }
    values.set('credit/error_rate', 0.2).set('credit/feature_drift:income', 1);
    const result = await evaluate();
    expect(result.notifications).toMatchObject([{ notifier: 'oncall', deployment: 'credit', alert_status: 'firing', status: 'sent', attempts: 1 }]);
    expect(received).toHaveLength(1);
    const post = received[0]!;
    expect(post.path).toBe('/am');
    expect(post.headers['content-type']).toBe('application/json');
    const body = JSON.parse(post.raw);
    expect([...Value.Errors(AlertmanagerWebhook, body)].map((e) => `${e.path}: ${e.message}`)).toEqual([]);
    expect(body).toMatchObject({
      version: '4',
      groupKey: '{}:{deployment="credit"}',
      truncatedAlerts: 0,
      status: 'firing',
      receiver: 'oncall',
      groupLabels: { deployment: 'credit' },
      commonLabels: { deployment: 'credit', severity: 'critical', team: 'risk' },
      externalURL: 'https://ferry.example.com',
    });
    // alertname and metric differ between the two alerts, so they are not common.
    expect(Object.keys(body.commonLabels).sort()).toEqual(['deployment', 'severity', 'team']);
    expect(body.alerts.map((a: any) => a.labels)).toEqual([
      { team: 'risk', alertname: 'credit-errors', deployment: 'credit', severity: 'critical', metric: 'error_rate' },
      { team: 'risk', alertname: 'credit-income-drift', deployment: 'credit', severity: 'critical', metric: 'feature_drift:income' },
    ]);
    const [errors] = body.alerts;
    expect(errors).toMatchObject({
      status: 'firing',
      endsAt: '0001-01-01T00:00:00Z',
      generatorURL: 'https://ferry.example.com/#/alerts',
      annotations: { summary: 'credit-errors: error_rate >= 0.05 on deployment credit', value: '0.2' },
    });
    expect(errors.annotations.description).toContain('error_rate is 0.2 on deployment credit');
    expect(errors.fingerprint).toMatch(/^[0-9a-f]{16}$/);
    expect(Date.parse(errors.startsAt)).toBeGreaterThan(Date.now() - 60_000);
    // The same alert in Ferry's own API: the fingerprint identifies it in both.
    const current = await t.call('GET', '/api/v1/alerts?deployment=credit');
    expect(current.body.alerts.find((a: any) => a.rule === 'credit-errors').fingerprint).toBe(errors.fingerprint);
  });

  it('sends the resolved group with real endsAt times, once', async () => {
    values.set('credit/error_rate', 0.01).set('credit/feature_drift:income', 0);
    await evaluate();
    expect(received).toHaveLength(2);
    const body = JSON.parse(received[1]!.raw);
    expect([...Value.Errors(AlertmanagerWebhook, body)].map((e) => `${e.path}: ${e.message}`)).toEqual([]);
    expect(body.status).toBe('resolved');
    expect(body.alerts.map((a: any) => a.status)).toEqual(['resolved', 'resolved']);
    for (const a of body.alerts) {
      expect(a.endsAt).not.toBe('0001-01-01T00:00:00Z');
      expect(Date.parse(a.endsAt)).toBeGreaterThanOrEqual(Date.parse(a.startsAt));
    }
    expect(body.alerts[0].annotations.description).toContain('no longer holds');
    await evaluate();
    expect(received).toHaveLength(2);
  });

  it('FERRY_EXTERNAL_URL must be an http(s) URL without credentials', () => {
    expect(externalUrlFromEnv({})).toBe('');
    expect(externalUrlFromEnv({ FERRY_EXTERNAL_URL: 'https://ferry.example.com/base/' })).toBe('https://ferry.example.com/base');
    expect(() => externalUrlFromEnv({ FERRY_EXTERNAL_URL: 'ftp://x' })).toThrow(/FERRY_EXTERNAL_URL/);
    expect(() => externalUrlFromEnv({ FERRY_EXTERNAL_URL: 'https://u:p@x' })).toThrow(/FERRY_EXTERNAL_URL/);
  });
});
