/** Shapes of the data API's answers (datasets, versions, profiles, diffs, suites, validations, lineage). */
export type DataFormat = 'csv' | 'jsonl' | 'parquet';
export type ColumnType = 'integer' | 'float' | 'boolean' | 'string' | 'datetime';

export interface DataColumnSchema { name: string; type: ColumnType; nullable: boolean }
export interface DataSchema { format: DataFormat; delimiter?: string; columns: DataColumnSchema[]; warnings: { column: string; line?: number; row?: number; message: string }[] }

export interface DatasetInfo { name: string; description: string; versions: number; latest_version: number | null; created_at: string; created_by: string; updated_at: string }

export interface DatasetVersion {
  dataset: string;
  version: number;
  ref: string;
  digest: string;
  format: DataFormat;
  size_bytes: number;
  rows: number;
  columns: number;
  filename: string;
  description: string;
  tags: string[];
  created_at: string;
  created_by: string;
  schema: DataSchema;
}

export interface ColumnProfileReport {
  name: string;
  type: ColumnType;
  nullable: boolean;
  summary: {
    kind: 'numerical' | 'categorical' | 'unknown';
    count: number;
    nulls: number;
    null_rate: number | null;
    type_errors: number;
    min: number | null;
    max: number | null;
    mean: number | null;
    std: number | null;
    quantiles: Record<'p01' | 'p05' | 'p25' | 'p50' | 'p75' | 'p95' | 'p99', number> | null;
    unique_estimate?: number;
    top: { value: string; count: number }[];
  };
  histogram: { edges: number[]; counts: number[] } | null;
}

export interface DatasetVersionWithProfile extends DatasetVersion {
  profile: { rows: number; columns: ColumnProfileReport[] };
}

export interface ValidationSummary { id: number; suite: string; target_kind: string; target: string; version: number | null; window_start: string | null; success: boolean; evaluated: number; failed: number; created_at: string }

export interface PushResult { created: boolean; version: DatasetVersion; validations: { id: number; suite: string; success: boolean; evaluated: number; failed: number }[] }

export interface ExpectationConfig { type: string; kwargs: Record<string, unknown>; meta?: Record<string, unknown> }
export interface Suite { name: string; expectations: ExpectationConfig[]; meta?: Record<string, unknown> }

export interface ExpectationResult {
  expectation_config: ExpectationConfig;
  success: boolean;
  result: {
    element_count?: number;
    missing_count?: number;
    unexpected_count?: number | null;
    unexpected_percent?: number | null;
    partial_unexpected_list?: (string | number | boolean | null)[];
    partial_unexpected_index_list?: number[];
    observed_value?: unknown;
    [k: string]: unknown;
  };
  exception_info?: { raised_exception: boolean; exception_message: string | null };
  [k: string]: unknown;
}

export interface ValidationResult {
  success: boolean;
  suite: string;
  statistics: { evaluated_expectations: number; successful_expectations: number; unsuccessful_expectations: number; success_percent: number | null };
  results: ExpectationResult[];
  [k: string]: unknown;
}

export interface FileValidation {
  file: { filename: string | null; digest: string; size_bytes: number; rows: number; format: DataFormat; warnings: DataSchema['warnings'] };
  result: ValidationResult;
}

export interface FeatureDriftInfo {
  name: string;
  kind: 'numerical' | 'categorical';
  method: string;
  statistic: number | null;
  p_value: number | null;
  threshold: number;
  drifted: boolean | null;
  basis: string;
  note?: string;
  [k: string]: unknown;
}

export interface VersionDiff {
  from: { ref: string; rows: number; digest: string };
  to: { ref: string; rows: number; digest: string };
  identical: boolean;
  schema: {
    added: DataColumnSchema[];
    removed: DataColumnSchema[];
    retyped: { name: string; from: ColumnType; to: ColumnType }[];
    nullability: { name: string; from: boolean; to: boolean }[];
    unchanged: number;
  };
  drift: FeatureDriftInfo[];
  skipped: { name: string; reason: string }[];
  summary: { dataset_drift: boolean; drift_share: number; number_drifted: number; number_of_features: number; share_drifted: number };
}

export interface DatasetLineage {
  dataset: string;
  version: number;
  ref: string;
  digest: string;
  runs: { run_id: string; run_name: string; experiment_id: string; status: string; context: string | null; input_name: string }[];
  model_versions: { name: string; version: string; run_id: string | null; status: string }[];
}

export interface ModelLineage {
  model: { name: string; version: string; run_id: string | null; source: string };
  run: { run_id: string; run_name?: string; experiment_id?: string; status?: string } | null;
  datasets: { name: string; digest: string; context: string | null; source_type: string; source: string; dataset_versions: { dataset: string; version: number; ref: string; digest: string; rows: number; validations: ValidationSummary[] }[] }[];
}
