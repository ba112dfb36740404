/** Monitoring: the prediction log, feedback, profiles, drift and live performance (public surface). */
export { PredictionLog, DEFAULT_LOG_OPTIONS, type PredictionLogOptions, type LogMetrics, type LogSink } from './prediction-log.js';
export { localSink } from './log-sinks.js';
export { MonitoringState } from './monitoring-state.js';
export { MonitoringService, type DeploymentExists } from './monitoring-service.js';
export { monitoringRoutes } from './monitoring-routes.js';
export { DEFAULT_SETTINGS, type MonitoringSettings } from './monitoring-settings.js';
export { startMonitoring, type Monitoring, type MonitoringDeps } from './monitoring-runtime.js';
export { DriftService, type FeatureSource, type ModelFeatures } from './drift-service.js';
export { AlertEngine, alertRoutes, noMetricData, type AlertMetricSource } from './alerts/index.js';
export type { MonitoringDataHooks, DatasetReference, TrafficValidation } from './data-hooks.js';
