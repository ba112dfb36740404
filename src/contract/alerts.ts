/** Alerting (native API, /api/v1/alerts): current alerts, history, rules, silences, notifiers and where they may send. */
import { Type } from '@sinclair/typebox';
import { defineOperation } from './operation.js';
import { Empty, EpochMs, Nullable, Text } from './common.js';
import { Duration } from './duration.js';
import { FAIRNESS_ALERT_METRICS } from './fairness.js';
import { ESTIMATED_ALERT_METRICS } from './estimated-performance.js';

const tag = 'alerts';
const P = '/api/v1/alerts';

export const ALERT_COMPARISONS = ['>', '>=', '<', '<=', '==', '!='] as const;
export const ALERT_SEVERITIES = ['info', 'warning', 'critical'] as const;
/** Metrics with no argument. */
export const PLAIN_METRICS = [
  'dataset_drift',
  'drift_share',
  'error_rate',
  'latency_p99',
  'request_rate',
  'validation_failures',
  'accuracy',
  'precision',
  'recall',
  'f1',
  'roc_auc',
  'log_loss',
  'mae',
  'rmse',
  'r2',
  'mape',
  // 1 while a running A/B test of the deployment has a guardrail significantly worse, 0 while none (docs/abtests.md).
  'abtest_guardrail_worse',
  // CBPE's estimates from the model's probabilities, before labels come (docs/estimated-performance.md): estimated_f1, …
  ...ESTIMATED_ALERT_METRICS,
] as const;
/** Metrics about one feature: `<prefix>:<feature>`. */
// Fairness between the groups of a feature on live traffic (docs/fairness.md): demographic_parity_ratio:<feature>, …
// estimated_<metric>:<label>[@<dataset>@<version>] names CBPE's reference (plain estimated_<metric> takes the default).
export const FEATURE_METRICS = ['feature_drift', 'drift_score', 'null_rate', ...FAIRNESS_ALERT_METRICS, ...ESTIMATED_ALERT_METRICS] as const;

/** Text stored or matched as is: no NUL (PostgreSQL text cannot hold it, and both stores answer alike). */

/** A point in time in a query. */
const Instant = (description: string) =>
  Type.String({ minLength: 1, maxLength: 64, description: `${description}: ISO 8601, epoch milliseconds, or a duration ago such as 24h, 1h30m or 1.5h` });
/** The same in a JSON body, where epoch milliseconds may be a number. */
const InstantValue = (description: string) =>
  Type.Unsafe<string | number>({
    type: ['string', 'integer'],
    description: `${description}: ISO 8601, epoch milliseconds, or a duration ago such as 1h30m or 1.5h`,
  });

export const AlertComparison = Type.Union(ALERT_COMPARISONS.map((c) => Type.Literal(c)));
export const AlertSeverity = Type.Union(ALERT_SEVERITIES.map((s) => Type.Literal(s)));
export const AlertState = Type.Union([Type.Literal('inactive'), Type.Literal('pending'), Type.Literal('firing')]);
export const AlertEventKind = Type.Union([Type.Literal('pending'), Type.Literal('firing'), Type.Literal('resolved'), Type.Literal('inactive')]);
const Labels = Type.Record(Type.String(), Type.String({ maxLength: 1024 }), {
  maxProperties: 32,
  description: 'label names: letters, digits and _, not starting with a digit',
});

// ---- rules ----

const ruleFields = {
  name: Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$', description: 'unique rule name: letters, digits and _ . : -, at most 128 characters' }),
  deployment: Type.String({ pattern: '^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$', description: 'deployment the rule watches (it need not exist yet)' }),
  metric: Type.String({
    minLength: 1,
    maxLength: 300,
    description: `${PLAIN_METRICS.join(', ')}, or ${FEATURE_METRICS.map((m) => `${m}:<feature>`).join(', ')}`,
  }),
  comparison: AlertComparison,
  threshold: Type.Number(),
  window: Type.Optional(Duration('the metric is computed over this window ending now (default 5m; not 0)')),
  for: Type.Optional(Duration('the condition must hold this long before the alert fires (default 0s)')),
  keep_firing_for: Type.Optional(Duration('a firing alert keeps firing this long after the condition clears (default 0s)')),
  severity: Type.Optional(AlertSeverity),
  labels: Type.Optional(Labels),
  enabled: Type.Optional(Type.Boolean()),
};

