/** Table types of A/B tests (migration 0010). */
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

export interface AbTestTables {
  abtests: AbTestTable;
  abtest_units: AbTestUnitTable;
  outcomes: OutcomeTable;
}
