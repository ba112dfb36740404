/** Table types of ONNX conversions of model versions (migration 0019). */

export interface ModelConversionTable {
  model: string;
  version: string;
  /** The conversion job (jobs.job_id). */
  job_id: string;
  /** queued | running | succeeded | failed. */
  state: string;
  /** The flavor converted: sklearn | xgboost | lightgbm (null until the job reports it). */
  flavor: string | null;
  /** The estimator's class (e.g. Pipeline, LogisticRegression), as the job read it. */
  estimator: string | null;
  /** Where a failed conversion stopped: load | types | convert | verify | upload (null otherwise). */
  step: string | null;
  error: string | null;
  /** JSON: the job's conversion.json (the check's numbers among it). */
  report: string | null;
  /** The store path of the ONNX file, once the check passed. */
  onnx_path: string | null;
  requested_by: string;
  /** The model version's creation time (migration 0020): a row whose time differs is another version's. */
  version_created_at: number | null;
  created_at: number;
  updated_at: number;
}

export interface ConversionTables {
  model_conversions: ModelConversionTable;
}
