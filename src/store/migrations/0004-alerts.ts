import type { Kysely } from 'kysely';
import type { StoreDialect } from '../dialect.js';

/** Alerting: rules, their current states, the event history, notifications, silences, notifiers and settings. */
export async function up(db: Kysely<any>, d: StoreDialect): Promise<void> {
  const s = db.schema;
  await s
    .createTable('alert_rules')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('deployment', 'text', (c) => c.notNull())
    .addColumn('metric', 'text', (c) => c.notNull())
    .addColumn('comparison', 'text', (c) => c.notNull())
    .addColumn('threshold', 'double precision', (c) => c.notNull())
    .addColumn('window_ms', 'bigint', (c) => c.notNull())
    .addColumn('for_ms', 'bigint', (c) => c.notNull())
    .addColumn('keep_firing_for_ms', 'bigint', (c) => c.notNull())
    .addColumn('severity', 'text', (c) => c.notNull())
    .addColumn('labels', 'text', (c) => c.notNull())
    .addColumn('enabled', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await s.createIndex('alert_rules_deployment').on('alert_rules').column('deployment').execute();
  await s
    .createTable('alert_states')
    .addColumn('rule_id', 'text', (c) => c.primaryKey().references('alert_rules.id').onDelete('cascade'))
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('active_since', 'bigint')
    .addColumn('firing_since', 'bigint')
    .addColumn('keep_firing_since', 'bigint')
    .addColumn('last_value', 'double precision')
    .addColumn('last_eval_at', 'bigint')
    .addColumn('resolved_at', 'bigint')
    .addColumn('fingerprint', 'text', (c) => c.notNull())
    .addColumn('last_notified_at', 'bigint')
    .addColumn('notified_status', 'text')
    .execute();
  // History outlives its rule (no foreign key): deleting a rule keeps what it did.
  await s
    .createTable('alert_history')
    .addColumn('id', d.serialType, (c) => d.serialPrimaryKey(c))
    .addColumn('rule_id', 'text', (c) => c.notNull())
    .addColumn('rule_name', 'text', (c) => c.notNull())
    .addColumn('deployment', 'text', (c) => c.notNull())
    .addColumn('metric', 'text', (c) => c.notNull())
    .addColumn('event', 'text', (c) => c.notNull())
    .addColumn('value', 'double precision')
    .addColumn('threshold', 'double precision', (c) => c.notNull())
    .addColumn('comparison', 'text', (c) => c.notNull())
    .addColumn('severity', 'text', (c) => c.notNull())
    .addColumn('fingerprint', 'text', (c) => c.notNull())
    .addColumn('ts', 'bigint', (c) => c.notNull())
    .execute();
  await s.createIndex('alert_history_deployment_ts').on('alert_history').columns(['deployment', 'ts']).execute();
  await s.createIndex('alert_history_rule_ts').on('alert_history').columns(['rule_id', 'ts']).execute();
  await s
    .createTable('alert_notifications')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('group_key', 'text', (c) => c.notNull())
    .addColumn('deployment', 'text', (c) => c.notNull())
    .addColumn('alert_status', 'text', (c) => c.notNull())
    .addColumn('notifier_id', 'text')
    .addColumn('notifier_name', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('last_error', 'text')
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('sent_at', 'bigint')
    .execute();
  await s.createIndex('alert_notifications_created').on('alert_notifications').columns(['created_at']).execute();
  await s
    .createTable('alert_silences')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('matchers', 'text', (c) => c.notNull())
    .addColumn('starts_at', 'bigint', (c) => c.notNull())
    .addColumn('ends_at', 'bigint', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('comment', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await s
    .createTable('alert_notifiers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('secret', 'text')
    .addColumn('enabled', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await s
    .createTable('alert_settings')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .execute();
}
