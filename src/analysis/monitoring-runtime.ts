/**
 * Monitoring as the server runs it: the state, the prediction log and the service, with their background
 * jobs (profile persistence, settings refresh across replicas, retention) and an orderly close.
 */
import { randomUUID } from 'node:crypto';
import { Counter, Gauge, type Registry } from 'prom-client';
import type { Store } from '../store/index.js';
import { isFerryError } from '../errors.js';
import { MonitoringMetricSource } from './alert-metrics.js';
import type { MonitoringDataHooks } from './data-hooks.js';
import { DriftService, type FeatureSource, type ReferenceScorer } from './drift-service.js';
import {
  DEFAULT_LOG_OPTIONS,
  type DeploymentExists,
  type LogSink,
  MonitoringService,
  MonitoringState,
  PredictionJournal,
  PredictionLog,
  type PredictionLogOptions,
  canUseThread,
  localSink,
  threadSink,
} from '../prediction-log/index.js';

export interface MonitoringDeps {
  store: Store;
  /** The store's URL (with its password): the monitoring thread opens its own connection. */
  storeUrl: string;
  /** Nice value for the monitoring thread (0: the same priority as the request path). */
  threadNice?: number;
  metrics: Registry;
  deploymentExists: DeploymentExists;
  /** The live model's features and prediction output, per deployment. */
  featuresOf: FeatureSource;
  scoreReference: ReferenceScorer;
  /** Deployments known to the server (for retention). */
  deployments: () => Promise<string[]>;
  onError: (err: unknown, what: string) => void;
  logOptions?: Partial<PredictionLogOptions>;
  /**
   * The prediction journal's folder (`<data-dir>/prediction-journal`): stored requests are written there before
   * they are answered, and what a killed server left is stored on start. Absent: no journal (tests in memory).
   */
  journalDir?: string;
  /** The journal's size cap in bytes (past it, requests are dropped, counted). */
  journalBytes?: number;
  persistEveryMs?: number;
  /** Dataset references and suites on traffic (from the data capability). */
  data?: MonitoringDataHooks;
  /** Runs a cluster-wide task (retention, traffic validation) on one replica only; absent: always here. */
  runOnce?: (task: string, intervalMs: number, fn: () => Promise<void>) => Promise<boolean>;
}

export interface Monitoring {
  state: MonitoringState;
  log: PredictionLog;
  service: MonitoringService;
  drift: DriftService;
  /** Numbers for alert rules. */
  alertMetrics: MonitoringMetricSource;
  close(): Promise<void>;
}

export async function startMonitoring(deps: MonitoringDeps): Promise<Monitoring> {
  const state = new MonitoringState(deps.store, randomUUID());
  await state.load();
  const registers = [deps.metrics];
  const metrics = {
    rows: new Counter({
      name: 'ferry_prediction_log_rows_total',
      help: 'Prediction rows by what the log did with them: stored, sampled_out, dropped (queue full), write_failed',
      labelNames: ['deployment', 'outcome'] as const,
      registers,
    }),
    queue: new Gauge({ name: 'ferry_prediction_log_queue_rows', help: 'Prediction rows waiting to be written', registers }),
  };
  const onLogError = (err: unknown) => deps.onError(err, 'prediction log write failed');
  let sink: LogSink;
  if (canUseThread(deps.storeUrl)) sink = await threadSink(deps.storeUrl, state.replica, () => state.settingsSnapshot(), onLogError, deps.threadNice ?? 0);
  else {
    const writer = deps.store.predictionWriter();
    sink = localSink(state, (rows, ids) => writer.insert(rows, ids), onLogError);
  }
  const journal = deps.journalDir ? new PredictionJournal(deps.journalDir, deps.journalBytes) : null;
  const log = new PredictionLog(state, sink, metrics, { ...DEFAULT_LOG_OPTIONS, ...deps.logOptions }, journal, onLogError);
  // Before serving: what a killed server answered and had not stored yet.
  await log.replay();
  state.beforeRead = () => log.sync();
  log.start();
  const service = new MonitoringService(deps.store, state, log, deps.deploymentExists);
  const drift = new DriftService(
    deps.store,
    state,
    deps.deploymentExists,
    deps.featuresOf,
    () => log.flush(),
    deps.scoreReference,
    Date.now,
    deps.data ?? null,
  );

  const every = (ms: number, what: string, job: () => Promise<unknown>) => {
    const t = setInterval(() => void job().catch((err: unknown) => deps.onError(err, what)), ms);
    t.unref();
    return t;
  };
  // Work on the shared store that one replica does for the cluster (every replica persists its own profiles).
  const once = (task: string, ms: number, job: () => Promise<unknown>) =>
    deps.runOnce
      ? () =>
          deps.runOnce!(task, ms, async () => {
            await job();
          })
      : job;
  const timers = [
    every(deps.persistEveryMs ?? 5_000, 'profile persistence failed', () => state.persist()),
    every(30_000, 'monitoring settings refresh failed', () => state.reload()),
    every(
      3_600_000,
      'prediction retention failed',
      once('retention', 3_600_000, async () => service.applyRetention(await deps.deployments())),
    ),
    // Suites attached to deployments judge each finished traffic window (recorded once per window and suite).
    every(
      30_000,
      'traffic validation failed',
      once('traffic_validation', 30_000, async () => {
        for (const name of await deps.deployments()) await drift.validateFinishedWindows(name);
      }),
    ),
  ];
  return {
    state,
    log,
    service,
    drift,
    alertMetrics: new MonitoringMetricSource(
      state,
      drift,
      async (deployment, from, to) => {
        const report = await drift.performance(deployment, { from, to }).catch((err: unknown) => {
          if (isFerryError(err) && err.status < 500) return null; // no such deployment (yet), or not serving
          throw err;
        });
        const overall = report?.overall as Record<string, unknown> | null | undefined;
        if (!overall) return null;
        // Flat numbers only (weighted averages and the confusion matrix are not alert metrics).
        return Object.fromEntries(Object.entries(overall).filter((e): e is [string, number] => typeof e[1] === 'number'));
      },
      deps.data,
    ),
    async close() {
      timers.forEach(clearInterval);
      await log.close();
      await state.persist();
    },
  };
}