export const AlertRuleInput = Type.Object(ruleFields);
export const AlertRuleUpdate = Type.Partial(Type.Object(ruleFields), { description: 'fields left out keep their values' });

export const AlertRule = Type.Object({
  id: Type.String(),
  name: Type.String(),
  deployment: Type.String(),
  metric: Type.String(),
  comparison: AlertComparison,
  threshold: Type.Number(),
  window: Type.String(),
  window_ms: Type.Integer(),
  for: Type.String(),
  for_ms: Type.Integer(),
  keep_firing_for: Type.String(),
  keep_firing_for_ms: Type.Integer(),
  severity: AlertSeverity,
  labels: Type.Record(Type.String(), Type.String()),
  enabled: Type.Boolean(),
  created_at: EpochMs,
  created_by: Type.String(),
  updated_at: EpochMs,
});

/** A rule's alert as it stands. */
export const AlertStatus = Type.Object({
  rule: Type.String(),
  rule_id: Type.String(),
  deployment: Type.String(),
  metric: Type.String(),
  comparison: AlertComparison,
  threshold: Type.Number(),
  severity: AlertSeverity,
  labels: Type.Record(Type.String(), Type.String()),
  enabled: Type.Boolean(),
  state: AlertState,
  value: Nullable(Type.Number({ description: 'the metric at the last evaluation; null: no data' })),
  active_since: Nullable(EpochMs),
  firing_since: Nullable(EpochMs),
  keep_firing_since: Nullable(EpochMs),
  resolved_at: Nullable(EpochMs),
  last_eval_at: Nullable(EpochMs),
  fingerprint: Type.String(),
});

export const AlertEvent = Type.Object({
  id: Type.Integer(),
  rule: Type.String(),
  rule_id: Type.String(),
  deployment: Type.String(),
  metric: Type.String(),
  event: AlertEventKind,
  value: Nullable(Type.Number()),
  threshold: Type.Number(),
  comparison: AlertComparison,
  severity: AlertSeverity,
  fingerprint: Type.String(),
  ts: EpochMs,
});

export const AlertHistoryPage = Type.Object({
  events: Type.Array(AlertEvent),
  next_page_token: Type.Optional(Type.String({ description: 'pass as page_token for the next (older) page; absent on the last page' })),
});

const NotificationFields = {
  id: Type.String(),
  group_key: Type.String(),
  deployment: Type.String(),
  alert_status: Type.Union([Type.Literal('firing'), Type.Literal('resolved')]),
  notifier: Nullable(Type.String({ description: 'null for the record of silenced alerts' })),
  status: Type.Union([Type.Literal('sent'), Type.Literal('failed'), Type.Literal('silenced')]),
  attempts: Type.Integer(),
  last_error: Nullable(Type.String()),
};

/** A notification as recorded, with the body as sent. */
export const AlertNotification = Type.Object({
  ...NotificationFields,
  notifier_id: Nullable(Type.String()),
  created_at: EpochMs,
  sent_at: Nullable(EpochMs),
  payload: Type.Unknown({ description: 'the JSON body sent (webhook or Slack form)' }),
});

/** A notification an evaluation just sent (or recorded as silenced). */
export const NotificationResult = Type.Object({ ...NotificationFields, rules: Type.Array(Type.String(), { description: 'the rules listed in it' }) });

export const AlertTransition = Type.Object({
  rule: Type.String(),
  rule_id: Type.String(),
  deployment: Type.String(),
  metric: Type.String(),
  from: AlertState,
  to: AlertState,
  event: AlertEventKind,
  value: Nullable(Type.Number()),
  at: EpochMs,
});

export const AlertEvaluation = Type.Object({
  evaluated_at: EpochMs,
  rules: Type.Integer({ description: 'enabled rules evaluated' }),
  transitions: Type.Array(AlertTransition),
  notifications: Type.Array(NotificationResult),
});

