/**
 * Current alerts shaped for display (pure): grouped per deployment as notifications are (group_key
 * `{deployment="…"}`), firing groups most severe and longest-firing first, resolved groups most recent first;
 * each alert's cause in words, where to look at it, and the active silence that mutes it, if any.
 */
import type { AlertComparison, AlertSeverity, AlertStatus, Silence } from '../../../../src/sdk/index.js';
import { formatNumber } from '../../format.js';
import { href } from '../../router.js';

export type DisplayState = 'firing' | 'pending' | 'resolved';

export interface AlertGroup {
  deployment: string;
  state: 'firing' | 'resolved';
  /** The most severe firing alert's severity (of every alert when none fires yet). */
  severity: AlertSeverity;
  alerts: AlertStatus[];
}

const SEVERITY_RANK: Record<AlertSeverity, number> = { critical: 3, warning: 2, info: 1 };
const STATE_RANK: Record<DisplayState, number> = { firing: 2, pending: 1, resolved: 0 };

export function displayState(a: AlertStatus): DisplayState | null {
  if (a.state === 'firing' || a.state === 'pending') return a.state;
  return a.resolved_at !== null ? 'resolved' : null;
}

/** When the alert's current episode started: firing since, else pending since; for resolved ones, when it resolved. */
export function alertSince(a: AlertStatus): number | null {
  const s = displayState(a);
  if (s === 'resolved') return a.resolved_at;
  return (s === 'firing' ? a.firing_since : null) ?? a.active_since;
}

function maxSeverity(alerts: readonly AlertStatus[]): AlertSeverity {
  return alerts.reduce<AlertSeverity>((m, a) => (SEVERITY_RANK[a.severity] > SEVERITY_RANK[m] ? a.severity : m), 'info');
}

const byNumber = (a: number | null, b: number | null) => (a ?? Infinity) - (b ?? Infinity);

export function groupAlerts(alerts: readonly AlertStatus[]): { active: AlertGroup[]; resolved: AlertGroup[] } {
  const active = new Map<string, AlertStatus[]>();
  const resolved = new Map<string, AlertStatus[]>();
  for (const a of alerts) {
    if (!a.enabled) continue;
    const s = displayState(a);
    if (s === null) continue;
    const into = s === 'resolved' ? resolved : active;
    (into.get(a.deployment) ?? into.set(a.deployment, []).get(a.deployment)!).push(a);
  }
  const activeGroups = [...active].map(([deployment, list]): AlertGroup => ({
    deployment,
    state: 'firing',
    severity: maxSeverity(list.some((a) => a.state === 'firing') ? list.filter((a) => a.state === 'firing') : list),
    alerts: [...list].sort(
      (x, y) =>
        STATE_RANK[displayState(y)!] - STATE_RANK[displayState(x)!] ||
        SEVERITY_RANK[y.severity] - SEVERITY_RANK[x.severity] ||
        byNumber(alertSince(x), alertSince(y)) ||
        x.rule.localeCompare(y.rule),
    ),
  }));
  const firingFirst = (g: AlertGroup) => (g.alerts.some((a) => a.state === 'firing') ? 1 : 0);
  const earliest = (g: AlertGroup) => Math.min(...g.alerts.map((a) => alertSince(a) ?? Infinity));
  activeGroups.sort(
    (x, y) =>
      firingFirst(y) - firingFirst(x) ||
      SEVERITY_RANK[y.severity] - SEVERITY_RANK[x.severity] ||
      earliest(x) - earliest(y) ||
      x.deployment.localeCompare(y.deployment),
  );

  const resolvedGroups = [...resolved].map(([deployment, list]): AlertGroup => ({
    deployment,
    state: 'resolved',
    severity: maxSeverity(list),
    alerts: [...list].sort((x, y) => (y.resolved_at ?? 0) - (x.resolved_at ?? 0) || x.rule.localeCompare(y.rule)),
  }));
  const latest = (g: AlertGroup) => Math.max(...g.alerts.map((a) => a.resolved_at ?? 0));
  resolvedGroups.sort((x, y) => latest(y) - latest(x) || x.deployment.localeCompare(y.deployment));
  return { active: activeGroups, resolved: resolvedGroups };
}

