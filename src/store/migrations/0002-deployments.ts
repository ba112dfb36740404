import type { Kysely } from 'kysely';
import type { StoreDialect } from '../dialect.js';

/** Deployments and their numbered revisions (each change is a new revision; rollback copies an old one). */
export async function up(db: Kysely<any>, _d: StoreDialect): Promise<void> {
  await db.schema
    .createTable('deployments')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('current_revision', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('deployment_revisions')
    .addColumn('name', 'text', (c) => c.notNull().references('deployments.name').onDelete('cascade'))
    .addColumn('revision', 'integer', (c) => c.notNull())
    .addColumn('spec', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('comment', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('deployment_revisions_pk', ['name', 'revision'])
    .execute();
}
