import type { Kysely } from 'kysely';
import type { StoreDialect } from '../dialect.js';

/**
 * Jobs: the durable queue (one row per job, claimed atomically, leased and heartbeated), the job's log as
 * chunks any replica can serve while it runs, and the executors an admin configured (credentials encrypted).
 */
export async function up(db: Kysely<any>, d: StoreDialect): Promise<void> {
  const s = db.schema;
  await s
    .createTable('jobs')
    .addColumn('job_id', 'text', (c) => c.primaryKey())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('executor', 'text', (c) => c.notNull())
    // The resolved spec as JSON: source, entry point, parameters, command, resources, env manager.
    .addColumn('spec', 'text', (c) => c.notNull())
    .addColumn('project_digest', 'text', (c) => c.notNull())
    .addColumn('entry_point', 'text', (c) => c.notNull())
    .addColumn('experiment_id', 'bigint', (c) => c.notNull())
    .addColumn('run_id', 'text', (c) => c.notNull())
    .addColumn('submitted_by', 'text', (c) => c.notNull())
    .addColumn('submitted_at', 'bigint', (c) => c.notNull())
    // Not claimable before this time (retries back off).
    .addColumn('available_at', 'bigint', (c) => c.notNull())
    .addColumn('priority', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('max_attempts', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('retry_backoff_ms', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('lease_owner', 'text')
    .addColumn('lease_until', 'bigint')
    .addColumn('cancel_requested', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('cancelled_by', 'text')
    // The executor's handle (Ray submission id, Kubernetes Job name, local process record).
    .addColumn('external_id', 'text')
    .addColumn('token_id', 'text')
    .addColumn('started_at', 'bigint')
    .addColumn('running_at', 'bigint')
    .addColumn('finished_at', 'bigint')
    .addColumn('exit_code', 'integer')
    .addColumn('message', 'text')
    .addColumn('log_bytes', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('executor_log_offset', 'bigint', (c) => c.notNull().defaultTo(0))
    .execute();
  // The claim: the oldest available job of the highest priority among those an executor may take.
  await s.createIndex('jobs_claim').on('jobs').columns(['state', 'available_at']).execute();
  await s.createIndex('jobs_lease').on('jobs').columns(['lease_until']).execute();
  await s.createIndex('jobs_submitted').on('jobs').columns(['submitted_at']).execute();
  await s.createIndex('jobs_run').on('jobs').columns(['run_id']).execute();

  // Stored projects, content-addressed by their files (the zip itself lives in the artifact store).
  await s
    .createTable('job_projects')
    .addColumn('digest', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    // The parsed MLproject as JSON (entry points, parameters, commands) and python_env.yaml's text, if any.
    .addColumn('spec', 'text', (c) => c.notNull())
    .addColumn('python_env', 'text')
    .addColumn('files', 'integer', (c) => c.notNull())
    .addColumn('size_bytes', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .execute();

  await s
    .createTable('job_log_chunks')
    .addColumn('job_id', 'text', (c) => c.notNull().references('jobs.job_id').onDelete('cascade'))
    // Byte offset of the chunk's first byte in the job's log.
    .addColumn('offset', 'bigint', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    // The chunk's length in UTF-8 bytes (SQL's length() counts characters).
    .addColumn('size', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('job_log_chunks_pk', ['job_id', 'offset'])
    .execute();

  await s
    .createTable('job_executors')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('enabled', 'integer', (c) => c.notNull())
    // Settings as JSON, without secrets.
    .addColumn('config', 'text', (c) => c.notNull())
    // Secrets (tokens) as AES-256-GCM ciphertext under the server's secret key; null when none.
    .addColumn('secrets', 'text')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .execute();
  void d;
}
