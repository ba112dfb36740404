/**
 * The job queue's conformance suite, on SQLite and PostgreSQL: job-repo.ts driven directly against a real store
 * (claim order, due times, executor filter, leases and their expiry, heartbeat, cancel), two store connections
 * racing over 200 queued rows, and the worker's retries with a real local executor.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as repo from '../../src/jobs/job-repo.js';
import type { JobTable, Store } from '../../src/store/index.js';
import { forEachStore, freshStore, type StoreHandle } from '../support/stores.js';
import { fullLog, HAVE_VENV, type JobsTestServer, startJobsServer, uploadProject, waitForJob, zipOf } from './support.js';

const T0 = 1_700_000_000_000;
const LEASE = 30_000;

/** A queued job row as JobService.submit inserts it. */
function jobRow(over: Partial<JobTable> = {}): JobTable {
  const jobId = `job-${randomBytes(16).toString('hex')}`;
  return {
    job_id: jobId,
    state: 'queued',
    executor: 'local',
    spec: JSON.stringify({ project_name: 'p', parameters: {}, command: 'true', env_manager: 'local', resources: {} }),
    project_digest: `sha256:${'0'.repeat(64)}`,
    entry_point: 'main',
    experiment_id: 0,
    run_id: randomBytes(16).toString('hex'),
    submitted_by: 'admin',
    submitted_at: T0,
    available_at: T0,
    priority: 0,
    attempts: 0,
    max_attempts: 1,
    retry_backoff_ms: 30_000,
    lease_owner: null,
    lease_until: null,
    cancel_requested: 0,
    cancelled_by: null,
    external_id: null,
    token_id: null,
    started_at: null,
    running_at: null,
    finished_at: null,
    exit_code: null,
    message: null,
    log_bytes: 0,
    executor_log_offset: 0,
    ...over,
  };
}

