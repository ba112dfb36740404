import type { Kysely } from 'kysely';
import type { StoreDialect } from '../dialect.js';

/**
 * Managed datasets (Ferry's own, distinct from MLflow's per-experiment `datasets` records): content-addressed
 * versions with their schema and profile, movable version tags, validation suites, where suites are attached,
 * and validation results.
 */
export async function up(db: Kysely<any>, d: StoreDialect): Promise<void> {
  const s = db.schema;
  await s
    .createTable('data_datasets')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await s
    .createTable('data_versions')
    .addColumn('dataset', 'text', (c) => c.notNull().references('data_datasets.name').onDelete('cascade'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('digest', 'text', (c) => c.notNull())
    .addColumn('format', 'text', (c) => c.notNull())
    .addColumn('size_bytes', 'bigint', (c) => c.notNull())
    .addColumn('rows', 'bigint', (c) => c.notNull())
    .addColumn('filename', 'text', (c) => c.notNull())
    .addColumn('path', 'text', (c) => c.notNull())
    .addColumn('schema', 'text', (c) => c.notNull())
    .addColumn('profile', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('data_versions_pk', ['dataset', 'version'])
    .addUniqueConstraint('data_versions_digest', ['dataset', 'digest'])
    .execute();
  // Lineage looks versions up by digest across datasets (what MLflow's log_input records).
  await s.createIndex('data_versions_by_digest').on('data_versions').column('digest').execute();
  await s
    .createTable('data_version_tags')
    .addColumn('dataset', 'text', (c) => c.notNull().references('data_datasets.name').onDelete('cascade'))
    .addColumn('tag', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('data_version_tags_pk', ['dataset', 'tag'])
    .execute();
  await s
    .createTable('data_suites')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('suite', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await s
    .createTable('data_suite_attachments')
    .addColumn('suite', 'text', (c) => c.notNull().references('data_suites.name').onDelete('cascade'))
    .addColumn('target_kind', 'text', (c) => c.notNull())
    .addColumn('target', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('data_suite_attachments_pk', ['suite', 'target_kind', 'target'])
    .execute();
  await s.createIndex('data_suite_attachments_target').on('data_suite_attachments').columns(['target_kind', 'target']).execute();
  // Results outlive versions and suites (no foreign keys): history of what was checked stays readable.
  await s
    .createTable('data_validations')
    .addColumn('id', d.serialType, (c) => d.serialPrimaryKey(c))
    .addColumn('suite', 'text', (c) => c.notNull())
    .addColumn('target_kind', 'text', (c) => c.notNull())
    .addColumn('target', 'text', (c) => c.notNull())
    .addColumn('version', 'integer')
    .addColumn('window_start', 'bigint')
    .addColumn('success', 'integer', (c) => c.notNull())
    .addColumn('evaluated', 'integer', (c) => c.notNull())
    .addColumn('failed', 'integer', (c) => c.notNull())
    .addColumn('result', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await s.createIndex('data_validations_target').on('data_validations').columns(['target_kind', 'target', 'created_at']).execute();
}
