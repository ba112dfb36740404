/** Tables of alerting (rules, alert states, history, notifications, silences, notifiers, settings): see migrations/0004-alerts.ts. */
import type { Generated } from 'kysely';

export interface AlertRuleTable {
  id: string;
  /** Unique; rules are addressed by id or name. */
  name: string;
  /** A deployment name; the deployment need not exist yet (rules may be written before it is deployed). */
  deployment: string;
  /** e.g. error_rate, latency_p99, drift_score:<feature>. */
  metric: string;
  /** One of > >= < <= == !=. */
  comparison: string;
  threshold: number;
  window_ms: number;
  for_ms: number;
  keep_firing_for_ms: number;
  /** info | warning | critical. */
  severity: string;
  /** JSON object of string labels. */
  labels: string;
  /** 1 evaluated, 0 paused. */
  enabled: number;
  created_at: number;
  created_by: string;
  updated_at: number;
}

export interface AlertStateTable {
  rule_id: string;
  /** inactive | pending | firing. */
  state: string;
  /** When the condition became true (pending or firing), else null. */
  active_since: number | null;
  firing_since: number | null;
  /** While firing: the first evaluation whose condition was false (keep_firing_for counts from here). */
  keep_firing_since: number | null;
  last_value: number | null;
  last_eval_at: number | null;
  resolved_at: number | null;
  /** Hash of the rule id and its labels: one alert's identity for deduplication. */
  fingerprint: string;
  /** When a notification was last sent (or recorded as silenced) for the current firing, and which. */
  last_notified_at: number | null;
  /** 'firing' | 'silenced' | null. */
  notified_status: string | null;
}

export interface AlertHistoryTable {
  id: Generated<number>;
  rule_id: string;
  rule_name: string;
  deployment: string;
  metric: string;
  /** pending | firing | resolved | inactive (a pending alert whose condition cleared before `for`). */
  event: string;
  value: number | null;
  threshold: number;
  comparison: string;
  severity: string;
  fingerprint: string;
  ts: number;
}

export interface AlertNotificationTable {
  id: string;
  group_key: string;
  deployment: string;
  /** The alerts' status in this notification: firing | resolved. */
  alert_status: string;
  notifier_id: string | null;
  notifier_name: string | null;
  /** Delivery: sent | failed | silenced. */
  status: string;
  attempts: number;
  last_error: string | null;
  /** JSON body as sent (or as it would have been, when silenced). */
  payload: string;
  created_at: number;
  sent_at: number | null;
}

export interface AlertSilenceTable {
  id: string;
  /** JSON array of {name, value, is_regex}. */
  matchers: string;
  starts_at: number;
  ends_at: number;
  created_by: string;
  comment: string;
  created_at: number;
}

export interface AlertNotifierTable {
  id: string;
  name: string;
  /** webhook | slack. */
  kind: string;
  url: string;
  /** HMAC-SHA256 key; never returned by the API nor logged. */
  secret: string | null;
  enabled: number;
  created_at: number;
  created_by: string;
  updated_at: number;
}

/** Alerting settings as JSON values by key (the destination allow/deny list). */
export interface AlertSettingTable {
  key: string;
  value: string;
  updated_at: number;
  updated_by: string;
}

export interface AlertTables {
  alert_rules: AlertRuleTable;
  alert_states: AlertStateTable;
  alert_history: AlertHistoryTable;
  alert_notifications: AlertNotificationTable;
  alert_silences: AlertSilenceTable;
  alert_notifiers: AlertNotifierTable;
  alert_settings: AlertSettingTable;
}
