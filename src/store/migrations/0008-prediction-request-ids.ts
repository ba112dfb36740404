import type { Kysely } from 'kysely';

/**
 * The time (and deployment) of logged requests whose id does not tell it: ids a caller sent as X-Request-Id
 * (nginx's 32 hex characters, Envoy's UUIDv4). Ferry's own ids are UUIDv7 carrying the request's time, and the
 * log finds those from the time alone; these are written beside their batch, in the same transaction, and
 * deleted with it (retention).
 */
export async function up(db: Kysely<any>): Promise<void> {
  const s = db.schema;
  await s
    .createTable('prediction_request_ids')
    .addColumn('request_id', 'text', (c) => c.notNull())
    .addColumn('deployment', 'text', (c) => c.notNull())
    .addColumn('ts', 'bigint', (c) => c.notNull())
    // A caller may send one id twice: each request is a row of its own (the same one twice only from a retried write).
    .addPrimaryKeyConstraint('prediction_request_ids_pk', ['request_id', 'deployment', 'ts'])
    .execute();
  // A deployment's ids in a time range: live performance's feedback, and retention.
  await s.createIndex('prediction_request_ids_deployment_ts').on('prediction_request_ids').columns(['deployment', 'ts']).execute();
}
