/** Executors by kind: the one place that turns an executor's settings into a running Executor. */
import type { ExecutorSettings } from '../executor-settings.js';
import { type Executor, ExecutorError } from './executor.js';
import { kubernetesExecutor } from './kubernetes-executor.js';
import { LocalExecutor } from './local-executor.js';
import { RayExecutor } from './ray-executor.js';

export interface ExecutorContext {
  /** `<dataDir>/jobs`: work folders and caches of the local executor. */
  root: string;
  /** The cluster's bearer token, opened (stored sealed, or from the server's environment). */
  token: string | undefined;
  /** After SIGTERM (or a stop request), how long before the job is killed. */
  graceMs: number;
}

export function createExecutor(s: ExecutorSettings, ctx: ExecutorContext): Executor {
  switch (s.kind) {
    case 'local':
      return new LocalExecutor({ root: ctx.root, graceMs: ctx.graceMs, passEnv: (process.env['FERRY_JOBS_PASS_ENV'] ?? '').split(',').filter(Boolean) });
    case 'ray':
      return new RayExecutor({ address: s.address ?? '', token: ctx.token });
    case 'kubernetes':
      return kubernetesExecutor(s, ctx.token);
    default:
      throw new ExecutorError(`The ${s.kind} executor is not available in this build.`, false);
  }
}

export { ExecutorError } from './executor.js';
export type { ExecutionRequest, ExecutionStatus, Executor, LogSlice } from './executor.js';
