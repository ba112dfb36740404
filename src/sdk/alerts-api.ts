/** Alerting over Ferry's native API (/api/v1/alerts): current alerts, history, rules, silences, notifiers, destinations. */
import type { Static, TSchema } from '@sinclair/typebox';
import * as C from '../contract/alerts.js';
import type { HttpClient } from './http.js';

type QueryOf<Q> = Q extends TSchema ? Static<Q> : never;
type HistoryQuery = QueryOf<typeof C.listAlertHistory.spec.query>;
type ListQuery = QueryOf<typeof C.listAlerts.spec.query>;

export type AlertComparison = Static<typeof C.AlertComparison>;
export type AlertSeverity = Static<typeof C.AlertSeverity>;
/** A rule to create; durations in the API's one grammar (parseDuration): "30s", "5m", "1h30m", "1.5h". */
export type AlertRuleInput = Static<typeof C.AlertRuleInput>;
/** A rule change: fields left out keep their values. */
export type AlertRuleUpdate = Static<typeof C.AlertRuleUpdate>;
export type AlertRule = Static<typeof C.AlertRule>;
export type AlertStatus = Static<typeof C.AlertStatus>;
export type AlertEvent = Static<typeof C.AlertEvent>;
export type AlertHistoryPage = Static<typeof C.AlertHistoryPage>;
/** A notification as recorded (GET /alerts/notifications), with the body as sent. */
export type AlertNotification = Static<typeof C.AlertNotification>;
/** A notification an evaluation just sent or recorded as silenced. */
export type AlertNotificationResult = Static<typeof C.NotificationResult>;
export type AlertTransition = Static<typeof C.AlertTransition>;
export type AlertEvaluation = Static<typeof C.AlertEvaluation>;
export type SilenceMatcher = Static<typeof C.SilenceMatcher>;
/** Matchers as objects, or strings `name=value` / `name=~regex`; a duration ("2h") or ends_at. */
export type SilenceInput = Static<typeof C.SilenceInput>;
export type Silence = Static<typeof C.Silence>;
/** A notifier to add; the secret (HMAC-SHA256 key, required for webhooks) is never returned. */
export type NotifierInput = Static<typeof C.NotifierInput>;
export type NotifierUpdate = Static<typeof C.NotifierUpdate>;
export type Notifier = Static<typeof C.Notifier>;
export type AlertDestinations = Static<typeof C.AlertDestinations>;
export type AlertDestinationsInput = Static<typeof C.AlertDestinationsInput>;

/** The history's query: the contract's fields, camel-cased (epoch ms may be given as a number). */
export interface AlertHistoryOptions {
  deployment?: HistoryQuery['deployment'];
  /** A rule's id or name. */
  rule?: HistoryQuery['rule'];
  /** ISO 8601, epoch ms, or a duration ago ("24h", "1h30m", "1.5h"). */
  since?: HistoryQuery['since'] | number;
  until?: HistoryQuery['until'] | number;
  maxResults?: HistoryQuery['max_results'];
  pageToken?: HistoryQuery['page_token'];
}

export class AlertsApi {
  constructor(private readonly http: HttpClient) {}

  /** Current alerts: pending and firing by default; state 'all' lists every rule's state. */
  async list(opts: { deployment?: ListQuery['deployment']; state?: ListQuery['state'] } = {}): Promise<AlertStatus[]> {
    return (await this.http.call(C.listAlerts, { query: { deployment: opts.deployment, state: opts.state } })).alerts ?? [];
  }

  history(opts: AlertHistoryOptions = {}): Promise<AlertHistoryPage> {
    const { maxResults, pageToken, ...rest } = opts;
    return this.http.call(C.listAlertHistory, { query: { ...rest, max_results: maxResults, page_token: pageToken } });
  }

  /** Evaluates every rule now (editor). */
  evaluate(): Promise<AlertEvaluation> {
    return this.http.call(C.evaluateAlerts, { body: {} });
  }

  async notifications(opts: { deployment?: string; since?: string | number; maxResults?: number } = {}): Promise<AlertNotification[]> {
    const query = { deployment: opts.deployment, since: opts.since, max_results: opts.maxResults };
    return (await this.http.call(C.listAlertNotifications, { query })).notifications ?? [];
  }

  async listRules(deployment?: string): Promise<AlertRule[]> {
    return (await this.http.call(C.listAlertRules, { query: { deployment } })).rules ?? [];
  }

  async createRule(rule: AlertRuleInput): Promise<AlertRule> {
    return (await this.http.call(C.createAlertRule, { body: rule })).rule;
  }

  /** By id or name. */
  async getRule(ref: string): Promise<AlertRule> {
    return (await this.http.call(C.getAlertRule, { params: { id: ref } })).rule;
  }

  async updateRule(ref: string, patch: AlertRuleUpdate): Promise<AlertRule> {
    return (await this.http.call(C.updateAlertRule, { params: { id: ref }, body: patch })).rule;
  }

  async deleteRule(ref: string): Promise<void> {
    await this.http.call(C.deleteAlertRule, { params: { id: ref } });
  }

  async listSilences(opts: { all?: boolean } = {}): Promise<Silence[]> {
    return (await this.http.call(C.listSilences, { query: { all: opts.all } })).silences ?? [];
  }

  async createSilence(input: SilenceInput): Promise<Silence> {
    return (await this.http.call(C.createSilence, { body: input })).silence;
  }

  async getSilence(id: string): Promise<Silence> {
    return (await this.http.call(C.getSilence, { params: { id } })).silence;
  }

  /** Ends a silence now. */
  async expireSilence(id: string): Promise<Silence> {
    return (await this.http.call(C.expireSilence, { params: { id } })).silence;
  }

  async listNotifiers(): Promise<Notifier[]> {
    return (await this.http.call(C.listNotifiers)).notifiers ?? [];
  }

  async createNotifier(input: NotifierInput): Promise<Notifier> {
    return (await this.http.call(C.createNotifier, { body: input })).notifier;
  }

  async getNotifier(ref: string): Promise<Notifier> {
    return (await this.http.call(C.getNotifier, { params: { id: ref } })).notifier;
  }

  async updateNotifier(ref: string, patch: NotifierUpdate): Promise<Notifier> {
    return (await this.http.call(C.updateNotifier, { params: { id: ref }, body: patch })).notifier;
  }

  async deleteNotifier(ref: string): Promise<void> {
    await this.http.call(C.deleteNotifier, { params: { id: ref } });
  }

  async destinations(): Promise<AlertDestinations> {
    return (await this.http.call(C.getAlertDestinations)).destinations;
  }

  async setDestinations(policy: AlertDestinationsInput): Promise<AlertDestinations> {
    return (await this.http.call(C.setAlertDestinations, { body: policy })).destinations;
  }
}
