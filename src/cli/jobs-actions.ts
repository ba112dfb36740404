/** What the `ferry jobs ...` commands do (their definitions, and the exit codes, are in jobs-command.ts). */
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { type FerryClient, type Job, type JobState, type JobSubmission, TERMINAL_JOB_STATES } from '../sdk/index.js';
import { clientFor, durationFlag, formatDuration, morePagesNote, note, print, printJson } from './context.js';
import { jobDetails, jobsTable } from './jobs-format.js';
import { uploadFolder } from './jobs-upload.js';
import type { OutputOptions } from './options.js';

export interface SubmitOptions extends OutputOptions {
  entryPoint?: string;
  param?: Record<string, string>;
  executor?: string;
  experiment?: string;
  experimentId?: string;
  runName?: string;
  envManager?: 'local' | 'virtualenv';
  cpus?: number;
  gpus?: number;
  memory?: number;
  maxAttempts?: number;
  retryBackoff?: string;
  priority?: number;
  commit?: string;
  subdirectory?: string;
  wait?: boolean;
}

export interface ListOptions extends OutputOptions {
  state?: JobState;
  executor?: string;
  experimentId?: string;
  mine?: boolean;
  limit?: number;
  pageToken?: string;
}

export interface LogsOptions extends OutputOptions {
  follow?: boolean;
  offset?: number;
}

export interface CancelOptions extends OutputOptions {
  wait?: boolean;
}

/** Exit codes of a waited-for job (jobs-command.ts documents them). */
export const EXIT_CODES: Record<'succeeded' | 'failed' | 'cancelled', number> = { succeeded: 0, failed: 1, cancelled: 130 };
/** Ctrl-C while following: what a shell reports for SIGINT. */
const INTERRUPTED = 130;

