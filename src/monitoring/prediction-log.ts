/**
 * The prediction log. Serving reports each request (and shadow result) synchronously and cheaply; rows are
 * built, PII rules applied, profiles updated and rows written in batches off the request path. The queue is
 * bounded: when full, requests are dropped *and counted* (metric + API), never silently lost. A sample rate
 * below 1 stores only that share of requests' rows (also counted); profiles still see every request.
 */
import type { Counter, Gauge } from 'prom-client';
import type { PredictionEvent, PredictionObserver } from '../serving/index.js';
import type { PredictionTable } from '../store/index.js';
import { inputRowsOf, outputRowsOf } from './flat-rows.js';
import { applyPii } from './pii.js';
import { flattenOutputs } from './window-profile.js';
import type { MonitoringState } from './monitoring-state.js';

export interface PredictionLogOptions {
  /** Rows waiting at most; beyond, requests are dropped (counted). */
  maxQueueRows: number;
  flushIntervalMs: number;
  /** A flush starts early once this many rows wait. */
  flushRows: number;
}

export const DEFAULT_LOG_OPTIONS: PredictionLogOptions = { maxQueueRows: 100_000, flushIntervalMs: 100, flushRows: 2_000 };

export type LogOutcome = 'stored' | 'sampled_out' | 'dropped' | 'write_failed';

export interface LogMetrics {
  rows: Counter<'deployment' | 'outcome'>;
  queue: Gauge;
}

/** Requests handled per slice of a flush (a few milliseconds of work). */
const SLICE = 200;

interface Entry {
  e: PredictionEvent;
  store: boolean;
}

export class PredictionLog implements PredictionObserver {
  private queue: Entry[] = [];
  private queuedRows = 0;
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();
  private soon = false;
  /** Per deployment, since this process started: what happened to logged rows. */
  readonly stats = new Map<string, Record<LogOutcome, number>>();

  constructor(
    private readonly state: MonitoringState,
    private readonly write: (rows: PredictionTable[]) => Promise<void>,
    private readonly metrics?: LogMetrics,
    private readonly opts: PredictionLogOptions = DEFAULT_LOG_OPTIONS,
    private readonly onError: (err: unknown) => void = () => {},
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.flush(), this.opts.flushIntervalMs);
    this.timer.unref();
  }

  private count(deployment: string, outcome: LogOutcome, rows: number): void {
    let s = this.stats.get(deployment);
    if (!s) this.stats.set(deployment, (s = { stored: 0, sampled_out: 0, dropped: 0, write_failed: 0 }));
    s[outcome] += rows;
    this.metrics?.rows.inc({ deployment, outcome }, rows);
  }

  prediction(e: PredictionEvent): void {
    const settings = this.state.settingsFor(e.deployment);
    if (!settings.enabled) return;
    const rows = Math.max(1, e.rows);
    if (this.queuedRows + rows > this.opts.maxQueueRows) {
      this.count(e.deployment, 'dropped', rows);
      this.state.countDropped(e);
      return;
    }
    const rate = settings.sample_rate;
    const store = rate >= 1 || (rate > 0 && Math.random() < rate);
    this.queue.push({ e, store });
    this.queuedRows += rows;
    if (this.queuedRows >= this.opts.flushRows && !this.soon) {
      this.soon = true;
      setImmediate(() => void this.flush());
    }
  }

  /** Writes everything queued so far (one flush at a time; callers await the one that covers their rows). */
  flush(): Promise<void> {
    this.soon = false;
    const next = this.flushing.then(() => this.flushBatch());
    this.flushing = next;
    return next;
  }

  private async flushBatch(): Promise<void> {
    if (this.queue.length === 0) return;
    const batch = this.queue;
    this.queue = [];
    this.queuedRows = 0;
    this.metrics?.queue.set(0);
    // Slices, each written on its own, with the event loop let through in between: one long synchronous
    // stretch would stall every request in flight (a p99 spike) even though the work is off their path.
    for (let i = 0; i < batch.length; i += SLICE) {
      if (i > 0) await new Promise<void>((r) => setImmediate(r));
      await this.writeSlice(batch.slice(i, i + SLICE));
    }
  }

  private async writeSlice(slice: Entry[]): Promise<void> {
    const out: PredictionTable[] = [];
    const stored = new Map<string, number>();
    for (const { e, store } of slice) {
      const settings = this.state.settingsFor(e.deployment);
      const inputs = inputRowsOf(e.inputFlat(), e.rows).map((r) => applyPii(r, settings.pii, this.state.piiKey));
      const outputs = outputRowsOf(e.outputFlat(), e.rows);
      this.state.profile(e, inputs, outputs.map(flattenOutputs));
      if (!store) {
        this.count(e.deployment, 'sampled_out', Math.max(1, e.rows));
        this.state.countSampledOut(e);
        continue;
      }
      out.push({
        request_id: e.requestId, rows: e.rows, deployment: e.deployment, revision: e.revision, model: e.model, model_version: e.modelVersion,
        route: e.route, ts: e.ts, inputs: JSON.stringify(inputs), outputs: JSON.stringify(outputs),
        latency_us: e.latencyUs, status: e.status, error: e.error ?? null,
      });
      stored.set(e.deployment, (stored.get(e.deployment) ?? 0) + Math.max(1, e.rows));
    }
    try {
      await this.write(out);
      for (const [d, n] of stored) this.count(d, 'stored', n);
    } catch (err) {
      for (const [d, n] of stored) this.count(d, 'write_failed', n);
      this.onError(err);
    }
  }

  /** Flushes what is queued and stops the timer (graceful shutdown). */
  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.flush();
  }
}
