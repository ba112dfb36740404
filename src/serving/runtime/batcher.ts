/**
 * Dynamic batching for one model version. Requests queue; whenever a session slot is free the queue is
 * drained into one run of up to maxBatchSize rows. With an idle model a request runs at once (no added
 * latency); under load requests coalesce, waiting at most maxQueueDelayMs for a batch to fill. The queue is
 * bounded in rows: when full, the request is refused with OVERLOADED (503 + Retry-After), never parked.
 */
import { FerryError } from '../../errors.js';
import { concatFeeds, splitOutputs } from './batch-tensors.js';
import type { ModelSession } from './session-pool.js';
import type { TensorValue } from './tensor.js';

export interface BatchingOptions {
  maxBatchSize: number;
  maxQueueDelayMs: number;
  /** Rows waiting at most; beyond, requests get 503. */
  maxQueueRows: number;
}

/** A lone batch of at most this many rows may run on the main thread (when the model is fast enough). */
export const INLINE_MAX_ROWS = 8;

export const DEFAULT_BATCHING: BatchingOptions = { maxBatchSize: 256, maxQueueDelayMs: 2, maxQueueRows: 4096 };

interface Pending {
  feeds: Record<string, TensorValue>;
  rows: number;
  enqueued: number;
  resolve(v: Record<string, TensorValue>): void;
  reject(e: unknown): void;
}

export interface BatchObserver {
  batch(rows: number, requests: number, placement: 'inline' | 'worker'): void;
  queueDepth(rows: number): void;
}

export class Batcher {
  private queue: Pending[] = [];
  private queuedRows = 0;
  private running = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly session: ModelSession,
    private readonly opts: BatchingOptions,
    private readonly slots: number,
    private readonly observer?: BatchObserver,
  ) {}

  submit(feeds: Record<string, TensorValue>, rows: number): Promise<Record<string, TensorValue>> {
    if (rows > this.opts.maxBatchSize) return this.session.run(feeds); // already a full batch on its own
    if (this.queuedRows + rows > this.opts.maxQueueRows) {
      return Promise.reject(new FerryError('OVERLOADED', `The model's queue is full (${this.queuedRows} rows waiting); retry shortly.`));
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ feeds, rows, enqueued: performance.now(), resolve, reject });
      this.queuedRows += rows;
      this.observer?.queueDepth(this.queuedRows);
      this.pump();
    });
  }

  private pump(): void {
    while (this.running < this.slots && this.queue.length > 0) {
      const oldest = this.queue[0]!;
      const waited = performance.now() - oldest.enqueued;
      // Idle slot and nothing running: go now. Otherwise wait for a fuller batch, but not past the delay.
      if (this.running > 0 && this.queuedRows < this.opts.maxBatchSize && waited < this.opts.maxQueueDelayMs) {
        this.armTimer(this.opts.maxQueueDelayMs - waited);
        return;
      }
      this.dispatch(this.take());
    }
  }

  private armTimer(ms: number): void {
    if (this.timer) return;
    this.timer = setTimeout(
      () => {
        this.timer = null;
        this.pump();
      },
      Math.max(0, ms),
    );
  }

  private take(): Pending[] {
    const batch: Pending[] = [];
    let rows = 0;
    while (this.queue.length > 0 && rows + this.queue[0]!.rows <= this.opts.maxBatchSize) {
      const p = this.queue.shift()!;
      rows += p.rows;
      batch.push(p);
    }
    this.queuedRows -= rows;
    this.observer?.queueDepth(this.queuedRows);
    return batch;
  }

  private dispatch(batch: Pending[]): void {
    const counts = batch.map((p) => p.rows);
    const rows = counts.reduce((a, b) => a + b, 0);
    // Idle model, one small request: the main-thread session answers sooner than a worker round trip.
    const inline = this.running === 0 && batch.length === 1 && rows <= INLINE_MAX_ROWS && this.session.canRunInline === true;
    this.running++;
    this.observer?.batch(rows, batch.length, inline ? 'inline' : 'worker');
    const feeds = concatFeeds(batch.map((p) => p.feeds));
    (inline ? this.session.runInline!(feeds) : this.session.run(feeds)).then(
      (out) => {
        this.finished();
        let parts: Record<string, TensorValue>[];
        try {
          parts = splitOutputs(out, counts);
        } catch (err) {
          batch.forEach((p) => p.reject(err));
          return;
        }
        parts.forEach((o, i) => batch[i]!.resolve(o));
      },
      (err) => {
        this.finished();
        batch.forEach((p) => p.reject(err));
      },
    );
  }

  /** Frees the slot before the callers resume, so their next request sees an idle model. */
  private finished(): void {
    this.running--;
    queueMicrotask(() => this.pump());
  }
}
