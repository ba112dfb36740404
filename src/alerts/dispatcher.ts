/**
 * Sends one planned group to every enabled notifier and records each delivery (sent / failed) — and the
 * silenced part of the group as one 'silenced' record. The URL is checked against the destination policy
 * again at send time; a refused URL is a failed delivery (no request is made).
 */
import { randomUUID } from 'node:crypto';
import type { Store } from '../store/index.js';
import { type Resolver, vetUrl } from './destinations.js';
import type { GroupPlan } from './grouping.js';
import type { NotifierService } from './notifier-service.js';
import { type NotificationRow, type NotifierRow, insertNotification } from './notify-repo.js';
import { alertmanagerBody, externalUrlFromEnv } from './alertmanager-payload.js';
import { signature, slackBody, webhookBody } from './payloads.js';
import { deliver, type SendOptions } from './webhook-sender.js';

export interface NotificationResult {
  id: string;
  group_key: string;
  deployment: string;
  alert_status: 'firing' | 'resolved';
  notifier: string | null;
  status: 'sent' | 'failed' | 'silenced';
  attempts: number;
  last_error: string | null;
  /** Rules listed in it. */
  rules: string[];
}

export interface Logger {
  warn(obj: object, msg: string): void;
}

const USER_AGENT = 'ferry-alerts/0.1';

export class Dispatcher {
  constructor(
    private readonly store: Store,
    private readonly notifiers: NotifierService,
    private readonly send: SendOptions,
    private readonly resolve: Resolver,
    private readonly log?: Logger,
    /** Where Ferry is reached, for the Alertmanager body's externalURL and generatorURL ('' when unknown). */
    private readonly externalUrl: string = externalUrlFromEnv(),
  ) {}

  /** The body a notifier of this kind is sent. */
  private bodyFor(n: NotifierRow, plan: GroupPlan, now: number): string {
    const generic = webhookBody(plan, plan.alerts, now);
    if (n.kind === 'slack') return JSON.stringify(slackBody(generic));
    if (n.kind === 'alertmanager') return JSON.stringify(alertmanagerBody(plan, plan.alerts, n.name, this.externalUrl));
    return JSON.stringify(generic);
  }

  private async record(row: NotificationRow, rules: string[]): Promise<NotificationResult> {
    await insertNotification(this.store.db, row);
    return {
      id: row.id,
      group_key: row.group_key,
      deployment: row.deployment,
      alert_status: row.alert_status as 'firing' | 'resolved',
      notifier: row.notifier_name,
      status: row.status as NotificationResult['status'],
      attempts: row.attempts,
      last_error: row.last_error,
      rules,
    };
  }

  private async toNotifier(plan: GroupPlan, n: NotifierRow, now: number): Promise<NotificationResult> {
    const id = randomUUID();
    const body = this.bodyFor(n, plan, now);
    const base = {
      id,
      group_key: plan.group_key,
      deployment: plan.deployment,
      alert_status: plan.status,
      notifier_id: n.id,
      notifier_name: n.name,
      payload: body,
      created_at: now,
    };
    const rules = plan.alerts.map((a) => a.rule);
    let result: { ok: boolean; attempts: number; error?: string };
    try {
      const target = await vetUrl(n.url, await this.notifiers.policy(), this.resolve);
      result = await deliver(
        target,
        body,
        () => {
          const ts = String(Math.floor(Date.now() / 1000));
          return {
            'content-type': 'application/json',
            'user-agent': USER_AGENT,
            'x-ferry-event': 'alert',
            'x-ferry-delivery': id,
            'x-ferry-timestamp': ts,
            ...(n.secret ? { 'x-ferry-signature': signature(n.secret, ts, body) } : {}),
          };
        },
        this.send,
      );
    } catch (err) {
      result = { ok: false, attempts: 0, error: (err as Error).message };
    }
    if (!result.ok)
      this.log?.warn({ notifier: n.name, deployment: plan.deployment, attempts: result.attempts, error: result.error }, 'alert notification failed');
    return this.record(
      { ...base, status: result.ok ? 'sent' : 'failed', attempts: result.attempts, last_error: result.error ?? null, sent_at: result.ok ? Date.now() : null },
      rules,
    );
  }

  /** Every delivery of the group (plus its silenced record), in notifier order. */
  async dispatch(plan: GroupPlan, notifiers: readonly NotifierRow[], now: number): Promise<NotificationResult[]> {
    const out: NotificationResult[] = [];
    if (plan.silenced.length) {
      const payload = JSON.stringify(webhookBody(plan, plan.silenced, now));
      out.push(
        await this.record(
          {
            id: randomUUID(),
            group_key: plan.group_key,
            deployment: plan.deployment,
            alert_status: plan.status,
            notifier_id: null,
            notifier_name: null,
            status: 'silenced',
            attempts: 0,
            last_error: null,
            payload,
            created_at: now,
            sent_at: null,
          },
          plan.silenced.map((a) => a.rule),
        ),
      );
    }
    if (plan.alerts.length) out.push(...(await Promise.all(notifiers.map((n) => this.toNotifier(plan, n, now)))));
    return out;
  }
}
