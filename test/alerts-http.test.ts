/** The alerts HTTP API: roles, 400s naming the field, secrets never in responses, SSRF refusals. */
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from './support/app.js';

const t = useTestApp('sqlite');
let viewer: string;
let editor: string;

beforeAll(async () => {
  viewer = (await t.app.ferry.auth.createToken('v', 'viewer', 'test')).token;
  editor = (await t.app.ferry.auth.createToken('e', 'editor', 'test')).token;
});

const as = async (token: string, method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: object) => {
  const res = await t.app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(payload ? { payload } : {}) });
  return { status: res.statusCode, body: res.json() };
};
const rule = { name: 'http-errors', deployment: 'credit', metric: 'error_rate', comparison: '>', threshold: 0.05, for: '5m' };
const field = (res: { body: any }) => res.body.errors?.[0]?.field;

describe('alerts API roles', () => {
  it('lets viewers read and editors write rules and silences; notifiers and destinations are admin-only', async () => {
    expect((await as(viewer, 'POST', '/api/v1/alerts/rules', rule)).status).toBe(403);
    const created = await as(editor, 'POST', '/api/v1/alerts/rules', rule);
    expect(created.status).toBe(200);
    expect(created.body.rule).toMatchObject({ name: 'http-errors', for: '5m', created_by: 'e' });
    expect((await as(viewer, 'GET', '/api/v1/alerts/rules')).body.rules).toHaveLength(1);
    expect((await as(viewer, 'GET', `/api/v1/alerts/rules/${created.body.rule.id}`)).body.rule.name).toBe('http-errors');
    expect((await as(viewer, 'GET', '/api/v1/alerts')).status).toBe(200);
    expect((await as(viewer, 'GET', '/api/v1/alerts/history')).status).toBe(200);
    expect((await as(viewer, 'POST', '/api/v1/alerts/evaluate')).status).toBe(403);
    expect((await as(editor, 'POST', '/api/v1/alerts/evaluate')).status).toBe(200);
    expect((await as(viewer, 'POST', '/api/v1/alerts/silences', { matchers: ['deployment=credit'], duration: '1h' })).status).toBe(403);
    const silence = await as(editor, 'POST', '/api/v1/alerts/silences', { matchers: ['deployment=credit'], duration: '1h', comment: 'deploy' });
    expect(silence.status).toBe(200);
    expect((await as(viewer, 'GET', '/api/v1/alerts/silences')).body.silences).toHaveLength(1);
    expect((await as(editor, 'DELETE', `/api/v1/alerts/silences/${silence.body.silence.id}`)).body.silence.status).toBe('expired');
    for (const [method, url] of [
      ['GET', '/api/v1/alerts/notifiers'],
      ['POST', '/api/v1/alerts/notifiers'],
      ['GET', '/api/v1/alerts/destinations'],
      ['PUT', '/api/v1/alerts/destinations'],
    ] as const) {
      expect((await as(editor, method, url, method === 'GET' ? undefined : {})).status, `${method} ${url}`).toBe(403);
    }
    const anon = await t.app.inject({ method: 'GET', url: '/api/v1/alerts' });
    expect(anon.statusCode).toBe(401);
    expect((await as(editor, 'PUT', '/api/v1/alerts/rules/http-errors', { threshold: 0.1 })).body.rule.threshold).toBe(0.1);
    expect((await as(editor, 'DELETE', '/api/v1/alerts/rules/http-errors')).status).toBe(200);
    expect((await as(viewer, 'GET', '/api/v1/alerts/rules/http-errors')).status).toBe(404);
  });
});

