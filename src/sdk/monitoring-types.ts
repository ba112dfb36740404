/** Types of the monitoring API (prediction log, feedback, references, drift, quality, performance). */

export interface MonitoringSettings {
  enabled: boolean;
  sample_rate: number;
  retention_days: number;
  pii: { drop: string[]; hash: string[] };
  window: string;
}

export interface LoggedPrediction {
  request_id: string;
  row: number;
  timestamp: string;
  deployment: string;
  revision: number;
  model: string;
  model_version: string;
  route: 'main' | 'shadow';
  status: 'ok' | 'client_error' | 'error';
  latency_us: number;
  error: string | null;
  inputs: Record<string, unknown>;
  outputs: Record<string, unknown>;
}

export interface FeedbackItem {
  request_id: string;
  row?: number;
  label?: string | number | boolean;
  value?: number;
  outcome?: unknown;
  timestamp?: string | number;
}

export interface FeedbackResult {
  accepted: number;
  unknown: { index: number; request_id: string; row: number }[];
}

export interface ReferenceInfo {
  rows: number;
  columns?: string[];
  source: Record<string, unknown>;
}

export interface PlotBins {
  edges?: number[];
  categories?: (string | number)[];
  counts: number[];
  shares: number[];
  rows: number;
}

export interface FeatureDrift {
  name: string;
  kind?: 'numerical' | 'categorical';
  method?: string;
  statistic?: number | null;
  p_value?: number | null;
  threshold?: number;
  drifted: boolean | null;
  basis?: 'exact' | 'sample' | 'sketch';
  reference?: PlotBins;
  current?: PlotBins;
  note?: string;
}

export interface DriftReport {
  deployment: string;
  from: string;
  to: string;
  reference: { rows: number; source: Record<string, unknown>; created_at: string };
  current: { rows: number; requests: number };
  dataset_drift: boolean;
  drift_share: number;
  number_drifted: number;
  number_of_features: number;
  share_drifted: number;
  features: FeatureDrift[];
  prediction: FeatureDrift | null;
}

/** Drift per profile window, for charts over time (`GET /deployments/{name}/drift/windows`). */
export interface WindowFeatureDrift {
  name: string;
  method: string | null;
  statistic: number | null;
  drifted: boolean | null;
}

export interface DriftWindow {
  start: string;
  rows: number;
  dataset_drift: boolean;
  share_drifted: number;
  features: WindowFeatureDrift[];
  prediction: { statistic: number | null; drifted: boolean | null } | null;
}

export interface DriftWindows {
  deployment: string;
  windows: DriftWindow[];
}

export interface FeatureQuality {
  name: string;
  rows: number;
  null_rate: number | null;
  type_errors: number;
  out_of_range: number | null;
  unseen_categories: number | null;
  unseen_top?: { value: string; count: number }[];
}

export interface QualityReport {
  deployment: string;
  from: string;
  to: string;
  has_reference: boolean;
  features: FeatureQuality[];
  windows: { start: string; rows: number; features: FeatureQuality[] }[];
}

/** Metrics of one group of predictions with feedback: a classification or a regression report. */
export type PerformanceMetrics = { task: 'classification' | 'regression' | 'outcome'; n: number } & Record<string, unknown>;

export interface PerformanceReport {
  deployment: string;
  from: string;
  to: string;
  prediction: string | null;
  n: number;
  overall: PerformanceMetrics | null;
  versions: ({ model_version: string } & PerformanceMetrics)[];
  windows: { start: string; versions: ({ model_version: string } & PerformanceMetrics)[] }[];
}
