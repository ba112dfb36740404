/**
 * The body Prometheus Alertmanager's webhook receiver sends (version "4"), so a notifier of kind `alertmanager`
 * reaches the on-call tools that accept it (PagerDuty's and Opsgenie's Prometheus integrations, Grafana OnCall,
 * Keep, Squadcast, any Alertmanager webhook adapter) without a Ferry-specific receiver. The shape is Alertmanager's
 * notify/webhook Message and template.Data:
 * https://prometheus.io/docs/alerting/latest/configuration/#webhook_config
 * One Ferry group (a deployment's alerts of one status) is one Alertmanager group: groupLabels {deployment}.
 */
import { InvalidParameterError } from '../errors.js';
import type { AlertSummary, GroupPlan } from './grouping.js';

export const ALERTMANAGER_WEBHOOK_VERSION = '4';
/** Go's zero time, which Alertmanager sends as endsAt of an alert still firing. */
export const ALERTMANAGER_ZERO_TIME = '0001-01-01T00:00:00Z';

export interface AlertmanagerAlert {
  status: 'firing' | 'resolved';
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  generatorURL: string;
  fingerprint: string;
}

export interface AlertmanagerBody {
  version: string;
  groupKey: string;
  truncatedAlerts: number;
  status: 'firing' | 'resolved';
  receiver: string;
  groupLabels: Record<string, string>;
  commonLabels: Record<string, string>;
  commonAnnotations: Record<string, string>;
  externalURL: string;
  alerts: AlertmanagerAlert[];
}

const iso = (ms: number) => new Date(ms).toISOString();
const fmt = (v: number | null) => (v === null || !Number.isFinite(v) ? 'no data' : String(Number(v.toPrecision(6))));

/** The rule's own labels, then what identifies the alert (these win: a rule label cannot rename the alert). */
function labelsOf(deployment: string, a: AlertSummary): Record<string, string> {
  return { ...a.labels, alertname: a.rule, deployment, severity: a.severity, metric: a.metric };
}

function annotationsOf(deployment: string, a: AlertSummary): Record<string, string> {
  const condition = `${a.metric} ${a.comparison} ${a.threshold}`;
  return {
    summary: `${a.rule}: ${condition} on deployment ${deployment}`,
    description:
      a.state === 'firing'
        ? `${a.metric} is ${fmt(a.value)} on deployment ${deployment} (the rule fires when ${condition}).`
        : `${a.metric} is ${fmt(a.value)} on deployment ${deployment}: the condition ${condition} no longer holds.`,
    value: fmt(a.value),
  };
}

/** The label pairs every map has (Alertmanager's commonLabels / commonAnnotations). */
function common(maps: readonly Record<string, string>[]): Record<string, string> {
  if (maps.length === 0) return {};
  const [first, ...rest] = maps;
  return Object.fromEntries(Object.entries(first!).filter(([k, v]) => rest.every((m) => m[k] === v)));
}

/**
 * `externalURL`: where Ferry is reached (FERRY_EXTERNAL_URL), '' when not configured; alerts link to its alerts
 * page as their generatorURL.
 */
export function alertmanagerBody(
  g: Pick<GroupPlan, 'group_key' | 'deployment' | 'status'>,
  alerts: readonly AlertSummary[],
  receiver: string,
  externalURL: string,
): AlertmanagerBody {
  const items: AlertmanagerAlert[] = alerts.map((a) => ({
    status: a.state,
    labels: labelsOf(g.deployment, a),
    annotations: annotationsOf(g.deployment, a),
    startsAt: iso(a.starts_at),
    endsAt: a.ends_at !== undefined ? iso(a.ends_at) : ALERTMANAGER_ZERO_TIME,
    generatorURL: externalURL ? `${externalURL}/#/alerts` : '',
    fingerprint: a.fingerprint,
  }));
  return {
    version: ALERTMANAGER_WEBHOOK_VERSION,
    // Alertmanager's key is `<route key>:<group labels>`; Ferry has one route, the root's `{}`.
    groupKey: `{}:${g.group_key}`,
    truncatedAlerts: 0,
    status: g.status,
    receiver,
    groupLabels: { deployment: g.deployment },
    commonLabels: common(items.map((a) => a.labels)),
    commonAnnotations: common(items.map((a) => a.annotations)),
    externalURL,
    alerts: items,
  };
}

/** FERRY_EXTERNAL_URL (where users reach Ferry): an http(s) URL without credentials, query, fragment or a trailing slash; '' when unset. */
export function externalUrlFromEnv(env: Record<string, string | undefined> = process.env): string {
  const raw = env['FERRY_EXTERNAL_URL'];
  if (raw === undefined || raw === '') return '';
  let url: URL | null;
  try {
    url = new URL(raw);
  } catch {
    url = null;
  }
  // Links are built by appending to it (`${externalURL}/#/alerts`): a query or fragment would swallow them.
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.username || url.password || url.search || url.hash)
    throw new InvalidParameterError(
      'FERRY_EXTERNAL_URL',
      `FERRY_EXTERNAL_URL must be an http(s) URL without credentials, query or fragment, got ${JSON.stringify(raw)}.`,
    );
  return url.toString().replace(/\/+$/, '');
}
