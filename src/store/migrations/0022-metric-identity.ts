import { type Kysely, sql } from 'kysely';
import type { StoreDialect } from '../dialect.js';

/**
 * A metric point is identified, as in MLflow's store, by (run, key, step, timestamp, value, is_nan): logging the
 * same point again stores nothing. A client retries a log_batch whose answer it lost (the MLflow client does, on a
 * failed connection), so a batch the server committed just before it died or lost its database arrives twice; without
 * this its points were stored twice. Existing exact duplicates are removed first (one of each is kept), then the
 * unique index takes the place of the plain (run, key, step, timestamp) index, whose columns lead it.
 */
export async function up(db: Kysely<any>, d: StoreDialect): Promise<void> {
  const same = sql`a.run_uuid = b.run_uuid and a.key = b.key and a.step = b.step and a.timestamp = b.timestamp and a.value = b.value and a.is_nan = b.is_nan`;
  if (d.name === 'postgres') await sql`delete from metrics a using metrics b where ${same} and a.ctid > b.ctid`.execute(db);
  else await sql`delete from metrics where rowid in (select a.rowid from metrics a join metrics b on ${same} and a.rowid > b.rowid)`.execute(db);
  await db.schema.createIndex('metrics_identity').unique().on('metrics').columns(['run_uuid', 'key', 'step', 'timestamp', 'value', 'is_nan']).execute();
  await db.schema.dropIndex('metrics_run_key_step').execute();
}
