import type { Kysely } from 'kysely';
import type { StoreDialect } from '../dialect.js';

/**
 * Approval gates per alias (issue 19):
 * - approval_policies: per registered model and alias, the checks and approvers a version needs before the alias
 *   may point at it (the spec as JSON);
 * - approvals: every decision a person recorded on a version for an alias, with their role then and the hash of the
 *   version's facts (its card) at that moment; a later fact change leaves the row as it was, and reads mark it
 *   superseded by comparing hashes, so the record of what was signed is never rewritten;
 * - approval_events: the gate's own record — policy changes, approvals, every alias move it allowed or refused —
 *   each with one sentence and its evidence (the audit log holds who and when; this holds why).
 */
export async function up(db: Kysely<any>, d: StoreDialect): Promise<void> {
  const s = db.schema;
  await s
    .createTable('approval_policies')
    .addColumn('model', 'text', (c) => c.notNull())
    .addColumn('alias', 'text', (c) => c.notNull())
    .addColumn('spec', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('approval_policies_pk', ['model', 'alias'])
    .execute();

  await s
    .createTable('approvals')
    .addColumn('id', d.serialType, (c) => d.serialPrimaryKey(c))
    .addColumn('model', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('alias', 'text', (c) => c.notNull())
    .addColumn('decision', 'text', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('comment', 'text', (c) => c.notNull())
    .addColumn('facts_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await s.createIndex('approvals_version').on('approvals').columns(['model', 'version', 'alias']).execute();

  await s
    .createTable('approval_events')
    .addColumn('id', d.serialType, (c) => d.serialPrimaryKey(c))
    .addColumn('model', 'text', (c) => c.notNull())
    .addColumn('alias', 'text', (c) => c.notNull())
    .addColumn('version', 'integer')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('evidence', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await s.createIndex('approval_events_model').on('approval_events').columns(['model', 'id']).execute();
}
