/**
 * Queries of loops, loop runs, their steps and triggers. A run changes only by compare-and-set on `next_step` (its
 * steps are numbered by it): the driver and a person approving at the same moment cannot both write step 7 — one
 * of them finds its view stale and reads again. The driver also holds the run's lease, so two replicas never
 * drive the same run.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database, LoopRunTable, LoopStepTable, LoopTable, LoopTriggerTable, Store } from '../store/index.js';

type Db = Kysely<Database>;

export type NewStep = Omit<LoopStepTable, 'run_id' | 'seq'>;

export async function insertLoop(db: Db, row: LoopTable): Promise<void> {
  await db.insertInto('loops').values(row).execute();
}

export async function findLoop(db: Db, name: string): Promise<LoopTable | undefined> {
  return db.selectFrom('loops').selectAll().where('name', '=', name).executeTakeFirst();
}

export async function listLoops(db: Db, f: { deployment?: string | undefined; model?: string | undefined; state?: string }): Promise<LoopTable[]> {
  let q = db.selectFrom('loops').selectAll();
  if (f.deployment !== undefined) q = q.where('deployment', '=', f.deployment);
  if (f.model !== undefined) q = q.where('model', '=', f.model);
  if (f.state !== undefined) q = q.where('state', '=', f.state);
  return q.orderBy('name').execute();
}

export async function updateLoop(db: Db | Transaction<Database>, name: string, patch: Partial<LoopTable>): Promise<void> {
  await db.updateTable('loops').set(patch).where('name', '=', name).execute();
}

/** Moves a loop's trigger cursors if they are still what the caller read. */
export async function updateCursors(db: Db, name: string, before: string, after: string): Promise<boolean> {
  const res = await db.updateTable('loops').set({ cursors: after }).where('name', '=', name).where('cursors', '=', before).executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}

/** The run not ended yet (at most one per loop). */
export async function activeRun(db: Db | Transaction<Database>, loop: string): Promise<LoopRunTable | undefined> {
  return db.selectFrom('loop_runs').selectAll().where('loop', '=', loop).where('ended_at', 'is', null).executeTakeFirst();
}

/** A run not ended of any loop on the deployment. */
export async function activeRunOn(db: Db | Transaction<Database>, deployment: string): Promise<LoopRunTable | undefined> {
  return db
    .selectFrom('loop_runs')
    .innerJoin('loops', 'loops.name', 'loop_runs.loop')
    .selectAll('loop_runs')
    .where('loops.deployment', '=', deployment)
    .where('loop_runs.ended_at', 'is', null)
    .executeTakeFirst();
}

export async function lastRun(db: Db, loop: string): Promise<LoopRunTable | undefined> {
  return db.selectFrom('loop_runs').selectAll().where('loop', '=', loop).orderBy('seq', 'desc').limit(1).executeTakeFirst();
}

export async function findRun(db: Db, loop: string, seq: number): Promise<LoopRunTable | undefined> {
  return db.selectFrom('loop_runs').selectAll().where('loop', '=', loop).where('seq', '=', seq).executeTakeFirst();
}

