import type { Kysely } from 'kysely';
import type { StoreDialect } from '../dialect.js';

/** The prediction log, feedback, monitoring settings, references and windowed profiles. */
export async function up(db: Kysely<any>, _d: StoreDialect): Promise<void> {
  const s = db.schema;
  await s
    .createTable('predictions')
    .addColumn('request_id', 'text', (c) => c.notNull())
    .addColumn('rows', 'integer', (c) => c.notNull())
    .addColumn('deployment', 'text', (c) => c.notNull())
    .addColumn('revision', 'integer', (c) => c.notNull())
    .addColumn('model', 'text', (c) => c.notNull())
    .addColumn('model_version', 'text', (c) => c.notNull())
    .addColumn('route', 'text', (c) => c.notNull())
    .addColumn('ts', 'bigint', (c) => c.notNull())
    .addColumn('inputs', 'text', (c) => c.notNull())
    .addColumn('outputs', 'text', (c) => c.notNull())
    .addColumn('latency_us', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('error', 'text')
    // One row per request (its rows as JSON lists); a shadow result shares the request id of the answer it mirrors.
    .addPrimaryKeyConstraint('predictions_pk', ['request_id', 'route', 'model_version'])
    .execute();
  // One secondary index: every write pays for each (the log is the store's heaviest writer); queries by
  // model version or status filter the deployment's time range.
  await s.createIndex('predictions_deployment_ts').on('predictions').columns(['deployment', 'ts']).execute();
  await s
    .createTable('feedback')
    .addColumn('request_id', 'text', (c) => c.notNull())
    .addColumn('row', 'integer', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('ts', 'bigint', (c) => c.notNull())
    .addColumn('received_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('feedback_pk', ['request_id', 'row'])
    .execute();
  await s
    .createTable('monitoring_settings')
    .addColumn('deployment', 'text', (c) => c.primaryKey())
    .addColumn('settings', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .execute();
  await s
    .createTable('deployment_references')
    .addColumn('deployment', 'text', (c) => c.primaryKey())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('rows', 'integer', (c) => c.notNull())
    .addColumn('profile', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .execute();
  await s
    .createTable('profiles')
    .addColumn('deployment', 'text', (c) => c.notNull())
    .addColumn('model_version', 'text', (c) => c.notNull())
    .addColumn('window_start', 'bigint', (c) => c.notNull())
    .addColumn('replica', 'text', (c) => c.notNull())
    .addColumn('profile', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('profiles_pk', ['deployment', 'model_version', 'window_start', 'replica'])
    .execute();
}
