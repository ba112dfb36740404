/**
 * The prediction log. Serving reports each request (and shadow result) synchronously and cheaply; the log
 * decides what happens to it (stored, sampled out, or dropped when the queue is full — counted, metric and
 * API, never silently lost), packs it at once (its values copied from the request's tensors, so nothing of
 * the request waits in the queue) and hands the batches to a sink: the monitoring thread, which applies PII
 * rules, updates profiles and writes, or the same work in-process where no thread can run.
 */
import type { Counter, Gauge } from 'prom-client';
import type { PredictionEvent, PredictionObserver } from '../serving/index.js';
import { BatchPacker, type BufferSource, type PackedBatch } from './event-codec.js';
import type { Count, LogOutcome } from './log-processing.js';
import type { MonitoringState } from './monitoring-state.js';
import type { PredictionJournal, Segment } from './prediction-journal.js';

export type { LogOutcome } from './log-processing.js';

export interface PredictionLogOptions {
  /** Rows waiting at most; beyond, requests are dropped (counted). */
  maxQueueRows: number;
  flushIntervalMs: number;
  /** A flush starts early once this many rows wait... */
  flushRows: number;
  /**
   * ...or this many requests. Per logged one-row request (bench/serving/log-cpu.mjs), packing batches of 500
   * cost the event loop 10-15% less than batches of 2,000 (their buffers stay in cache); the monitoring thread
   * spends about the same. Many-row requests keep the larger batches flushRows gives (fewer transactions).
   */
  flushRequests: number;
}

export const DEFAULT_LOG_OPTIONS: PredictionLogOptions = { maxQueueRows: 100_000, flushIntervalMs: 100, flushRows: 2_000, flushRequests: 500 };

export interface LogMetrics {
  rows: Counter<'deployment' | 'outcome'>;
  queue: Gauge;
}

/** Where batches go: processed (rows, profiles, writes), outcomes reported through `count`. */
export interface LogSink {
  /** `stored`: the batch's rows to store per deployment (what is counted as write_failed if the batch is lost). */
  process(batch: PackedBatch, stored: Map<string, number>, count: Count): Promise<void>;
  /** Where packing buffers come from (the monitoring thread hands them back); fresh ones when absent. */
  buffers?: BufferSource;
  /** Writes the profiles filled so far, so that reads see them. */
  sync(): Promise<void>;
  close(): Promise<void>;
}

/** Dropped requests still reach the window profiles as traffic; beyond this many waiting, only the stats count them. */
const MAX_DROPPED_WAITING = 100_000;

export class PredictionLog implements PredictionObserver {
  /** Requests are packed as they come (nothing of a request waits for the flush but its copied values). */
  private packer: BatchPacker;
  private queuedRows = 0;
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();
  private soon = false;
  /** Per deployment, since this process started: what happened to logged rows. */
  readonly stats = new Map<string, Record<LogOutcome, number>>();

  /** The tick's journal write, while events wait for it. */
  private written: Promise<void> | null = null;

  constructor(
    private readonly state: MonitoringState,
    private readonly sink: LogSink,
    private readonly metrics?: LogMetrics,
    private readonly opts: PredictionLogOptions = DEFAULT_LOG_OPTIONS,
    /** Where stored requests are written before their answer is sent (absent: logged in memory only). */
    private readonly journal: PredictionJournal | null = null,
    private readonly onError: (err: unknown) => void = () => {},
  ) {
    this.packer = new BatchPacker(sink.buffers);
  }

  start(): void {
    this.timer = setInterval(() => void this.flush(), this.opts.flushIntervalMs);
    this.timer.unref();
  }

  private readonly count: Count = (deployment, outcome, rows) => {
    let s = this.stats.get(deployment);
    if (!s) this.stats.set(deployment, (s = { stored: 0, sampled_out: 0, dropped: 0, write_failed: 0 }));
    s[outcome] += rows;
    this.metrics?.rows.inc({ deployment, outcome }, rows);
  };

