/** Tables of monitoring: the prediction log, feedback, per-deployment settings, references and profiles. */

/** One logged request (its rows together: storing a 256-row request is one insert, not 256). */
export interface PredictionTable {
  /** The request id answered to the caller. */
  request_id: string;
  /** Rows in the request (0 when its body could not be read). */
  rows: number;
  deployment: string;
  revision: number;
  model: string;
  model_version: string;
  /** 'main' (answered) or 'shadow' (mirrored, never returned). */
  route: string;
  ts: number;
  /** JSON {names, values}: feature values (after PII rules) row after row — what serving reported, flat. */
  inputs: string;
  /** JSON {names, widths, values}: output values row after row (empty lists on error). */
  outputs: string;
  latency_us: number;
  status: string;
  error: string | null;
}

export interface FeedbackTable {
  request_id: string;
  row: number;
  /** 'label' (classification), 'value' (regression) or 'outcome' (anything else). */
  kind: string;
  /** JSON of the ground truth. */
  value: string;
  /** When the ground truth happened (given, else received_at). */
  ts: number;
  received_at: number;
}

export interface MonitoringSettingsTable {
  deployment: string;
  /** JSON of MonitoringSettings. */
  settings: string;
  updated_at: number;
  updated_by: string;
}

export interface ReferenceTable {
  deployment: string;
  /** JSON: where the reference came from (file, dataset, window). */
  source: string;
  rows: number;
  /** JSON of the DatasetProfile. */
  profile: string;
  created_at: number;
  created_by: string;
}

export interface ProfileTable {
  deployment: string;
  model_version: string;
  window_start: number;
  /** The server replica that wrote it: replicas never overwrite each other; readers merge. */
  replica: string;
  /** JSON of the DatasetProfile of inputs and outputs, plus counters (sampled out, errors). */
  profile: string;
  updated_at: number;
}

export interface MonitoringTables {
  predictions: PredictionTable;
  feedback: FeedbackTable;
  monitoring_settings: MonitoringSettingsTable;
  deployment_references: ReferenceTable;
  profiles: ProfileTable;
}
