import type { Kysely } from 'kysely';
import type { StoreDialect } from '../dialect.js';

/**
 * explanation_summaries: a model version's global importance (mean |φ| per feature) each time it is computed
 * (issue 19), with what it was computed from — the method, the output space, the background (dataset version,
 * rows, digest, how it was chosen), the rows explained and the seed — so the model card shows it as a stored
 * fact with its date, never a recomputation. Append-only; the newest per model version is what the card reads.
 */
export async function up(db: Kysely<any>, d: StoreDialect): Promise<void> {
  await db.schema
    .createTable('explanation_summaries')
    .addColumn('id', d.serialType, (c) => d.serialPrimaryKey(c))
    .addColumn('model', 'text', (c) => c.notNull())
    .addColumn('version', 'text', (c) => c.notNull())
    .addColumn('method', 'text', (c) => c.notNull())
    .addColumn('output_space', 'text', (c) => c.notNull())
    .addColumn('outputs', 'text', (c) => c.notNull())
    .addColumn('background', 'text', (c) => c.notNull())
    .addColumn('rows', 'integer', (c) => c.notNull())
    // Seeds go up to 2^32 − 1, past PostgreSQL's integer.
    .addColumn('seed', 'bigint', (c) => c.notNull())
    .addColumn('truncated', 'integer', (c) => c.notNull())
    .addColumn('features', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('explanation_summaries_by_version').on('explanation_summaries').columns(['model', 'version', 'id']).execute();
}
