/**
 * One loaded model version: a pool of worker threads, each with its own onnxruntime session of the same
 * model. Runs go to the least-busy worker. Sessions are warmed up before the pool is handed out.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { FerryError, InvalidParameterError } from '../errors.js';
import { readOnnxModelInfo } from './onnx-model-info.js';
import { ORT_WORKER_SOURCE } from './ort-worker-source.js';
import { buildSignature, type ModelSignature, type ValueMetadata } from './signature.js';
import { type TensorValue, zeros } from './tensor.js';

export interface SessionOptions {
  /** Worker threads (sessions) per model version. */
  workers: number;
  /** onnxruntime intra-op threads per session. */
  intraOpNumThreads: number;
}

export const DEFAULT_SESSION_OPTIONS: SessionOptions = { workers: 2, intraOpNumThreads: 1 };

/** The minimal surface serving needs from a runtime, so a test double or another runtime can stand in. */
export interface ModelSession {
  readonly signature: ModelSignature;
  readonly loadMs: number;
  run(feeds: Record<string, TensorValue>, fetches?: string[]): Promise<Record<string, TensorValue>>;
  release(): Promise<void>;
}

interface Slot {
  worker: Worker;
  inflight: number;
  pending: Map<number, { resolve(v: Record<string, TensorValue>): void; reject(e: Error): void }>;
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
    worker.on('message', (msg: { kind: string; id?: number; outputs?: Record<string, TensorValue>; error?: string; inputs?: ValueMetadata[] }) => {
      if (msg.kind === 'ready') resolve({ slot, inputs: msg.inputs!, outputs: msg.outputs as unknown as ValueMetadata[] });
      else if (msg.kind === 'failed') {
        void worker.terminate();
        reject(new InvalidParameterError('model', `onnxruntime could not load the model: ${msg.error}`));
      } else if (msg.kind === 'result' || msg.kind === 'error') {
        const p = slot.pending.get(msg.id!);
        if (!p) return;
        slot.pending.delete(msg.id!);
        slot.inflight--;
        if (msg.kind === 'result') p.resolve(msg.outputs!);
        else p.reject(new InvalidParameterError('inputs', `The model rejected the inputs: ${msg.error}`));
      }
    });
    // Each worker gets its own copy of the bytes; the caller's buffer stays intact.
    worker.postMessage({ kind: 'init', model: model.slice().buffer, options: { intraOpNumThreads: opts.intraOpNumThreads, interOpNumThreads: 1, graphOptimizationLevel: 'all' } });
  });
}

export class SessionPool implements ModelSession {
  private nextId = 1;
  private released = false;
  private loadedInMs = 0;

  private constructor(private readonly slots: Slot[], readonly signature: ModelSignature) {}

  /** Milliseconds from bytes to warmed-up sessions. */
  get loadMs(): number {
    return this.loadedInMs;
  }

  static async load(model: Uint8Array, opts: SessionOptions = DEFAULT_SESSION_OPTIONS, featureNames?: string[]): Promise<SessionPool> {
    const started = performance.now();
    const info = readOnnxModelInfo(model);
    const fromMetadata = info.metadata['feature_names']?.split(',').map((s) => s.trim()).filter(Boolean);
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
    pool.loadedInMs = performance.now() - started;
    return pool;
  }

  /** One zero-valued row through every session, so the first real request does not pay for lazy init. */
  private async warmUp(): Promise<void> {
    const feeds: Record<string, TensorValue> = {};
    for (const i of this.signature.inputs) feeds[i.name] = zeros(i.type, i.shape.map((d) => d ?? 1));
    await Promise.all(this.slots.map((s) => this.runOn(s, feeds, this.signature.outputs.map((o) => o.name))));
  }

  private runOn(slot: Slot, feeds: Record<string, TensorValue>, fetches: string[]): Promise<Record<string, TensorValue>> {
    if (slot.dead) return Promise.reject(slot.dead);
    const id = this.nextId++;
    slot.inflight++;
    return new Promise((resolve, reject) => {
      slot.pending.set(id, { resolve, reject });
      slot.worker.postMessage({ kind: 'run', id, feeds, fetches });
    });
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
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}
