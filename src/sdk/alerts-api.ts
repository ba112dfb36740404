/** Alerting over Ferry's native API (/api/v1/alerts): current alerts, history, rules, silences, notifiers, destinations. */
import { compact, type HttpClient } from './http.js';

const P = '/api/v1/alerts';
const enc = encodeURIComponent;

export type AlertComparison = '>' | '>=' | '<' | '<=' | '==' | '!=';
export type AlertSeverity = 'info' | 'warning' | 'critical';

export interface AlertRuleInput {
  name: string;
  deployment: string;
  /** error_rate, latency_p99, accuracy, drift_score:<feature>, ... */
  metric: string;
  comparison: AlertComparison;
  threshold: number;
  /** Durations such as "30s", "5m", "1h", "1d". */
  window?: string;
  for?: string;
  keep_firing_for?: string;
  severity?: AlertSeverity;
  labels?: Record<string, string>;
  enabled?: boolean;
}

export interface AlertRule extends Required<Omit<AlertRuleInput, 'labels'>> {
  id: string;
  labels: Record<string, string>;
  window_ms: number;
  for_ms: number;
  keep_firing_for_ms: number;
  created_at: number;
  created_by: string;
  updated_at: number;
}

export interface AlertStatus {
  rule: string;
  rule_id: string;
  deployment: string;
  metric: string;
  comparison: AlertComparison;
  threshold: number;
  severity: AlertSeverity;
  labels: Record<string, string>;
  enabled: boolean;
  state: 'inactive' | 'pending' | 'firing';
  value: number | null;
  active_since: number | null;
  firing_since: number | null;
  keep_firing_since: number | null;
  resolved_at: number | null;
  last_eval_at: number | null;
  fingerprint: string;
}

export interface AlertEvent {
  id: number;
  rule: string;
  rule_id: string;
  deployment: string;
  metric: string;
  event: 'pending' | 'firing' | 'resolved' | 'inactive';
  value: number | null;
  threshold: number;
  comparison: AlertComparison;
  severity: AlertSeverity;
  fingerprint: string;
  ts: number;
}

export interface AlertHistoryPage {
  events: AlertEvent[];
  next_page_token?: string;
}

export interface AlertNotification {
  id: string;
  group_key: string;
  deployment: string;
  alert_status: 'firing' | 'resolved';
  notifier: string | null;
  status: 'sent' | 'failed' | 'silenced';
  attempts: number;
  last_error: string | null;
  rules?: string[];
  created_at?: number;
  sent_at?: number | null;
  payload?: unknown;
}

export interface AlertEvaluation {
  evaluated_at: number;
  rules: number;
  transitions: { rule: string; rule_id: string; deployment: string; metric: string; from: string; to: string; event: string; value: number | null; at: number }[];
  notifications: AlertNotification[];
}

export interface SilenceMatcher {
  name: string;
  value: string;
  is_regex?: boolean;
}

export interface SilenceInput {
  /** Objects, or strings `name=value` / `name=~regex`. */
  matchers: (SilenceMatcher | string)[];
  /** How long, e.g. "2h" (or give ends_at). */
  duration?: string;
  starts_at?: string | number;
  ends_at?: string | number;
  comment?: string;
}

export interface Silence {
  id: string;
  matchers: Required<SilenceMatcher>[];
  starts_at: number;
  ends_at: number;
  created_by: string;
  comment: string;
  created_at: number;
  status: 'active' | 'pending' | 'expired';
}

export interface NotifierInput {
  name: string;
  kind?: 'webhook' | 'slack';
  url: string;
  /** HMAC-SHA256 key (required for webhook notifiers); never returned. */
  secret?: string;
  enabled?: boolean;
}

export interface Notifier {
  id: string;
  name: string;
  kind: 'webhook' | 'slack';
  url: string;
  has_secret: boolean;
  enabled: boolean;
  created_at: number;
  created_by: string;
  updated_at: number;
}

export interface AlertDestinations {
  allow: string[];
  deny: string[];
  allow_only: boolean;
}

export interface AlertHistoryOptions {
  deployment?: string;
  rule?: string;
  /** ISO 8601, epoch ms, or a duration ago ("24h"). */
  since?: string | number;
  until?: string | number;
  maxResults?: number;
  pageToken?: string;
}

export class AlertsApi {
  constructor(private readonly http: HttpClient) {}

