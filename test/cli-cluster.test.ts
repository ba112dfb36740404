/**
 * `ferry cluster status` and `ferry deployments traffic`: the readable tables from given answers, the commands in
 * the tree, and the SDK calls behind them answered by a real app (a deployment with traffic on two versions).
 */
import type { AddressInfo } from 'node:net';
import { describe, expect, it, vi } from 'vitest';
import { ago, clusterText, expiresIn, trafficText, versionTraffic } from '../src/cli/cluster-format.js';
import { formatTime } from '../src/cli/context.js';
import { buildProgram } from '../src/cli/program.js';
import { type ClusterStatus, FerryApiError, FerryClient, type TrafficSample } from '../src/sdk/index.js';
import { useTestApp } from './support/app.js';
import { expectedOf, registerFixture } from './support/models.js';

// Plain text, whatever the terminal: picocolors decides at import (and colours under CI=true), so before the imports.
vi.hoisted(() => {
  process.env['NO_COLOR'] = '1';
});

const NOW = 1_800_000_000_000;

const STATUS: ClusterStatus = {
  replica: 'web-2-41-bbbb',
  heartbeat_ms: 2000,
  replicas: [
    {
      id: 'web-1-40-aaaa',
      host: 'web-1',
      pid: 40,
      url: 'http://10.0.0.1:5050',
      version: '0.1.0',
      state: 'serving',
      started_at: NOW - 3_600_000,
      seen_at: NOW - 1500,
      self: false,
    },
    { id: 'web-2-41-bbbb', host: 'web-2', pid: 41, url: null, version: '0.1.0', state: 'draining', started_at: NOW - 60_000, seen_at: NOW - 200, self: true },
  ],
  leases: [
    { task: 'alerts', holder: 'web-1-40-aaaa', acquired_at: NOW - 600_000, expires_at: NOW + 8000 },
    { task: 'retention', holder: 'web-2-41-bbbb', acquired_at: NOW - 900_000, expires_at: NOW - 10 },
  ],
};

const lines = (text: string) => text.split('\n');

describe('ferry cluster status, readable', () => {
  it('lists the replicas (the one that answered marked) and the leases with what is left of them', () => {
    const text = clusterText(STATUS, NOW);
    const [title, header, first, second, footnote] = lines(text);
    expect(title).toBe('Replicas (2; heartbeat every 2.0s, live within three)');
    expect(header).toMatch(/^ID\s+HOST\s+STATE\s+VERSION\s+LAST HEARTBEAT\s+STARTED\s+URL$/);
    expect(first).toMatch(
      new RegExp(`^web-1-40-aaaa\\s+web-1\\s+serving\\s+0\\.1\\.0\\s+1\\.5s ago\\s+${formatTime(NOW - 3_600_000)}\\s+http://10\\.0\\.0\\.1:5050$`),
    );
    expect(second).toMatch(new RegExp(`^web-2-41-bbbb \\*\\s+web-2\\s+draining\\s+0\\.1\\.0\\s+200ms ago\\s+${formatTime(NOW - 60_000)}$`));
    expect(footnote).toBe('* answered this request');
    expect(text).toMatch(/\nOnce-per-cluster tasks\nTASK\s+HOLDER\s+EXPIRES IN\s+HELD SINCE\n/);
    expect(text).toMatch(new RegExp(`\\nalerts\\s+web-1-40-aaaa\\s+8\\.0s\\s+${formatTime(NOW - 600_000)}\\n`));
    expect(text).toMatch(/\nretention\s+web-2-41-bbbb\s+expired\s/);
  });

  it('says so when no task has taken a lease yet, and reads clocks that disagree', () => {
    expect(clusterText({ ...STATUS, leases: [] }, NOW)).toContain('(no lease taken yet: a task takes one at its first tick)');
    expect(ago(NOW + 50, NOW)).toBe('now');
    expect(ago(NOW - 95_000, NOW)).toBe('1m35s ago');
    expect(expiresIn({ task: 't', holder: 'h', acquired_at: 0, expires_at: NOW }, NOW)).toBe('expired');
  });
});

