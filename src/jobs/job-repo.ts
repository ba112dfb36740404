/**
 * The job queue's queries, one implementation for both stores. A claim is one UPDATE of one row chosen by a
 * subquery: on PostgreSQL the subquery locks the row FOR UPDATE SKIP LOCKED, so concurrent claimers pass over
 * each other; on SQLite the single statement is atomic (one writer at a time). Every later write by a worker
 * names its lease (`lease_owner`), so a worker that lost its lease can no longer change the job.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database, JobExecutorTable, JobProjectTable, JobTable, StoreDialect } from '../store/index.js';

type Db = Kysely<Database>;

export const ACTIVE_STATES = ['starting', 'running'] as const;

export async function insertJob(db: Db, row: JobTable): Promise<void> {
  await db.insertInto('jobs').values(row).execute();
}

export async function findJob(db: Db, jobId: string): Promise<JobTable | undefined> {
  return db.selectFrom('jobs').selectAll().where('job_id', '=', jobId).executeTakeFirst();
}

/**
 * Claims one job for `owner`: a queued one that is due, on one of `executors`; or (`reclaim`) one whose
 * worker's lease ran out (a dead server), to re-attach to what its executor is doing.
 */
export async function claim(
  db: Db,
  dialect: StoreDialect,
  opts: {
    owner: string;
    now: number;
    leaseMs: number;
    executors: readonly string[];
    reclaim: boolean;
    /** Re-claims on these executors only from the same node (owner ending `@node`), or once orphaned. */
    nodeBound?: { executors: readonly string[]; node: string; orphanBefore: number };
  },
): Promise<JobTable | undefined> {
  if (opts.executors.length === 0) return undefined;
  let pick = db.selectFrom('jobs').select('job_id').where('executor', 'in', opts.executors);
  const nb = opts.nodeBound;
  if (opts.reclaim && nb && nb.executors.length > 0)
    pick = pick.where((eb) =>
      eb.or([eb('executor', 'not in', nb.executors), eb('lease_owner', 'like', `%@${nb.node}`), eb('lease_until', '<', nb.orphanBefore)]),
    );
  pick = opts.reclaim
    ? pick.where('state', 'in', ACTIVE_STATES).where('lease_until', '<', opts.now).orderBy('lease_until')
    : pick.where('state', '=', 'queued').where('available_at', '<=', opts.now).orderBy('priority', 'desc').orderBy('available_at').orderBy('job_id');
  pick = pick.limit(1);
  if (dialect.supportsSkipLocked) pick = pick.forUpdate().skipLocked();
  const update = db
    .updateTable('jobs')
    .set((eb) => ({
      lease_owner: opts.owner,
      lease_until: opts.now + opts.leaseMs,
      ...(opts.reclaim
        ? {}
        : {
            state: 'starting',
            attempts: eb('attempts', '+', 1),
            started_at: opts.now,
          }),
    }))
    // `=` (a scalar subquery, run once), never `in`: PostgreSQL may plan `job_id IN (…LIMIT 1 FOR UPDATE SKIP
    // LOCKED)` as a semi-join that re-runs the subquery per outer row; each run then skips the rows this very
    // statement has locked and picks the next, so one claim took many jobs and returned one (the rest leaked,
    // 'starting' with nobody watching them; the conformance suite's 200-job race caught it).
    .where('job_id', '=', pick);
  // Re-check the condition on the row itself: PostgreSQL re-reads a row it waited for.
  const guarded = opts.reclaim ? update.where('state', 'in', ACTIVE_STATES).where('lease_until', '<', opts.now) : update.where('state', '=', 'queued');
  return guarded.returningAll().executeTakeFirst();
}

/** Applies `patch` only while `owner` holds the job's lease; false when it no longer does. */
export async function updateOwned(db: Db | Transaction<Database>, jobId: string, owner: string, patch: Partial<JobTable>): Promise<boolean> {
  const res = await db.updateTable('jobs').set(patch).where('job_id', '=', jobId).where('lease_owner', '=', owner).executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}

/** Cancels a job that no worker has taken yet. */
export async function cancelQueued(db: Db, jobId: string, by: string, now: number): Promise<boolean> {
  const res = await db
    .updateTable('jobs')
    .set({ state: 'cancelled', cancel_requested: 1, cancelled_by: by, finished_at: now, message: `Cancelled by ${by} before it started.` })
    .where('job_id', '=', jobId)
    .where('state', '=', 'queued')
    .executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}

/** Marks a started job for cancelling; its worker stops it through the executor. */
export async function requestCancel(db: Db, jobId: string, by: string): Promise<boolean> {
  const res = await db
    .updateTable('jobs')
    .set({ cancel_requested: 1, cancelled_by: by })
    .where('job_id', '=', jobId)
    .where('state', 'in', ACTIVE_STATES)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}

export interface JobFilter {
  state?: string;
  executor?: string;
  experimentId?: number;
  submittedBy?: string;
  runId?: string;
  limit: number;
  /** Keyset: jobs strictly older than (submitted_at, job_id). */
  before?: { submittedAt: number; jobId: string };
}

