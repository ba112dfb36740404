/**
 * Live traffic from Ferry's serving counters (pure): a snapshot of one deployment's counters per model version
 * (as GET /api/v1/deployments/{name}/traffic answers them, summed over the replicas), rates between two snapshots
 * (requests/s, error share, latency p50/p99 from the histogram's bucket deltas, interpolated as Prometheus'
 * histogram_quantile does), and chart series from a history of rates.
 */
import type { TrafficSample } from '../../../../src/sdk/index.js';
import type { ChartSeries } from '../../components/chart-data.js';

export const REQUESTS = 'ferry_predictions_total';
export const LATENCY = 'ferry_prediction_duration_seconds';
export const SHADOWS = 'ferry_shadow_predictions_total';

export interface VersionCounters {
  ok: number;
  /** client_error + error. */
  failed: number;
  /** Upper bound (seconds, Infinity last) → cumulative count, summed over protocols. */
  buckets: Map<number, number>;
  latencySum: number;
  latencyCount: number;
}

export interface TrafficSnapshot {
  /** Epoch milliseconds of the reading. */
  t: number;
  /** How many replicas' counters the reading sums. */
  replicas: number;
  main: Map<string, VersionCounters>;
  shadow: Map<string, { ok: number; failed: number }>;
}

const empty = (): VersionCounters => ({ ok: 0, failed: 0, buckets: new Map(), latencySum: 0, latencyCount: 0 });

/** The samples of one deployment (the traffic answer's) as counters per model version. */
export function snapshotOf(samples: readonly TrafficSample[], t: number, replicas = 1): TrafficSnapshot {
  const main = new Map<string, VersionCounters>();
  const shadow = new Map<string, { ok: number; failed: number }>();
  const at = (v: string) => main.get(v) ?? main.set(v, empty()).get(v)!;
  for (const s of samples) {
    const v = s.labels['model_version'];
    if (v === undefined) continue;
    if (s.name === REQUESTS) {
      const c = at(v);
      if (s.labels['outcome'] === 'ok') c.ok += s.value;
      else c.failed += s.value;
    } else if (s.name === `${LATENCY}_bucket`) {
      const le = s.labels['le'] === '+Inf' ? Infinity : Number(s.labels['le']);
      if (Number.isNaN(le)) continue;
      const b = at(v).buckets;
      b.set(le, (b.get(le) ?? 0) + s.value);
    } else if (s.name === `${LATENCY}_sum`) at(v).latencySum += s.value;
    else if (s.name === `${LATENCY}_count`) at(v).latencyCount += s.value;
    else if (s.name === SHADOWS) {
      const c = shadow.get(v) ?? shadow.set(v, { ok: 0, failed: 0 }).get(v)!;
      if (s.labels['outcome'] === 'ok') c.ok += s.value;
      else c.failed += s.value;
    }
  }
  return { t, replicas, main, shadow };
}

/** A counter's increase; a counter that went down was reset (a restart), so its whole value is the increase. */
export function increase(before: number, after: number): number {
  return after >= before ? after - before : after;
}

/**
 * Whether rates between two readings mean anything. The counters are sums over the live replicas: one that joins
 * adds its whole count at once, one that leaves or restarts takes its count away (and a drop read as a reset would
 * count the rest of the cluster's total as new). Such an interval gets no point; the next one starts afresh.
 */
export function comparable(prev: TrafficSnapshot, cur: TrafficSnapshot): boolean {
  if (prev.replicas !== cur.replicas) return false;
  for (const [v, p] of prev.main) {
    const c = cur.main.get(v);
    if (!c || c.ok < p.ok || c.failed < p.failed || c.latencyCount < p.latencyCount) return false;
  }
  for (const [v, p] of prev.shadow) {
    const c = cur.shadow.get(v);
    if (!c || c.ok < p.ok || c.failed < p.failed) return false;
  }
  return true;
}

/** The q-quantile (0–1) of cumulative buckets [upper bound, count] sorted by bound; null without observations. */
export function histogramQuantile(q: number, buckets: readonly (readonly [number, number])[]): number | null {
  const total = buckets.length > 0 ? buckets[buckets.length - 1]![1] : 0;
  if (!(total > 0)) return null;
  const rank = q * total;
  for (let i = 0; i < buckets.length; i++) {
    const [le, count] = buckets[i]!;
    if (count < rank) continue;
    if (le === Infinity) {
      // Above the highest finite bound: that bound is the best answer there is.
      return i > 0 ? buckets[i - 1]![0] : null;
    }
    const lower = i > 0 ? buckets[i - 1]![0] : 0;
    const below = i > 0 ? buckets[i - 1]![1] : 0;
    const inBucket = count - below;
    return inBucket > 0 ? lower + ((le - lower) * (rank - below)) / inBucket : le;
  }
  return null;
}

/** Bucket increases between two readings, kept cumulative and non-decreasing. */
export function bucketIncrease(before: ReadonlyMap<number, number>, after: ReadonlyMap<number, number>): [number, number][] {
  const bounds = [...after.keys()].sort((a, b) => a - b);
  let floor = 0;
  return bounds.map((le) => {
    floor = Math.max(floor, increase(before.get(le) ?? 0, after.get(le)!));
    return [le, floor];
  });
}