const SYMBOL: Record<AlertComparison, string> = { '>': '>', '>=': '≥', '<': '<', '<=': '≤', '==': '=', '!=': '≠' };

export function comparisonSymbol(c: AlertComparison): string {
  return SYMBOL[c] ?? c;
}

/** `feature_drift:income = 1 (fires when ≥ 1)`; `no data` for a null value. */
export function causeText(a: Pick<AlertStatus, 'metric' | 'value' | 'comparison' | 'threshold'>): string {
  const value = a.value === null ? 'no data' : formatNumber(a.value);
  return `${a.metric} = ${value} (fires when ${comparisonSymbol(a.comparison)} ${formatNumber(a.threshold)})`;
}

/** Where the metric behind an alert can be seen: the Monitoring page, on the right tab and feature. */
export function metricHref(deployment: string, metric: string): string {
  const [base, feature] = metric.includes(':') ? [metric.slice(0, metric.indexOf(':')), metric.slice(metric.indexOf(':') + 1)] : [metric, undefined];
  const at = (query: Record<string, string | undefined>) => href('/monitoring/:deployment', { deployment }, query);
  if (base === 'feature_drift' || base === 'drift_score') return at({ feature });
  if (base === 'null_rate') return at({ tab: 'trends', feature });
  if (base === 'dataset_drift' || base === 'drift_share') return at({});
  if (base === 'validation_failures') return at({ tab: 'trends' });
  if (['accuracy', 'precision', 'recall', 'f1', 'roc_auc', 'log_loss', 'mae', 'rmse', 'r2', 'mape'].includes(base)) return at({ tab: 'performance' });
  return at({});
}

/** The fields a silence's matchers are checked against (as the server does). */
export function matchFields(a: AlertStatus): Record<string, string> {
  return { ...a.labels, deployment: a.deployment, rule: a.rule, severity: a.severity, metric: a.metric };
}

function matches(m: Silence['matchers'][number], fields: Record<string, string>): boolean {
  const actual = fields[m.name] ?? '';
  if (!m.is_regex) return actual === m.value;
  try {
    return new RegExp(`^(?:${m.value})$`, 'u').test(actual);
  } catch {
    return false;
  }
}

/** The first active silence muting the alert, if any. */
export function silencedBy(a: AlertStatus, silences: readonly Silence[], now: number): Silence | undefined {
  const fields = matchFields(a);
  return silences.find((s) => s.starts_at <= now && now < s.ends_at && s.matchers.every((m) => matches(m, fields)));
}

/** `deployment=credit, severity=~warning|critical` */
export function matchersText(matchers: Silence['matchers']): string {
  return matchers.map((m) => `${m.name}${m.is_regex ? '=~' : '='}${m.value}`).join(', ');
}

/**
 * Matchers typed in a form, one per comma or line: `name=value` or `name=~regex`. Answers the matchers or
 * the first problem in words (the server checks again).
 */
export function parseMatcherText(text: string): { matchers: string[]; error?: string } {
  const parts = text
    .split(/[\n,]/)
    .map((p) => p.trim())
    .filter((p) => p !== '');
  if (parts.length === 0) return { matchers: [], error: 'Give at least one matcher, e.g. deployment=credit.' };
  for (const p of parts) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)\s*(=~|=)(.*)$/.exec(p);
    if (!m) return { matchers: [], error: `"${p}" is not name=value or name=~regex.` };
    if (m[2] === '=~') {
      try {
        new RegExp(m[3]!, 'u');
      } catch {
        return { matchers: [], error: `"${m[3]}" is not a valid regular expression.` };
      }
    }
  }
  return { matchers: parts.map((p) => p.replace(/^([A-Za-z0-9_]+)\s*(=~|=)\s*/, '$1$2')) };
}
