/** Tables of managed datasets (versions, tags, suites, attachments, validation results): see migrations/0005-data.ts. */
import type { Generated } from 'kysely';

export interface DataDatasetTable {
  name: string;
  description: string;
  created_at: number;
  created_by: string;
  updated_at: number;
}

export interface DataVersionTable {
  dataset: string;
  /** 1, 2, ... in push order; identical bytes map to the existing version. */
  version: number;
  /** sha256 of the file's bytes, hex. */
  digest: string;
  /** csv | jsonl | parquet. */
  format: string;
  size_bytes: number;
  rows: number;
  /** The name the file was pushed with (display and downloads). */
  filename: string;
  /** Artifact-store path of the bytes. */
  path: string;
  /** JSON of the inferred TableSchema. */
  schema: string;
  /** Base64 of the DatasetProfile's binary form. */
  profile: string;
  /** JSON of the exact histograms and quantiles counted past the profile's exact budget (ExactStats); null: none (migration 0023). */
  exact_stats: string | null;
  description: string;
  created_at: number;
  created_by: string;
}

export interface DataVersionTagTable {
  dataset: string;
  tag: string;
  version: number;
  updated_at: number;
}

export interface DataSuiteTable {
  name: string;
  /** JSON of the suite (expectations). */
  suite: string;
  created_at: number;
  created_by: string;
  updated_at: number;
}

export interface DataSuiteAttachmentTable {
  suite: string;
  /** dataset | deployment. */
  target_kind: string;
  target: string;
  created_at: number;
}

export interface DataValidationTable {
  id: Generated<number>;
  suite: string;
  /** dataset | deployment | file (an ad-hoc `ferry data validate`). */
  target_kind: string;
  target: string;
  version: number | null;
  window_start: number | null;
  success: number;
  evaluated: number;
  failed: number;
  /** JSON of the ValidationResult. */
  result: string;
  created_at: number;
}

export interface DataTables {
  data_datasets: DataDatasetTable;
  data_versions: DataVersionTable;
  data_version_tags: DataVersionTagTable;
  data_suites: DataSuiteTable;
  data_suite_attachments: DataSuiteAttachmentTable;
  data_validations: DataValidationTable;
}
