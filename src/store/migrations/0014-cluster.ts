import type { Kysely } from 'kysely';
import type { StoreDialect } from '../dialect.js';

/**
 * Replicas as one cluster:
 * - cluster_leases: who runs a once-per-cluster task (alert evaluation, retention, traffic validation) and until when;
 *   taken by compare-and-set, handed back on a graceful stop;
 * - cluster_replicas: each running server's heartbeat and its serving counters, so any replica can answer with
 *   cluster-wide traffic figures.
 */
export async function up(db: Kysely<any>, _d: StoreDialect): Promise<void> {
  await db.schema
    .createTable('cluster_leases')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('holder', 'text', (c) => c.notNull())
    .addColumn('acquired_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('cluster_replicas')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('host', 'text', (c) => c.notNull())
    .addColumn('pid', 'integer', (c) => c.notNull())
    .addColumn('url', 'text')
    .addColumn('version', 'text', (c) => c.notNull())
    .addColumn('started_at', 'bigint', (c) => c.notNull())
    .addColumn('seen_at', 'bigint', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('traffic', 'text', (c) => c.notNull())
    .execute();
}
