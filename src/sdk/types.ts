/**
 * The JSON shapes Ferry's API answers with. Tracking and registry follow MLflow's REST API (ids are
 * strings, timestamps are epoch milliseconds); tokens, whoami and audit are Ferry's native API (/api/v1).
 */

export type Role = 'viewer' | 'editor' | 'admin';
export type ViewType = 'ACTIVE_ONLY' | 'DELETED_ONLY' | 'ALL';
export type LifecycleStage = 'active' | 'deleted';

export interface KeyValue {
  key: string;
  value: string;
}

// ---- experiments ----

export interface Experiment {
  experiment_id: string;
  name: string;
  artifact_location: string;
  lifecycle_stage: LifecycleStage;
  last_update_time: number;
  creation_time: number;
  tags: KeyValue[];
}

export interface SearchExperimentsResponse {
  experiments: Experiment[];
  next_page_token?: string;
}

// ---- runs ----

export type RunStatus = 'RUNNING' | 'SCHEDULED' | 'FINISHED' | 'FAILED' | 'KILLED';

export interface RunInfo {
  run_id: string;
  run_uuid: string;
  run_name: string;
  experiment_id: string;
  user_id: string;
  status: RunStatus;
  start_time: number;
  end_time?: number;
  artifact_uri: string;
  lifecycle_stage: LifecycleStage;
}

/** A metric's latest value. `value` is a string ("NaN", "Infinity", "-Infinity") for non-finite numbers. */
export interface Metric {
  key: string;
  value: number | string;
  timestamp: number;
  step: number;
}

export interface RunData {
  metrics: Metric[];
  params: KeyValue[];
  tags: KeyValue[];
}

/** One entry of a run's artifact listing (`path` is relative to the run's artifact root). */
export interface ArtifactFile {
  path: string;
  is_dir: boolean;
  file_size?: number;
}

export interface ArtifactListing {
  root_uri?: string;
  files: ArtifactFile[];
}

export interface DatasetInput {
  tags: KeyValue[];
  dataset: { name: string; digest: string; source_type: string; source: string; schema?: string; profile?: string };
}

export interface Run {
  info: RunInfo;
  data: RunData;
  inputs: { dataset_inputs: DatasetInput[]; model_inputs: unknown[] };
  outputs: { model_outputs: { model_id: string; step: number }[] };
}

export interface SearchRunsResponse {
  runs: Run[];
  next_page_token?: string;
}

/** A metric to log; `timestamp` defaults to now and `step` to 0 when the SDK sends it. */
export interface MetricInput {
  key: string;
  value: number;
  timestamp?: number;
  step?: number;
}

// ---- auth (native API) ----

export interface WhoAmI {
  name: string;
  role: Role;
  kind: 'token' | 'user' | 'anonymous';
}

/** A token as listed: never its secret. */
export interface ApiToken {
  token_id: string;
  name: string;
  role: Role;
  created_at: number;
  created_by: string;
  revoked_at: number | null;
}

/** The answer to creating a token: the only time the secret (`token`) is shown. */
export interface CreatedToken {
  token: string;
  token_id: string;
  name: string;
  role: Role;
  created_at: number;
}

export interface ListTokensResponse {
  tokens: ApiToken[];
}

export interface AuditEntry {
  audit_id: number;
  ts: number;
  actor: string;
  action: string;
  method: string;
  path: string;
  status: number;
  ip: string;
}

export interface AuditResponse {
  entries: AuditEntry[];
  /** Pass as `before` to read the next (older) page; absent on the last page. */
  next_before?: number;
}

// ---- deployments (native API): deployments-types.ts ----

// ---- errors ----

/** A field-level problem from a native-API (RFC 9457) error. */
export interface FieldProblem {
  field: string;
  message: string;
}

