/**
 * One loaded model version: a pool of worker threads, each with its own onnxruntime session of the same
 * model. Runs go to the least-busy worker. Sessions are warmed up before the pool is handed out.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { FerryError, InvalidParameterError } from '../../errors.js';
import { readOnnxModelInfo } from './onnx-model-info.js';
import { InlineSession } from './inline-session.js';
import { ORT_WORKER_SOURCE } from './ort-worker-source.js';
import { buildSignature, type ModelSignature, type ValueMetadata } from './signature.js';
import { type TensorValue, zeros } from './tensor.js';

export interface SessionOptions {
  /** Worker threads (sessions) per model version. */
  workers: number;
  /** onnxruntime intra-op threads per session. */
  intraOpNumThreads: number;
  /**
   * A model whose warm-up single-row run takes at most this many microseconds also gets a main-thread
   * session for lone small batches (see inline-session.ts); 0 keeps every run on the workers.
   */
  inlineMaxUs?: number;
}

export const DEFAULT_INLINE_MAX_US = 100;
export const DEFAULT_SESSION_OPTIONS: SessionOptions = { workers: 2, intraOpNumThreads: 1, inlineMaxUs: DEFAULT_INLINE_MAX_US };

/** The minimal surface serving needs from a runtime, so a test double or another runtime can stand in. */
export interface ModelSession {
  readonly signature: ModelSignature;
  readonly loadMs: number;
  run(feeds: Record<string, TensorValue>, fetches?: string[]): Promise<Record<string, TensorValue>>;
  /** Whether runInline() is available (a fast model with a main-thread session). */
  readonly canRunInline?: boolean;
  runInline?(feeds: Record<string, TensorValue>): Promise<Record<string, TensorValue>>;
  release(): Promise<void>;
}

interface Slot {
  worker: Worker;
  inflight: number;
  // 'result' messages resolve with outputs, 'timed' ones with microseconds.
  pending: Map<number, { resolve(v: never): void; reject(e: Error): void }>;
  dead: Error | null;
}

const ortPath = createRequire(import.meta.url).resolve('onnxruntime-node');

function startWorker(model: Uint8Array, opts: SessionOptions): Promise<{ slot: Slot; inputs: ValueMetadata[]; outputs: ValueMetadata[] }> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(ORT_WORKER_SOURCE, { eval: true, workerData: { ortPath } });
    const slot: Slot = { worker, inflight: 0, pending: new Map(), dead: null };
    const fail = (err: Error) => {
      slot.dead = err;
      for (const p of slot.pending.values()) p.reject(err);
      slot.pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new FerryError('INTERNAL_ERROR', `Inference worker exited (code ${code}).`)));
    worker.on('message', (msg: { kind: string; id?: number; outputs?: Record<string, TensorValue>; us?: number; error?: string; inputs?: ValueMetadata[] }) => {
      if (msg.kind === 'ready') resolve({ slot, inputs: msg.inputs!, outputs: msg.outputs as unknown as ValueMetadata[] });
      else if (msg.kind === 'failed') {
        void worker.terminate();
        reject(new InvalidParameterError('model', `onnxruntime could not load the model: ${msg.error}`));
      } else if (msg.kind === 'result' || msg.kind === 'timed' || msg.kind === 'error') {
        const p = slot.pending.get(msg.id!);
        if (!p) return;
        slot.pending.delete(msg.id!);
        slot.inflight--;
        if (msg.kind === 'result') p.resolve(msg.outputs! as never);
        else if (msg.kind === 'timed') p.resolve(msg.us! as never);
        else p.reject(new InvalidParameterError('inputs', `The model rejected the inputs: ${msg.error}`));
      }
    });
    // Each worker gets its own copy of the bytes; the caller's buffer stays intact.
    worker.postMessage({
      kind: 'init',
      model: model.slice().buffer,
      options: { intraOpNumThreads: opts.intraOpNumThreads, interOpNumThreads: 1, graphOptimizationLevel: 'all' },
    });
  });
}

export class SessionPool implements ModelSession {
  private nextId = 1;
  private released = false;
  private loadedInMs = 0;
  private inline: InlineSession | null = null;
  /** Median single-row run time measured in a worker after warm-up (µs); null when not measured. */
  singleRowUs: number | null = null;

  private constructor(
    private readonly slots: Slot[],
    readonly signature: ModelSignature,
  ) {}

  /** Milliseconds from bytes to warmed-up sessions. */
  get loadMs(): number {
    return this.loadedInMs;
  }