/** A git source: a URL with a scheme git speaks, or scp-like `user@host:path` (when no such local folder exists). */
export function isGitUrl(source: string): boolean {
  if (/^(https?|ssh|git|file):\/\//i.test(source)) return true;
  return /^[\w.-]+@[\w.-]+:/.test(source) && !existsSync(source);
}

function gitSource(url: string, o: SubmitOptions): NonNullable<JobSubmission['git']> {
  if (!o.commit)
    throw new Error(
      `a git source needs --commit SHA: Ferry runs an exact commit, so the run traces back to its code (a branch's current commit: git ls-remote ${url} BRANCH)`,
    );
  const commit = o.commit.toLowerCase();
  if (!/^[0-9a-f]{7,40}$/.test(commit))
    throw new Error(
      `--commit must be a commit hash (7 to 40 hex digits), not a branch or tag name like '${o.commit}' (git ls-remote ${url} ${o.commit} gives it)`,
    );
  return { url, commit, ...(o.subdirectory ? { subdirectory: o.subdirectory } : {}) };
}

function submission(o: SubmitOptions): Omit<JobSubmission, 'project' | 'git'> {
  const resources = {
    ...(o.cpus !== undefined ? { cpus: o.cpus } : {}),
    ...(o.gpus !== undefined ? { gpus: o.gpus } : {}),
    ...(o.memory !== undefined ? { memory_mb: o.memory } : {}),
  };
  return {
    ...(o.entryPoint ? { entry_point: o.entryPoint } : {}),
    ...(o.param ? { parameters: o.param } : {}),
    ...(o.executor ? { executor: o.executor } : {}),
    ...(o.experiment ? { experiment_name: o.experiment } : {}),
    ...(o.experimentId ? { experiment_id: o.experimentId } : {}),
    ...(o.runName ? { run_name: o.runName } : {}),
    ...(o.envManager ? { env_manager: o.envManager } : {}),
    ...(Object.keys(resources).length ? { resources } : {}),
    ...(o.maxAttempts !== undefined ? { max_attempts: o.maxAttempts } : {}),
    ...(o.retryBackoff !== undefined ? { retry_backoff: durationFlag(o.retryBackoff, '--retry-backoff') } : {}),
    ...(o.priority !== undefined ? { priority: o.priority } : {}),
  };
}

export async function submit(source: string, o: SubmitOptions, cmd: Command): Promise<void> {
  if (o.experiment && o.experimentId) throw new Error('give --experiment or --experiment-id, not both');
  const rest = submission(o); // flags are checked before anything is zipped or sent
  const client = clientFor(cmd);
  let job: Job;
  if (isGitUrl(source)) {
    job = await client.jobs.submit({ git: gitSource(source, o), ...rest });
  } else {
    if (o.commit || o.subdirectory)
      throw new Error(`--commit and --subdirectory are for a git URL; ${source} is a folder, sent as it is on disk (give the project's own folder)`);
    const project = await uploadFolder(client, source, Boolean(o.json));
    job = await client.jobs.submit({ project: project.digest, ...rest });
  }
  if (!o.wait) {
    if (o.json) return printJson({ job });
    print(submittedText(job));
    note(`follow its log: ferry jobs logs ${job.job_id} -f`);
    return;
  }
  if (!o.json) print(submittedText(job));
  const ended = await followToEnd(client, job.job_id, o.json ? process.stderr : process.stdout);
  if (o.json) printJson({ job: ended });
  process.exitCode = outcomeCode(ended);
}

function submittedText(job: Job): string {
  return `Submitted job ${job.job_id} (${job.state}) on ${job.executor}\n  run id   ${job.run_id}\n  command  ${job.command}\n`;
}

function outcomeCode(job: Job): number {
  return job.state in EXIT_CODES ? EXIT_CODES[job.state as keyof typeof EXIT_CODES] : 1;
}

function endedNote(job: Job): string {
  const took = job.started_at !== null && job.finished_at !== null ? ` in ${formatDuration(job.finished_at - job.started_at)}` : '';
  const code = job.exit_code !== null && job.state !== 'succeeded' ? ` (exit code ${job.exit_code})` : '';
  const why = job.message && job.state !== 'succeeded' ? `: ${job.message}` : '';
  return `job ${job.job_id} ${job.state}${took}${code}${why}`;
}

/**
 * Streams a job's log to `out` until it ends; answers the ended job. Ctrl-C stops following (the job keeps
 * running: cancelling is a separate, explicit command) and exits 130.
 */
async function followToEnd(client: FerryClient, jobId: string, out: NodeJS.WriteStream): Promise<Job> {
  let last = '\n';
  const newline = () => (last.endsWith('\n') ? '' : '\n');
  const onInterrupt = () => {
    note(`${newline()}stopped following; job ${jobId} keeps running. Cancel it with: ferry jobs cancel ${jobId}`);
    process.exit(INTERRUPTED);
  };
  process.once('SIGINT', onInterrupt);
  note(`following the log of ${jobId} (Ctrl-C stops following; the job keeps running)`);
  try {
    const ended = await client.jobs.follow(jobId, (text) => {
      out.write(text);
      last = text;
    });
    note(`${newline()}${endedNote(ended)}`);
    return ended;
  } finally {
    process.off('SIGINT', onInterrupt);
  }
}

export async function list(o: ListOptions, cmd: Command): Promise<void> {
  const client = clientFor(cmd);
  const submittedBy = o.mine ? (await client.whoami()).name : undefined;
  const page = await client.jobs.list({
    ...(o.state ? { state: o.state } : {}),
    ...(o.executor ? { executor: o.executor } : {}),
    ...(o.experimentId ? { experimentId: o.experimentId } : {}),
    ...(submittedBy ? { submittedBy } : {}),
    ...(o.limit ? { maxResults: o.limit } : {}),
    ...(o.pageToken ? { pageToken: o.pageToken } : {}),
  });
  if (o.json) return printJson(page);
  if (page.jobs.length === 0) note('No jobs.');
  else print(jobsTable(page.jobs));
  morePagesNote('jobs', page.next_page_token);
}

export async function show(id: string, o: OutputOptions, cmd: Command): Promise<void> {
  const job = await clientFor(cmd).jobs.get(id);
  if (o.json) return printJson({ job });
  print(jobDetails(job));
}

export async function logs(id: string, o: LogsOptions, cmd: Command): Promise<void> {
  const client = clientFor(cmd);
  if (o.follow) {
    if (!o.json) {
      await followToEnd(client, id, process.stdout);
      return;
    }
    // JSON Lines: each piece as the API answered it, so a script sees offsets and the end.
    let offset = o.offset ?? 0;
    for (;;) {
      const page = await client.jobs.logs(id, { offset, wait: 20 });
      if (page.data || page.done) process.stdout.write(`${JSON.stringify(page)}\n`);
      if (page.done) return;
      offset = page.next_offset;
    }
  }
  // The whole log as it is now, page by page (the server answers at most 1 MiB at a time).
  let offset = o.offset ?? 0;
  let data = '';
  for (;;) {
    const page = await client.jobs.logs(id, { offset });
    if (o.json) data += page.data;
    else print(page.data);
    if (page.next_offset === offset || page.done) {
      if (o.json) printJson({ ...page, offset: o.offset ?? 0, data });
      return;
    }
    offset = page.next_offset;
  }
}

export async function cancel(id: string, o: CancelOptions, cmd: Command): Promise<void> {
  const client = clientFor(cmd);
  const ended = (j: Job) => TERMINAL_JOB_STATES.includes(j.state);
  let job = await client.jobs.cancel(id);
  // Only the job's end matters here, not its log: poll its state (an executor stops a job within its grace period).
  while (o.wait && !ended(job)) {
    await new Promise((r) => setTimeout(r, 500));
    job = await client.jobs.get(id);
  }
  if (o.json) return printJson({ job });
  if (ended(job)) print(`job ${job.job_id} ${job.state}${job.message ? `: ${job.message}` : ''}\n`);
  else print(`cancel requested for job ${job.job_id} (${job.state}); it ends once its executor has stopped it\n`);
}
