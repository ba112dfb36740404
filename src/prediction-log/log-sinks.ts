/**
 * Where the prediction log's batches are processed. On the monitoring thread (a worker with its own store
 * connection) the server's event loop only packs events; in-process is the fallback where no thread can run
 * (an in-memory SQLite store, or running from TypeScript sources in tests).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { BufferPool } from './event-codec.js';
import { type LogOutcome, type Write, processBatch } from './log-processing.js';
import type { MonitoringSettings } from './monitoring-settings.js';
import type { MonitoringState } from './monitoring-state.js';
import type { LogSink } from './prediction-log.js';

export function localSink(state: MonitoringState, write: Write, onError: (err: unknown) => void): LogSink {
  const buffers = new BufferPool();
  return {
    buffers,
    async process(batch, _stored, count) {
      await processBatch(batch, state, write, count, onError);
      for (const b of new Set([batch.nums.buffer, batch.tags.buffer, batch.heads.buffer] as ArrayBuffer[])) buffers.give(b);
    },
    sync: () => state.persist(),
    close: async () => {},
  };
}

const WORKER_FILE = new URL('./monitor-worker.js', import.meta.url);

/** Whether a monitoring thread can run: the compiled worker exists and the store is a file or a server. */
export function canUseThread(storeUrl: string): boolean {
  return WORKER_FILE.protocol === 'file:' && existsSync(fileURLToPath(WORKER_FILE)) && !storeUrl.includes(':memory:');
}

interface Reply {
  id: number;
  error?: string;
  counts?: [string, LogOutcome, number][];
  /** A write that failed on the thread (its rows are counted as write_failed). */
  warning?: string;
  /** The batch's buffers, handed back for the next batches. */
  buffers?: ArrayBuffer[];
}

/** Starts the monitoring thread (it opens its own store connection and loads settings) and returns its sink. */
export async function threadSink(
  storeUrl: string,
  replica: string,
  settingsOf: () => Record<string, MonitoringSettings>,
  onError: (err: unknown) => void,
  nice = 0,
): Promise<LogSink> {
  const worker = new Worker(WORKER_FILE, { workerData: { storeUrl, replica, nice } });
  const pending = new Map<number, { resolve(r: Reply): void; reject(e: Error): void }>();
  let nextId = 1;
  let dead: Error | null = null;
  const failAll = (err: Error) => {
    dead = err;
    for (const p of pending.values()) p.reject(err);
    pending.clear();
  };
  worker.on('error', (err) => {
    failAll(err);
    onError(err);
  });
  worker.on('exit', (code) => failAll(new Error(`The monitoring thread stopped (exit ${code}).`)));
  worker.on('message', (msg: Reply) => {
    const p = pending.get(msg.id);
    if (!p) return;
    pending.delete(msg.id);
    if (msg.error !== undefined) p.reject(new Error(msg.error));
    else p.resolve(msg);
  });
  const call = (msg: Record<string, unknown>, transfer: ArrayBuffer[] = []): Promise<Reply> => {
    if (dead) return Promise.reject(dead);
    const id = nextId++;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      worker.postMessage({ ...msg, id }, transfer);
    });
  };
  await call({ kind: 'ready' });
  const buffers = new BufferPool();
  return {
    buffers,
    async process(batch, stored, count) {
      try {
        // The settings travel with each batch: the thread applies the same PII rules and windows as this one.
        // The typed arrays' buffers are transferred, and handed back in the reply.
        const transfer = [...new Set([batch.nums.buffer, batch.tags.buffer, batch.heads.buffer] as ArrayBuffer[])];
        const reply = await call({ kind: 'batch', settings: settingsOf(), ...batch }, transfer);
        for (const b of reply.buffers ?? []) buffers.give(b);
        for (const [d, outcome, n] of reply.counts ?? []) count(d, outcome, n);
        if (reply.warning) onError(new Error(reply.warning));
      } catch (err) {
        for (const [d, n] of stored) count(d, 'write_failed', n);
        onError(err);
      }
    },
    sync: async () => void (await call({ kind: 'sync' })),
    async close() {
      if (dead) return;
      await call({ kind: 'close' }).catch(onError);
      await worker.terminate();
    },
  };
}