// ---- silences ----

export const SilenceMatcher = Type.Object({
  name: Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_]{0,62}$', description: 'deployment, rule, severity, metric or a label name' }),
  value: Type.String({ description: 'the whole value, or a regular expression matching all of it' }),
  is_regex: Type.Optional(Type.Boolean()),
});

export const SilenceInput = Type.Object({
  matchers: Type.Array(Type.Union([SilenceMatcher, Type.String({ minLength: 1, description: 'name=value or name=~regex' })]), {
    minItems: 1,
    maxItems: 16,
    description: 'every matcher must match',
  }),
  duration: Type.Optional(Duration('how long from starts_at (or give ends_at)')),
  starts_at: Type.Optional(InstantValue('when the silence starts (default now)')),
  ends_at: Type.Optional(InstantValue('when it ends (or give duration)')),
  comment: Type.Optional(Text({ maxLength: 1024 })),
});

export const Silence = Type.Object({
  id: Type.String(),
  matchers: Type.Array(Type.Object({ name: Type.String(), value: Type.String(), is_regex: Type.Boolean() })),
  starts_at: EpochMs,
  ends_at: EpochMs,
  created_by: Type.String(),
  comment: Type.String(),
  created_at: EpochMs,
  status: Type.Union([Type.Literal('active'), Type.Literal('pending'), Type.Literal('expired')], { description: 'pending: starts later' }),
});

// ---- notifiers and destinations ----

export const NotifierKind = Type.Union([Type.Literal('webhook'), Type.Literal('slack'), Type.Literal('alertmanager')], {
  description:
    "webhook: Ferry's signed JSON body (docs/alerts.md); slack: a Slack incoming webhook; alertmanager: Prometheus Alertmanager's webhook body (version 4), for on-call tools that take Alertmanager's notifications",
});
const Secret = Text({ minLength: 16, maxLength: 512, description: 'HMAC-SHA256 key receivers verify signatures with (required for webhook); write-only' });
const NotifierUrl = Type.String({
  minLength: 1,
  maxLength: 2048,
  description: 'http(s) URL without credentials; checked against the destination allow/deny list',
});

export const NotifierInput = Type.Object({
  name: Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$', description: 'letters, digits and _ . -, at most 64 characters' }),
  kind: Type.Optional(NotifierKind),
  url: NotifierUrl,
  secret: Type.Optional(Secret),
  enabled: Type.Optional(Type.Boolean()),
});

export const NotifierUpdate = Type.Object(
  { url: Type.Optional(NotifierUrl), secret: Type.Optional(Secret), enabled: Type.Optional(Type.Boolean()) },
  { description: 'name and kind are fixed' },
);

/** A notifier as listed: never its secret. */
export const Notifier = Type.Object({
  id: Type.String(),
  name: Type.String(),
  kind: NotifierKind,
  url: Type.String(),
  has_secret: Type.Boolean(),
  enabled: Type.Boolean(),
  created_at: EpochMs,
  created_by: Type.String(),
  updated_at: EpochMs,
});

const Entries = (description: string) => Type.Array(Type.String({ minLength: 1, maxLength: 300 }), { maxItems: 256, description });

export const AlertDestinationsInput = Type.Object(
  {
    allow: Type.Optional(Entries('host names, *.domains, addresses or CIDRs allowed even when private or loopback')),
    deny: Type.Optional(Entries('always refused (wins over allow)')),
    allow_only: Type.Optional(Type.Boolean({ description: 'refuse every destination not on the allow list' })),
  },
  { description: 'replaces the whole list' },
);

export const AlertDestinations = Type.Object({ allow: Type.Array(Type.String()), deny: Type.Array(Type.String()), allow_only: Type.Boolean() });

// ---- operations ----

const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 256, description: 'id or name' }) });

