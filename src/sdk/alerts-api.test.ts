/** client.alerts against a real Ferry server (a child process). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FerryServer, apiError, startFerry } from '../../test/support/ferry-process.js';
import { FerryClient } from './index.js';

let server: FerryServer;
let admin: FerryClient;

beforeAll(async () => {
  server = await startFerry();
  admin = new FerryClient({ url: server.url, token: server.adminToken });
});

afterAll(async () => {
  await server?.stop();
});

describe('client.alerts against a real server', () => {
  it('manages rules, evaluates, and reads alerts and history', async () => {
    const rule = await admin.alerts.createRule({
      name: 'sdk-p99',
      deployment: 'credit',
      metric: 'latency_p99',
      comparison: '>',
      threshold: 0.3,
      for: '2m',
      labels: { team: 'risk' },
    });
    expect(rule).toMatchObject({
      name: 'sdk-p99',
      for: '2m',
      for_ms: 120_000,
      window: '5m',
      severity: 'warning',
      labels: { team: 'risk' },
      enabled: true,
      created_by: 'admin',
    });
    expect((await admin.alerts.listRules('credit')).map((r) => r.id)).toEqual([rule.id]);
    expect((await admin.alerts.updateRule('sdk-p99', { severity: 'critical' })).severity).toBe('critical');
    expect((await admin.alerts.getRule(rule.id)).severity).toBe('critical');
    // No metric source has data on a bare server: the rule evaluates but nothing fires.
    const ev = await admin.alerts.evaluate();
    expect(ev).toMatchObject({ rules: 1, transitions: [], notifications: [] });
    expect(await admin.alerts.list()).toEqual([]);
    expect((await admin.alerts.list({ state: 'all' }))[0]).toMatchObject({ rule: 'sdk-p99', state: 'inactive', value: null });
    expect(await admin.alerts.history({ deployment: 'credit', since: '1h', maxResults: 10 })).toEqual({ events: [] });
    const err = await apiError(admin.alerts.createRule({ name: 'bad', deployment: 'credit', metric: 'cpu', comparison: '>', threshold: 1 }));
    expect(err.status).toBe(400);
    expect(err.errors[0]?.field).toBe('metric');
    await admin.alerts.deleteRule(rule.id);
    expect((await apiError(admin.alerts.getRule(rule.id))).status).toBe(404);
  });

  it('manages silences, destinations and notifiers (secrets never come back)', async () => {
    const s = await admin.alerts.createSilence({
      matchers: ['deployment=credit', { name: 'severity', value: 'warning|critical', is_regex: true }],
      duration: '2h',
      comment: 'migration',
    });
    expect(s).toMatchObject({
      status: 'active',
      comment: 'migration',
      matchers: [
        { name: 'deployment', value: 'credit', is_regex: false },
        { name: 'severity', is_regex: true },
      ],
    });
    expect((await admin.alerts.listSilences()).map((x) => x.id)).toEqual([s.id]);
    expect((await admin.alerts.expireSilence(s.id)).status).toBe('expired');
    expect(await admin.alerts.listSilences()).toEqual([]);
    expect((await admin.alerts.getSilence(s.id)).status).toBe('expired');

    expect(await admin.alerts.destinations()).toEqual({ allow: [], deny: [], allow_only: false });
    expect((await apiError(admin.alerts.createNotifier({ name: 'local', url: 'http://127.0.0.1:9/hook', secret: 'x'.repeat(16) }))).errors[0]?.field).toBe(
      'url',
    );
    expect(await admin.alerts.setDestinations({ allow: ['127.0.0.1'] })).toEqual({ allow: ['127.0.0.1'], deny: [], allow_only: false });
    const n = await admin.alerts.createNotifier({ name: 'local', url: 'http://127.0.0.1:9/hook', secret: 'x'.repeat(16) });
    expect(n).toMatchObject({ name: 'local', kind: 'webhook', has_secret: true });
    expect(JSON.stringify(await admin.alerts.listNotifiers())).not.toContain('x'.repeat(16));
    expect((await admin.alerts.updateNotifier('local', { enabled: false })).enabled).toBe(false);
    expect((await admin.alerts.getNotifier(n.id)).name).toBe('local');
    await admin.alerts.deleteNotifier('local');
    expect(await admin.alerts.listNotifiers()).toEqual([]);
    expect(await admin.alerts.notifications()).toEqual([]);
  });
});
