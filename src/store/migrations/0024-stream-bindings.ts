import type { Kysely } from 'kysely';
import type { StoreDialect } from '../dialect.js';

/**
 * stream_bindings: a deployment consuming a Kafka topic, Redis stream or NATS subject (issue 22). One row per
 * (deployment, name); `credentials` holds the broker credentials encrypted with the server key (never returned by
 * the API), null when the broker needs none. Deleting a deployment deletes its bindings (the service does it in
 * the same transaction).
 */
export async function up(db: Kysely<any>, _d: StoreDialect): Promise<void> {
  await db.schema
    .createTable('stream_bindings')
    .addColumn('deployment', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('input', 'text', (c) => c.notNull())
    .addColumn('output', 'text', (c) => c.notNull())
    .addColumn('dead_letter', 'text', (c) => c.notNull())
    .addColumn('group_name', 'text', (c) => c.notNull())
    .addColumn('format', 'text', (c) => c.notNull())
    .addColumn('bytes_dtype', 'text', (c) => c.notNull())
    .addColumn('id_field', 'text')
    .addColumn('key_field', 'text')
    .addColumn('batch_size', 'integer', (c) => c.notNull())
    .addColumn('max_wait_ms', 'integer', (c) => c.notNull())
    .addColumn('concurrency', 'integer', (c) => c.notNull())
    .addColumn('tls', 'integer', (c) => c.notNull())
    .addColumn('credentials', 'text')
    .addColumn('enabled', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('stream_bindings_pk', ['deployment', 'name'])
    .execute();
}
