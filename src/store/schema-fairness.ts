/** Table types of stored fairness reports (migration 0016). */
import type { Generated } from 'kysely';

export interface FairnessReportTable {
  id: Generated<number>;
  model: string;
  version: string;
  dataset: string;
  dataset_version: number;
  /** JSON: the request as resolved (label, sensitive features, metrics, pos_label, min_group_size, bootstrap). */
  spec: string;
  /** JSON: the report (analyses: frames by metric, parity metrics, four-fifths, bootstrap; counts; notes). */
  result: string;
  /** JSON: the scored rows the report was computed on ({y_true, y_pred, sensitive: {feature: values}}). */
  scored_rows: string;
  created_at: number;
  created_by: string;
}

export interface FairnessTables {
  fairness_reports: FairnessReportTable;
}