  prediction(e: PredictionEvent): void {
    const settings = this.state.settingsFor(e.deployment);
    if (!settings.enabled) return;
    const rows = Math.max(1, e.rows);
    if (this.queuedRows + rows > this.opts.maxQueueRows) {
      this.count(e.deployment, 'dropped', rows);
      if (this.packer.size < this.opts.maxQueueRows + MAX_DROPPED_WAITING) this.add(e, 'dropped');
      return;
    }
    const rate = settings.sample_rate;
    const store = rate >= 1 || (rate > 0 && Math.random() < rate);
    if (store && this.journal?.full) {
      // The journal is full (its batches are not being stored): dropped, as when the queue is full.
      this.count(e.deployment, 'dropped', rows);
      if (this.packer.size < this.opts.maxQueueRows + MAX_DROPPED_WAITING) this.add(e, 'dropped');
      return;
    }
    if (!this.add(e, store ? 'store' : 'sample_out')) {
      if (store) this.count(e.deployment, 'write_failed', rows);
      return;
    }
    this.queuedRows += rows;
    if ((this.queuedRows >= this.opts.flushRows || this.packer.size >= this.opts.flushRequests) && !this.soon) {
      this.soon = true;
      setImmediate(() => void this.flush());
    }
  }

  /** Packs the event; false if its values could not be read (the request is not logged, and serving goes on). */
  private add(e: PredictionEvent, disposition: 'store' | 'sample_out' | 'dropped'): boolean {
    try {
      this.packer.add(e, disposition);
    } catch {
      return false;
    } finally {
      // Before the answer is sent: what the packer added (even in part) goes to the journal, which mirrors the batch.
      if (this.journal) this.journalDelta();
    }
    return true;
  }

  private journalDelta(): void {
    try {
      this.journal!.append(this.packer.delta());
    } catch (err) {
      this.onError(err);
    }
    // One write for every event of this tick: serving awaits durable() before it answers.
    this.written ??= new Promise<void>((resolve) =>
      queueMicrotask(() => {
        this.written = null;
        try {
          this.journal!.flush();
        } catch (err) {
          this.onError(err);
        }
        resolve();
      }),
    );
  }

  /**
   * Resolves once the events told so far are in the journal (null: nothing is waiting to be written). Serving awaits
   * it before answering: the events a tick produces (a batch's requests resolve together) are written with one
   * system call, after the last of them and before the first answer.
   */
  durable(): Promise<void> | null {
    return this.written;
  }

  /** Hands over everything queued so far (one flush at a time; callers await the one that covers their rows). */
  flush(): Promise<void> {
    this.soon = false;
    const next = this.flushing.then(() => this.flushBatch());
    this.flushing = next;
    return next;
  }

  private async flushBatch(): Promise<void> {
    if (this.packer.size === 0) return;
    const stored = this.packer.stored;
    // The segment holding this batch's stored events, sealed in the same tick (no event comes between).
    const segment = this.journal?.seal() ?? null;
    const batch = this.packer.finish(segment?.key);
    this.queuedRows = 0;
    this.metrics?.queue.set(0);
    await this.sink.process(batch, stored, this.count);
    if (segment) this.committed(segment);
  }

  private committed(segment: Segment): void {
    try {
      this.journal!.commit(segment);
    } catch (err) {
      this.onError(err);
    }
  }

  /**
   * Before serving: the batches a killed server journalled and may not have stored are processed again (rows
   * stored before the kill keep their ids, so none is stored twice). Answers how many requests were replayed.
   */
  async replay(): Promise<number> {
    if (!this.journal) return 0;
    return this.journal.replay((batch, stored) => this.sink.process(batch, stored, this.count));
  }

  /** Everything queued processed, and the profiles written (what reads wait for). */
  async sync(): Promise<void> {
    await this.flush();
    await this.sink.sync();
  }

  /** Flushes what is queued, writes the profiles and stops (graceful shutdown). */
  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.sync();
    await this.sink.close();
    // Everything is stored: nothing to replay.
    this.journal?.close();
  }
}