  static async load(model: Uint8Array, opts: SessionOptions = DEFAULT_SESSION_OPTIONS, featureNames?: string[]): Promise<SessionPool> {
    const started = performance.now();
    const info = readOnnxModelInfo(model);
    const fromMetadata = info.metadata['feature_names']
      ?.split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const first = await startWorker(model, opts);
    let signature: ModelSignature;
    try {
      signature = buildSignature(first.inputs, first.outputs, featureNames ?? fromMetadata);
    } catch (err) {
      await first.slot.worker.terminate();
      throw err;
    }
    const rest = await Promise.all(Array.from({ length: Math.max(0, opts.workers - 1) }, () => startWorker(model, opts)));
    const pool = new SessionPool([first.slot, ...rest.map((r) => r.slot)], signature);
    await pool.warmUp();
    if ((opts.inlineMaxUs ?? 0) > 0) await pool.maybeInline(model, opts);
    pool.loadedInMs = performance.now() - started;
    return pool;
  }

  /** One zero-valued row through every session, so the first real request does not pay for lazy init. */
  private async warmUp(): Promise<void> {
    const feeds = this.warmFeeds();
    await Promise.all(
      this.slots.map((s) =>
        this.runOn(
          s,
          feeds,
          this.signature.outputs.map((o) => o.name),
        ),
      ),
    );
  }

  private warmFeeds(): Record<string, TensorValue> {
    const feeds: Record<string, TensorValue> = {};
    for (const i of this.signature.inputs)
      feeds[i.name] = zeros(
        i.type,
        i.shape.map((d) => d ?? 1),
      );
    return feeds;
  }

  /** Times a single-row run in a worker; a fast model also gets a warmed main-thread session. */
  private async maybeInline(model: Uint8Array, opts: SessionOptions): Promise<void> {
    const feeds = this.warmFeeds();
    const fetches = this.signature.outputs.map((o) => o.name);
    this.singleRowUs = await this.send<number>(this.slots[0]!, { kind: 'time', feeds, fetches, repeat: 15 });
    if (this.singleRowUs > (opts.inlineMaxUs ?? 0)) return;
    const inline = await InlineSession.create(model, opts.intraOpNumThreads);
    await inline.run(feeds, fetches);
    this.inline = inline;
  }

  private runOn(slot: Slot, feeds: Record<string, TensorValue>, fetches: string[]): Promise<Record<string, TensorValue>> {
    return this.send(slot, { kind: 'run', feeds, fetches });
  }

  private send<T>(slot: Slot, msg: Record<string, unknown>): Promise<T> {
    if (slot.dead) return Promise.reject(slot.dead);
    const id = this.nextId++;
    slot.inflight++;
    return new Promise<T>((resolve, reject) => {
      slot.pending.set(id, { resolve: resolve as (v: never) => void, reject });
      slot.worker.postMessage({ ...msg, id });
    });
  }

  get canRunInline(): boolean {
    return this.inline !== null && !this.released;
  }

  /** Runs on the main-thread session (only offered for models measured fast; see inline-session.ts). */
  runInline(feeds: Record<string, TensorValue>): Promise<Record<string, TensorValue>> {
    if (!this.inline || this.released) return this.run(feeds);
    return this.inline.run(
      feeds,
      this.signature.outputs.map((o) => o.name),
    );
  }

  run(feeds: Record<string, TensorValue>, fetches?: string[]): Promise<Record<string, TensorValue>> {
    if (this.released) return Promise.reject(new FerryError('INTERNAL_ERROR', 'This model session was released.'));
    const live = this.slots.filter((s) => !s.dead);
    if (live.length === 0) return Promise.reject(new FerryError('INTERNAL_ERROR', 'All inference workers of this model have stopped.'));
    const slot = live.reduce((a, b) => (b.inflight < a.inflight ? b : a));
    // Only tensor outputs are fetched: asking for a ZipMap output would fail in onnxruntime-node.
    return this.runOn(slot, feeds, fetches ?? this.signature.outputs.map((o) => o.name));
  }

  /** How many runs can execute at once (one per worker). */
  get parallelism(): number {
    return this.slots.length;
  }

  get inflight(): number {
    return this.slots.reduce((a, s) => a + s.inflight, 0);
  }

  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    const inline = this.inline;
    this.inline = null;
    await Promise.all([...this.slots.map((s) => s.worker.terminate()), inline?.release()]);
  }
}
