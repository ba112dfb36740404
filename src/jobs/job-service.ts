/**
 * Jobs as users see them: store a project, submit an entry point with parameters (checked against the
 * MLproject before anything is queued), list, read logs (follow by waiting), cancel. The worker
 * (job-worker.ts) runs what is queued.
 */
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import type { Static } from '@sinclair/typebox';
import type { Principal } from '../api-route.js';
import type { ArtifactStore } from '../artifacts/index.js';
import { type Job, type JobLogs, type JobSubmission, type Project, TERMINAL_JOB_STATES } from '../contract/jobs.js';
import { InvalidParameterError, NotFoundError, PermissionDeniedError, InvalidStateError } from '../errors.js';
import type { Store, JobTable, JobProjectTable } from '../store/index.js';
import type { ExperimentService, RunService } from '../tracking/index.js';
import { durationMs } from './durations.js';
import type { ExecutorService } from './executor-service.js';
import { fetchGitProject } from './git-source.js';
import * as repo from './job-repo.js';
import { computeCommand, entryPoint, parseMlproject, parsePythonEnv, type ProjectSpec } from './mlproject.js';
import { canonicalZip, type ProjectFile, projectRoot, readZip, treeDigest } from './project-archive.js';
import type { SecretBox } from './secret-box.js';
import { wholeCharsEnd } from './utf8.js';
import { type JobSpec, jobView, pythonStrOf } from './job-view.js';

export type JobInfo = Static<typeof Job>;
export type ProjectInfo = Static<typeof Project>;

export const PROJECT_PREFIX = 'jobs/projects';
const MAX_ZIP_BYTES = 512 * 1024 ** 2;
/** Longest a log read waits for the worker to copy the last of an ended job's log. */
const LOG_SETTLE_MS = 10_000;

/** An ended job whose worker still holds it: the last of its log is being copied. */
function settling(row: JobTable): boolean {
  return (TERMINAL_JOB_STATES as readonly string[]).includes(row.state) && row.lease_until !== null && row.lease_until > Date.now();
}

export interface JobServiceDeps {
  store: Store;
  artifacts: ArtifactStore;
  runs: RunService;
  experiments: ExperimentService;
  executors: ExecutorService;
  box: SecretBox;
  /** git sources may use file:// URLs (tests, a single-user server). */
  allowFileGit: boolean;
}

function projectView(row: JobProjectTable): ProjectInfo {
  const spec = JSON.parse(row.spec) as ProjectSpec;
  return {
    digest: row.digest,
    name: row.name,
    entry_points: spec.entryPoints.map((e) => ({ name: e.name, parameters: e.parameters.map((p) => ({ ...p })), command: e.command })),
    has_python_env: row.python_env !== null,
    files: row.files,
    size_bytes: row.size_bytes,
  };
}

async function readAll(stream: Readable): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of stream) parts.push(c as Buffer);
  return Buffer.concat(parts);
}

export class JobService {
  /** Told when a job is queued or asked to cancel (this server's worker then looks at once). */
  onChange: ((jobId: string) => void) | null = null;

  constructor(private readonly deps: JobServiceDeps) {}

  // ---- projects ----

  /** Stores a project from a zip (or files read from git); the same files always give the same digest. */
  async storeProject(files: ProjectFile[], by: string, fallbackName: string): Promise<{ project: ProjectInfo; created: boolean }> {
    const root = projectRoot(files);
    const digest = treeDigest(root);
    const existing = await repo.findProject(this.deps.store.db, digest);
    if (existing) return { project: projectView(existing), created: false };
    const paths = root.map((f) => f.path);
    const mlproject = root.find((f) => f.path === 'MLproject')!.data.toString('utf8');
    const spec = parseMlproject(mlproject, fallbackName, paths);
    const pythonEnv = spec.pythonEnvFile ? root.find((f) => f.path === spec.pythonEnvFile)!.data.toString('utf8') : null;
    if (pythonEnv !== null) parsePythonEnv(pythonEnv);
    const zip = await canonicalZip(root);
    // Named by its digest: written once, never replaced (a concurrent upload of the same files finds it there).
    await this.deps.artifacts.create(`${PROJECT_PREFIX}/${digest.slice(7)}.zip`, Readable.from([zip]), MAX_ZIP_BYTES);
    const row: JobProjectTable = {
      digest,
      name: spec.name,
      spec: JSON.stringify(spec),
      python_env: pythonEnv,
      files: root.length,
      size_bytes: root.reduce((n, f) => n + f.data.length, 0),
      created_at: Date.now(),
      created_by: by,
    };
    await repo.insertProject(this.deps.store.db, row);
    return { project: projectView(row), created: true };
  }

