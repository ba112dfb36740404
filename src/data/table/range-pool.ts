// Runs range tasks on worker threads (one per core, up to MAX_WORKERS), or in-process where no thread can run
// (TypeScript sources under test, one core) or none is worth it (one range). Results come back in range order
// either way, and progress is summed over the ranges and throttled.
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { checkAbort, Progress } from './file-chunks.js';
import { runRange, type RangeResult, type RangeTask } from './range-task.js';

const WORKER_FILE = new URL('./profile-worker.js', import.meta.url);
export const MAX_WORKERS = 8;

/** Messages from profile-worker.ts. */
export type WorkerMessage = { kind: 'progress'; index: number; done: number } | { kind: 'result'; result: RangeResult } | { kind: 'failure'; message: string };

function threadsAvailable(): boolean {
  return WORKER_FILE.protocol === 'file:' && existsSync(fileURLToPath(WORKER_FILE));
}

/**
 * Threads a read would use: `wanted`, else one per core but one (the server's) up to MAX_WORKERS; 1 where threads
 * cannot run. On ≤ 3 cores one thread wins: each extra thread costs ~0.65 CPU s to start and merging ranges costs
 * more than it saves (bench/data on 2 cores: 2.4 CPU s on one thread vs 3.8 on two, half the memory).
 */
export function threadCount(wanted?: number): number {
  if (!threadsAvailable()) return 1;
  const cores = availableParallelism();
  return Math.max(1, wanted ?? (cores >= 4 ? Math.min(cores - 1, MAX_WORKERS) : 1));
}

/**
 * Worker threads, started when the pool is made (so they load while the caller samples the file), reused for both
 * passes, ended by close(). With `threads` ≤ 1 the pool runs tasks in-process.
 */
export class RangePool {
  private readonly workers: Worker[] = [];

  constructor(threads: number) {
    for (let i = 0; i < threads && threads > 1; i++) this.workers.push(new Worker(WORKER_FILE));
  }

  async run(tasks: RangeTask[], total: number, o: { signal?: AbortSignal; onProgress?: (done: number, total: number) => void }): Promise<RangeResult[]> {
    const done = new Array<number>(tasks.length).fill(0);
    const progress = new Progress(0, total, o.onProgress);
    const report = (index: number, d: number) => {
      done[index] = d;
      progress.tick(done.reduce((a, b) => a + b, 0));
    };
    let results: RangeResult[];
    if (this.workers.length === 0 || tasks.length === 1) {
      results = [];
      for (const t of tasks) results.push(await runRange(t, { signal: o.signal, onProgress: (d) => report(t.index, d) }));
    } else results = await this.onThreads(tasks, report, o.signal);
    progress.tick(total, true);
    return results.sort((a, b) => a.index - b.index);
  }

  /** Each thread takes the next task when it finishes one; the first failure (or an abort) ends the pool. */
  private onThreads(tasks: RangeTask[], report: (index: number, done: number) => void, signal?: AbortSignal): Promise<RangeResult[]> {
    checkAbort(signal);
    return new Promise((resolve, reject) => {
      const queue = [...tasks];
      const results: RangeResult[] = [];
      const cleanups: (() => void)[] = [];
      let settled = false;
      const finish = (err: unknown) => {
        if (settled) return;
        settled = true;
        for (const c of cleanups) c();
        if (err === null) resolve(results);
        else {
          void this.close();
          reject(err);
        }
      };
      const onAbort = () => finish(signal!.reason ?? new DOMException('The operation was aborted', 'AbortError'));
      signal?.addEventListener('abort', onAbort, { once: true });
      cleanups.push(() => signal?.removeEventListener('abort', onAbort));
      const next = (w: Worker) => {
        const task = queue.shift();
        if (task) w.postMessage(task);
        else if (results.length === tasks.length) finish(null);
      };
      for (const w of this.workers) {
        const onMessage = (m: WorkerMessage) => {
          if (m.kind === 'progress') report(m.index, m.done);
          else if (m.kind === 'failure') finish(new Error(m.message));
          else {
            results.push(m.result);
            next(w);
          }
        };
        const onExit = (code: number) => finish(new Error(`a data profiling thread stopped (exit ${code})`));
        w.on('message', onMessage).on('error', finish).on('exit', onExit);
        cleanups.push(() => w.off('message', onMessage).off('error', finish).off('exit', onExit));
        next(w);
      }
    });
  }

  async close(): Promise<void> {
    const workers = this.workers.splice(0);
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
