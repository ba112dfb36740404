/** Prometheus metrics of serving: predictions, latency, batching, queues, model loads and loaded sessions. */
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { BatchObserver } from './batcher.js';

/** How a prediction arrived: the records API, the v2 protocol, or a stream binding's message. */
export type Protocol = 'records' | 'v2' | 'stream';

export class ServingMetrics {
  private readonly requests: Counter<'deployment' | 'model_version' | 'protocol' | 'outcome'>;
  private readonly latency: Histogram<'deployment' | 'model_version' | 'protocol'>;
  private readonly batchRows: Histogram<'deployment' | 'model_version'>;
  private readonly runs: Counter<'deployment' | 'model_version' | 'placement'>;
  private readonly queueRows: Gauge<'deployment' | 'model_version'>;
  private readonly loadSeconds: Histogram<'model' | 'model_version'>;
  readonly loadedVersions: Gauge;
  readonly sessions: Gauge;
  readonly shadows: Counter<'deployment' | 'model_version' | 'outcome'>;

  constructor(registry: Registry) {
    const registers = [registry];
    this.requests = new Counter({
      name: 'ferry_predictions_total',
      help: 'Prediction requests by deployment, answering model version, protocol and outcome (ok, client_error, error)',
      labelNames: ['deployment', 'model_version', 'protocol', 'outcome'],
      registers,
    });
    this.latency = new Histogram({
      name: 'ferry_prediction_duration_seconds',
      help: 'Time from routing a prediction request to its result (queueing and inference)',
      labelNames: ['deployment', 'model_version', 'protocol'],
      buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers,
    });
    this.batchRows = new Histogram({
      name: 'ferry_batch_rows',
      help: 'Rows per inference run (after dynamic batching)',
      labelNames: ['deployment', 'model_version'],
      buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024],
      registers,
    });
    this.runs = new Counter({
      name: 'ferry_inference_runs_total',
      help: 'Inference runs by placement: inline (main-thread session, a lone small batch of a fast model) or worker',
      labelNames: ['deployment', 'model_version', 'placement'],
      registers,
    });
    this.queueRows = new Gauge({
      name: 'ferry_queue_rows',
      help: 'Rows waiting in a model version’s batching queue',
      labelNames: ['deployment', 'model_version'],
      registers,
    });
    this.loadSeconds = new Histogram({
      name: 'ferry_model_load_duration_seconds',
      help: 'Time to load and warm a model version’s sessions',
      labelNames: ['model', 'model_version'],
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    this.loadedVersions = new Gauge({ name: 'ferry_loaded_model_versions', help: 'Model versions loaded for serving', registers });
    this.sessions = new Gauge({
      name: 'ferry_inference_sessions',
      help: 'onnxruntime sessions (one per inference worker thread) across loaded versions',
      registers,
    });
    this.shadows = new Counter({
      name: 'ferry_shadow_predictions_total',
      help: 'Shadow predictions by outcome (their results are logged, never returned)',
      labelNames: ['deployment', 'model_version', 'outcome'],
      registers,
    });
  }

  observe(deployment: string, version: string, protocol: Protocol, outcome: 'ok' | 'client_error' | 'error', seconds: number): void {
    this.requests.inc({ deployment, model_version: version, protocol, outcome });
    if (outcome === 'ok') this.latency.observe({ deployment, model_version: version, protocol }, seconds);
  }

  batchObserver(deployment: string, version: string): BatchObserver {
    return {
      batch: (rows, _requests, placement) => {
        this.batchRows.observe({ deployment, model_version: version }, rows);
        this.runs.inc({ deployment, model_version: version, placement });
      },
      queueDepth: (rows) => this.queueRows.set({ deployment, model_version: version }, rows),
    };
  }

  loaded(model: string, version: string, ms: number): void {
    this.loadSeconds.observe({ model, model_version: version }, ms / 1000);
  }
}
