// A fairness analysis thread: runs one report's analyses (bootstrap included, up to MAX_BOOTSTRAP_WORK row
// resamples: tens of seconds on one core) off the server's event loop, and posts back the result or the refusal.
import { parentPort } from 'node:worker_threads';
import { type AnalysisTask, runAnalysisTask } from './fairness-thread.js';

const port = parentPort;
if (port) port.on('message', (task: AnalysisTask) => port.postMessage(runAnalysisTask(task)));
