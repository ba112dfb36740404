/**
 * A fairness report's analyses off the event loop. Bootstrap intervals cost up to MAX_BOOTSTRAP_WORK row resamples
 * (about 0.1 s per million on one core): run on the request's thread they froze the whole server — predictions,
 * health checks — for tens of seconds. A thread per report (reports are rare; a thread starts in tens of ms);
 * where the compiled worker file is absent (tests running the TypeScript sources) the work runs in-process.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { InvalidParameterError, isFerryError } from '../errors.js';
import { type AnalyseOptions, type AnalysisOut, type ScoredColumns, analyses } from './fairness-report.js';

export interface AnalysisTask {
  cols: ScoredColumns;
  features: string[];
  options: AnalyseOptions;
}

/** What the thread answers: the analyses, or a refusal (a 400 naming its field) or a failure, as data. */
export type AnalysisReply =
  { kind: 'result'; analyses: AnalysisOut[]; notes: string[] } | { kind: 'refusal'; field: string; message: string } | { kind: 'failure'; message: string };

export function runAnalysisTask(task: AnalysisTask): AnalysisReply {
  try {
    return { kind: 'result', ...analyses(task.cols, task.features, task.options) };
  } catch (err) {
    // The statistics refuse with InvalidParameterError (a 400 naming the field): carried across as data.
    if (isFerryError(err) && err.status === 400) return { kind: 'refusal', field: err.errors[0]?.field ?? 'body', message: err.message };
    return { kind: 'failure', message: err instanceof Error ? err.message : String(err) };
  }
}

function settle(reply: AnalysisReply): { analyses: AnalysisOut[]; notes: string[] } {
  if (reply.kind === 'result') return { analyses: reply.analyses, notes: reply.notes };
  if (reply.kind === 'refusal') throw new InvalidParameterError(reply.field, reply.message);
  throw new Error(`Fairness analysis failed: ${reply.message}`);
}

const WORKER_FILE = new URL('./fairness-worker.js', import.meta.url);

/** Whether analyses run on a thread of their own here (the compiled worker file exists). */
export const analysesOffThread = (): boolean => WORKER_FILE.protocol === 'file:' && existsSync(fileURLToPath(WORKER_FILE));

/** The report's analyses (fairness-report.ts analyses), computed on a thread of their own where one can run. */
export async function analysesInThread(
  cols: ScoredColumns,
  features: string[],
  options: AnalyseOptions,
): Promise<{ analyses: AnalysisOut[]; notes: string[] }> {
  const task: AnalysisTask = { cols, features, options };
  if (!analysesOffThread()) return settle(runAnalysisTask(task));
  const worker = new Worker(WORKER_FILE);
  try {
    const reply = await new Promise<AnalysisReply>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`The fairness analysis thread exited (code ${code}) before answering.`)));
      worker.postMessage(task);
    });
    return settle(reply);
  } finally {
    void worker.terminate();
  }
}
