/** Analysis of live traffic (public surface): references, drift, data quality, live performance, monitoring's numbers for alerts, and monitoring as the server runs it. */
export { startMonitoring, type Monitoring, type MonitoringDeps } from './monitoring-runtime.js';
export { monitoringRoutes } from './monitoring-routes.js';
export { DriftService, type FeatureSource, type ModelFeatures, type ReferenceScorer } from './drift-service.js';
export { MonitoringMetricSource, type PerformanceSource } from './alert-metrics.js';
export type { MonitoringDataHooks, DatasetReference, TrafficValidation } from './data-hooks.js';
export { startFairness, type Fairness, type FairnessRuntimeDeps } from './fairness-runtime.js';
export { fairnessCheck, type FairnessCheckInput, type FairnessCheckResult, type ParityMetric } from './fairness-gate.js';
export { FairnessService, type FairnessReportOut } from './fairness-service.js';
export { startEstimatedPerformance, type EstimatedPerformance, type EstimatedPerformanceDeps } from './estimated-performance-runtime.js';
export { startExplain, type ExplainWiring } from './explain-runtime.js';
export { ExplanationSummaryRepo, type ExplanationSummary } from './explain-repo.js';