export async function runById(db: Db, id: string): Promise<LoopRunTable | undefined> {
  return db.selectFrom('loop_runs').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listRuns(db: Db, loop: string, limit: number): Promise<LoopRunTable[]> {
  return db.selectFrom('loop_runs').selectAll().where('loop', '=', loop).orderBy('seq', 'desc').limit(limit).execute();
}

/** Candidate versions of a loop's runs (a registry trigger skips the versions its own runs produced). */
export async function candidatesOf(db: Db, loop: string): Promise<Set<string>> {
  const rows = await db.selectFrom('loop_runs').select('candidate_version').where('loop', '=', loop).where('candidate_version', 'is not', null).execute();
  return new Set(rows.map((r) => r.candidate_version!));
}

/** Tracking runs of the loop's training jobs (a registry trigger skips the versions they register). */
export async function trainingRunsOf(db: Db, loop: string): Promise<Set<string>> {
  const rows = await db.selectFrom('loop_runs').select('context').where('loop', '=', loop).execute();
  const out = new Set<string>();
  for (const r of rows) {
    const id = (JSON.parse(r.context) as { tracking_run_id?: string | null }).tracking_run_id;
    if (id) out.add(id);
  }
  return out;
}

/**
 * Starts a run: its row, its first steps and its trigger, with the loop's next seq taken, in one transaction.
 * Answers false when another run is going (a concurrent trigger won): the caller records its trigger as coalesced.
 */
export async function insertRun(store: Store, run: LoopRunTable, steps: NewStep[], trigger: Omit<LoopTriggerTable, 'run_id'>): Promise<boolean> {
  // Serialized per deployment: two replicas' triggers at once must not both see "no run going" (PostgreSQL's read
  // committed would let them); on SQLite a write transaction is already alone. One run at a time per deployment:
  // two loops' canaries would overwrite each other's routes.
  const owner = await findLoop(store.db, run.loop);
  if (!owner) return false;
  const deployment = owner.deployment;
  return store.dialect.serialized(store.db, `loop-deployment:${deployment}`, async (trx) => {
    if (await activeRun(trx, run.loop)) return false;
    if (await activeRunOn(trx, deployment)) return false;
    const loop = await trx.selectFrom('loops').select('next_seq').where('name', '=', run.loop).executeTakeFirstOrThrow();
    const seq = Number(loop.next_seq);
    const res = await trx
      .updateTable('loops')
      .set({ next_seq: seq + 1 })
      .where('name', '=', run.loop)
      .where('next_seq', '=', seq)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) === 0) return false;
    run.seq = seq;
    run.next_step = steps.length + 1;
    await trx.insertInto('loop_runs').values(run).execute();
    if (steps.length)
      await trx
        .insertInto('loop_steps')
        .values(steps.map((s, i) => ({ ...s, run_id: run.id, seq: i + 1 })))
        .execute();
    await trx
      .insertInto('loop_triggers')
      .values({ ...trigger, run_id: run.id })
      .execute();
    return true;
  });
}

export async function insertTrigger(db: Db, t: LoopTriggerTable): Promise<void> {
  await db.insertInto('loop_triggers').values(t).execute();
}

/**
 * Appends steps and changes the run, if the run is still as the caller read it (`next_step`) and, for the driver,
 * still under its lease. Answers false otherwise: nothing was written.
 */
export async function advance(
  db: Db,
  run: Pick<LoopRunTable, 'id' | 'next_step'>,
  steps: NewStep[],
  patch: Partial<LoopRunTable>,
  owner?: string,
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    let q = trx
      .updateTable('loop_runs')
      .set({ ...patch, next_step: run.next_step + steps.length })
      .where('id', '=', run.id)
      .where('next_step', '=', run.next_step);
    if (owner !== undefined) q = q.where('lease_owner', '=', owner);
    const res = await q.executeTakeFirst();
    if (Number(res.numUpdatedRows) === 0) return false;
    if (steps.length)
      await trx
        .insertInto('loop_steps')
        .values(steps.map((s, i) => ({ ...s, run_id: run.id, seq: run.next_step + i })))
        .execute();
    return true;
  });
}

/** Takes the promotion's key: true once per run, whoever asks. */
export async function takePromotionKey(db: Db, runId: string, key: string): Promise<boolean> {
  const res = await db.updateTable('loop_runs').set({ promotion_key: key }).where('id', '=', runId).where('promotion_key', 'is', null).executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}

export async function stepsOf(db: Db, runId: string): Promise<LoopStepTable[]> {
  return db.selectFrom('loop_steps').selectAll().where('run_id', '=', runId).orderBy('seq').execute();
}

export async function triggersOf(db: Db, runId: string): Promise<LoopTriggerTable[]> {
  return db.selectFrom('loop_triggers').selectAll().where('run_id', '=', runId).orderBy('at').orderBy('id').execute();
}

/** Runs the driver may take now: not ended, due, lease free or expired. */
export async function dueRuns(db: Db, now: number, limit: number): Promise<LoopRunTable[]> {
  return db
    .selectFrom('loop_runs')
    .selectAll()
    .where('ended_at', 'is', null)
    .where('wake_at', '<=', now)
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)]))
    .orderBy('wake_at')
    .limit(limit)
    .execute();
}

/** Takes a run's lease if it is free or expired (or already ours). */
export async function takeLease(db: Db, runId: string, owner: string, now: number, leaseMs: number): Promise<boolean> {
  const res = await db
    .updateTable('loop_runs')
    .set({ lease_owner: owner, lease_until: now + leaseMs })
    .where('id', '=', runId)
    .where('ended_at', 'is', null)
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now), eb('lease_owner', '=', owner)]))
    .executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}

export async function releaseLease(db: Db, runId: string, owner: string): Promise<void> {
  await db.updateTable('loop_runs').set({ lease_until: null }).where('id', '=', runId).where('lease_owner', '=', owner).execute();
}
