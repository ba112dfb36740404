// A data profiling thread: runs the range tasks range-pool.ts posts, one at a time, and posts back progress and
// results (the profile's bytes transferred, not copied). A DataFileError travels inside the result as data.
import { parentPort } from 'node:worker_threads';
import type { WorkerMessage } from './range-pool.js';
import { runRange, type RangeTask } from './range-task.js';

const port = parentPort;
if (port) {
  port.on('message', (task: RangeTask) => {
    const post = (m: WorkerMessage, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);
    runRange(task, { onProgress: (done) => post({ kind: 'progress', index: task.index, done }) }).then(
      (result) => post({ kind: 'result', result }, result.profile ? [result.profile.buffer as ArrayBuffer] : []),
      (err: unknown) => post({ kind: 'failure', message: err instanceof Error ? err.message : String(err) }),
    );
  });
}