export const listAlerts = defineOperation({
  method: 'GET',
  path: P,
  operationId: 'listAlerts',
  tag,
  access: 'viewer',
  style: 'native',
  summary: 'Current alerts: pending and firing by default',
  query: Type.Object({
    state: Type.Optional(
      Type.Union([Type.Literal('active'), Type.Literal('pending'), Type.Literal('firing'), Type.Literal('inactive'), Type.Literal('all')], {
        description: 'active (default): pending or firing; all: every rule',
      }),
    ),
    deployment: Type.Optional(Text({ minLength: 1, maxLength: 256 })),
  }),
  responses: { 200: Type.Object({ alerts: Type.Array(AlertStatus) }) },
});

export const listAlertHistory = defineOperation({
  method: 'GET',
  path: `${P}/history`,
  operationId: 'listAlertHistory',
  tag,
  access: 'viewer',
  style: 'native',
  summary: 'Alert events (pending, firing, resolved, inactive), newest first',
  query: Type.Object({
    deployment: Type.Optional(Text({ minLength: 1, maxLength: 256 })),
    rule: Type.Optional(Text({ minLength: 1, maxLength: 256, description: 'rule id or name' })),
    since: Type.Optional(Instant('events at or after')),
    until: Type.Optional(Instant('events before')),
    max_results: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, description: 'default 100' })),
    page_token: Type.Optional(Type.String({ pattern: '^\\d{1,15}$', description: 'next_page_token of the previous page' })),
  }),
  responses: { 200: AlertHistoryPage },
});

export const evaluateAlerts = defineOperation({
  method: 'POST',
  path: `${P}/evaluate`,
  operationId: 'evaluateAlerts',
  tag,
  access: 'editor',
  style: 'native',
  summary: 'Evaluate every rule now; answers the transitions and notifications',
  body: Nullable(Type.Object({}, { additionalProperties: false, description: 'nothing: send {} or no body' })),
  responses: { 200: AlertEvaluation },
});

export const listAlertNotifications = defineOperation({
  method: 'GET',
  path: `${P}/notifications`,
  operationId: 'listAlertNotifications',
  tag,
  access: 'viewer',
  style: 'native',
  summary: 'Notifications sent, failed or silenced, newest first',
  query: Type.Object({
    deployment: Type.Optional(Text({ minLength: 1, maxLength: 256 })),
    since: Type.Optional(Instant('notifications at or after')),
    max_results: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, description: 'default 100' })),
  }),
  responses: { 200: Type.Object({ notifications: Type.Array(AlertNotification) }) },
});

export const listAlertRules = defineOperation({
  method: 'GET',
  path: `${P}/rules`,
  operationId: 'listAlertRules',
  tag,
  access: 'viewer',
  style: 'native',
  summary: 'Alert rules',
  query: Type.Object({ deployment: Type.Optional(Text({ minLength: 1, maxLength: 256 })) }),
  responses: { 200: Type.Object({ rules: Type.Array(AlertRule) }) },
});

export const createAlertRule = defineOperation({
  method: 'POST',
  path: `${P}/rules`,
  operationId: 'createAlertRule',
  tag,
  access: 'editor',
  style: 'native',
  summary: 'Create an alert rule',
  body: AlertRuleInput,
  responses: { 200: Type.Object({ rule: AlertRule }) },
});

export const getAlertRule = defineOperation({
  method: 'GET',
  path: `${P}/rules/:id`,
  operationId: 'getAlertRule',
  tag,
  access: 'viewer',
  style: 'native',
  summary: 'An alert rule (by id or name)',
  params: IdParams,
  responses: { 200: Type.Object({ rule: AlertRule }) },
});

export const updateAlertRule = defineOperation({
  method: 'PUT',
  path: `${P}/rules/:id`,
  operationId: 'updateAlertRule',
  tag,
  access: 'editor',
  style: 'native',
  summary: 'Change an alert rule (fields left out keep their values)',
  params: IdParams,
  body: AlertRuleUpdate,
  responses: { 200: Type.Object({ rule: AlertRule }) },
});

export const deleteAlertRule = defineOperation({
  method: 'DELETE',
  path: `${P}/rules/:id`,
  operationId: 'deleteAlertRule',
  tag,
  access: 'editor',
  style: 'native',
  summary: 'Delete an alert rule (its history stays)',
  params: IdParams,
  responses: { 200: Empty },
});

