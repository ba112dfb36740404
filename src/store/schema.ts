/** Table types for Kysely: the one description of Ferry's metadata schema (see migrations/ for DDL). */
import type { Generated } from 'kysely';
import type { AlertTables } from './schema-alerts.js';
import type { DataTables } from './schema-data.js';
import type { AbTestTables } from './schema-abtests.js';
import type { JobTables } from './schema-jobs.js';
import type { LoopTables } from './schema-loops.js';
import type { ClusterTables } from './schema-cluster.js';
import type { ApprovalTables } from './schema-approvals.js';
import type { FairnessTables } from './schema-fairness.js';
import type { CardTables } from './schema-cards.js';
import type { ExplanationTables } from './schema-explanations.js';
import type { ConversionTables } from './schema-conversions.js';
import type { MonitoringTables } from './schema-monitoring.js';
import type { StreamTables } from './schema-streams.js';

export interface ExperimentTable {
  experiment_id: Generated<number>;
  name: string;
  artifact_location: string;
  lifecycle_stage: string;
  creation_time: number;
  last_update_time: number;
}
export interface ExperimentTagTable {
  experiment_id: number;
  key: string;
  value: string;
}

export interface RunTable {
  run_uuid: string;
  experiment_id: number;
  name: string;
  user_id: string;
  status: string;
  start_time: number;
  end_time: number | null;
  deleted_time: number | null;
  lifecycle_stage: string;
  artifact_uri: string;
}
export interface ParamTable {
  run_uuid: string;
  key: string;
  value: string;
}
export interface TagTable {
  run_uuid: string;
  key: string;
  value: string;
}
export interface MetricTable {
  run_uuid: string;
  key: string;
  value: number;
  timestamp: number;
  step: number;
  /** SQLite cannot store NaN (it becomes NULL), so NaN is a flag with value 0, as MLflow does. */
  is_nan: number;
  model_id: string | null;
  dataset_name: string | null;
  dataset_digest: string | null;
}
export type LatestMetricTable = Omit<MetricTable, 'model_id' | 'dataset_name' | 'dataset_digest'>;

export interface DatasetTable {
  dataset_uuid: string;
  experiment_id: number;
  name: string;
  digest: string;
  source_type: string;
  source: string;
  schema: string | null;
  profile: string | null;
}
export interface RunInputTable {
  run_uuid: string;
  dataset_uuid: string;
  tags: string;
  context: string | null;
}

export interface LoggedModelTable {
  model_id: string;
  experiment_id: number;
  name: string;
  artifact_location: string;
  creation_timestamp: number;
  last_updated_timestamp: number;
  status: string;
  status_message: string | null;
  lifecycle_stage: string;
  model_type: string | null;
  source_run_id: string | null;
}
export interface LoggedModelParamTable {
  model_id: string;
  key: string;
  value: string;
}
export interface LoggedModelTagTable {
  model_id: string;
  key: string;
  value: string;
}
export interface RunOutputTable {
  run_uuid: string;
  model_id: string;
  step: number;
}

export interface RegisteredModelTable {
  name: string;
  creation_timestamp: number;
  last_updated_timestamp: number;
  description: string;
}
export interface RegisteredModelTagTable {
  name: string;
  key: string;
  value: string;
}
export interface ModelVersionTable {
  name: string;
  version: number;
  creation_timestamp: number;
  last_updated_timestamp: number;
  description: string;
  user_id: string;
  current_stage: string;
  source: string;
  run_id: string | null;
  run_link: string | null;
  status: string;
  status_message: string | null;
  storage_location: string | null;
  model_id: string | null;
  deleted: number;
}
export interface ModelVersionTagTable {
  name: string;
  version: number;
  key: string;
  value: string;
}
export interface ModelAliasTable {
  name: string;
  alias: string;
  version: number;
}

export interface TokenTable {
  token_id: string;
  name: string;
  role: string;
  token_hash: string;
  created_at: number;
  created_by: string;
  revoked_at: number | null;
  /** Epoch ms after which the token is refused; null: never (migration 0021). */
  expires_at: number | null;
  /** The one deployment a prediction-only token may call; null: an ordinary token (migration 0021). */
  deployment: string | null;
}
export interface UserTable {
  username: string;
  role: string;
  password_hash: string;
  created_at: number;
}
export interface AuditLogTable {
  audit_id: Generated<number>;
  ts: number;
  actor: string;
  action: string;
  method: string;
  path: string;
  status: number;
  ip: string;
}

export interface DeploymentTable {
  name: string;
  current_revision: number;
  created_at: number;
  updated_at: number;
  created_by: string;
}
export interface DeploymentRevisionTable {
  name: string;
  revision: number;
  /** JSON of the DeploymentSpec. */
  spec: string;
  created_at: number;
  created_by: string;
  comment: string;
}

export interface Database
  extends
    MonitoringTables,
    AlertTables,
    DataTables,
    JobTables,
    AbTestTables,
    LoopTables,
    ClusterTables,
    ApprovalTables,
    FairnessTables,
    CardTables,
    ExplanationTables,
    ConversionTables,
    StreamTables {
  experiments: ExperimentTable;
  experiment_tags: ExperimentTagTable;
  runs: RunTable;
  params: ParamTable;
  tags: TagTable;
  metrics: MetricTable;
  latest_metrics: LatestMetricTable;
  datasets: DatasetTable;
  run_inputs: RunInputTable;
  logged_models: LoggedModelTable;
  logged_model_params: LoggedModelParamTable;
  logged_model_tags: LoggedModelTagTable;
  run_outputs: RunOutputTable;
  registered_models: RegisteredModelTable;
  registered_model_tags: RegisteredModelTagTable;
  model_versions: ModelVersionTable;
  model_version_tags: ModelVersionTagTable;
  registered_model_aliases: ModelAliasTable;
  tokens: TokenTable;
  users: UserTable;
  audit_log: AuditLogTable;
  deployments: DeploymentTable;
  deployment_revisions: DeploymentRevisionTable;
}