describe('durations in the one grammar (docs/api.md, Durations)', () => {
  it('takes 1h30m and 1.5h alike in rules, silences and history queries', async () => {
    const a = await as(editor, 'POST', '/api/v1/alerts/rules', { ...rule, name: 'dur-a', window: '1.5h', for: '1h30m' });
    const b = await as(editor, 'POST', '/api/v1/alerts/rules', { ...rule, name: 'dur-b', window: '1h30m', for: '1.5h' });
    for (const r of [a, b]) expect([r.status, r.body.rule.window, r.body.rule.window_ms, r.body.rule.for_ms]).toEqual([200, '1h30m', 5_400_000, 5_400_000]);
    const silence = await as(editor, 'POST', '/api/v1/alerts/silences', { matchers: ['deployment=credit'], duration: '1.5h' });
    expect(silence.body.silence.ends_at - silence.body.silence.starts_at).toBe(5_400_000);
    for (const since of ['1h30m', '1.5h']) expect((await as(viewer, 'GET', `/api/v1/alerts/history?since=${since}`)).status, since).toBe(200);
    const bad = await as(viewer, 'GET', '/api/v1/alerts/history?since=1h1h');
    expect([bad.status, field(bad)]).toEqual([400, 'since']);
    await as(editor, 'DELETE', `/api/v1/alerts/silences/${silence.body.silence.id}`);
    for (const name of ['dur-a', 'dur-b']) await as(editor, 'DELETE', `/api/v1/alerts/rules/${name}`);
  });
});

describe('malformed input is a 400 naming the field', () => {
  it('refuses malformed rules', async () => {
    const cases: [object, string][] = [
      [{ metric: 'cpu_usage' }, 'metric'],
      [{ metric: 'drift_score' }, 'metric'],
      [{ comparison: '=' }, 'comparison'],
      [{ threshold: 'x' }, 'threshold'],
      [{ window: '-1m' }, 'window'],
      [{ for: 'later' }, 'for'],
      [{ keep_firing_for: '1y' }, 'keep_firing_for'],
      [{ severity: 'sev1' }, 'severity'],
      [{ deployment: 'Bad_Name' }, 'deployment'],
      [{ name: undefined }, 'name'],
      [{ labels: { 'a-b': '1' } }, 'labels.a-b'],
    ];
    for (const [patch, name] of cases) {
      const res = await t.call('POST', '/api/v1/alerts/rules', { ...rule, name: 'bad', ...patch });
      expect([res.status, res.body.code, field(res)], JSON.stringify(patch)).toEqual([400, 'INVALID_PARAMETER_VALUE', name]);
    }
    const dup = await t.call('POST', '/api/v1/alerts/rules', { ...rule, name: 'dup' });
    expect(dup.status).toBe(200);
    expect((await t.call('POST', '/api/v1/alerts/rules', { ...rule, name: 'dup' })).body.code).toBe('RESOURCE_ALREADY_EXISTS');
    expect(field(await t.call('PUT', '/api/v1/alerts/rules/dup', { window: '0s' }))).toBe('window');
    expect((await t.call('GET', '/api/v1/alerts/rules/missing')).status).toBe(404);
  });

  it('refuses malformed silences, queries and destination lists', async () => {
    expect(field(await t.call('POST', '/api/v1/alerts/silences', { matchers: [], duration: '1h' }))).toBe('matchers');
    expect(field(await t.call('POST', '/api/v1/alerts/silences', { matchers: ['severity=~('], duration: '1h' }))).toBe('matchers[0].value');
    expect(field(await t.call('POST', '/api/v1/alerts/silences', { matchers: ['rule=x'] }))).toBe('duration');
    expect(field(await t.call('POST', '/api/v1/alerts/silences', { matchers: ['rule=x'], ends_at: '2001-01-01T00:00:00Z' }))).toBe('ends_at');
    expect(field(await t.call('GET', '/api/v1/alerts?state=burning'))).toBe('state');
    expect(field(await t.call('GET', '/api/v1/alerts/history?since=yesterday'))).toBe('since');
    expect(field(await t.call('GET', '/api/v1/alerts/history?max_results=0'))).toBe('max_results');
    expect(field(await t.call('PUT', '/api/v1/alerts/destinations', { allow: ['10.0.0.0/40'] }))).toBe('allow[0]');
  });
});

