/**
 * The worker every server runs: it claims due jobs from the queue (within each executor's concurrency),
 * starts them on their executor with a token made for the job alone, then watches them — lease heartbeat,
 * log copying, cancel requests, the outcome — and finishes them: state, run status, log artifact, token
 * revoked, a retry queued when one is left. A job whose worker died (its lease ran out) is re-claimed and
 * re-attached through its executor handle, never started a second time.
 */
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import type { ArtifactStore } from '../artifacts/index.js';
import type { Store, JobTable } from '../store/index.js';
import { storePathOf, type RunService } from '../tracking/index.js';
import type { ExecutorService, ExecutorSettings } from './executor-service.js';
import { type ExecutionStatus, type Executor, ExecutorError } from './executors/executor.js';
import * as repo from './job-repo.js';
import type { JobService } from './job-service.js';
import type { JobSpec } from './job-view.js';
import { parsePythonEnv } from './mlproject.js';

export interface JobTokens {
  create(jobId: string): Promise<{ token: string; tokenId: string }>;
  revoke(tokenId: string): Promise<void>;
}

export interface JobEvents {
  claimed?(job: JobTable, queueWaitMs: number): void;
  finished?(job: JobTable, state: string, durationMs: number | null): void;
}

export interface JobWorkerOptions {
  store: Store;
  artifacts: ArtifactStore;
  runs: RunService;
  jobs: JobService;
  executors: ExecutorService;
  tokens: JobTokens;
  /** Lease length; a dead worker's jobs are re-claimed after it. */
  leaseMs: number;
  tickMs: number;
  /** Most log bytes kept per job (the rest is dropped with a note). */
  maxLogBytes: number;
  /** How long an executor may be unreachable before its job fails. */
  unreachableMs: number;
  /** Signed project URLs live one to two of these (one URL per project and window). */
  sourceUrlTtlMs: number;
  /** This host and its local work folder, hashed: only a worker of the same node re-attaches a local job. */
  localNode: string;
  /** A local job whose node has been silent this long is taken by any worker (and found lost, failing it). */
  orphanMs: number;
  events?: JobEvents;
  log: { warn(o: object, m: string): void; error(o: object, m: string): void; info?(o: object, m: string): void };
}

interface Watched {
  jobId: string;
  handle: string | null;
  /** When the executor first failed to answer, in a row. */
  unreachableSince: number | null;
  cancelSentAt: number | null;
  /** When to look at it next, and the current gap: a fresh job is looked at often, a long one every tick. */
  nextAt: number;
  every: number;
  /** When this worker began watching it, and last copied its log. */
  since: number;
  logsAt: number;
}

/** The first look at a job that just started comes this soon; the gap then grows with its age, up to the tick. */
const FIRST_LOOK_MS = 10;
/** The executor's log is copied at most this often while the job runs (Ray answers the whole log each time). */
const LOG_COPY_MS = 1000;

const TERMINAL_RUN: Record<string, 'FINISHED' | 'FAILED' | 'KILLED'> = { succeeded: 'FINISHED', failed: 'FAILED', cancelled: 'KILLED' };

/** The executor's id of one attempt: the job's id, then `-a2`, `-a3` for retries (Ray refuses a reused id). */
export function attemptHandle(jobId: string, attempt: number): string {
  return attempt <= 1 ? jobId : `${jobId}-a${attempt}`;
}

export class JobWorker {
  /** `host:pid:random@node`: node names this host and its local work folder (local jobs are re-attached there). */
  readonly owner: string;
  private readonly watched = new Map<string, Watched>();
  private timer: NodeJS.Timeout | null = null;
  private ticking: Promise<void> | null = null;
  private trackingUri: string | null = null;
  private stopped = false;
  private poked = false;
  private again = false;
  private lastClaimAt = 0;

