/**
 * Ferry's state as Prometheus gauges, read when /metrics is scraped: what the build is, and the ML state on-call
 * teams alert on — drift per deployment × feature, live performance per deployment × model version, the alert
 * rules' states. A top-level file like app.ts, because it reads across capabilities.
 *
 * Cheap and bounded: every reader is cached (a scrape every few seconds from several Prometheus servers costs one
 * read per TTL), and each reads what monitoring already keeps: profile windows (a few rows per window, never the
 * prediction log), the stored reference, the alert states. Live performance is the one join with the log
 * (predictions that got feedback, in one profile window), so it is refreshed at most once a minute.
 * Names, labels and meanings: docs/metrics.md.
 */
import type { FastifyInstance } from 'fastify';
import { Counter, Gauge, type Registry } from 'prom-client';
import { isFerryError } from './errors.js';

/** Drift and alert states are read at most this often. */
export const STATE_TTL_MS = 10_000;
/** Live performance (a join of predictions with their feedback) at most this often. */
export const PERFORMANCE_TTL_MS = 60_000;

/** The live performance numbers exported (the alert rules' names for them; docs/alerts.md). */
export const PERFORMANCE_METRICS = ['accuracy', 'precision', 'recall', 'f1', 'roc_auc', 'log_loss', 'mae', 'mse', 'rmse', 'r2', 'mape', 'max_error'] as const;

const ALERT_STATES = ['inactive', 'pending', 'firing'] as const;

interface FeatureDriftPoint {
  feature: string;
  method: string | null;
  statistic: number | null;
  drifted: boolean | null;
}

interface DriftPoint {
  deployment: string;
  /** Start of the profile window measured (epoch ms). */
  windowStart: number;
  rows: number;
  datasetDrifted: boolean;
  shareDrifted: number;
  features: FeatureDriftPoint[];
}

interface PerformancePoint {
  deployment: string;
  modelVersion: string;
  n: number;
  values: Partial<Record<(typeof PERFORMANCE_METRICS)[number], number>>;
}

const finite = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

/**
 * `compute` at most once per `ttlMs`: readers within the TTL get the last value, concurrent readers share one
 * computation, and a failed computation is not kept (the next scrape tries again).
 */
export function cachedFor<T>(ttlMs: number, compute: () => Promise<T>, clock: () => number = Date.now): () => Promise<T> {
  let value: { at: number; v: T } | null = null;
  let pending: Promise<T> | null = null;
  return () => {
    if (value && clock() - value.at < ttlMs) return Promise.resolve(value.v);
    pending ??= compute()
      .then((v) => {
        value = { at: clock(), v };
        return v;
      })
      .finally(() => {
        pending = null;
      });
    return pending;
  };
}

