/** Tables of monitoring: the prediction log, feedback, per-deployment settings, references and profiles. */

/**
 * A batch of logged requests, as stored: requests of one flush that share deployment, revision, model version,
 * route and status, in one row (a row per request cost the log more than everything else it does). Read back
 * as PredictionTable rows (prediction-log/prediction-batch.ts).
 */
export interface PredictionBatchTable {
  /** route:first request id:model version (unique: a request is logged once per route and version). */
  batch_id: string;
  deployment: string;
  revision: number;
  model: string;
  model_version: string;
  route: string;
  status: string;
  /** Earliest and latest request timestamp in the batch. */
  ts_min: number;
  ts_max: number;
  request_count: number;
  row_count: number;
  /** JSON {ids, ts, rows, latency_us, errors?}: a list per field, an element per request. */
  requests: string;
  /** JSON {inputs: {names, of, values}, outputs: {names, widths, of, values}}: per request, its layout (of) and values. */
  payload: string;
}

/**
 * When a logged (main-route) request whose id does not carry its time was made: ids a caller sent as
 * X-Request-Id. Ferry's own ids (UUIDv7) are found from the time in them and have no row here.
 */
export interface PredictionRequestIdTable {
  request_id: string;
  deployment: string;
  /** The request's timestamp (as in its batch). */
  ts: number;
}

/** One logged request (its rows together), as the log's readers see it. */
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
  prediction_batches: PredictionBatchTable;
  prediction_request_ids: PredictionRequestIdTable;
  feedback: FeedbackTable;
  monitoring_settings: MonitoringSettingsTable;
  deployment_references: ReferenceTable;
  profiles: ProfileTable;
}