  async uploadProject(zip: Buffer, by: string): Promise<{ project: ProjectInfo; created: boolean }> {
    if (zip.length === 0) throw new InvalidParameterError('body', 'Send the project as a zip file in the request body.');
    return this.storeProject(await readZip(zip), by, 'project');
  }

  async projectRow(digest: string): Promise<JobProjectTable> {
    const row = await repo.findProject(this.deps.store.db, digest);
    if (!row) throw new NotFoundError(`No stored project '${digest}'; upload it first (POST /api/v1/jobs/projects).`);
    return row;
  }

  async getProject(digest: string): Promise<ProjectInfo> {
    return projectView(await this.projectRow(digest));
  }

  async projectZip(digest: string): Promise<Buffer> {
    const { stream } = await this.deps.artifacts.get(`${PROJECT_PREFIX}/${digest.slice(7)}.zip`);
    return readAll(stream);
  }

  // ---- jobs ----

  /**
   * `o.jobId`: the caller's own id for the job (a loop run's training step), so a retried submit finds the job
   * made before instead of making a second one.
   */
  async submit(body: Static<typeof JobSubmission>, who: Principal, o: { jobId?: string } = {}): Promise<JobInfo> {
    if (o.jobId !== undefined) {
      if (!/^job-[0-9a-f]{32}$/.test(o.jobId)) throw new InvalidParameterError('job_id', "A job id is 'job-' and 32 hex digits.");
      const known = await repo.findJob(this.deps.store.db, o.jobId);
      if (known) return jobView(known);
    }
    if ((body.project === undefined) === (body.git === undefined))
      throw new InvalidParameterError('project', "Give exactly one source: 'project' (a stored project's digest) or 'git' (url and commit).");
    const executorName = body.executor ?? 'local';
    const executor = await this.deps.executors.settings(executorName).catch(() => {
      throw new InvalidParameterError('executor', `No executor '${executorName}'.`);
    });
    if (executor.enabled === false) throw new InvalidParameterError('executor', `Executor '${executorName}' is turned off by an admin.`);
    let project: JobProjectTable;
    let git: { url: string; commit: string } | undefined;
    if (body.git) {
      const fetched = await fetchGitProject(body.git, { allowFile: this.deps.allowFileGit });
      const stored = await this.storeProject(fetched.files, who.name, fetched.name);
      project = await this.projectRow(stored.project.digest);
      git = { url: body.git.url, commit: fetched.commit };
    } else {
      project = await repo.findProject(this.deps.store.db, body.project!).then((r) => {
        if (!r) throw new InvalidParameterError('project', `No stored project '${body.project}'; upload it first (POST /api/v1/jobs/projects).`);
        return r;
      });
    }
    const spec = JSON.parse(project.spec) as ProjectSpec;
    const ep = entryPoint(spec, body.entry_point ?? 'main');
    const given = Object.fromEntries(Object.entries(body.parameters ?? {}).map(([k, v]) => [k, pythonStrOf(v)]));
    const { parameters, command } = computeCommand(ep, given);
    const envManager = body.env_manager ?? executor.env_manager ?? 'local';
    if (envManager === 'virtualenv' && project.python_env === null)
      throw new InvalidParameterError('env_manager', 'env_manager virtualenv needs a python_env.yaml in the project.');
    const backoffMs = body.retry_backoff ? durationMs(body.retry_backoff, 'retry_backoff') : 30_000;

    const experimentId = await this.experimentFor(body);
    const jobId = o.jobId ?? `job-${randomBytes(16).toString('hex')}`;
    const tags = [
      { key: 'mlflow.user', value: who.name },
      { key: 'mlflow.source.name', value: git ? git.url : `ferry-project:${project.digest}` },
      { key: 'mlflow.source.type', value: 'PROJECT' },
      { key: 'mlflow.project.entryPoint', value: ep.name },
      { key: 'mlflow.project.backend', value: executor.kind },
      { key: 'mlflow.project.env', value: envManager },
      { key: 'ferry.job_id', value: jobId },
      { key: 'ferry.project.digest', value: project.digest },
      ...(git
        ? [
            { key: 'mlflow.source.git.commit', value: git.commit },
            { key: 'mlflow.source.git.repoURL', value: git.url },
          ]
        : []),
    ];
    const run = await this.deps.runs.create({ experimentId, userId: who.name, ...(body.run_name ? { runName: body.run_name } : {}), tags });
    const runId = run.info.run_id;
    // The run waits in the queue as SCHEDULED (MLflow's status for it) until the job starts.
    await this.deps.runs.update(runId, { status: 'SCHEDULED' });
    const params = Object.entries(parameters).map(([key, value]) => ({ key, value }));
    if (params.length) await this.deps.runs.logBatch(runId, { metrics: [], params, tags: [] });

    const now = Date.now();
    const jobSpec: JobSpec = {
      project_name: project.name,
      parameters,
      command,
      env_manager: envManager,
      resources: body.resources ?? {},
      ...(git ? { git_url: git.url, git_commit: git.commit } : {}),
    };
    const row: JobTable = {
      job_id: jobId,
      state: 'queued',
      executor: executorName,
      spec: JSON.stringify(jobSpec),
      project_digest: project.digest,
      entry_point: ep.name,
      experiment_id: Number(experimentId),
      run_id: runId,
      submitted_by: who.name,
      submitted_at: now,
      available_at: now,
      priority: body.priority ?? 0,
      attempts: 0,
      max_attempts: body.max_attempts ?? 1,
      retry_backoff_ms: backoffMs,
      lease_owner: null,
      lease_until: null,
      cancel_requested: 0,
      cancelled_by: null,
      external_id: null,
      token_id: null,
      started_at: null,
      running_at: null,
      finished_at: null,
      exit_code: null,
      message: null,
      log_bytes: 0,
      executor_log_offset: 0,
    };
    await repo.insertJob(this.deps.store.db, row);
    this.onChange?.(jobId);
    return jobView(row);
  }