describe('ferry deployments traffic, readable', () => {
  const s = (name: string, labels: Record<string, string>, value: number): TrafficSample => ({ name, labels: { deployment: 'credit', ...labels }, value });
  const samples: TrafficSample[] = [
    s('ferry_predictions_total', { model_version: '10', protocol: 'records', outcome: 'ok' }, 5),
    s('ferry_predictions_total', { model_version: '2', protocol: 'records', outcome: 'ok' }, 90),
    s('ferry_predictions_total', { model_version: '2', protocol: 'v2', outcome: 'ok' }, 6),
    s('ferry_predictions_total', { model_version: '2', protocol: 'records', outcome: 'client_error' }, 3),
    s('ferry_predictions_total', { model_version: '2', protocol: 'records', outcome: 'error' }, 1),
    s('ferry_prediction_duration_seconds_bucket', { model_version: '2', protocol: 'records', le: '+Inf' }, 90),
    s('ferry_prediction_duration_seconds_sum', { model_version: '2', protocol: 'records' }, 0.18),
    s('ferry_prediction_duration_seconds_count', { model_version: '2', protocol: 'records' }, 90),
    s('ferry_prediction_duration_seconds_sum', { model_version: '2', protocol: 'v2' }, 0.06),
    s('ferry_prediction_duration_seconds_count', { model_version: '2', protocol: 'v2' }, 6),
    s('ferry_shadow_predictions_total', { model_version: '3', outcome: 'ok' }, 40),
    s('ferry_shadow_predictions_total', { model_version: '3', outcome: 'error' }, 2),
  ];

  it('sums every protocol per model version, the mean latency over answered requests, shadows last', () => {
    expect(versionTraffic(samples)).toEqual([
      { route: 'main', version: '2', ok: 96, failed: 4, meanMs: 2.5 },
      { route: 'main', version: '10', ok: 5, failed: 0, meanMs: null },
      { route: 'shadow', version: '3', ok: 40, failed: 2, meanMs: null },
    ]);
    const text = trafficText({ deployment: 'credit', at: NOW, replicas: 3, samples });
    const [head, header, v2, v10, shadow] = lines(text);
    expect(head).toBe(`Deployment credit: counters summed over 3 replicas at ${formatTime(NOW)} (each since its start; rates need two readings)`);
    expect(header).toMatch(/^ROUTE\s+VERSION\s+REQUESTS\s+OK\s+FAILED\s+FAILED %\s+MEAN MS$/);
    expect(v2).toMatch(/^main\s+2\s+100\s+96\s+4\s+4%\s+2\.50$/);
    expect(v10).toMatch(/^main\s+10\s+5\s+5\s+0\s+0%$/);
    expect(shadow).toMatch(/^shadow\s+3\s+42\s+40\s+2\s+4\.76%$/);
    expect(trafficText({ deployment: 'credit', at: NOW, replicas: 1, samples: [] })).toContain('summed over 1 replica at');
  });
});

describe('the commands', () => {
  it('are in the tree with --json', () => {
    const program = buildProgram();
    const sub = (parent: string, name: string) => program.commands.find((c) => c.name() === parent)?.commands.find((c) => c.name() === name);
    for (const [parent, name] of [
      ['cluster', 'status'],
      ['deployments', 'traffic'],
    ] as const) {
      const cmd = sub(parent, name);
      expect(cmd, `${parent} ${name}`).toBeDefined();
      expect(cmd!.options.some((o) => o.long === '--json')).toBe(true);
    }
  });
});

describe('against a real server', () => {
  const t = useTestApp('sqlite');

  it('reads this replica and a deployment’s traffic through the SDK', async () => {
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = t.app.server.address() as AddressInfo;
    const client = new FerryClient({ url: `http://127.0.0.1:${port}`, token: t.adminToken });
    await registerFixture(t, 'credit', 'credit_gbdt.onnx');
    await registerFixture(t, 'credit', 'credit_gbdt_v2.onnx');
    await client.deployments.create('credit-risk', {
      routes: [
        { model: 'credit', version: '1', weight: 50 },
        { model: 'credit', version: '2', weight: 50 },
      ],
    });
    const row = expectedOf('credit_gbdt').records[0];
    const served = new Map<string, number>();
    for (let i = 0; i < 12; i++) {
      const v = (await client.deployments.predict('credit-risk', { dataframe_records: [row] })).model_version;
      served.set(v, (served.get(v) ?? 0) + 1);
    }

    const traffic = await client.deployments.traffic('credit-risk');
    expect(traffic).toMatchObject({ deployment: 'credit-risk', replicas: 1 });
    const rows = versionTraffic(traffic.samples);
    expect(rows.map((r) => [r.version, r.ok, r.failed])).toEqual([...served.entries()].sort().map(([v, n]) => [v, n, 0]));
    for (const r of rows) expect(r.meanMs).toBeGreaterThan(0);
    const [firstVersion, firstCount] = [...served.entries()].sort()[0]!;
    expect(lines(trafficText(traffic))[2]).toMatch(new RegExp(`^main\\s+${firstVersion}\\s+${firstCount}\\s+${firstCount}\\s+0\\s+0%\\s+\\d+\\.\\d\\d$`));
    const missing = await client.deployments.traffic('nope').catch((err: unknown) => err);
    expect(missing).toBeInstanceOf(FerryApiError);
    expect((missing as FerryApiError).status).toBe(404);

    const status = await client.cluster.status();
    expect(status.replicas.map((r) => [r.id, r.self, r.state])).toEqual([[status.replica, true, 'serving']]);
    expect(clusterText(status, Date.now())).toContain(`${status.replica} *`);
  }, 60_000);
});
