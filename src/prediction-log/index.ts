/**
 * The prediction log (public surface): what serving reports is packed, handed to the monitoring thread (or
 * processed in-process), PII rules applied, window profiles updated and requests stored; monitoring settings,
 * queries and exports of the log, feedback, retention.
 */
export { PredictionLog, DEFAULT_LOG_OPTIONS, type PredictionLogOptions, type LogMetrics, type LogSink, type LogOutcome } from './prediction-log.js';
export { localSink, threadSink, canUseThread } from './log-sinks.js';
export { PredictionJournal, DEFAULT_JOURNAL_BYTES } from './prediction-journal.js';
export { MonitoringState } from './monitoring-state.js';
export { DEFAULT_SETTINGS, windowMs, type MonitoringSettings } from './monitoring-settings.js';
export { WindowProfile, PROFILE_OPTIONS, type WindowCounts, type WindowProfileJSON } from './window-profile.js';
export { MonitoringService, type DeploymentExists, type FeedbackListener, type StoredFeedback } from './monitoring-service.js';
// For the A/B tests: units are keyed with the installation's PII key (MonitoringService.piiKey) as the log keys them.
export { hashValue } from './pii.js';
export type { RequestUnit, RequestOutputs } from './prediction-repo.js';
export { predictionLogRoutes } from './prediction-log-routes.js';
export { predictionsWithFeedback, type JoinedRow } from './prediction-repo.js';
export { inputRowsOf, outputRowsOf } from './flat-rows.js';
// Public for bench/serving/log-cpu.mjs, which replays the monitoring thread's work on this thread to time it
// apart: the packing buffers' pool and what the thread runs on each batch.
export { BufferPool } from './event-codec.js';
export { processBatch } from './log-processing.js';
export { servingStats, type ServingStats } from './serving-stats.js';
export { shadowPairs, SHADOW_LAG_MS, type ShadowPair, type ShadowPairsOptions } from './shadow-pairs.js';