  private async experimentFor(body: Static<typeof JobSubmission>): Promise<string> {
    if (body.experiment_id !== undefined && body.experiment_name !== undefined)
      throw new InvalidParameterError('experiment_id', "Give 'experiment_id' or 'experiment_name', not both.");
    if (body.experiment_id !== undefined) {
      await this.deps.experiments.getRow(body.experiment_id);
      return body.experiment_id;
    }
    if (body.experiment_name !== undefined) {
      // As `mlflow run --experiment-name` does: an experiment that does not exist yet is created.
      const found = await this.deps.experiments.getByName(body.experiment_name).catch(() => null);
      if (found) return found.experiment_id;
      return this.deps.experiments.create(body.experiment_name, undefined, []);
    }
    return '0';
  }

  async row(jobId: string): Promise<JobTable> {
    const row = await repo.findJob(this.deps.store.db, jobId);
    if (!row) throw new NotFoundError(`No job '${jobId}'.`);
    return row;
  }

  async get(jobId: string): Promise<JobInfo> {
    return jobView(await this.row(jobId));
  }

  async list(q: {
    state?: string;
    executor?: string;
    experiment_id?: string;
    submitted_by?: string;
    run_id?: string;
    max_results?: number;
    page_token?: string;
  }) {
    const limit = q.max_results ?? 100;
    let before: { submittedAt: number; jobId: string } | undefined;
    if (q.page_token) {
      const [ts, id] = q.page_token.split(':') as [string, string];
      before = { submittedAt: Number(ts), jobId: id };
    }
    const rows = await repo.listJobs(this.deps.store.db, {
      ...(q.state ? { state: q.state } : {}),
      ...(q.executor ? { executor: q.executor } : {}),
      ...(q.experiment_id !== undefined ? { experimentId: Number(q.experiment_id) } : {}),
      ...(q.submitted_by ? { submittedBy: q.submitted_by } : {}),
      ...(q.run_id ? { runId: q.run_id } : {}),
      limit: limit + 1,
      ...(before ? { before } : {}),
    });
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return { jobs: page.map(jobView), ...(rows.length > limit && last ? { next_page_token: `${last.submitted_at}:${last.job_id}` } : {}) };
  }

