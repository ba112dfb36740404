/**
 * Readable output of `ferry cluster status` (the replicas and the leases of once-per-cluster tasks) and of
 * `ferry deployments traffic` (a deployment's counters per model version, summed over the replicas).
 */
import type { ClusterLease, ClusterReplica, ClusterStatus, DeploymentTraffic, TrafficSample } from '../sdk/index.js';
import { formatDuration, formatTime, formatValue } from './context.js';
import { formatTable, heading } from './table.js';

/** `1.2s ago`; `now` for a time a clock step put in the future. */
export function ago(ms: number, now: number): string {
  return now >= ms ? `${formatDuration(now - ms)} ago` : 'now';
}

/** How long a lease still runs; `expired` once past (the next tick elsewhere takes it over). */
export function expiresIn(lease: ClusterLease, now: number): string {
  return lease.expires_at > now ? formatDuration(lease.expires_at - now) : 'expired';
}

export function replicasTable(replicas: readonly ClusterReplica[], now: number): string {
  return formatTable<ClusterReplica>(
    [
      // The replica that answered is marked: the load balancer picked it, so it is "this one" for the reader.
      { header: 'ID', value: (r) => (r.self ? `${r.id} *` : r.id) },
      { header: 'HOST', value: (r) => r.host, maxWidth: 40 },
      { header: 'STATE', value: (r) => r.state },
      { header: 'VERSION', value: (r) => r.version },
      { header: 'LAST HEARTBEAT', value: (r) => ago(r.seen_at, now), align: 'right' },
      { header: 'STARTED', value: (r) => formatTime(r.started_at) },
      { header: 'URL', value: (r) => r.url, maxWidth: 50 },
    ],
    replicas,
  );
}

export function leasesTable(leases: readonly ClusterLease[], now: number): string {
  return formatTable<ClusterLease>(
    [
      { header: 'TASK', value: (l) => l.task },
      { header: 'HOLDER', value: (l) => l.holder },
      { header: 'EXPIRES IN', value: (l) => expiresIn(l, now), align: 'right' },
      { header: 'HELD SINCE', value: (l) => formatTime(l.acquired_at) },
    ],
    leases,
  );
}

/** The whole of `ferry cluster status`: replicas, then leases; `now` is the reader's clock (heartbeats are epoch ms). */
export function clusterText(status: ClusterStatus, now: number): string {
  const n = status.replicas.length;
  const replicas =
    heading(`Replicas (${n}; heartbeat every ${formatDuration(status.heartbeat_ms)}, live within three)`) +
    (n ? replicasTable(status.replicas, now) + '* answered this request\n' : '  (none)\n');
  const leases =
    heading('Once-per-cluster tasks') +
    (status.leases.length ? leasesTable(status.leases, now) : '  (no lease taken yet: a task takes one at its first tick)\n');
  return `${replicas}\n${leases}`;
}

export interface VersionTraffic {
  route: 'main' | 'shadow';
  version: string;
  ok: number;
  failed: number;
  /** Mean latency of answered requests (the histogram counts ok requests only); null without any. */
  meanMs: number | null;
}

const byVersion = (a: string, b: string) => Number(a) - Number(b) || a.localeCompare(b);

/** The samples as totals per model version: served requests (every protocol) first, then shadow copies. */
export function versionTraffic(samples: readonly TrafficSample[]): VersionTraffic[] {
  const rows = new Map<string, VersionTraffic & { sum: number; count: number }>();
  const at = (route: 'main' | 'shadow', version: string) => {
    const key = `${route}\u0000${version}`;
    return rows.get(key) ?? rows.set(key, { route, version, ok: 0, failed: 0, meanMs: null, sum: 0, count: 0 }).get(key)!;
  };
  for (const s of samples) {
    const v = s.labels['model_version'];
    if (v === undefined) continue;
    if (s.name === 'ferry_predictions_total' || s.name === 'ferry_shadow_predictions_total') {
      const row = at(s.name === 'ferry_predictions_total' ? 'main' : 'shadow', v);
      if (s.labels['outcome'] === 'ok') row.ok += s.value;
      else row.failed += s.value;
    } else if (s.name === 'ferry_prediction_duration_seconds_sum') at('main', v).sum += s.value;
    else if (s.name === 'ferry_prediction_duration_seconds_count') at('main', v).count += s.value;
  }
  return [...rows.values()]
    .map(({ sum, count, ...r }) => ({ ...r, meanMs: count > 0 ? (sum / count) * 1000 : null }))
    .sort((a, b) => (a.route === b.route ? byVersion(a.version, b.version) : a.route === 'main' ? -1 : 1));
}

const percent = (part: number, whole: number) => (whole > 0 ? `${formatValue(Number(((part / whole) * 100).toFixed(2)))}%` : '');

export function trafficText(t: DeploymentTraffic): string {
  const rows = versionTraffic(t.samples);
  const head = `Deployment ${t.deployment}: counters summed over ${t.replicas} replica${t.replicas === 1 ? '' : 's'} at ${formatTime(t.at)} (each since its start; rates need two readings)\n`;
  if (rows.length === 0) return `${head}  (no requests counted yet)\n`;
  return (
    head +
    formatTable<VersionTraffic>(
      [
        { header: 'ROUTE', value: (r) => r.route },
        { header: 'VERSION', value: (r) => r.version },
        { header: 'REQUESTS', value: (r) => r.ok + r.failed, align: 'right' },
        { header: 'OK', value: (r) => r.ok, align: 'right' },
        { header: 'FAILED', value: (r) => r.failed, align: 'right' },
        { header: 'FAILED %', value: (r) => percent(r.failed, r.ok + r.failed), align: 'right' },
        { header: 'MEAN MS', value: (r) => (r.meanMs === null ? '' : r.meanMs.toFixed(2)), align: 'right' },
      ],
      rows,
    )
  );
}