export async function listJobs(db: Db, f: JobFilter): Promise<JobTable[]> {
  let q = db.selectFrom('jobs').selectAll().orderBy('submitted_at', 'desc').orderBy('job_id', 'desc').limit(f.limit);
  if (f.state) q = q.where('state', '=', f.state);
  if (f.executor) q = q.where('executor', '=', f.executor);
  if (f.experimentId !== undefined) q = q.where('experiment_id', '=', f.experimentId);
  if (f.submittedBy) q = q.where('submitted_by', '=', f.submittedBy);
  if (f.runId) q = q.where('run_id', '=', f.runId);
  if (f.before) {
    const b = f.before;
    q = q.where((eb) => eb.or([eb('submitted_at', '<', b.submittedAt), eb.and([eb('submitted_at', '=', b.submittedAt), eb('job_id', '<', b.jobId)])]));
  }
  return q.execute();
}

/** Jobs this worker holds (to monitor), or that it holds on one executor (its concurrency). */
export async function ownedJobs(db: Db, owner: string): Promise<JobTable[]> {
  return db.selectFrom('jobs').selectAll().where('lease_owner', '=', owner).where('state', 'in', ACTIVE_STATES).execute();
}

/** Active jobs per executor, across every server (an executor's max_concurrent is a cluster-wide limit). */
export async function activeCounts(db: Db): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('jobs')
    .select(['executor', (eb) => eb.fn.countAll<number>().as('n')])
    .where('state', 'in', ACTIVE_STATES)
    .groupBy('executor')
    .execute();
  return new Map(rows.map((r) => [r.executor, Number(r.n)]));
}

/** Jobs per executor and state, for the Prometheus gauge. */
export async function stateCounts(db: Db): Promise<{ executor: string; state: string; n: number }[]> {
  const rows = await db
    .selectFrom('jobs')
    .select(['executor', 'state', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy(['executor', 'state'])
    .execute();
  return rows.map((r) => ({ executor: r.executor, state: r.state, n: Number(r.n) }));
}

/** Unfinished jobs of an executor (it cannot be removed while it has some). */
export async function unfinishedOn(db: Db, executor: string): Promise<number> {
  const row = await db
    .selectFrom('jobs')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('executor', '=', executor)
    .where('state', 'in', ['queued', ...ACTIVE_STATES])
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

// ---- logs ----

/**
 * Appends log text the worker read from the executor, as its lease holder: the chunk, the job's stored size,
 * and how far into the executor's log it has read, in one transaction, so a re-attached worker neither loses
 * nor repeats lines.
 */
export async function appendLog(
  db: Db,
  jobId: string,
  owner: string,
  chunk: { offset: number; data: string; size: number } | null,
  executorOffset: number,
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const patch: Partial<JobTable> = { executor_log_offset: executorOffset };
    if (chunk) patch.log_bytes = chunk.offset + chunk.size;
    if (!(await updateOwned(trx, jobId, owner, patch))) return false;
    if (chunk && chunk.size > 0)
      await trx
        .insertInto('job_log_chunks')
        .values({ job_id: jobId, ...chunk })
        .execute();
    return true;
  });
}

/** Chunks covering the log from `offset`, enough for `maxBytes`. */
export async function readLogChunks(db: Db, jobId: string, offset: number, maxBytes: number) {
  const first = await db
    .selectFrom('job_log_chunks')
    .select('offset')
    .where('job_id', '=', jobId)
    .where('offset', '<=', offset)
    .orderBy('offset', 'desc')
    .limit(1)
    .executeTakeFirst();
  return db
    .selectFrom('job_log_chunks')
    .select(['offset', 'data', 'size'])
    .where('job_id', '=', jobId)
    .where('offset', '>=', first?.offset ?? 0)
    .where('offset', '<', offset + maxBytes)
    .orderBy('offset')
    .execute();
}

// ---- projects ----

export async function findProject(db: Db, digest: string): Promise<JobProjectTable | undefined> {
  return db.selectFrom('job_projects').selectAll().where('digest', '=', digest).executeTakeFirst();
}

/** Stores a project once; a second upload of the same files finds the first. */
export async function insertProject(db: Db, row: JobProjectTable): Promise<void> {
  await db
    .insertInto('job_projects')
    .values(row)
    .onConflict((oc) => oc.column('digest').doNothing())
    .execute();
}

// ---- executors ----

export async function listExecutorRows(db: Db): Promise<JobExecutorTable[]> {
  return db.selectFrom('job_executors').selectAll().orderBy('name').execute();
}

export async function upsertExecutor(db: Db, row: JobExecutorTable): Promise<void> {
  await db
    .insertInto('job_executors')
    .values(row)
    .onConflict((oc) =>
      oc.column('name').doUpdateSet({
        kind: row.kind,
        enabled: row.enabled,
        config: row.config,
        secrets: row.secrets,
        updated_at: row.updated_at,
        updated_by: row.updated_by,
      }),
    )
    .execute();
}

export async function deleteExecutorRow(db: Db, name: string): Promise<boolean> {
  const res = await db.deleteFrom('job_executors').where('name', '=', name).executeTakeFirst();
  return Number(res.numDeletedRows) > 0;
}