export interface VersionRates {
  requestsPerSec: number;
  /** Share of requests that failed (0–1); null when there were none. */
  errorRate: number | null;
  p50Ms: number | null;
  p99Ms: number | null;
}

export interface TrafficPoint {
  /** Epoch seconds of the earlier reading: the interval the rates cover starts here. */
  from: number;
  /** Epoch seconds (the later reading). */
  t: number;
  main: Record<string, VersionRates>;
  shadow: Record<string, Pick<VersionRates, 'requestsPerSec' | 'errorRate'>>;
}

/**
 * Rates between two readings. A version is included when it had traffic in between or is in `active` (the
 * versions the deployment routes to now), so retired versions drop out instead of drawing flat lines forever.
 */
export function ratesBetween(prev: TrafficSnapshot, cur: TrafficSnapshot, active: ReadonlySet<string> = new Set()): TrafficPoint | null {
  const seconds = (cur.t - prev.t) / 1000;
  if (!(seconds > 0)) return null;
  const point: TrafficPoint = { from: prev.t / 1000, t: cur.t / 1000, main: {}, shadow: {} };
  for (const [v, c] of cur.main) {
    const p = prev.main.get(v) ?? empty();
    const ok = increase(p.ok, c.ok);
    const failed = increase(p.failed, c.failed);
    if (ok + failed === 0 && !active.has(v)) continue;
    const buckets = bucketIncrease(p.buckets, c.buckets);
    const q = (x: number) => {
      const s = histogramQuantile(x, buckets);
      return s === null ? null : s * 1000;
    };
    point.main[v] = { requestsPerSec: (ok + failed) / seconds, errorRate: ok + failed > 0 ? failed / (ok + failed) : null, p50Ms: q(0.5), p99Ms: q(0.99) };
  }
  for (const v of active) if (!point.main[v]) point.main[v] = { requestsPerSec: 0, errorRate: null, p50Ms: null, p99Ms: null };
  for (const [v, c] of cur.shadow) {
    const p = prev.shadow.get(v) ?? { ok: 0, failed: 0 };
    const ok = increase(p.ok, c.ok);
    const failed = increase(p.failed, c.failed);
    if (ok + failed === 0) continue;
    point.shadow[v] = { requestsPerSec: (ok + failed) / seconds, errorRate: failed / (ok + failed) };
  }
  return point;
}

/** Appends, keeping the newest `max` points. */
export function appendPoint(history: readonly TrafficPoint[], point: TrafficPoint, max: number): TrafficPoint[] {
  const next = [...history, point];
  return next.length > max ? next.slice(next.length - max) : next;
}

const byVersion = (a: string, b: string) => Number(a) - Number(b) || a.localeCompare(b);

export interface TrafficCharts {
  requests: ChartSeries[];
  latency: ChartSeries[];
  errors: ChartSeries[];
}

/**
 * One series per model version (and per shadow version), x in epoch seconds. Each series starts with an
 * empty point where the first interval starts, so a single rate still gets a time axis seconds wide.
 */
export function trafficCharts(history: readonly TrafficPoint[]): TrafficCharts {
  const main = [...new Set(history.flatMap((p) => Object.keys(p.main)))].sort(byVersion);
  const shadow = [...new Set(history.flatMap((p) => Object.keys(p.shadow)))].sort(byVersion);
  const start = history.length > 0 ? [{ x: history[0]!.from, y: null }] : [];
  const series = (label: string, y: (p: TrafficPoint) => number | null | undefined): ChartSeries => ({
    label,
    points: [...start, ...history.map((p) => ({ x: p.t, y: y(p) ?? null }))],
  });
  return {
    requests: [
      ...main.map((v) => series(`v${v}`, (p) => p.main[v]?.requestsPerSec ?? 0)),
      ...shadow.map((v) => series(`v${v} (shadow)`, (p) => p.shadow[v]?.requestsPerSec ?? 0)),
    ],
    latency: main.flatMap((v) => [series(`v${v} p50`, (p) => p.main[v]?.p50Ms), series(`v${v} p99`, (p) => p.main[v]?.p99Ms)]),
    errors: [
      ...main.map((v) => series(`v${v}`, (p) => pctOrNull(p.main[v]?.errorRate))),
      ...shadow.map((v) => series(`v${v} (shadow)`, (p) => pctOrNull(p.shadow[v]?.errorRate))),
    ],
  };
}

const pctOrNull = (r: number | null | undefined) => (r === null || r === undefined ? null : r * 100);

export interface VersionTotals {
  version: string;
  requests: number;
  failed: number;
  meanMs: number | null;
  last: VersionRates | undefined;
}

/** Totals since each replica started (the summed counters themselves), with the latest rates beside them. */
export function versionTotals(snapshot: TrafficSnapshot, last: TrafficPoint | undefined, active: ReadonlySet<string>): VersionTotals[] {
  const versions = [...new Set([...snapshot.main.keys(), ...active])].sort(byVersion);
  return versions.map((version) => {
    const c = snapshot.main.get(version) ?? empty();
    return {
      version,
      requests: c.ok + c.failed,
      failed: c.failed,
      meanMs: c.latencyCount > 0 ? (c.latencySum / c.latencyCount) * 1000 : null,
      last: last?.main[version],
    };
  });
}
