import type { Kysely } from 'kysely';
import type { StoreDialect } from '../dialect.js';

/**
 * fairness_reports: one offline fairness report of a model version on a dataset version (issue 19) — the request
 * (spec JSON), the whole answer (result JSON) and the scored rows it was computed on (scored_rows JSON, apart: lists
 * and gates read the result without them), kept so the model card and the approval gates read the evidence
 * as it was computed, never a silent recomputation. Append-only; the latest per model version is what gates read.
 */
export async function up(db: Kysely<any>, d: StoreDialect): Promise<void> {
  await db.schema
    .createTable('fairness_reports')
    .addColumn('id', d.serialType, (c) => d.serialPrimaryKey(c))
    .addColumn('model', 'text', (c) => c.notNull())
    .addColumn('version', 'text', (c) => c.notNull())
    .addColumn('dataset', 'text', (c) => c.notNull())
    .addColumn('dataset_version', 'integer', (c) => c.notNull())
    .addColumn('spec', 'text', (c) => c.notNull())
    .addColumn('result', 'text', (c) => c.notNull())
    .addColumn('scored_rows', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('fairness_reports_by_version').on('fairness_reports').columns(['model', 'version', 'id']).execute();
}
