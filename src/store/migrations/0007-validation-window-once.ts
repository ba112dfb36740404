import { type Kysely, sql } from 'kysely';

/**
 * A traffic window's validation result is recorded once per suite and deployment, by the store: the check
 * before the insert is not enough when two callers race (the background job and a quality read, or two
 * replicas each running the job). Earlier duplicates keep their first row. Dataset validations have no window
 * (NULL), and NULLs never collide in a unique index, on SQLite or PostgreSQL.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`delete from data_validations where window_start is not null and exists (
    select 1 from data_validations first
    where first.suite = data_validations.suite and first.target_kind = data_validations.target_kind
      and first.target = data_validations.target and first.window_start = data_validations.window_start
      and first.id < data_validations.id)`.execute(db);
  await db.schema.createIndex('data_validations_window').unique().on('data_validations').columns(['suite', 'target_kind', 'target', 'window_start']).execute();
}
