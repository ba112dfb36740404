import type { Kysely } from 'kysely';
import type { StoreDialect } from '../dialect.js';

/**
 * A/B tests on deployments: the tests, each unit's assignment (its arm and first exposure, which starts its
 * attribution window), and outcome events (business metrics keyed by unit, arriving any time later).
 * Units are stored keyed (HMAC with the installation's PII key) so a raw user id never lands in these tables.
 */
export async function up(db: Kysely<any>, _d: StoreDialect): Promise<void> {
  const s = db.schema;
  await s
    .createTable('abtests')
    .addColumn('abtest_id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('deployment', 'text', (c) => c.notNull())
    // draft | running | stopped
    .addColumn('state', 'text', (c) => c.notNull())
    // Mixed into the assignment hash: two tests' assignments are independent.
    .addColumn('salt', 'text', (c) => c.notNull())
    // JSON: arms (version, weight), control, metrics, engine settings, unit key, description.
    .addColumn('spec', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('started_at', 'bigint')
    .addColumn('stopped_at', 'bigint')
    .addColumn('stopped_by', 'text')
    .addColumn('stop_reason', 'text')
    .execute();
  await s.createIndex('abtests_deployment_state').on('abtests').columns(['deployment', 'state']).execute();

  await s
    .createTable('abtest_units')
    .addColumn('abtest_id', 'text', (c) => c.notNull())
    .addColumn('unit', 'text', (c) => c.notNull())
    .addColumn('arm', 'text', (c) => c.notNull())
    .addColumn('first_ts', 'bigint', (c) => c.notNull())
    .addColumn('last_ts', 'bigint', (c) => c.notNull())
    .addColumn('requests', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('abtest_units_pk', ['abtest_id', 'unit'])
    .execute();
  // Units by first exposure: the mature ones (window closed) of a test.
  await s.createIndex('abtest_units_first_ts').on('abtest_units').columns(['abtest_id', 'first_ts']).execute();

  await s
    .createTable('outcomes')
    .addColumn('outcome_id', 'text', (c) => c.primaryKey())
    .addColumn('unit', 'text', (c) => c.notNull())
    .addColumn('metric', 'text', (c) => c.notNull())
    .addColumn('value', 'double precision', (c) => c.notNull())
    .addColumn('ts', 'bigint', (c) => c.notNull())
    .addColumn('request_id', 'text')
    .addColumn('received_at', 'bigint', (c) => c.notNull())
    .execute();
  // A unit's events of one metric in a time range (its attribution window, its pre-exposure lookback).
  await s.createIndex('outcomes_unit_metric_ts').on('outcomes').columns(['unit', 'metric', 'ts']).execute();
  await s.createIndex('outcomes_metric_ts').on('outcomes').columns(['metric', 'ts']).execute();
}