  constructor(private readonly o: JobWorkerOptions) {
    this.owner = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}@${o.localNode}`;
  }

  /** Starts claiming; `trackingUri` is this server's URL, used when an executor sets none. */
  start(trackingUri: string): void {
    this.trackingUri = trackingUri.replace(/\/+$/, '');
    this.stopped = false;
    this.schedule(0);
  }

  /**
   * Something changed here (a job was submitted, or `jobId` asked to cancel, on this server): look now rather than
   * at the next tick. Other servers see it at their next tick.
   */
  poke(jobId?: string): void {
    this.poked = true;
    const w = jobId ? this.watched.get(jobId) : undefined;
    if (w) w.nextAt = 0;
    if (this.stopped || this.trackingUri === null) return;
    if (this.ticking) this.again = true;
    else this.schedule(0);
  }

  private schedule(delay: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.loop(), delay);
  }

  private loop(): void {
    if (this.stopped) return;
    this.timer = null;
    this.ticking = this.round()
      .catch((err: unknown) => this.o.log.error({ err }, 'job worker round failed'))
      .finally(() => {
        this.ticking = null;
        if (this.stopped) return;
        if (this.again) {
          this.again = false;
          this.schedule(0);
          return;
        }
        // Sleep until the next claim round, or until a watched job is due, whichever comes first.
        const now = Date.now();
        let next = this.lastClaimAt + this.o.tickMs;
        for (const w of this.watched.values()) next = Math.min(next, w.nextAt);
        this.schedule(Math.max(1, next - now));
      });
  }

  /** Stops claiming and watching; running jobs keep running on their executors and are re-attached later. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.ticking;
  }

  /** One full round: watch every job this worker holds, then claim what it can. Exposed for tests. */
  async tick(): Promise<void> {
    for (const w of [...this.watched.values()]) await this.watch(w).catch((err: unknown) => this.o.log.error({ err, job: w.jobId }, 'watching a job failed'));
    await this.claimAll();
  }

  /** The loop's round: the jobs that are due, then a claim round when a tick has passed or something was poked. */
  private async round(): Promise<void> {
    const now = Date.now();
    for (const w of [...this.watched.values()]) {
      if (w.nextAt > now) continue;
      // Look again after a hundredth of the job's age so far (10 ms at first, the tick at most): a short job's end
      // is seen within 1% of its run time (but 10 ms), a long one costs one look per tick.
      w.every = Math.min(this.o.tickMs, Math.max(FIRST_LOOK_MS, (Date.now() - w.since) / 100));
      w.nextAt = Date.now() + w.every;
      await this.watch(w).catch((err: unknown) => this.o.log.error({ err, job: w.jobId }, 'watching a job failed'));
    }
    const ticked = now - this.lastClaimAt >= this.o.tickMs;
    if (this.poked || ticked) {
      this.poked = false;
      // A poke (a submit here, a slot freed) claims new work at once; dead workers' jobs are looked for once a tick.
      if (ticked) this.lastClaimAt = now;
      await this.claimAll(ticked);
    }
  }

  private watchNew(jobId: string, handle: string | null): Watched {
    const now = Date.now();
    const w: Watched = { jobId, handle, unreachableSince: null, cancelSentAt: null, nextAt: now + FIRST_LOOK_MS, every: FIRST_LOOK_MS, since: now, logsAt: 0 };
    this.watched.set(jobId, w);
    return w;
  }

  private async claimAll(reclaim = true): Promise<void> {
    const all = await this.o.executors.all();
    const enabled = all.filter((e) => e.enabled !== false);
    if (enabled.length === 0) return;
    const active = await repo.activeCounts(this.o.store.db);
    // A local executor is this host's: its limit (a share of this host's cores) counts this server's jobs only,
    // not those other servers run on their own hosts; a cluster's limit (ray, kubernetes) counts every server's.
    const mine = await repo.ownedJobs(this.o.store.db, this.owner);
    for (const e of enabled) if (e.kind === 'local') active.set(e.name, mine.filter((j) => j.executor === e.name).length);
    const now = Date.now();
    // Re-attach first: a dead worker's jobs are already running somewhere.
    while (reclaim) {
      const job = await repo.claim(this.o.store.db, this.o.store.dialect, {
        owner: this.owner,
        now,
        leaseMs: this.o.leaseMs,
        executors: enabled.map((e) => e.name),
        reclaim: true,
        // A local job's process and files are on its node: another node cannot re-attach it until it is an orphan.
        nodeBound: { executors: enabled.filter((e) => e.kind === 'local').map((e) => e.name), node: this.o.localNode, orphanBefore: now - this.o.orphanMs },
      });
      if (!job) break;
      this.o.log.warn({ job: job.job_id, from: job.external_id }, 'job re-attached after its worker went away');
      this.watchNew(job.job_id, job.external_id);
    }
    for (let round = 0; ; round++) {
      // A full round: more may be waiting, so the loop comes straight back instead of sleeping a tick.
      if (round === 50) {
        this.poked = true;
        this.again = true;
        break;
      }
      const free = enabled.filter((e) => (active.get(e.name) ?? 0) < this.o.executors.maxConcurrent(e)).map((e) => e.name);
      const job = await repo.claim(this.o.store.db, this.o.store.dialect, {
        owner: this.owner,
        now: Date.now(),
        leaseMs: this.o.leaseMs,
        executors: free,
        reclaim: false,
      });
      if (!job) break;
      active.set(job.executor, (active.get(job.executor) ?? 0) + 1);
      this.o.events?.claimed?.(job, (job.started_at ?? Date.now()) - job.available_at);
      this.watchNew(job.job_id, null);
      await this.startJob(job).catch((err: unknown) => this.o.log.error({ err, job: job.job_id }, 'starting a job failed'));
    }
  }

  private async executorOf(job: JobTable): Promise<{ settings: ExecutorSettings; executor: Executor }> {
    return this.o.executors.executor(job.executor);
  }

  /** Hands a claimed job to its executor (idempotent per attempt), with its token and MLflow's environment. */
  private async startJob(job: JobTable): Promise<void> {
    const w = this.watched.get(job.job_id)!;
    let ex: { settings: ExecutorSettings; executor: Executor };
    try {
      ex = await this.executorOf(job);
    } catch (err) {
      await this.finish(job, { state: 'failed', message: `Executor '${job.executor}' cannot run jobs: ${(err as Error).message}` });
      return;
    }
    if (job.cancel_requested) {
      await this.finish(job, { state: 'stopped', message: 'cancelled before it started' });
      return;
    }
    const spec = JSON.parse(job.spec) as JobSpec;
    const handle = attemptHandle(job.job_id, job.attempts);
    if (job.token_id) {
      // A start cut short (a server killed between handing the job over and recording it) may have reached the
      // executor: then adopt what runs there, keeping the token it holds, instead of starting it again.
      const there = await ex.executor.status(handle).catch(() => null);
      if (there && there.state !== 'lost') {
        w.handle = handle;
        const now = Date.now();
        await repo.updateOwned(this.o.store.db, job.job_id, this.owner, {
          state: 'running',
          running_at: job.running_at ?? now,
          external_id: handle,
          lease_until: now + this.o.leaseMs,
        });
        await this.o.runs.update(job.run_id, { status: 'RUNNING' }).catch(() => {});
        return;
      }
    }
    // A fresh token per start: one made by a start that never reached the executor is revoked first.
    if (job.token_id) await this.o.tokens.revoke(job.token_id).catch(() => {});
    const { token, tokenId } = await this.o.tokens.create(job.job_id);
    if (!(await repo.updateOwned(this.o.store.db, job.job_id, this.owner, { token_id: tokenId }))) {
      await this.o.tokens.revoke(tokenId).catch(() => {});
      this.watched.delete(job.job_id);
      return;
    }
    const tracking = ex.settings.tracking_uri ?? this.trackingUri ?? 'http://127.0.0.1:5050';
    const signed = this.o.jobs.signProjectSource(job.project_digest, this.o.sourceUrlTtlMs);
    const project = await this.o.jobs.projectRow(job.project_digest);
    const pe = project.python_env !== null ? { text: project.python_env, ...parsePythonEnv(project.python_env) } : null;
    try {
      const got = await ex.executor.submit({
        jobId: handle,
        command: spec.command,
        env: {
          MLFLOW_TRACKING_URI: tracking,
          MLFLOW_RUN_ID: job.run_id,
          MLFLOW_EXPERIMENT_ID: String(job.experiment_id),
          MLFLOW_TRACKING_TOKEN: token,
          FERRY_JOB_ID: job.job_id,
          FERRY_URL: tracking,
        },
        sourceUrl: `${tracking}/api/v1/jobs/projects/${job.project_digest}/source.zip?expires=${signed.expires}&signature=${signed.signature}`,
        readSource: () => this.o.jobs.projectZip(job.project_digest),
        projectDigest: job.project_digest,
        resources: spec.resources,
        envManager: spec.env_manager,
        pythonEnv: pe,
      });
      w.handle = got;
      w.unreachableSince = null;
      const now = Date.now();
      await repo.updateOwned(this.o.store.db, job.job_id, this.owner, {
        state: 'running',
        running_at: now,
        external_id: got,
        lease_until: now + this.o.leaseMs,
      });
      await this.o.runs.update(job.run_id, { status: 'RUNNING' }).catch(() => {});
    } catch (err) {
      const transient = err instanceof ExecutorError ? err.transient : false;
      const now = Date.now();
      w.unreachableSince ??= now;
      if (transient && now - w.unreachableSince < this.o.unreachableMs) {
        // Tried again on the next tick (still 'starting'); the token is made anew then.
        this.o.log.warn({ err, job: job.job_id }, 'executor did not take the job yet');
        return;
      }
      await this.finish(job, { state: 'failed', message: `Executor '${job.executor}' did not start the job: ${(err as Error).message}` });
    }
  }

  private async watch(w: Watched): Promise<void> {
    const db = this.o.store.db;
    const job = await repo.findJob(db, w.jobId);
    if (!job || job.lease_owner !== this.owner || !(repo.ACTIVE_STATES as readonly string[]).includes(job.state)) {
      this.watched.delete(w.jobId);
      return;
    }
    const now = Date.now();
    // Heartbeat: keep the lease well ahead.
    if ((job.lease_until ?? 0) - now < (this.o.leaseMs * 2) / 3) {
      if (!(await repo.updateOwned(db, job.job_id, this.owner, { lease_until: now + this.o.leaseMs }))) {
        this.watched.delete(w.jobId);
        return;
      }
    }
    if (w.handle === null) {
      // Claimed but not started (a transient executor error, or re-claimed from a worker that died before starting it).
      await this.startJob(job);
      return;
    }
    let ex: Executor;
    try {
      ex = (await this.executorOf(job)).executor;
    } catch (err) {
      await this.finish(job, { state: 'failed', message: `Executor '${job.executor}' is gone: ${(err as Error).message}` });
      return;
    }
    try {
      if (job.cancel_requested && (w.cancelSentAt === null || now - w.cancelSentAt > 15_000)) {
        w.cancelSentAt = now;
        await ex.cancel(w.handle);
      }
      if (now - w.logsAt >= LOG_COPY_MS) {
        w.logsAt = now;
        await this.copyLogs(job, ex, w.handle, false);
      }
      const st = await ex.status(w.handle);
      w.unreachableSince = null;
      if (st.state === 'pending' || st.state === 'running') return;
      const fresh = (await repo.findJob(db, job.job_id)) ?? job;
      const handle = w.handle;
      await this.finish(fresh, st, () => this.copyLogs(fresh, ex, handle, true));
      // In the background: it only tidies the executor, and may wait for it.
      void ex.cleanup?.(handle).catch((err: unknown) => this.o.log.warn({ err, job: job.job_id, handle }, 'the executor kept a finished job'));
    } catch (err) {
      const transient = err instanceof ExecutorError ? err.transient : true;
      w.unreachableSince ??= now;
      if (!transient || now - w.unreachableSince >= this.o.unreachableMs) {
        await this.finish(job, { state: 'lost', message: `Lost touch with executor '${job.executor}': ${(err as Error).message}` });
        return;
      }
      this.o.log.warn({ err, job: job.job_id }, 'executor did not answer; trying again');
    }
  }

  /** Copies new log text from the executor into the store (bounded); with `drain`, until there is no more. */
  private async copyLogs(job: JobTable, ex: Executor, handle: string, drain: boolean): Promise<void> {
    let stored = job.log_bytes;
    let from = job.executor_log_offset;
    for (let i = 0; i < (drain ? 1000 : 4); i++) {
      const slice = await ex.logs(handle, from);
      if (slice.nextOffset === from && !slice.text) return;
      let text = slice.text;
      const room = this.o.maxLogBytes - stored;
      if (room <= 0) text = '';
      else if (Buffer.byteLength(text) > room) {
        const cut = Buffer.from(text)
          .subarray(0, room)
          .toString('utf8')
          .replace(/\uFFFD$/, '');
        text = `${cut}\n[ferry: the log reached ${Math.round(this.o.maxLogBytes / 1024)} KiB; the rest was not kept]\n`;
      }
      const size = Buffer.byteLength(text);
      const ok = await repo.appendLog(this.o.store.db, job.job_id, this.owner, size ? { offset: stored, data: text, size } : null, slice.nextOffset);
      if (!ok) return;
      stored += size;
      from = slice.nextOffset;
      job.log_bytes = stored;
      job.executor_log_offset = from;
      if (slice.atEnd) return;
    }
  }

  /**
   * Ends an attempt: a retry when one is left (a failure, not a cancel), else the job's final state, the run's
   * status (as `mlflow run` does: only when the code did not end the run itself), the log as a run artifact,
   * the job's token revoked. `copyLastLogs` copies the rest of the executor's log: before a retry is queued; after
   * the final state is set (the job keeps its lease meanwhile, and the logs API holds its answers until it is done:
   * see JobService.logs), so nobody waits on the executor's log call to learn that the job ended.
   */
  private async finish(job: JobTable, st: ExecutionStatus, copyLastLogs?: () => Promise<void>): Promise<void> {
    const db = this.o.store.db;
    const now = Date.now();
    const cancelled = job.cancel_requested === 1 && st.state !== 'succeeded';
    const state = st.state === 'succeeded' ? 'succeeded' : cancelled ? 'cancelled' : 'failed';
    const message =
      state === 'succeeded'
        ? null
        : state === 'cancelled'
          ? `Cancelled by ${job.cancelled_by ?? 'a user'}.`
          : st.state === 'stopped'
            ? `Stopped outside Ferry: ${st.message ?? 'the executor stopped it'}`
            : (st.message ?? 'The job failed.');
    const revokeToken = async () => {
      if (job.token_id) await this.o.tokens.revoke(job.token_id).catch(() => {});
    };
    const done = () => {
      this.watched.delete(job.job_id);
      // A slot of its executor is free: claim in this round rather than at the next tick.
      this.poked = true;
    };
    if (state === 'failed' && job.attempts < job.max_attempts) {
      await copyLastLogs?.();
      done();
      await revokeToken();
      const delay = job.retry_backoff_ms * 2 ** (job.attempts - 1);
      const note = `\n[ferry: attempt ${job.attempts} of ${job.max_attempts} failed (${message}); retrying in ${Math.round(delay / 1000)} s]\n`;
      await repo.appendLog(db, job.job_id, this.owner, { offset: job.log_bytes, data: note, size: Buffer.byteLength(note) }, 0);
      await repo.updateOwned(db, job.job_id, this.owner, {
        state: 'queued',
        available_at: now + delay,
        lease_owner: null,
        lease_until: null,
        external_id: null,
        token_id: null,
        executor_log_offset: 0,
        exit_code: st.exitCode ?? null,
        message: `Attempt ${job.attempts} failed: ${message}; retrying.`,
      });
      return;
    }
    // The run and the token first, the job's state next: whoever sees the job ended finds its run ended and its
    // token revoked. The lease is kept until the rest of the log is in (its expiry ends the wait if this server dies).
    const run = await this.o.runs.get(job.run_id).catch(() => null);
    if (run && (run.info.status === 'RUNNING' || run.info.status === 'SCHEDULED'))
      await this.o.runs.update(job.run_id, { status: TERMINAL_RUN[state]!, endTime: now }).catch(() => {});
    else if (run && state !== 'succeeded' && run.info.status === 'FINISHED')
      await this.o.runs.update(job.run_id, { status: TERMINAL_RUN[state]! }).catch(() => {});
    await revokeToken();
    done();
    const ok = await repo.updateOwned(db, job.job_id, this.owner, {
      state,
      finished_at: now,
      // Held while the last of the log is copied; with nothing to copy (ended before it ran), released at once.
      lease_until: copyLastLogs ? now + this.o.leaseMs : null,
      token_id: null,
      exit_code: st.exitCode ?? null,
      message,
    });
    if (!ok) return;
    this.o.events?.finished?.(job, state, job.running_at ? now - job.running_at : null);
    if (copyLastLogs) await this.settleLog(job, copyLastLogs);
    await this.saveLogArtifact(job, run?.info.artifact_uri).catch((err: unknown) =>
      this.o.log.warn({ err, job: job.job_id }, 'the job log could not be saved as an artifact'),
    );
  }

  /** Copies the last of an ended job's log (or notes why it could not), then releases the job's lease. */
  private async settleLog(job: JobTable, copyLastLogs: () => Promise<void>): Promise<void> {
    const db = this.o.store.db;
    await copyLastLogs().catch(async (err: unknown) => {
      this.o.log.warn({ err, job: job.job_id }, 'the end of the job log could not be copied');
      const note = `\n[ferry: the end of the log could not be copied from executor '${job.executor}': ${(err as Error).message}]\n`;
      await repo
        .appendLog(db, job.job_id, this.owner, { offset: job.log_bytes, data: note, size: Buffer.byteLength(note) }, job.executor_log_offset)
        .catch(() => {});
    });
    await repo.updateOwned(db, job.job_id, this.owner, { lease_until: null });
  }

  private async saveLogArtifact(job: JobTable, artifactUri: string | undefined): Promise<void> {
    const root = artifactUri ? storePathOf(artifactUri) : null;
    if (root === null) return;
    const logs = await this.o.jobs.logs(job.job_id, { offset: 0, max_bytes: this.o.maxLogBytes + 4096 });
    if (logs.data === '') return;
    await this.o.artifacts.put(`${root}/ferry-job/job.log`, Readable.from([Buffer.from(logs.data, 'utf8')]), this.o.maxLogBytes + 1024 * 1024);
  }

  /** Jobs this worker is watching now (tests). */
  watching(): string[] {
    return [...this.watched.keys()];
  }
}
