/** The alert engine and its repos on each store (SQLite and PostgreSQL), with an injected clock and metric source. */
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { AlertEngine } from '../src/alerts/index.js';
import type { Store } from '../src/store/index.js';
import { freshStore, forEachStore, type StoreHandle } from './support/stores.js';

const MIN = 60_000;

forEachStore('alert engine and repos', (kind) => {
  let handle: StoreHandle;
  let store: Store;
  let engine: AlertEngine;
  let clock = 1_700_000_000_000;
  const values = new Map<string, number | null>();
  let server: Server;
  let hits = 0;

  beforeAll(async () => {
    handle = await freshStore(kind);
    store = await handle.open();
    server = createServer((req, res) => {
      hits++;
      req.resume().on('end', () => res.writeHead(204).end());
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    engine = new AlertEngine(
      store,
      { value: async (d, m) => values.get(`${d}/${m}`) ?? null },
      {
        intervalMs: 1000,
        repeatIntervalMs: 60 * MIN,
        now: () => clock,
        send: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2 },
      },
    );
  });
  afterAll(async () => {
    await engine?.stop();
    await new Promise((r) => server?.close(r));
    await store?.close();
    await handle?.cleanup();
  });

  it('creates, reads, updates and deletes rules (unique names, id or name lookups)', async () => {
    const r = await engine.rules.createRule(
      {
        name: 'p99',
        deployment: 'credit',
        metric: 'latency_p99',
        comparison: '>',
        threshold: 0.25,
        window: '10m',
        for: '2m',
        keep_firing_for: '1m',
        labels: { team: 'risk' },
      },
      'alice',
    );
    expect(r).toMatchObject({
      name: 'p99',
      window: '10m',
      window_ms: 10 * MIN,
      for_ms: 2 * MIN,
      keep_firing_for_ms: MIN,
      labels: { team: 'risk' },
      enabled: true,
      created_by: 'alice',
      created_at: clock,
    });
    await expect(engine.rules.createRule({ name: 'p99', deployment: 'x', metric: 'mae', comparison: '<', threshold: 1 }, 'bob')).rejects.toMatchObject({
      code: 'RESOURCE_ALREADY_EXISTS',
    });
    expect((await engine.rules.getRule(r.id)).name).toBe('p99');
    const up = await engine.rules.updateRule('p99', { threshold: 0.5, severity: 'critical' });
    expect(up).toMatchObject({ id: r.id, threshold: 0.5, severity: 'critical', window: '10m', labels: { team: 'risk' } });
    expect((await engine.rules.listRules('credit')).map((x) => x.name)).toEqual(['p99']);
    await expect(engine.rules.getRule('nope')).rejects.toMatchObject({ code: 'RESOURCE_DOES_NOT_EXIST' });
  });

  it('evaluates with `for` and keep_firing_for on stored state, and records the history', async () => {
    values.set('credit/latency_p99', 0.9);
    expect((await engine.evaluateNow(clock)).transitions.map((t) => t.event)).toEqual(['pending']);
    clock += MIN;
    expect((await engine.evaluateNow(clock)).transitions).toEqual([]);
    clock += MIN;
    expect((await engine.evaluateNow(clock)).transitions.map((t) => t.event)).toEqual(['firing']);
    const [alert] = await engine.rules.currentAlerts({});
    expect(alert).toMatchObject({ rule: 'p99', state: 'firing', value: 0.9, active_since: clock - 2 * MIN, firing_since: clock });
    values.set('credit/latency_p99', 0.1);
    clock += 30_000;
    expect((await engine.evaluateNow(clock)).transitions).toEqual([]);
    expect((await engine.rules.currentAlerts({}))[0]).toMatchObject({ state: 'firing', keep_firing_since: clock });
    clock += MIN;
    expect((await engine.evaluateNow(clock)).transitions.map((t) => t.event)).toEqual(['resolved']);
    expect(await engine.rules.currentAlerts({})).toEqual([]);
    expect((await engine.rules.currentAlerts({ state: 'all' }))[0]).toMatchObject({ state: 'inactive', resolved_at: clock });
    const h = await engine.rules.history({ deployment: 'credit' });
    expect(h.events.map((e) => [e.event, e.value])).toEqual([
      ['resolved', 0.1],
      ['firing', 0.9],
      ['pending', 0.9],
    ]);
  });

  it('filters and pages the history', async () => {
    const first = await engine.rules.history({ rule: 'p99', maxResults: 2 });
    expect(first.events.map((e) => e.event)).toEqual(['resolved', 'firing']);
    const second = await engine.rules.history({ rule: 'p99', maxResults: 2, pageToken: first.next_page_token });
    expect(second.events.map((e) => e.event)).toEqual(['pending']);
    expect(second.next_page_token).toBeUndefined();
    expect((await engine.rules.history({ since: String(clock) })).events.map((e) => e.event)).toEqual(['resolved']);
    expect((await engine.rules.history({ until: String(clock) })).events).toHaveLength(2);
    expect((await engine.rules.history({ deployment: 'other' })).events).toEqual([]);
    await expect(engine.rules.history({ pageToken: 'x' })).rejects.toMatchObject({ errors: [{ field: 'page_token' }] });
  });

  it('stores notifier secrets without returning them; upserts the destination list', async () => {
    await engine.notifiers.setPolicy({ allow: ['127.0.0.1'] }, 'admin');
    expect(await engine.notifiers.setPolicy({ allow: ['127.0.0.1', '10.0.0.0/8'], deny: ['*.bad.example'] }, 'admin')).toEqual({
      allow: ['127.0.0.1', '10.0.0.0/8'],
      deny: ['*.bad.example'],
      allow_only: false,
    });
    expect((await engine.notifiers.policy()).allow).toEqual(['127.0.0.1', '10.0.0.0/8']);
    const port = (server.address() as { port: number }).port;
    const n = await engine.notifiers.create({ name: 'hook', url: `http://127.0.0.1:${port}/x`, secret: 's'.repeat(20) }, 'admin');
    expect(n).toMatchObject({ name: 'hook', kind: 'webhook', has_secret: true, enabled: true });
    expect(JSON.stringify(await engine.notifiers.list())).not.toContain('s'.repeat(20));
    const stored = await store.db.selectFrom('alert_notifiers').select('secret').executeTakeFirstOrThrow();
    expect(stored.secret).toBe('s'.repeat(20));
  });

  it('silences: matching alerts are recorded as silenced, not sent; expiring the silence lets them through', async () => {
    await engine.rules.createRule(
      { name: 'errors', deployment: 'credit', metric: 'error_rate', comparison: '>=', threshold: 0.1, labels: { team: 'risk' } },
      'alice',
    );
    const s = await engine.silences.create({ matchers: ['team=risk', 'deployment=~cred.*'], duration: '2h', comment: 'maintenance' }, 'alice');
    expect(s).toMatchObject({
      status: 'active',
      starts_at: clock,
      ends_at: clock + 120 * MIN,
      matchers: [
        { name: 'team', value: 'risk', is_regex: false },
        { name: 'deployment', value: 'cred.*', is_regex: true },
      ],
    });
    values.set('credit/error_rate', 0.5);
    clock += MIN;
    const muted = await engine.evaluateNow(clock);
    expect(muted.notifications).toMatchObject([{ status: 'silenced', notifier: null, rules: ['errors'] }]);
    clock += MIN;
    expect((await engine.evaluateNow(clock)).notifications).toEqual([]);
    expect(hits).toBe(0);
    await engine.silences.expire(s.id);
    expect((await engine.silences.list()).map((x) => x.id)).toEqual([]);
    expect((await engine.silences.list({ all: true }))[0]).toMatchObject({ id: s.id, status: 'expired' });
    clock += MIN;
    expect((await engine.evaluateNow(clock)).notifications).toMatchObject([{ status: 'sent', notifier: 'hook', rules: ['errors'] }]);
    expect(hits).toBe(1);
    const listed = await engine.notifications({ deployment: 'credit', maxResults: 10 });
    expect(listed.map((x) => x.status)).toEqual(['sent', 'silenced']);
  });

  it('re-sends a still-firing alert after the repeat interval, not before', async () => {
    clock += 30 * MIN;
    expect((await engine.evaluateNow(clock)).notifications).toEqual([]);
    clock += 31 * MIN;
    expect((await engine.evaluateNow(clock)).notifications).toMatchObject([{ status: 'sent', rules: ['errors'] }]);
    expect(hits).toBe(2);
  });

  it("clears a disabled rule's state and keeps history after a rule is deleted", async () => {
    await engine.rules.updateRule('errors', { enabled: false });
    expect((await engine.rules.currentAlerts({ state: 'all' })).find((a) => a.rule === 'errors')).toMatchObject({ state: 'inactive', enabled: false });
    expect((await engine.evaluateNow(clock + 1)).rules).toBe(1);
    await engine.rules.deleteRule('errors');
    expect((await engine.rules.history({ rule: 'errors' })).events.length).toBeGreaterThan(0);
  });
});