  /** Editors cancel their own jobs, admins any; a queued job ends at once, a started one through its executor. */
  async cancel(jobId: string, who: Principal): Promise<JobInfo> {
    const row = await this.row(jobId);
    if (who.role !== 'admin' && row.submitted_by !== who.name)
      throw new PermissionDeniedError(`Job '${jobId}' was submitted by '${row.submitted_by}'; only they or an admin can cancel it.`);
    if ((TERMINAL_JOB_STATES as readonly string[]).includes(row.state))
      throw new InvalidStateError(`Job '${jobId}' has already ${row.state === 'cancelled' ? 'been cancelled' : row.state}.`);
    const db = this.deps.store.db;
    if (!(await repo.cancelQueued(db, jobId, who.name, Date.now()))) {
      await repo.requestCancel(db, jobId, who.name);
      this.onChange?.(jobId);
    }
    const after = await this.row(jobId);
    if (after.state === 'cancelled') await this.deps.runs.update(after.run_id, { status: 'KILLED', endTime: after.finished_at ?? Date.now() }).catch(() => {});
    return jobView(after);
  }

  async logs(jobId: string, q: { offset?: number; max_bytes?: number; wait?: number }): Promise<Static<typeof JobLogs>> {
    const offset = q.offset ?? 0;
    const max = q.max_bytes ?? 1024 * 1024;
    const deadline = Date.now() + (q.wait ?? 0) * 1000;
    let row = await this.row(jobId);
    // Follow: hold the answer while there is nothing new and the job goes on.
    while (row.log_bytes <= offset && !(TERMINAL_JOB_STATES as readonly string[]).includes(row.state) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
      row = await this.row(jobId);
    }
    // A job just ended: its worker is copying the last of its log (it holds the lease until then). Wait for it, so a
    // log read once the job has ended is whole; a lease run out (its server died) ends the wait.
    const settleBy = Date.now() + LOG_SETTLE_MS;
    while (settling(row) && Date.now() < settleBy) {
      await new Promise((r) => setTimeout(r, 10));
      row = await this.row(jobId);
    }
    if (offset > row.log_bytes) throw new InvalidParameterError('offset', `'offset' ${offset} is past the end of the log (${row.log_bytes} bytes).`);
    const chunks = await repo.readLogChunks(this.deps.store.db, jobId, offset, max);
    const all = Buffer.concat(chunks.map((c) => Buffer.from(c.data, 'utf8')));
    const start = offset - (chunks[0]?.offset ?? offset);
    const buf = all.subarray(start, start + max);
    // End on a whole UTF-8 character when the answer is cut short; the rest comes with the next call.
    const end = start + max < all.length ? wholeCharsEnd(buf, buf.length) : buf.length;
    const data = buf.subarray(0, end).toString('utf8');
    const next = offset + end;
    const terminal = (TERMINAL_JOB_STATES as readonly string[]).includes(row.state);
    return { job_id: jobId, state: row.state as JobInfo['state'], offset, next_offset: next, data, done: terminal && !settling(row) && next >= row.log_bytes };
  }

  // ---- signed source URLs ----

  signSource(jobId: string, ttlMs: number, now = Date.now()): { expires: number; signature: string } {
    const expires = Math.floor((now + ttlMs) / 1000);
    return { expires, signature: this.deps.box.sign(`${jobId}.${expires}`) };
  }

  /**
   * A project's URL signature. The expiry is rounded up to a whole window of `ttlMs` (so the URL lives between one
   * and two windows): all jobs of a project in one window share a URL, which executors may cache by.
   */
  signProjectSource(digest: string, ttlMs: number, now = Date.now()): { expires: number; signature: string } {
    const window = Math.max(1000, ttlMs);
    const expires = Math.floor(((Math.floor(now / window) + 2) * window) / 1000);
    return { expires, signature: this.deps.box.sign(`project.${digest}.${expires}`) };
  }

  async projectSourceZip(digest: string, expires: number, signature: string): Promise<Buffer> {
    if (expires * 1000 < Date.now() || !this.deps.box.verify(`project.${digest}.${expires}`, signature))
      throw new PermissionDeniedError('The link has expired or its signature is wrong.');
    return this.projectZip(digest);
  }

  async sourceZip(jobId: string, expires: number, signature: string): Promise<Buffer> {
    if (expires * 1000 < Date.now() || !this.deps.box.verify(`${jobId}.${expires}`, signature))
      throw new PermissionDeniedError('The link has expired or its signature is wrong.');
    const row = await this.row(jobId);
    return this.projectZip(row.project_digest);
  }
}

export type { JobSpec };