forEachStore('job queue', (kind) => {
  describe('job-repo on a real store', () => {
    let handle: StoreHandle;
    let store: Store;
    beforeAll(async () => {
      handle = await freshStore(kind);
      store = await handle.open();
    });
    afterAll(async () => {
      await store?.close();
      await handle?.cleanup();
    });
    // Each test works on its own queue: the rows of earlier tests are gone.
    const empty = () => store.db.deleteFrom('jobs').execute();
    const claim = (owner: string, now: number, o: { executors?: string[]; reclaim?: boolean; leaseMs?: number } = {}) =>
      repo.claim(store.db, store.dialect, { owner, now, leaseMs: o.leaseMs ?? LEASE, executors: o.executors ?? ['local'], reclaim: o.reclaim ?? false });

    it('claims by priority (highest first), then by due time (oldest first)', async () => {
      await empty();
      const rows = [
        jobRow({ priority: 0, available_at: T0 - 1000 }),
        jobRow({ priority: 5, available_at: T0 - 10 }),
        jobRow({ priority: 5, available_at: T0 - 500 }),
        jobRow({ priority: -3, available_at: T0 - 5000 }),
        jobRow({ priority: 0, available_at: T0 - 2000 }),
      ];
      for (const r of rows) await repo.insertJob(store.db, r);
      const order: string[] = [];
      for (let i = 0; i < rows.length; i++) order.push((await claim('w1', T0))!.job_id);
      expect(order).toEqual([rows[2], rows[1], rows[4], rows[0], rows[3]].map((r) => r.job_id));
      expect(await claim('w1', T0)).toBeUndefined();
    });

    it('sets the claim: starting, owner, lease, one more attempt, started_at', async () => {
      await empty();
      const row = jobRow({ attempts: 1, max_attempts: 3 });
      await repo.insertJob(store.db, row);
      const got = await claim('w1', T0 + 7, { leaseMs: 5000 });
      expect(got).toMatchObject({ job_id: row.job_id, state: 'starting', lease_owner: 'w1', lease_until: T0 + 5007, attempts: 2, started_at: T0 + 7 });
      expect(await repo.findJob(store.db, row.job_id)).toEqual(got);
    });

    it('does not claim a job whose available_at is in the future', async () => {
      await empty();
      const later = jobRow({ available_at: T0 + 60_000, priority: 100 });
      await repo.insertJob(store.db, later);
      expect(await claim('w1', T0)).toBeUndefined();
      expect(await claim('w1', T0 + 59_999)).toBeUndefined();
      expect((await claim('w1', T0 + 60_000))?.job_id).toBe(later.job_id);
    });

    it('claims only jobs of the executors it is given', async () => {
      await empty();
      const ray = jobRow({ executor: 'ray-1', priority: 10 });
      const local = jobRow({ executor: 'local' });
      await repo.insertJob(store.db, ray);
      await repo.insertJob(store.db, local);
      expect(await claim('w1', T0, { executors: [] })).toBeUndefined();
      expect(await claim('w1', T0, { executors: ['k8s'] })).toBeUndefined();
      expect((await claim('w1', T0, { executors: ['local'] }))?.job_id).toBe(local.job_id);
      expect(await claim('w1', T0, { executors: ['local'] })).toBeUndefined();
      expect((await claim('w1', T0, { executors: ['local', 'ray-1'] }))?.job_id).toBe(ray.job_id);
    });

    it('never claims a claimed job again, and a normal claim never takes an expired lease', async () => {
      await empty();
      const row = jobRow();
      await repo.insertJob(store.db, row);
      expect((await claim('w1', T0))?.job_id).toBe(row.job_id);
      expect(await claim('w2', T0)).toBeUndefined();
      // Long after the lease ran out, only a reclaim takes it (to re-attach, not to start it again).
      expect(await claim('w2', T0 + 10 * LEASE)).toBeUndefined();
      expect((await repo.findJob(store.db, row.job_id))?.attempts).toBe(1);
    });

    it('reclaims a job only after its lease expired; the old owner can no longer change it', async () => {
      await empty();
      const row = jobRow();
      await repo.insertJob(store.db, row);
      await claim('w1', T0, { leaseMs: 1000 });
      expect(await repo.updateOwned(store.db, row.job_id, 'w1', { state: 'running', external_id: row.job_id, running_at: T0 + 1 })).toBe(true);
      // Not yet expired (lease_until is T0 + 1000; expiry is strictly after it).
      expect(await claim('w2', T0 + 500, { reclaim: true })).toBeUndefined();
      expect(await claim('w2', T0 + 1000, { reclaim: true })).toBeUndefined();
      // A queued job is never "reclaimed".
      await repo.insertJob(store.db, jobRow());
      const got = await claim('w2', T0 + 1001, { reclaim: true, leaseMs: 1000 });
      // Same attempt, same state and handle: the new owner re-attaches to what runs.
      expect(got).toMatchObject({ job_id: row.job_id, state: 'running', lease_owner: 'w2', lease_until: T0 + 2001, attempts: 1, external_id: row.job_id });
      expect(await claim('w3', T0 + 1001, { reclaim: true })).toBeUndefined();
      expect(await repo.updateOwned(store.db, row.job_id, 'w1', { state: 'succeeded' })).toBe(false);
      expect(await repo.appendLog(store.db, row.job_id, 'w1', { offset: 0, data: 'late\n', size: 5 }, 5)).toBe(false);
      expect(await repo.readLogChunks(store.db, row.job_id, 0, 1024)).toEqual([]);
      expect(await repo.updateOwned(store.db, row.job_id, 'w2', { log_bytes: 0 })).toBe(true);
      expect((await repo.findJob(store.db, row.job_id))?.state).toBe('running');
    });

    it("re-attaches a local job only from its own node, until it is an orphan; a cluster's job from anywhere", async () => {
      await empty();
      const local = jobRow();
      const onRay = jobRow({ executor: 'ray' });
      await repo.insertJob(store.db, local);
      await repo.insertJob(store.db, onRay);
      for (let i = 0; i < 2; i++)
        await repo.claim(store.db, store.dialect, { owner: 'h1:1:a@nodeA', now: T0, leaseMs: 1000, executors: ['local', 'ray'], reclaim: false });
      const reclaim = (owner: string, now: number, node: string) =>
        repo.claim(store.db, store.dialect, {
          owner,
          now,
          leaseMs: 1000,
          executors: ['local', 'ray'],
          reclaim: true,
          nodeBound: { executors: ['local'], node, orphanBefore: now - 60_000 },
        });
      // Another node takes the Ray job (Ray is reachable from anywhere) but not the local one.
      expect(await reclaim('h2:2:b@nodeB', T0 + 2000, 'nodeB')).toMatchObject({ job_id: onRay.job_id });
      expect(await reclaim('h2:2:b@nodeB', T0 + 2000, 'nodeB')).toBeUndefined();
      expect(await repo.updateOwned(store.db, onRay.job_id, 'h2:2:b@nodeB', { state: 'succeeded' })).toBe(true);
      // The same node (a restarted server) takes it back.
      expect(await reclaim('h1:9:c@nodeA', T0 + 2000, 'nodeA')).toMatchObject({ job_id: local.job_id, lease_owner: 'h1:9:c@nodeA' });
      // Once its node has been silent past the orphan limit, any node takes it (to find it lost and fail it).
      await repo.updateOwned(store.db, local.job_id, 'h1:9:c@nodeA', { lease_until: T0 + 3000 });
      expect(await reclaim('h2:2:b@nodeB', T0 + 4000, 'nodeB')).toBeUndefined();
      expect(await reclaim('h2:2:b@nodeB', T0 + 3000 + 60_001, 'nodeB')).toMatchObject({ job_id: local.job_id, lease_owner: 'h2:2:b@nodeB' });
    });

    it('a heartbeat (updateOwned of lease_until) keeps the job from being reclaimed', async () => {
      await empty();
      const row = jobRow();
      await repo.insertJob(store.db, row);
      await claim('w1', T0, { leaseMs: 1000 });
      expect(await repo.updateOwned(store.db, row.job_id, 'w1', { lease_until: T0 + 900 + 1000 })).toBe(true);
      expect(await claim('w2', T0 + 1500, { reclaim: true })).toBeUndefined();
      expect(await claim('w2', T0 + 1901, { reclaim: true })).toMatchObject({ job_id: row.job_id, lease_owner: 'w2' });
      // The old owner's heartbeat now fails: it stops watching the job.
      expect(await repo.updateOwned(store.db, row.job_id, 'w1', { lease_until: T0 + 5000 })).toBe(false);
    });

    it('cancels a queued job at once, and only marks a started one', async () => {
      await empty();
      const queued = jobRow();
      const started = jobRow({ priority: 1 });
      await repo.insertJob(store.db, queued);
      await repo.insertJob(store.db, started);
      expect((await claim('w1', T0))?.job_id).toBe(started.job_id);

      expect(await repo.requestCancel(store.db, queued.job_id, 'alice')).toBe(false);
      expect(await repo.cancelQueued(store.db, queued.job_id, 'alice', T0 + 5)).toBe(true);
      expect(await repo.findJob(store.db, queued.job_id)).toMatchObject({
        state: 'cancelled',
        cancel_requested: 1,
        cancelled_by: 'alice',
        finished_at: T0 + 5,
      });
      expect(await claim('w1', T0 + 10)).toBeUndefined();
      expect(await repo.cancelQueued(store.db, queued.job_id, 'bob', T0 + 6)).toBe(false);
      expect(await repo.requestCancel(store.db, queued.job_id, 'bob')).toBe(false);

      expect(await repo.cancelQueued(store.db, started.job_id, 'bob', T0 + 7)).toBe(false);
      expect(await repo.requestCancel(store.db, started.job_id, 'bob')).toBe(true);
      // Still the worker's to stop: the state stays, the lease stays.
      expect(await repo.findJob(store.db, started.job_id)).toMatchObject({ state: 'starting', cancel_requested: 1, cancelled_by: 'bob', lease_owner: 'w1' });
      expect(await repo.updateOwned(store.db, started.job_id, 'w1', { state: 'cancelled', finished_at: T0 + 9 })).toBe(true);
      expect(await repo.requestCancel(store.db, started.job_id, 'bob')).toBe(false);
    });

    it('two store connections racing over 200 queued jobs claim each exactly once', async () => {
      await empty();
      const rows = Array.from({ length: 200 }, (_, i) => jobRow({ available_at: T0 + i }));
      await store.db.insertInto('jobs').values(rows).execute();
      const second = await openSecond(handle);
      try {
        const claimed: { jobId: string; owner: string }[] = [];
        const remaining = async () =>
          Number(
            (
              await store.db
                .selectFrom('jobs')
                .select((eb) => eb.fn.countAll<number>().as('n'))
                .where('state', '=', 'queued')
                .executeTakeFirstOrThrow()
            ).n,
          );
        const claimer = async (s: Store, owner: string) => {
          for (;;) {
            const job = await repo.claim(s.db, s.dialect, { owner, now: T0 + 1000, leaseMs: LEASE, executors: ['local'], reclaim: false });
            if (job) claimed.push({ jobId: job.job_id, owner });
            // Nothing claimable now: others hold the rest (SKIP LOCKED), or the queue is empty.
            else if ((await remaining()) === 0) return;
          }
        };
        // 8 concurrent claimers per connection (on PostgreSQL, each on its own pooled connection).
        await Promise.all([...Array.from({ length: 8 }, (_, i) => claimer(store, `a${i}`)), ...Array.from({ length: 8 }, (_, i) => claimer(second, `b${i}`))]);
        const ids = claimed.map((c) => c.jobId);
        expect(ids.length).toBe(200);
        expect(new Set(ids).size).toBe(200);
        const after = await store.db.selectFrom('jobs').select(['job_id', 'state', 'attempts', 'lease_owner']).execute();
        const ownerOf = new Map(claimed.map((c) => [c.jobId, c.owner]));
        for (const r of after) expect(r).toEqual({ job_id: r.job_id, state: 'starting', attempts: 1, lease_owner: ownerOf.get(r.job_id) });
        // Both connections took part.
        expect(claimed.some((c) => c.owner.startsWith('a'))).toBe(true);
        expect(claimed.some((c) => c.owner.startsWith('b'))).toBe(true);
      } finally {
        await second.close();
      }
    }, 60_000);
  });

  describe.skipIf(!HAVE_VENV)('the worker: retries with backoff on a real local executor', () => {
    let t: JobsTestServer;
    let digest: string;
    beforeAll(async () => {
      t = await startJobsServer(kind, { FERRY_JOBS_POLL_MS: '50', FERRY_JOBS_LOCAL_CONCURRENCY: '1' });
      const up = await uploadProject(
        t,
        await zipOf({
          MLproject: `name: flaky
entry_points:
  main:
    command: "python -c 'import os, sys; print(\\"attempt of\\", os.environ[\\"FERRY_JOB_ID\\"], flush=True); sys.exit(1)'"
`,
        }),
      );
      expect(up.status).toBe(201);
      digest = up.body.project.digest;
    }, 60_000);
    afterAll(async () => t?.close());

    it('runs a failing job max_attempts times, backing off, and ends failed with each attempt in the log', async () => {
      const sub = await t.call('POST', '/api/v1/jobs', { project: digest, max_attempts: 3, retry_backoff: '20ms' });
      expect(sub.status).toBe(201);
      const job = await waitForJob(t, sub.body.job.job_id, ['succeeded', 'failed', 'cancelled']);
      const log = await fullLog(t, job.job_id);
      expect(job, log).toMatchObject({ state: 'failed', attempts: 3, max_attempts: 3, exit_code: 1, message: 'The command exited with code 1.' });
      expect(log.split(`attempt of ${job.job_id}\n`).length - 1, log).toBe(3);
      expect(log).toContain('[ferry: attempt 1 of 3 failed (The command exited with code 1.); retrying in 0 s]');
      expect(log).toContain('[ferry: attempt 2 of 3 failed (The command exited with code 1.); retrying in 0 s]');
      expect(log).not.toContain('attempt 3 of 3 failed');
      const run = await t.call('GET', `/api/2.0/mlflow/runs/get?run_id=${job.run_id}`);
      expect(run.body.run.info.status).toBe('FAILED');
      // One token per attempt, each revoked.
      const tokens = (await t.call('GET', '/api/v1/tokens')).body.tokens.filter((x: any) => x.name === job.job_id);
      expect(tokens).toHaveLength(3);
      for (const tok of tokens) expect(tok.revoked_at).toBeTypeOf('number');
    }, 60_000);

    it("counts only this server's jobs against the local executor's limit (another host's do not fill it)", async () => {
      // A local job another server runs on its own host (its lease well ahead, so nobody re-attaches it).
      const elsewhere = jobRow({ state: 'running', lease_owner: 'other-host:1:abcd', lease_until: Date.now() + 3_600_000, attempts: 1 });
      await repo.insertJob(t.store.db, elsewhere);
      try {
        const sub = await t.call('POST', '/api/v1/jobs', { project: digest, max_attempts: 1 });
        const job = await waitForJob(t, sub.body.job.job_id, ['succeeded', 'failed', 'cancelled'], 30_000);
        expect(job.state).toBe('failed');
        expect(job.exit_code).toBe(1);
      } finally {
        await t.store.db.deleteFrom('jobs').where('job_id', '=', elsewhere.job_id).execute();
      }
    }, 60_000);

    it('waits out the backoff: a retry is not due before it', async () => {
      const sub = await t.call('POST', '/api/v1/jobs', { project: digest, max_attempts: 2, retry_backoff: '1h' });
      const id = sub.body.job.job_id;
      // First it runs and fails; then it is queued again, due an hour after.
      const queuedAgain = await expect
        .poll(async () => repo.findJob(t.store.db, id), { timeout: 30_000, interval: 50 })
        .toMatchObject({ state: 'queued', attempts: 1 })
        .then(() => repo.findJob(t.store.db, id))
        .then((r) => r!);
      expect(queuedAgain.available_at - (queuedAgain.started_at ?? 0)).toBeGreaterThanOrEqual(3_600_000);
      expect(queuedAgain.message).toBe('Attempt 1 failed: The command exited with code 1.; retrying.');
      const c = await t.call('POST', `/api/v1/jobs/${id}/cancel`, {});
      expect(c.body.job.state).toBe('cancelled');
    }, 30_000);
  });
});

/** A second, independent connection (pool) to the same store. */
async function openSecond(handle: StoreHandle): Promise<Store> {
  return handle.open();
}
