/**
 * Notification bodies and their signature.
 * - Generic webhook: {version, group_key, deployment, status, alerts: [...], sent_at} (times as ISO 8601).
 * - Slack-compatible webhook: {text, blocks} (Block Kit: a header and one section per alert).
 * Signature: X-Ferry-Timestamp is the Unix time in seconds; X-Ferry-Signature is
 * "sha256=" + hex(HMAC-SHA256(secret, `${timestamp}.${body}`)) over the exact body bytes sent.
 */
import { createHmac } from 'node:crypto';
import type { AlertSummary, GroupPlan } from './grouping.js';

export const PAYLOAD_VERSION = '1';

const iso = (ms: number) => new Date(ms).toISOString();

export interface WebhookAlert {
  rule: string;
  rule_id: string;
  metric: string;
  value: number | null;
  threshold: number;
  comparison: string;
  severity: string;
  state: 'firing' | 'resolved';
  starts_at: string;
  ends_at?: string;
  fingerprint: string;
  labels: Record<string, string>;
}

export interface WebhookBody {
  version: string;
  group_key: string;
  deployment: string;
  status: 'firing' | 'resolved';
  alerts: WebhookAlert[];
  sent_at: string;
}

function alertJson(a: AlertSummary): WebhookAlert {
  return {
    rule: a.rule,
    rule_id: a.rule_id,
    metric: a.metric,
    value: a.value !== null && Number.isFinite(a.value) ? a.value : null,
    threshold: a.threshold,
    comparison: a.comparison,
    severity: a.severity,
    state: a.state,
    starts_at: iso(a.starts_at),
    ...(a.ends_at !== undefined ? { ends_at: iso(a.ends_at) } : {}),
    fingerprint: a.fingerprint,
    labels: a.labels,
  };
}

export function webhookBody(g: Pick<GroupPlan, 'group_key' | 'deployment' | 'status'>, alerts: readonly AlertSummary[], now: number): WebhookBody {
  return { version: PAYLOAD_VERSION, group_key: g.group_key, deployment: g.deployment, status: g.status, alerts: alerts.map(alertJson), sent_at: iso(now) };
}

const fmt = (v: number | null) => (v === null ? 'no data' : String(Number(v.toPrecision(6))));
/** Slack's mrkdwn treats & < > specially. */
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function slackBody(body: WebhookBody): { text: string; blocks: object[] } {
  const icon = body.status === 'firing' ? ':rotating_light:' : ':white_check_mark:';
  const title = `${body.status === 'firing' ? 'FIRING' : 'RESOLVED'}: ${body.alerts.length} alert${body.alerts.length === 1 ? '' : 's'} on deployment ${body.deployment}`;
  const lines = body.alerts.map(
    (a) =>
      `• *${esc(a.rule)}* [${a.severity}] ${esc(a.metric)} = ${fmt(a.value)} (${esc(a.comparison)} ${a.threshold}) since ${a.starts_at}${a.ends_at ? `, resolved ${a.ends_at}` : ''}`,
  );
  return {
    text: `${icon} ${title}\n${lines.join('\n')}`,
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: title.slice(0, 150) } },
      ...lines.slice(0, 45).map((l) => ({ type: 'section', text: { type: 'mrkdwn', text: l.slice(0, 3000) } })),
      { type: 'context', elements: [{ type: 'mrkdwn', text: `group ${esc(body.group_key)} · sent ${body.sent_at}` }] },
    ],
  };
}

/** The signature header value for a body sent at `timestamp` (Unix seconds). */
export function signature(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.`).update(body, 'utf8').digest('hex')}`;
}
