/**
 * What a replica serves converges to the store's records whatever the order of messages, loads and failed writes;
 * a once-per-cluster task keeps its lease while it runs, however long.
 */
import { expect, it } from 'vitest';
import { forEachStore } from '../../test/support/stores.js';
import { useTestApp } from '../../test/support/app.js';
import { registerFixture } from '../../test/support/models.js';
import { takeLease } from './lease-repo.js';
import { ClusterTasks } from './cluster-tasks.js';
import { Registry } from 'prom-client';

forEachStore('reconcile and leases', (kind) => {
  const t = useTestApp(kind);
  const spec = (version: string) => ({ routes: [{ model: 'rv', version, weight: 100 }] });

  it('a deployment deleted (on another replica) while it loads here is not served here afterwards', async () => {
    await registerFixture(t, 'rv', 'credit_gbdt.onnx');
    const { deployments, runtime } = t.app.ferry;
    // Created on another replica: in the store, not yet here.
    const rec = await deployments.create('zombie', spec('1'), 'test');
    const loading = runtime.reconcileOne('zombie', rec);
    // Its load has begun here (applied), and not finished (not serving).
    while (runtime.statusOf('zombie').applied_revision !== 1) await new Promise((r) => setImmediate(r));
    expect(runtime.statusOf('zombie').serving_revision).toBeNull();
    // Deleted on the other replica; its message arrives here while the model still loads.
    await deployments.delete('zombie');
    await runtime.reconcileOne('zombie', null);
    await loading;
    // The safety net runs too.
    await runtime.reconcile(await deployments.list());
    expect(runtime.isReady('zombie')).toBe(false);
    expect((await t.call('POST', '/api/v1/deployments/zombie/predict', { dataframe_records: [] })).status).toBe(404);
  });

  it('a candidate activated here whose record then failed does not outlive the store’s own revision of that number', async () => {
    await registerFixture(t, 'rv', 'credit_gbdt_v2.onnx');
    const { deployments, runtime } = t.app.ferry;
    expect((await t.call('POST', '/api/v1/deployments', { name: 'diverge', ...spec('1') })).status).toBe(200);
    const current = await deployments.get('diverge');
    // This replica's update: its candidate (revision 2, version 2) is activated ...
    const route = { ...current.spec.routes[0]!, version: '2' } as (typeof current.spec.routes)[number];
    await runtime.activate({ ...current, revision: 2, spec: { ...current.spec, routes: [route] } });
    // ... but another replica's update recorded revision 2 first (version 1 again): this one's insert fails (500).
    await deployments.update('diverge', spec('1'), 'other-replica');
    expect((await deployments.get('diverge')).revision).toBe(2);
    // The other replica's message, and the periodic reload, reach this one.
    await runtime.reconcileOne('diverge', await deployments.get('diverge'));
    await runtime.reconcile(await deployments.list());
    expect(runtime.liveRoutes('diverge').map((r) => r.version)).toEqual(['1']);
  });

  it('concurrent updates of one deployment: each is recorded or refused with a 4xx, never a 500, and what serves is the last recorded', async () => {
    expect((await t.call('POST', '/api/v1/deployments', { name: 'race', ...spec('1') })).status).toBe(200);
    const answers = await Promise.all(['2', '1', '2', '1', '2', '1'].map((v) => t.call('PUT', '/api/v1/deployments/race', spec(v))));
    const statuses = answers.map((a) => a.status);
    expect(
      statuses.filter((s) => s >= 500),
      JSON.stringify(answers.map((a) => a.body)),
    ).toEqual([]);
    // And what serves here is what the store says.
    const stored = await t.app.ferry.deployments.get('race');
    expect(t.app.ferry.runtime.liveRoutes('race').map((r) => r.version)).toEqual([stored.spec.routes[0]!.version]);
  });

  it('renewing a lease keeps its acquired_at', async () => {
    const db = t.store.db;
    expect(await takeLease(db, 'review_task', 'A', 10_000, 1_000)).toBe(true);
    expect(await takeLease(db, 'review_task', 'A', 10_000, 25_000)).toBe(true);
    const row = await db.selectFrom('cluster_leases').selectAll().where('name', '=', 'review_task').executeTakeFirstOrThrow();
    expect(Number(row.acquired_at)).toBe(1_000);
  });

  it('a task slower than its lease does not run on two replicas at once, and keeps its lease to the end on release', async () => {
    // Leases of 300 ms (renewed every 100 ms while the task runs); the task takes 1 s.
    const a = new ClusterTasks(t.store.db, 'A', new Registry(), Date.now, 300);
    const b = new ClusterTasks(t.store.db, 'B', new Registry(), Date.now, 300);
    let running = 0;
    let most = 0;
    let bRuns = 0;
    const onA = a.runOnce('slow_task', 100, async () => {
      running++;
      most = Math.max(most, running);
      await new Promise((r) => setTimeout(r, 1000));
      running--;
    });
    while (running === 0) await new Promise((r) => setTimeout(r, 5));
    const released = a.release(); // a graceful stop while it runs: the lease stays A's until the run ends
    for (let i = 0; i < 15; i++) {
      await b.runOnce('slow_task', 100, async () => {
        bRuns++;
        running++;
        most = Math.max(most, running);
        running--;
      });
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(bRuns).toBe(0);
    await onA;
    await released;
    // Handed back: B takes it at once.
    expect(await b.runOnce('slow_task', 100, async () => void bRuns++)).toBe(true);
    expect(bRuns).toBe(1);
    expect(most).toBe(1);
  });
});
