/** Jobs and executors over Ferry's native API (/api/v1/jobs, /api/v1/executors). */
import type { Static } from '@sinclair/typebox';
import * as C from '../contract/jobs.js';
import type { HttpClient } from './http.js';

export type Job = Static<typeof C.Job>;
export type JobState = Static<typeof C.JobState>;
export type JobSubmission = Static<typeof C.JobSubmission>;
export type JobLogs = Static<typeof C.JobLogs>;
export type JobProject = Static<typeof C.Project>;
export type Executor = Static<typeof C.Executor>;
/** An executor's settings; a token given is stored encrypted and never returned. */
export type ExecutorInput = Static<typeof C.ExecutorInput>;

export interface ListJobsOptions {
  state?: JobState;
  executor?: string;
  experimentId?: string;
  submittedBy?: string;
  runId?: string;
  maxResults?: number;
  pageToken?: string;
}

export const TERMINAL_JOB_STATES: readonly JobState[] = C.TERMINAL_JOB_STATES;

export class JobsApi {
  constructor(private readonly http: HttpClient) {}

  /** Stores an MLflow Project given as a zip (its files' digest names it; the same files twice are one project). */
  async uploadProject(zip: Uint8Array | Blob): Promise<JobProject> {
    return (await this.http.callUpload(C.uploadJobProject, { body: zip, contentType: 'application/zip' })).project;
  }

  async getProject(digest: string): Promise<JobProject> {
    return (await this.http.call(C.getJobProject, { params: { digest } })).project;
  }

  async submit(job: JobSubmission): Promise<Job> {
    return (await this.http.call(C.submitJob, { body: job })).job;
  }

  list(opts: ListJobsOptions = {}) {
    return this.http.call(C.listJobs, {
      query: {
        state: opts.state,
        executor: opts.executor,
        experiment_id: opts.experimentId,
        submitted_by: opts.submittedBy,
        run_id: opts.runId,
        max_results: opts.maxResults,
        page_token: opts.pageToken,
      },
    });
  }

  async get(jobId: string): Promise<Job> {
    return (await this.http.call(C.getJob, { params: { job_id: jobId } })).job;
  }

  /** The log from `offset`; with `wait` (seconds) the server holds the answer until there is more or the job ends. */
  logs(jobId: string, opts: { offset?: number; maxBytes?: number; wait?: number } = {}): Promise<JobLogs> {
    return this.http.call(C.getJobLogs, { params: { job_id: jobId }, query: { offset: opts.offset, max_bytes: opts.maxBytes, wait: opts.wait } });
  }

  /** Follows a job's log to its end, handing each new piece to `onText`; answers the job as it ended. */
  async follow(jobId: string, onText: (text: string) => void, opts: { offset?: number; wait?: number } = {}): Promise<Job> {
    let offset = opts.offset ?? 0;
    for (;;) {
      const page = await this.logs(jobId, { offset, wait: opts.wait ?? 20 });
      if (page.data) onText(page.data);
      offset = page.next_offset;
      if (page.done || typeof page.next_offset !== 'number') return this.get(jobId);
    }
  }

  async cancel(jobId: string): Promise<Job> {
    return (await this.http.call(C.cancelJob, { params: { job_id: jobId } })).job;
  }

  async executors(): Promise<Executor[]> {
    return (await this.http.call(C.listExecutors)).executors;
  }

  async getExecutor(name: string): Promise<Executor> {
    return (await this.http.call(C.getExecutor, { params: { name } })).executor;
  }

  async setExecutor(name: string, input: ExecutorInput): Promise<Executor> {
    return (await this.http.call(C.putExecutor, { params: { name }, body: input })).executor;
  }

  async deleteExecutor(name: string): Promise<Executor> {
    return (await this.http.call(C.deleteExecutor, { params: { name } })).executor;
  }
}
