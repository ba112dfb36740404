import type { Kysely } from 'kysely';
import type { StoreDialect } from '../dialect.js';

/**
 * Loops: per registered model and deployment, triggers → training job → offline gate → shadow → canary → promote.
 * - loops: the spec (JSON), paused or active, and each trigger's cursor (what it has already seen);
 * - loop_runs: one firing, driven under a lease (two replicas never drive the same run); `promotion_key` is
 *   unique, so a run promotes once; `context` holds the driver's working state between steps;
 * - loop_steps: the timeline, append-only (a step is written once: the primary key is run and seq);
 * - loop_triggers: every trigger, the run it started or was coalesced into.
 */
export async function up(db: Kysely<any>, _d: StoreDialect): Promise<void> {
  const s = db.schema;
  await s
    .createTable('loops')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('model', 'text', (c) => c.notNull())
    .addColumn('deployment', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('spec', 'text', (c) => c.notNull())
    .addColumn('cursors', 'text', (c) => c.notNull())
    .addColumn('next_seq', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await s.createIndex('loops_deployment').on('loops').columns(['deployment']).execute();

  await s
    .createTable('loop_runs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('loop', 'text', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('phase', 'text', (c) => c.notNull())
    .addColumn('dry_run', 'integer', (c) => c.notNull())
    .addColumn('author', 'text', (c) => c.notNull())
    .addColumn('trigger', 'text', (c) => c.notNull())
    .addColumn('spec', 'text', (c) => c.notNull())
    .addColumn('context', 'text', (c) => c.notNull())
    .addColumn('candidate_version', 'text')
    .addColumn('champion_version', 'text')
    .addColumn('promotion_key', 'text', (c) => c.unique())
    .addColumn('lease_owner', 'text')
    .addColumn('lease_until', 'bigint')
    .addColumn('wake_at', 'bigint', (c) => c.notNull())
    .addColumn('started_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('ended_at', 'bigint')
    .addColumn('reason', 'text')
    .addColumn('next_step', 'integer', (c) => c.notNull())
    .addUniqueConstraint('loop_runs_loop_seq', ['loop', 'seq'])
    .execute();
  // The driver's claim: runs not ended, due, whose lease is free or expired.
  await s.createIndex('loop_runs_due').on('loop_runs').columns(['ended_at', 'wake_at']).execute();

  await s
    .createTable('loop_steps')
    .addColumn('run_id', 'text', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('step_index', 'integer')
    .addColumn('step_of', 'integer')
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('links', 'text', (c) => c.notNull())
    .addColumn('evidence', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('loop_steps_pk', ['run_id', 'seq'])
    .execute();

  await s
    .createTable('loop_triggers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('loop', 'text', (c) => c.notNull())
    .addColumn('run_id', 'text')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('detail', 'text', (c) => c.notNull())
    .addColumn('coalesced', 'integer', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .execute();
  await s.createIndex('loop_triggers_run').on('loop_triggers').columns(['run_id', 'at']).execute();
  await s.createIndex('loop_triggers_loop').on('loop_triggers').columns(['loop', 'at']).execute();
}
