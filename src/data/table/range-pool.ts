// Runs range tasks on worker threads (one per core, up to MAX_WORKERS), or in-process where no thread can run
// (TypeScript sources under test, a single range, one core). Results come back in range order either way, and
// progress is summed over the ranges and throttled.
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { checkAbort, Progress } from './file-chunks.js';
import { runRange, type RangeResult, type RangeTask } from './range-task.js';

const WORKER_FILE = new URL('./profile-worker.js', import.meta.url);
export const MAX_WORKERS = 8;

export interface PoolOptions {
  signal?: AbortSignal;
  onProgress?: (bytesDone: number, bytesTotal: number) => void;
  /** Threads to use (default: one per core, at most MAX_WORKERS; 1 = in-process). */
  workers?: number;
}

/** Messages from profile-worker.ts. */
export type WorkerMessage =
  | { kind: 'progress'; index: number; done: number }
  | { kind: 'result'; result: RangeResult }
  | { kind: 'failure'; message: string };

function threadsAvailable(): boolean {
  return WORKER_FILE.protocol === 'file:' && existsSync(fileURLToPath(WORKER_FILE));
}

/** Threads a read would use: `wanted`, or one per core up to MAX_WORKERS; 1 where threads cannot run. */
export function threadCount(wanted?: number): number {
  if (!threadsAvailable()) return 1;
  return Math.max(1, wanted ?? Math.min(availableParallelism(), MAX_WORKERS));
}

export async function runRanges(tasks: RangeTask[], total: number, o: PoolOptions): Promise<RangeResult[]> {
  const done = new Array<number>(tasks.length).fill(0);
  const progress = new Progress(0, total, o.onProgress);
  const report = (index: number, d: number) => {
    done[index] = d;
    progress.tick(done.reduce((a, b) => a + b, 0));
  };
  const threads = Math.min(threadCount(o.workers), tasks.length);
  let results: RangeResult[];
  if (threads <= 1) {
    results = [];
    for (const t of tasks) results.push(await runRange(t, { signal: o.signal, onProgress: (d) => report(t.index, d) }));
  } else results = await onThreads(tasks, threads, report, o.signal);
  progress.tick(total, true);
  return results.sort((a, b) => a.index - b.index);
}

/** A small pool: each thread takes the next task when it finishes one; the first failure stops them all. */
function onThreads(tasks: RangeTask[], threads: number, report: (index: number, done: number) => void, signal?: AbortSignal): Promise<RangeResult[]> {
  checkAbort(signal);
  return new Promise((resolve, reject) => {
    const queue = [...tasks];
    const results: RangeResult[] = [];
    const workers: Worker[] = [];
    let settled = false;
    const finish = (err: unknown) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      for (const w of workers) void w.terminate();
      if (err === null) resolve(results);
      else reject(err);
    };
    const onAbort = () => finish(signal!.reason ?? new DOMException('The operation was aborted', 'AbortError'));
    signal?.addEventListener('abort', onAbort, { once: true });
    const next = (w: Worker) => {
      const task = queue.shift();
      if (task) w.postMessage(task);
      else if (results.length === tasks.length) finish(null);
    };
    for (let i = 0; i < threads; i++) {
      const w = new Worker(WORKER_FILE);
      workers.push(w);
      w.on('message', (m: WorkerMessage) => {
        if (m.kind === 'progress') report(m.index, m.done);
        else if (m.kind === 'failure') finish(new Error(m.message));
        else {
          results.push(m.result);
          next(w);
        }
      });
      w.on('error', finish);
      w.on('exit', (code) => finish(new Error(`a data profiling thread stopped (exit ${code})`)));
      next(w);
    }
  });
}