export const listSilences = defineOperation({
  method: 'GET',
  path: `${P}/silences`,
  operationId: 'listSilences',
  tag,
  access: 'viewer',
  style: 'native',
  summary: 'Silences in force or to come',
  query: Type.Object({ all: Type.Optional(Type.Boolean({ description: 'true: expired ones too' })) }),
  responses: { 200: Type.Object({ silences: Type.Array(Silence) }) },
});

export const createSilence = defineOperation({
  method: 'POST',
  path: `${P}/silences`,
  operationId: 'createSilence',
  tag,
  access: 'editor',
  style: 'native',
  summary: 'Silence alerts matching every matcher for a period',
  body: SilenceInput,
  responses: { 200: Type.Object({ silence: Silence }) },
});

export const getSilence = defineOperation({
  method: 'GET',
  path: `${P}/silences/:id`,
  operationId: 'getSilence',
  tag,
  access: 'viewer',
  style: 'native',
  summary: 'A silence',
  params: Type.Object({ id: Type.String({ minLength: 1 }) }),
  responses: { 200: Type.Object({ silence: Silence }) },
});

export const expireSilence = defineOperation({
  method: 'DELETE',
  path: `${P}/silences/:id`,
  operationId: 'expireSilence',
  tag,
  access: 'editor',
  style: 'native',
  summary: 'Expire a silence now (it stays listed with all=true)',
  params: Type.Object({ id: Type.String({ minLength: 1 }) }),
  responses: { 200: Type.Object({ silence: Silence }) },
});

export const listNotifiers = defineOperation({
  method: 'GET',
  path: `${P}/notifiers`,
  operationId: 'listNotifiers',
  tag,
  access: 'admin',
  style: 'native',
  summary: 'Notifiers (secrets are never returned)',
  responses: { 200: Type.Object({ notifiers: Type.Array(Notifier) }) },
});

export const createNotifier = defineOperation({
  method: 'POST',
  path: `${P}/notifiers`,
  operationId: 'createNotifier',
  tag,
  access: 'admin',
  style: 'native',
  summary: 'Add a webhook or Slack notifier (the URL is checked against the destination list)',
  body: NotifierInput,
  responses: { 200: Type.Object({ notifier: Notifier }) },
});

export const getNotifier = defineOperation({
  method: 'GET',
  path: `${P}/notifiers/:id`,
  operationId: 'getNotifier',
  tag,
  access: 'admin',
  style: 'native',
  summary: 'A notifier (by id or name)',
  params: IdParams,
  responses: { 200: Type.Object({ notifier: Notifier }) },
});

export const updateNotifier = defineOperation({
  method: 'PUT',
  path: `${P}/notifiers/:id`,
  operationId: 'updateNotifier',
  tag,
  access: 'admin',
  style: 'native',
  summary: "Change a notifier's url, secret or enabled",
  params: IdParams,
  body: NotifierUpdate,
  responses: { 200: Type.Object({ notifier: Notifier }) },
});

export const deleteNotifier = defineOperation({
  method: 'DELETE',
  path: `${P}/notifiers/:id`,
  operationId: 'deleteNotifier',
  tag,
  access: 'admin',
  style: 'native',
  summary: 'Delete a notifier',
  params: IdParams,
  responses: { 200: Empty },
});

export const getAlertDestinations = defineOperation({
  method: 'GET',
  path: `${P}/destinations`,
  operationId: 'getAlertDestinations',
  tag,
  access: 'admin',
  style: 'native',
  summary: 'Where notifiers may send: the allow/deny list',
  responses: { 200: Type.Object({ destinations: AlertDestinations }) },
});

export const setAlertDestinations = defineOperation({
  method: 'PUT',
  path: `${P}/destinations`,
  operationId: 'setAlertDestinations',
  tag,
  access: 'admin',
  style: 'native',
  summary: 'Replace the destination allow/deny list',
  body: AlertDestinationsInput,
  responses: { 200: Type.Object({ destinations: AlertDestinations }) },
});
