/** A job's row as the API shows it. */
import type { Static } from '@sinclair/typebox';
import type { Job } from '../contract/jobs.js';
import type { JobTable } from '../store/index.js';
import { pythonStr } from './mlproject.js';
import type { JobResources } from './executors/executor.js';

/** What a job row's `spec` column holds. */
export interface JobSpec {
  project_name: string;
  parameters: Record<string, string>;
  command: string;
  env_manager: 'local' | 'virtualenv';
  resources: JobResources;
  git_url?: string;
  git_commit?: string;
}

/** A parameter value from JSON as text, the way Python's str() prints it (what mlflow.projects.run does). */
export function pythonStrOf(v: string | number | boolean): string {
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : pythonStr(v);
  return pythonStr(v);
}

export function jobView(row: JobTable): Static<typeof Job> {
  const spec = JSON.parse(row.spec) as JobSpec;
  return {
    job_id: row.job_id,
    state: row.state as Static<typeof Job>['state'],
    executor: row.executor,
    project: {
      digest: row.project_digest,
      name: spec.project_name,
      ...(spec.git_url ? { git_url: spec.git_url } : {}),
      ...(spec.git_commit ? { git_commit: spec.git_commit } : {}),
    },
    entry_point: row.entry_point,
    parameters: spec.parameters,
    command: spec.command,
    env_manager: spec.env_manager,
    resources: spec.resources,
    experiment_id: String(row.experiment_id),
    run_id: row.run_id,
    submitted_by: row.submitted_by,
    submitted_at: row.submitted_at,
    started_at: row.started_at,
    running_at: row.running_at,
    finished_at: row.finished_at,
    attempts: row.attempts,
    max_attempts: row.max_attempts,
    priority: row.priority,
    cancel_requested: row.cancel_requested === 1,
    exit_code: row.exit_code,
    message: row.message,
    log_bytes: row.log_bytes,
    external_id: row.external_id,
  };
}
