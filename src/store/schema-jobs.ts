/** Table types of jobs (migration 0009). */
export interface JobTable {
  job_id: string;
  state: string;
  executor: string;
  spec: string;
  project_digest: string;
  entry_point: string;
  experiment_id: number;
  run_id: string;
  submitted_by: string;
  submitted_at: number;
  available_at: number;
  priority: number;
  attempts: number;
  max_attempts: number;
  retry_backoff_ms: number;
  lease_owner: string | null;
  lease_until: number | null;
  cancel_requested: number;
  cancelled_by: string | null;
  external_id: string | null;
  token_id: string | null;
  started_at: number | null;
  running_at: number | null;
  finished_at: number | null;
  exit_code: number | null;
  message: string | null;
  log_bytes: number;
  executor_log_offset: number;
}

export interface JobProjectTable {
  digest: string;
  name: string;
  spec: string;
  python_env: string | null;
  files: number;
  size_bytes: number;
  created_at: number;
  created_by: string;
}

export interface JobLogChunkTable {
  job_id: string;
  offset: number;
  data: string;
  size: number;
}

export interface JobExecutorTable {
  name: string;
  kind: string;
  enabled: number;
  config: string;
  secrets: string | null;
  updated_at: number;
  updated_by: string;
}

export interface JobTables {
  jobs: JobTable;
  job_projects: JobProjectTable;
  job_log_chunks: JobLogChunkTable;
  job_executors: JobExecutorTable;
}
