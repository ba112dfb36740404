/**
 * Replicas on one store act as one Ferry: two apps on the same store (SQLite: one file, messages within the
 * process; PostgreSQL: real NOTIFY/LISTEN) see each other's deployment changes within a second, list each other,
 * sum their traffic, and run a once-per-cluster task on one replica only.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildApp } from '../app.js';
import { LocalArtifactStore } from '../artifacts/index.js';
import { loadConfig } from '../config.js';
import type { Store } from '../store/index.js';
import { freshStore, forEachStore, type StoreHandle } from '../../test/support/stores.js';
import { expectedOf, registerFixture } from '../../test/support/models.js';
import type { TestApp } from '../../test/support/app.js';
import { leaseTtl } from './index.js';
import { listLeases, releaseLeases, takeLease } from './lease-repo.js';

interface Replica {
  app: FastifyInstance;
  store: Store;
}

async function until<T>(what: string, ms: number, f: () => Promise<T | undefined | false>): Promise<{ value: T; after: number }> {
  const t0 = Date.now();
  for (;;) {
    const v = await f();
    if (v !== undefined && v !== false) return { value: v, after: Date.now() - t0 };
    if (Date.now() - t0 > ms) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

forEachStore('cluster', (kind) => {
  let handle: StoreHandle;
  let dir: string;
  const replicas: Replica[] = [];
  let token = '';
  const auth = () => ({ authorization: `Bearer ${token}` });
  const call = async (r: Replica, method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: object) => {
    const res = await r.app.inject({ method, url, headers: auth(), ...(payload ? { payload } : {}) });
    return { status: res.statusCode, body: res.json() };
  };
  // registerFixture takes a TestApp; this adapter points it at one replica.
  const asTestApp = (r: Replica) => ({ app: r.app, auth: auth(), call: (m: 'GET' | 'POST', u: string, p?: object) => call(r, m, u, p) }) as unknown as TestApp;

  beforeAll(async () => {
    // The periodic reload is off for this block: what reaches the other replica came by message.
    process.env['FERRY_CLUSTER_RELOAD_MS'] = String(3_600_000);
    handle = await freshStore(kind);
    dir = mkdtempSync(join(tmpdir(), 'ferry-cluster-'));
    for (let i = 0; i < 2; i++) {
      const store = await handle.open();
      const config = loadConfig({ dataDir: join(dir, `replica-${i}`), store: handle.url }, {});
      // One artifact folder, as replicas share one bucket.
      const app = await buildApp({ config, store, artifacts: new LocalArtifactStore(join(dir, 'artifacts')), logger: false, contractCheck: true });
      replicas.push({ app, store });
    }
    delete process.env['FERRY_CLUSTER_RELOAD_MS'];
    token = (await replicas[0]!.app.ferry.auth.createToken('admin', 'admin', 'test')).token;
    await registerFixture(asTestApp(replicas[0]!), 'credit', 'credit_gbdt.onnx');
    await registerFixture(asTestApp(replicas[0]!), 'credit', 'credit_gbdt_v2.onnx');
  }, 60_000);

  afterAll(async () => {
    for (const r of replicas) {
      await r.app.close();
      await r.store.close();
    }
    await handle.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  const servingRevision = async (r: Replica, name: string) => {
    const got = await call(r, 'GET', `/api/v1/deployments/${name}`);
    return got.status === 200 ? (got.body.deployment.status.serving_revision as number | null) : null;
  };

  it('a deployment created, changed and deleted on one replica reaches the other within a second', async () => {
    const [a, b] = [replicas[0]!, replicas[1]!];
    const created = await call(a, 'POST', '/api/v1/deployments', { name: 'shared', routes: [{ model: 'credit', version: '1', weight: 100 }] });
    expect(created.status).toBe(200);
    const first = await until('B serves revision 1', 5000, async () => (await servingRevision(b, 'shared')) === 1);
    const row = expectedOf('credit_gbdt').records[0];
    const onB = await call(b, 'POST', '/api/v1/deployments/shared/predict', { dataframe_records: [row] });
    expect(onB.status).toBe(200);
    expect(onB.body.model_version).toBe('1');

    const changed = await call(a, 'PUT', '/api/v1/deployments/shared', { routes: [{ model: 'credit', version: '2', weight: 100 }] });
    expect(changed.status).toBe(200);
    // Applied (the message arrived and loading began), then serving (the model loaded).
    const second = await until(
      'B applies revision 2',
      5000,
      async () => (await call(b, 'GET', '/api/v1/deployments/shared')).body.deployment.status.applied_revision === 2,
    );
    await until('B serves revision 2', 10_000, async () => (await servingRevision(b, 'shared')) === 2);
    const v2 = await call(b, 'POST', '/api/v1/deployments/shared/predict', { dataframe_records: [row] });
    expect(v2.body.model_version).toBe('2');

    // Traffic on both replicas, summed by either.
    for (let i = 0; i < 3; i++) expect((await call(a, 'POST', '/api/v1/deployments/shared/predict', { dataframe_records: [row] })).status).toBe(200);
    await Promise.all(replicas.map((r) => r.app.ferry.cluster.setUrl('http://test')));
    const traffic = await until('traffic from both replicas', 5000, async () => {
      const t = await call(b, 'GET', '/api/v1/deployments/shared/traffic');
      const total = (t.body.samples as { name: string; labels: Record<string, string>; value: number }[])
        .filter((s) => s.name === 'ferry_predictions_total')
        .reduce((x, s) => x + s.value, 0);
      return t.body.replicas === 2 && total === 5 ? t.body : undefined;
    });
    expect(traffic.value.deployment).toBe('shared');
    expect((await call(a, 'GET', '/api/v1/deployments/nope/traffic')).status).toBe(404);

    await call(a, 'DELETE', '/api/v1/deployments/shared');
    await until('B forgets it', 5000, async () => (await call(b, 'POST', '/api/v1/deployments/shared/predict', { dataframe_records: [row] })).status === 404);
    console.log(`[${kind}] propagation: created → served on the other replica ${first.after} ms; updated → applied there ${second.after} ms`);
  }, 60_000);

  it('an A/B test started or stopped on one replica is assigned or lifted on the other', async () => {
    const [a, b] = [replicas[0]!, replicas[1]!];
    const routes = [
      { model: 'credit', version: '1', weight: 50 },
      { model: 'credit', version: '2', weight: 50 },
    ];
    expect((await call(a, 'POST', '/api/v1/deployments', { name: 'split', routes, sticky_key: 'customer' })).status).toBe(200);
    await until('B serves split', 10_000, async () => (await servingRevision(b, 'split')) === 1);
    const created = await call(a, 'POST', '/api/v1/abtests', {
      name: 'split-1',
      deployment: 'split',
      primary_metric: { metric: 'conversion', kind: 'proportion', window: '1h' },
    });
    expect(created.status).toBe(201);
    const id = a.app.ferry.runtime.assignmentOf('split');
    expect(id).not.toBeNull();
    const on = await until('B assigns the test', 5000, async () => b.app.ferry.runtime.assignmentOf('split') === id);
    expect((await call(a, 'POST', '/api/v1/abtests/split-1/stop', {})).status).toBe(200);
    const off = await until('B lifts the test', 5000, async () => b.app.ferry.runtime.assignmentOf('split') === null);
    console.log(`[${kind}] A/B assignment: started → assigned there ${on.after} ms; stopped → lifted there ${off.after} ms`);
  }, 60_000);

  it('lists both replicas and the leases', async () => {
    const status = await call(replicas[1]!, 'GET', '/api/v1/cluster');
    expect(status.status).toBe(200);
    const ids = replicas.map((r) => r.app.ferry.cluster.replicaId).sort();
    expect((status.body.replicas as { id: string }[]).map((r) => r.id).sort()).toEqual(ids);
    expect(status.body.replica).toBe(replicas[1]!.app.ferry.cluster.replicaId);
    expect((status.body.replicas as { id: string; self: boolean }[]).find((r) => r.self)!.id).toBe(status.body.replica);
  });

  it('runs a once-per-cluster task on one replica at a time, and hands it over on release or expiry', async () => {
    const runs = [0, 0];
    for (let tick = 0; tick < 5; tick++)
      await Promise.all(
        replicas.map((r, i) =>
          r.app.ferry.cluster.runOnce('test_task', 1000, async () => {
            runs[i]!++;
          }),
        ),
      );
    expect(runs[0]! + runs[1]!).toBe(5);
    expect(runs.filter((n) => n > 0)).toHaveLength(1);

    const db = replicas[0]!.store.db;
    const now = Date.now();
    expect(await takeLease(db, 'unit', 'r1', 1000, now)).toBe(true);
    expect(await takeLease(db, 'unit', 'r2', 1000, now + 10)).toBe(false);
    expect(await takeLease(db, 'unit', 'r1', 1000, now + 500)).toBe(true); // renewed to now + 1500
    expect(await takeLease(db, 'unit', 'r2', 1000, now + 1400)).toBe(false);
    expect(await takeLease(db, 'unit', 'r2', 1000, now + 1600)).toBe(true); // expired: taken over
    await releaseLeases(db, 'r2');
    expect(await takeLease(db, 'unit', 'r1', 1000, now + 1700)).toBe(true);
    const unit = (await listLeases(db)).find((l) => l.name === 'unit')!;
    expect(unit.holder).toBe('r1');
    expect(leaseTtl(30_000)).toBe(75_000);
    expect(leaseTtl(1000)).toBe(10_000);
  });

  it('a draining replica answers not-ready', async () => {
    const r = replicas[1]!;
    expect((await r.app.inject({ method: 'GET', url: '/ready' })).statusCode).toBe(200);
    await r.app.ferry.cluster.drain();
    const res = await r.app.inject({ method: 'GET', url: '/ready' });
    expect(res.statusCode).toBe(503);
    expect(res.json().detail).toMatch(/shutting down/);
    const status = await call(replicas[0]!, 'GET', '/api/v1/cluster');
    expect((status.body.replicas as { id: string; state: string }[]).find((x) => x.id === r.app.ferry.cluster.replicaId)!.state).toBe('draining');
  });

  it('the periodic reload catches up a replica that missed the messages', async () => {
    const [a, b] = [replicas[0]!, replicas[1]!];
    await b.app.ferry.cluster.bus.close(); // B hears nothing from here on
    const before = (await call(b, 'GET', '/api/v1/deployments/split')).body.deployment.status.applied_revision;
    const changed = await call(a, 'PUT', '/api/v1/deployments/split', { routes: [{ model: 'credit', version: '2', weight: 100 }], sticky_key: 'customer' });
    expect(changed.status).toBe(200);
    await call(a, 'POST', '/api/v1/deployments', { name: 'late', routes: [{ model: 'credit', version: '1', weight: 100 }] });
    await new Promise((r) => setTimeout(r, 300));
    expect((await call(b, 'GET', '/api/v1/deployments/split')).body.deployment.status.applied_revision).toBe(before);
    // What the reload timer does (FERRY_CLUSTER_RELOAD_MS; off in this block).
    const done = await b.app.ferry.runtime.reconcile(await b.app.ferry.deployments.list());
    expect(done.applied.sort()).toEqual(['late', 'split']);
    expect((await call(b, 'GET', '/api/v1/deployments/split')).body.deployment.status.applied_revision).toBe(changed.body.deployment.revision);
    // Nothing left to do: a second reload changes nothing.
    expect(await b.app.ferry.runtime.reconcile(await b.app.ferry.deployments.list())).toEqual({ applied: [], removed: [] });
  }, 60_000);
});