  /** Current alerts: pending and firing by default; state 'all' lists every rule's state. */
  async list(opts: { deployment?: string; state?: 'active' | 'pending' | 'firing' | 'inactive' | 'all' } = {}): Promise<AlertStatus[]> {
    return (await this.http.get<{ alerts?: AlertStatus[] }>(P, compact(opts))).alerts ?? [];
  }

  history(opts: AlertHistoryOptions = {}): Promise<AlertHistoryPage> {
    const { maxResults, pageToken, ...rest } = opts;
    return this.http.get<AlertHistoryPage>(`${P}/history`, compact({ ...rest, max_results: maxResults, page_token: pageToken }));
  }

  /** Evaluates every rule now (editor). */
  evaluate(): Promise<AlertEvaluation> {
    return this.http.post<AlertEvaluation>(`${P}/evaluate`);
  }

  async notifications(opts: { deployment?: string; since?: string | number; maxResults?: number } = {}): Promise<AlertNotification[]> {
    const { maxResults, ...rest } = opts;
    return (await this.http.get<{ notifications?: AlertNotification[] }>(`${P}/notifications`, compact({ ...rest, max_results: maxResults }))).notifications ?? [];
  }

  async listRules(deployment?: string): Promise<AlertRule[]> {
    return (await this.http.get<{ rules?: AlertRule[] }>(`${P}/rules`, compact({ deployment }))).rules ?? [];
  }

  async createRule(rule: AlertRuleInput): Promise<AlertRule> {
    return (await this.http.post<{ rule: AlertRule }>(`${P}/rules`, rule)).rule;
  }

  /** By id or name. */
  async getRule(ref: string): Promise<AlertRule> {
    return (await this.http.get<{ rule: AlertRule }>(`${P}/rules/${enc(ref)}`)).rule;
  }

  async updateRule(ref: string, patch: Partial<AlertRuleInput>): Promise<AlertRule> {
    return (await this.http.put<{ rule: AlertRule }>(`${P}/rules/${enc(ref)}`, patch)).rule;
  }

  async deleteRule(ref: string): Promise<void> {
    await this.http.delete(`${P}/rules/${enc(ref)}`);
  }

  async listSilences(opts: { all?: boolean } = {}): Promise<Silence[]> {
    return (await this.http.get<{ silences?: Silence[] }>(`${P}/silences`, compact(opts))).silences ?? [];
  }

  async createSilence(input: SilenceInput): Promise<Silence> {
    return (await this.http.post<{ silence: Silence }>(`${P}/silences`, input)).silence;
  }

  async getSilence(id: string): Promise<Silence> {
    return (await this.http.get<{ silence: Silence }>(`${P}/silences/${enc(id)}`)).silence;
  }

  /** Ends a silence now. */
  async expireSilence(id: string): Promise<Silence> {
    return (await this.http.delete<{ silence: Silence }>(`${P}/silences/${enc(id)}`)).silence;
  }

  async listNotifiers(): Promise<Notifier[]> {
    return (await this.http.get<{ notifiers?: Notifier[] }>(`${P}/notifiers`)).notifiers ?? [];
  }

  async createNotifier(input: NotifierInput): Promise<Notifier> {
    return (await this.http.post<{ notifier: Notifier }>(`${P}/notifiers`, input)).notifier;
  }

  async getNotifier(ref: string): Promise<Notifier> {
    return (await this.http.get<{ notifier: Notifier }>(`${P}/notifiers/${enc(ref)}`)).notifier;
  }

  async updateNotifier(ref: string, patch: { url?: string; secret?: string; enabled?: boolean }): Promise<Notifier> {
    return (await this.http.put<{ notifier: Notifier }>(`${P}/notifiers/${enc(ref)}`, patch)).notifier;
  }

  async deleteNotifier(ref: string): Promise<void> {
    await this.http.delete(`${P}/notifiers/${enc(ref)}`);
  }

  async destinations(): Promise<AlertDestinations> {
    return (await this.http.get<{ destinations: AlertDestinations }>(`${P}/destinations`)).destinations;
  }

  async setDestinations(policy: Partial<AlertDestinations>): Promise<AlertDestinations> {
    return (await this.http.put<{ destinations: AlertDestinations }>(`${P}/destinations`, policy)).destinations;
  }
}