describe('notifiers', () => {
  const SECRET = 'super-secret-hmac-key-1234';

  it('refuses SSRF destinations and bad schemes with 400 naming url', async () => {
    for (const url of [
      'http://169.254.169.254/latest/meta-data/',
      'http://10.0.0.1/hook',
      'http://[::1]/hook',
      'file:///etc/passwd',
      'http://user:pass@example.com/hook',
      'http://127.0.0.1:9/hook',
      'http://[fd00::1]/',
      'ftp://example.com/',
    ]) {
      const res = await t.call('POST', '/api/v1/alerts/notifiers', { name: 'n1', url, secret: SECRET });
      expect([res.status, field(res)], url).toEqual([400, 'url']);
      expect(JSON.stringify(res.body)).not.toContain(SECRET);
    }
    expect(field(await t.call('POST', '/api/v1/alerts/notifiers', { name: 'n1', url: 'http://127.0.0.1:9/' }))).toBe('url');
  });

  it('keeps the secret write-only: never in create, get, list or update answers', async () => {
    await t.call('PUT', '/api/v1/alerts/destinations', { allow: ['127.0.0.1'] });
    expect(field(await t.call('POST', '/api/v1/alerts/notifiers', { name: 'n2', url: 'http://127.0.0.1:9/hook' }))).toBe('secret');
    expect(field(await t.call('POST', '/api/v1/alerts/notifiers', { name: 'n2', url: 'http://127.0.0.1:9/hook', secret: 'short' }))).toBe('secret');
    expect(field(await t.call('POST', '/api/v1/alerts/notifiers', { name: 'n2', kind: 'teams', url: 'http://127.0.0.1:9/hook', secret: SECRET }))).toBe('kind');
    const answers = [
      await t.call('POST', '/api/v1/alerts/notifiers', { name: 'n2', url: 'http://127.0.0.1:9/hook', secret: SECRET }),
      await t.call('GET', '/api/v1/alerts/notifiers'),
      await t.call('GET', '/api/v1/alerts/notifiers/n2'),
      await t.call('PUT', '/api/v1/alerts/notifiers/n2', { secret: `${SECRET}-rotated`, enabled: false }),
      await t.call('POST', '/api/v1/alerts/notifiers', { name: 'slack', kind: 'slack', url: 'http://127.0.0.1:9/services/T000/B000' }),
    ];
    for (const a of answers) {
      expect(a.status).toBe(200);
      expect(JSON.stringify(a.body)).not.toContain(SECRET);
      expect(JSON.stringify(a.body)).not.toContain('"secret"');
    }
    expect(answers[0]!.body.notifier).toMatchObject({ name: 'n2', kind: 'webhook', has_secret: true, enabled: true });
    expect(answers[3]!.body.notifier).toMatchObject({ enabled: false, has_secret: true });
    expect(answers[4]!.body.notifier).toMatchObject({ kind: 'slack', has_secret: false });
    expect(field(await t.call('PUT', '/api/v1/alerts/notifiers/n2', { url: 'http://10.0.0.1/' }))).toBe('url');
    expect((await t.call('POST', '/api/v1/alerts/notifiers', { name: 'n2', url: 'http://127.0.0.1:9/x', secret: SECRET })).body.code).toBe(
      'RESOURCE_ALREADY_EXISTS',
    );
    expect((await t.call('DELETE', '/api/v1/alerts/notifiers/n2')).status).toBe(200);
    expect((await t.call('GET', '/api/v1/alerts/notifiers/n2')).status).toBe(404);
  });

  it('describes the alerts API in OpenAPI', async () => {
    const spec = (await t.call('GET', '/openapi.json')).body;
    expect(Object.keys(spec.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/alerts',
        '/api/v1/alerts/rules',
        '/api/v1/alerts/rules/{id}',
        '/api/v1/alerts/history',
        '/api/v1/alerts/silences',
        '/api/v1/alerts/notifiers',
        '/api/v1/alerts/destinations',
        '/api/v1/alerts/evaluate',
      ]),
    );
    expect(spec.paths['/api/v1/alerts/rules'].post.requestBody.content['application/json'].schema.properties.metric).toBeDefined();
  });
});
