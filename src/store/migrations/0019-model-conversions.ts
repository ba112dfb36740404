import type { Kysely } from 'kysely';
import type { StoreDialect } from '../dialect.js';

/**
 * model_conversions (issue 20): a model version logged with its sklearn, xgboost or lightgbm flavor, converted to
 * ONNX by a Python job and checked against the original. One row per model version (a forced re-conversion
 * replaces it): the job, its state, what was converted (flavor, estimator), where it stopped when it failed (step,
 * error), the job's whole report as JSON (the check's numbers among it) and the ONNX file's store path.
 */
export async function up(db: Kysely<any>, _d: StoreDialect): Promise<void> {
  await db.schema
    .createTable('model_conversions')
    .addColumn('model', 'text', (c) => c.notNull())
    .addColumn('version', 'text', (c) => c.notNull())
    .addColumn('job_id', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('flavor', 'text')
    .addColumn('estimator', 'text')
    .addColumn('step', 'text')
    .addColumn('error', 'text')
    .addColumn('report', 'text')
    .addColumn('onnx_path', 'text')
    .addColumn('requested_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('model_conversions_pk', ['model', 'version'])
    .execute();
  // The periodic sync reads the conversions still under way.
  await db.schema.createIndex('model_conversions_by_state').on('model_conversions').columns(['state']).execute();
}
