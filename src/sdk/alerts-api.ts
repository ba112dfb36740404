/** Alerting over Ferry's native API (/api/v1/alerts): current alerts, history, rules, silences, notifiers, destinations. */
import type { Static } from '@sinclair/typebox';
import type * as C from '../contract/alerts.js';
import { compact, type HttpClient } from './http.js';

const P = '/api/v1/alerts';
const enc = encodeURIComponent;

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

export interface AlertHistoryOptions {
  deployment?: string;
  rule?: string;
  /** ISO 8601, epoch ms, or a duration ago ("24h", "1h30m", "1.5h"). */
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

  async updateRule(ref: string, patch: AlertRuleUpdate): Promise<AlertRule> {
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

  async updateNotifier(ref: string, patch: NotifierUpdate): Promise<Notifier> {
    return (await this.http.put<{ notifier: Notifier }>(`${P}/notifiers/${enc(ref)}`, patch)).notifier;
  }

  async deleteNotifier(ref: string): Promise<void> {
    await this.http.delete(`${P}/notifiers/${enc(ref)}`);
  }

  async destinations(): Promise<AlertDestinations> {
    return (await this.http.get<{ destinations: AlertDestinations }>(`${P}/destinations`)).destinations;
  }

  async setDestinations(policy: AlertDestinationsInput): Promise<AlertDestinations> {
    return (await this.http.put<{ destinations: AlertDestinations }>(`${P}/destinations`, policy)).destinations;
  }
}
