/** Table types of A/B tests (migrations 0010 and 0012). */
export interface AbTestTable {
  abtest_id: string;
  name: string;
  deployment: string;
  state: string;
  salt: string;
  spec: string;
  created_at: number;
  created_by: string;
  started_at: number | null;
  stopped_at: number | null;
  stopped_by: string | null;
  stop_reason: string | null;
  /** 1: its unit sums and moments are kept up to date; 0: made before migration 0012, built at its first report. */
  aggregated: number;
}

export interface AbTestUnitTable {
  abtest_id: string;
  /** The unit keyed with the installation's PII key (`h:` and 32 hex). */
  unit: string;
  /** The model version that served it. */
  arm: string;
  first_ts: number;
  last_ts: number;
  requests: number;
}

export interface OutcomeTable {
  outcome_id: string;
  unit: string;
  metric: string;
  value: number;
  ts: number;
  request_id: string | null;
  received_at: number;
}

/** A unit's sums for one metric of a test (src/abtests/unit-sums.ts), with what they were computed for. */
export interface AbTestUnitSumTable {
  abtest_id: string;
  metric: string;
  unit: string;
  arm: string;
  first_ts: number;
  requests: number;
  value: number;
  hits: number;
  denominator: number;
  pre: number;
  pre_hits: number;
}

/** Per test, metric, arm and hour of first exposure: the sums the statistics engine reads. */
export interface AbTestMomentTable {
  abtest_id: string;
  metric: string;
  arm: string;
  bucket: number;
  n: number;
  sum: number;
  sum_squares: number;
  denominator_sum: number;
  denominator_sum_squares: number;
  main_denominator_sum_product: number;
  covariate_sum: number;
  covariate_sum_squares: number;
  main_covariate_sum_product: number;
}

export interface AbTestTables {
  abtests: AbTestTable;
  abtest_units: AbTestUnitTable;
  outcomes: OutcomeTable;
  abtest_unit_sums: AbTestUnitSumTable;
  abtest_moments: AbTestMomentTable;
}
