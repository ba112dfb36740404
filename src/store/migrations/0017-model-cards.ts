import type { Kysely } from 'kysely';
import type { StoreDialect } from '../dialect.js';

/**
 * Model cards (issue 19): the human-authored fields of a card (intended use, out-of-scope uses, users, owner and
 * contact, limitations, ethical considerations). Everything else on a card is derived from stored facts at render
 * time, so only these are stored. One row per registered model (version 0: the model's fields, inherited by every
 * version) and per version that overrides some of them.
 */
export async function up(db: Kysely<any>, _d: StoreDialect): Promise<void> {
  await db.schema
    .createTable('model_card_fields')
    .addColumn('model', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('fields', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('model_card_fields_pk', ['model', 'version'])
    .execute();
}
