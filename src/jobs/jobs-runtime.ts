/**
 * Jobs as the server runs them: the services, the worker (started once the server listens, since jobs call
 * back to its URL), metrics. Settings from the environment:
 *   FERRY_JOBS_WORKER=0            this server takes no jobs (it still accepts and serves them)
 *   FERRY_JOBS_LEASE_SECONDS       a worker's lease (default 30); a dead server's jobs are re-attached after it
 *   FERRY_JOBS_POLL_MS             how often a worker looks for work and watches its jobs (default 1000)
 *   FERRY_JOBS_MAX_LOG_BYTES       log kept per job (default 10 MiB)
 *   FERRY_JOBS_UNREACHABLE_SECONDS an executor silent this long fails its jobs (default 300)
 *   FERRY_JOBS_ORPHAN_SECONDS      a local job's node silent this long: any server takes it (and fails it as lost) (default 600)
 *   FERRY_JOBS_ALLOW_FILE_GIT=1    git sources may be file:// URLs (single-user servers, tests)
 *   FERRY_JOBS_LOCAL=0, FERRY_JOBS_LOCAL_CONCURRENCY, FERRY_EXECUTORS_FILE, FERRY_SECRET_KEY (executor-service.ts, secret-box.ts)
 */
import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import type { Registry } from 'prom-client';
import type { ArtifactStore } from '../artifacts/index.js';
import type { AuthService } from '../auth/index.js';
import type { Store } from '../store/index.js';
import type { ExperimentService, RunService } from '../tracking/index.js';
import { ExecutorService } from './executor-service.js';
import { jobMetrics } from './job-metrics.js';
import { JobService } from './job-service.js';
import { JobWorker } from './job-worker.js';
import { loadServerKey, SecretBox } from './secret-box.js';

export interface JobsDeps {
  store: Store;
  artifacts: ArtifactStore;
  runs: RunService;
  experiments: ExperimentService;
  auth: AuthService;
  dataDir: string;
  metrics: Registry;
  log: JobWorkerLog;
  env?: NodeJS.ProcessEnv;
}

type JobWorkerLog = { warn(o: object, m: string): void; error(o: object, m: string): void };

export interface Jobs {
  service: JobService;
  executors: ExecutorService;
  /** The server key's secret box: executor credentials, and other capabilities' credentials at rest (stream bindings). */
  secrets: SecretBox;
  worker: JobWorker | null;
  /** Starts the worker; `url` is the server's own URL (MLFLOW_TRACKING_URI unless an executor sets one). */
  start(url: string): void;
  close(): Promise<void>;
}

function num(env: NodeJS.ProcessEnv, key: string, fallback: number, min: number): number {
  const raw = env[key];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < min) throw new Error(`${key} must be a number of at least ${min}, got '${raw}'.`);
  return n;
}

export function startJobs(d: JobsDeps): Jobs {
  const env = d.env ?? process.env;
  const box = new SecretBox(loadServerKey(d.dataDir, env));
  const executors = new ExecutorService(d.store, box, { dataDir: d.dataDir, env });
  const service = new JobService({
    store: d.store,
    artifacts: d.artifacts,
    runs: d.runs,
    experiments: d.experiments,
    executors,
    box,
    allowFileGit: env['FERRY_JOBS_ALLOW_FILE_GIT'] === '1',
  });
  const events = jobMetrics(d.metrics, d.store);
  const worker =
    env['FERRY_JOBS_WORKER'] === '0'
      ? null
      : new JobWorker({
          store: d.store,
          artifacts: d.artifacts,
          runs: d.runs,
          jobs: service,
          executors,
          tokens: {
            create: async (jobId) => {
              const t = await d.auth.createToken(jobId, 'editor', 'ferry-jobs');
              return { token: t.token, tokenId: t.token_id };
            },
            revoke: (tokenId) => d.auth.revokeToken(tokenId),
          },
          leaseMs: num(env, 'FERRY_JOBS_LEASE_SECONDS', 30, 1) * 1000,
          tickMs: num(env, 'FERRY_JOBS_POLL_MS', 1000, 10),
          maxLogBytes: num(env, 'FERRY_JOBS_MAX_LOG_BYTES', 10 * 1024 * 1024, 1024),
          unreachableMs: num(env, 'FERRY_JOBS_UNREACHABLE_SECONDS', 300, 1) * 1000,
          sourceUrlTtlMs: 6 * 3600 * 1000,
          localNode: createHash('sha256')
            .update(`${hostname()}\0${resolve(d.dataDir, 'jobs')}`)
            .digest('hex')
            .slice(0, 12),
          orphanMs: num(env, 'FERRY_JOBS_ORPHAN_SECONDS', 600, 1) * 1000,
          events,
          log: d.log,
        });
  service.onChange = (jobId) => worker?.poke(jobId);
  return {
    service,
    executors,
    secrets: box,
    worker,
    start: (url) => worker?.start(url),
    close: async () => {
      await worker?.stop();
      await executors.close();
    },
  };
}