export function registerStateMetrics(registry: Registry, app: FastifyInstance, version: string): void {
  const registers = [registry];
  // The usual build_info shape: value 1, what matters is in the labels.
  const info = new Gauge({
    name: 'ferry_build_info',
    help: 'Ferry build: version and Node.js runtime',
    labelNames: ['version', 'node_version'],
    registers,
  });
  info.set({ version, node_version: process.versions.node }, 1);

  const { deployments, monitoring } = app.ferry;
  const errors = new Counter({
    name: 'ferry_state_read_errors_total',
    help: 'Scrape-time reads of Ferry state that failed (the gauges of that source are left out of the scrape)',
    labelNames: ['source'],
    registers,
  });
  /** One deployment's reading; a refusal (no reference, no traffic, not loaded) is no data, anything else is counted. */
  const orNull = async <T>(source: string, deployment: string, read: () => Promise<T>): Promise<T | null> => {
    try {
      return await read();
    } catch (err) {
      if (isFerryError(err)) return null;
      errors.inc({ source });
      app.log.warn({ err, deployment, source }, 'state metrics: read failed');
      return null;
    }
  };
  const deploymentNames = async () => (await deployments.list()).map((d) => d.name);

  /** Drift of the window now falls in; while that one has no traffic yet, of the window before it. */
  const driftOf = async (name: string, now: number): Promise<DriftPoint | null> => {
    const current = monitoring.state.windowStartOf(name, now);
    let start = current;
    let report = await orNull('drift', name, () => monitoring.drift.drift(name, { from: current, to: now + 1 }));
    if (!report) {
      start = monitoring.state.windowStartOf(name, current - 1);
      report = await orNull('drift', name, () => monitoring.drift.drift(name, { from: start, to: current }));
    }
    if (!report) return null;
    const columns = [...report.features, ...(report.prediction ? [report.prediction] : [])];
    return {
      deployment: name,
      windowStart: start,
      rows: report.current.rows,
      datasetDrifted: report.dataset_drift,
      shareDrifted: report.share_drifted,
      features: columns.map((f) => ({
        feature: f.name,
        method: 'method' in f ? f.method : null,
        statistic: 'statistic' in f ? f.statistic : null,
        drifted: f.drifted,
      })),
    };
  };
  const drift = cachedFor(STATE_TTL_MS, async () => {
    const now = Date.now();
    // One deployment at a time: a scrape never takes more than one of the store's connections.
    const points: DriftPoint[] = [];
    for (const name of await deploymentNames()) {
      const p = await driftOf(name, now);
      if (p) points.push(p);
    }
    return points;
  });

  /** Per model version, over the window now falls in (else the one before, while the current has no feedback yet). */
  const performanceOf = async (name: string, now: number): Promise<PerformancePoint[]> => {
    const current = monitoring.state.windowStartOf(name, now);
    let report = await orNull('performance', name, () => monitoring.drift.performance(name, { from: current, to: now + 1 }));
    if (report && report.n === 0) {
      const previous = monitoring.state.windowStartOf(name, current - 1);
      report = await orNull('performance', name, () => monitoring.drift.performance(name, { from: previous, to: current }));
    }
    if (!report) return [];
    return report.versions
      .filter((v) => v.n > 0)
      .map((v) => {
        const fields = v as Record<string, unknown>;
        const values: PerformancePoint['values'] = {};
        for (const m of PERFORMANCE_METRICS) if (finite(fields[m])) values[m] = fields[m];
        return { deployment: name, modelVersion: v.model_version, n: v.n, values };
      });
  };
  const performance = cachedFor(PERFORMANCE_TTL_MS, async () => {
    const now = Date.now();
    const points: PerformancePoint[] = [];
    for (const name of await deploymentNames()) points.push(...(await performanceOf(name, now)));
    return points;
  });

  const alerts = cachedFor(STATE_TTL_MS, async () => (await app.alerts.rules.currentAlerts({ state: 'all' })).filter((a) => a.enabled));

  /** A gauge filled from one cached source; a failed read leaves the gauge empty for this scrape. */
  const gauge = <T, L extends string>(
    name: string,
    help: string,
    labelNames: readonly L[],
    source: string,
    read: () => Promise<T>,
    fill: (g: Gauge<L>, v: T) => void,
  ) =>
    new Gauge<L>({
      name,
      help,
      labelNames,
      registers,
      async collect() {
        this.reset();
        let v: T;
        try {
          v = await read();
        } catch (err) {
          errors.inc({ source });
          app.log.warn({ err, source }, 'state metrics: read failed');
          return;
        }
        fill(this, v);
      },
    });

  // ---- drift (monitoring's current profile window against the deployment's reference) ----
  gauge(
    'ferry_feature_drift_statistic',
    "Drift statistic of a feature (or the model's prediction) in the current profile window against the reference; its scale depends on method",
    ['deployment', 'feature', 'method'],
    'drift',
    drift,
    (g, points) => {
      for (const p of points)
        for (const f of p.features) if (finite(f.statistic) && f.method) g.set({ deployment: p.deployment, feature: f.feature, method: f.method }, f.statistic);
    },
  );
  gauge(
    'ferry_feature_drifted',
    'Whether a feature (or the prediction) drifted in the current profile window: 1 drifted, 0 not (absent: not judged)',
    ['deployment', 'feature'],
    'drift',
    drift,
    (g, points) => {
      for (const p of points) for (const f of p.features) if (f.drifted !== null) g.set({ deployment: p.deployment, feature: f.feature }, f.drifted ? 1 : 0);
    },
  );
  gauge(
    'ferry_dataset_drifted',
    'Whether the share of drifted features reached the dataset drift share in the current profile window: 1 or 0',
    ['deployment'],
    'drift',
    drift,
    (g, points) => {
      for (const p of points) g.set({ deployment: p.deployment }, p.datasetDrifted ? 1 : 0);
    },
  );
  gauge(
    'ferry_drifted_features_ratio',
    'Share of judged features that drifted in the current profile window (0 to 1)',
    ['deployment'],
    'drift',
    drift,
    (g, points) => {
      for (const p of points) g.set({ deployment: p.deployment }, p.shareDrifted);
    },
  );
  gauge('ferry_drift_window_rows', 'Rows profiled in the window the drift gauges measure', ['deployment'], 'drift', drift, (g, points) => {
    for (const p of points) g.set({ deployment: p.deployment }, p.rows);
  });
  gauge(
    'ferry_drift_window_start_timestamp_seconds',
    'Start of the profile window the drift gauges measure (Unix seconds)',
    ['deployment'],
    'drift',
    drift,
    (g, points) => {
      for (const p of points) g.set({ deployment: p.deployment }, p.windowStart / 1000);
    },
  );

  // ---- live performance (predictions joined with feedback) ----
  gauge(
    'ferry_live_performance',
    'Live performance of a model version from feedback in the current profile window, by metric (accuracy, roc_auc, rmse, ...)',
    ['deployment', 'model_version', 'metric'],
    'performance',
    performance,
    (g, points) => {
      for (const p of points) for (const [metric, v] of Object.entries(p.values)) g.set({ deployment: p.deployment, model_version: p.modelVersion, metric }, v);
    },
  );
  gauge(
    'ferry_live_performance_rows',
    'Predictions with feedback behind ferry_live_performance',
    ['deployment', 'model_version'],
    'performance',
    performance,
    (g, points) => {
      for (const p of points) g.set({ deployment: p.deployment, model_version: p.modelVersion }, p.n);
    },
  );

  // ---- alerts (the rules' states as the engine last evaluated them) ----
  gauge(
    'ferry_alert_state',
    "An enabled alert rule's state: 1 for its state (inactive, pending, firing), 0 for the others",
    ['rule', 'deployment', 'severity', 'state'],
    'alerts',
    alerts,
    (g, list) => {
      for (const a of list)
        for (const s of ALERT_STATES) g.set({ rule: a.rule, deployment: a.deployment, severity: a.severity, state: s }, s === a.state ? 1 : 0);
    },
  );
  gauge(
    'ferry_alert_value',
    "The value of an enabled alert rule's metric at its last evaluation (absent: no data)",
    ['rule', 'deployment', 'metric'],
    'alerts',
    alerts,
    (g, list) => {
      for (const a of list) if (finite(a.value)) g.set({ rule: a.rule, deployment: a.deployment, metric: a.metric }, a.value);
    },
  );
}
