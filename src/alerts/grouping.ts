/**
 * What to notify after one evaluation (pure): for each deployment, ONE firing notification listing every alert
 * that is due, and one resolved notification listing every alert that resolved and had been announced.
 * - Due (firing): not yet announced in its current firing, or announced at least `repeatIntervalMs` ago.
 * - Resolved: sent once, and only for alerts whose firing was announced (a silenced firing resolves quietly).
 * - Silenced alerts are left out of the notification and recorded as silenced (once per firing, and again
 *   after the repeat interval); when the silence ends while they still fire, they are announced.
 */
import type { Comparison, Severity } from './rule-spec.js';
import { type SilenceWindow, silencedBy } from './silences.js';
import type { AlertEvent, AlertStateValue } from './state-machine.js';

export interface RuleFacts {
  id: string;
  name: string;
  deployment: string;
  metric: string;
  comparison: Comparison;
  threshold: number;
  severity: Severity;
  labels: Record<string, string>;
}

export interface EvaluatedAlert {
  rule: RuleFacts;
  fingerprint: string;
  event: AlertEvent | null;
  before: AlertStateValue;
  after: AlertStateValue;
  last_notified_at: number | null;
  notified_status: string | null;
}

export interface AlertSummary {
  rule: string;
  rule_id: string;
  metric: string;
  value: number | null;
  threshold: number;
  comparison: Comparison;
  severity: Severity;
  state: 'firing' | 'resolved';
  starts_at: number;
  ends_at?: number;
  fingerprint: string;
  labels: Record<string, string>;
}

export interface GroupPlan {
  group_key: string;
  deployment: string;
  status: 'firing' | 'resolved';
  alerts: AlertSummary[];
  /** Alerts of this group muted by a silence (recorded, not sent). */
  silenced: AlertSummary[];
}

/** The notification bookkeeping to write back to each alert's state. */
export interface Marker {
  rule_id: string;
  last_notified_at: number | null;
  notified_status: 'firing' | 'silenced' | null;
}

export const groupKeyOf = (deployment: string) => `{deployment=${JSON.stringify(deployment)}}`;

/** The fields silences match against. */
export function matchFields(r: RuleFacts): Record<string, string> {
  return { ...r.labels, deployment: r.deployment, rule: r.name, severity: r.severity, metric: r.metric };
}

function summary(a: EvaluatedAlert, state: 'firing' | 'resolved', now: number): AlertSummary {
  const r = a.rule;
  const startsAt = (state === 'firing' ? a.after.firing_since : a.before.firing_since) ?? now;
  return {
    rule: r.name,
    rule_id: r.id,
    metric: r.metric,
    value: a.after.last_value,
    threshold: r.threshold,
    comparison: r.comparison,
    severity: r.severity,
    state,
    starts_at: startsAt,
    ...(state === 'resolved' ? { ends_at: a.after.resolved_at ?? now } : {}),
    fingerprint: a.fingerprint,
    labels: r.labels,
  };
}

export function planNotifications(
  alerts: readonly EvaluatedAlert[],
  silences: readonly SilenceWindow[],
  now: number,
  repeatIntervalMs: number,
): { groups: GroupPlan[]; markers: Marker[] } {
  const groups = new Map<string, GroupPlan>();
  const markers: Marker[] = [];
  const groupOf = (deployment: string, status: 'firing' | 'resolved') => {
    const key = `${status}\0${deployment}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { group_key: groupKeyOf(deployment), deployment, status, alerts: [], silenced: [] }));
    return g;
  };
  for (const a of alerts) {
    const muted = silencedBy(silences, matchFields(a.rule), now) !== undefined;
    if (a.after.state === 'firing') {
      const kind = muted ? 'silenced' : 'firing';
      const last = a.last_notified_at;
      const due = a.notified_status !== kind || last === null || last < (a.after.firing_since ?? 0) || now - last >= repeatIntervalMs;
      if (!due) continue;
      const g = groupOf(a.rule.deployment, 'firing');
      (muted ? g.silenced : g.alerts).push(summary(a, 'firing', now));
      markers.push({ rule_id: a.rule.id, last_notified_at: now, notified_status: kind });
    } else if (a.event === 'resolved') {
      if (a.notified_status === 'firing') {
        const g = groupOf(a.rule.deployment, 'resolved');
        (muted ? g.silenced : g.alerts).push(summary(a, 'resolved', now));
      }
      markers.push({ rule_id: a.rule.id, last_notified_at: a.last_notified_at, notified_status: null });
    }
  }
  const order = (g: GroupPlan) => `${g.deployment}\0${g.status === 'firing' ? 0 : 1}`;
  return { groups: [...groups.values()].sort((x, y) => (order(x) < order(y) ? -1 : 1)), markers };
}
