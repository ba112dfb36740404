/** Ferry's TypeScript SDK: the public surface (re-exports only). */
export { FerryClient } from './client.js';
export { FerryApiError, FerryConnectionError } from './errors.js';
export { DEFAULT_URL, HttpClient, type ClientOptions, type Query, type QueryValue } from './http.js';
export { ExperimentsApi, RunsApi, type CreateRunOptions, type LogBatchInput, type SearchExperimentsOptions, type SearchRunsOptions } from './tracking-api.js';
export type * from './tracking-types.js';
export { ModelVersionsApi, RegisteredModelsApi, quoteFilterValue, type CreateModelVersionOptions, type SearchRegistryOptions } from './registry-api.js';
export type * from './registry-types.js';
export { TokensApi, type AuditOptions } from './auth-api.js';
export { DeploymentsApi } from './deployments-api.js';
export type * from './deployments-types.js';
export { MonitoringApi, type PredictionQuery, type WindowQuery } from './monitoring-api.js';
export { AlertsApi } from './alerts-api.js';
export type * from './alerts-api.js';
export type * from './types.js';
export type * from './monitoring-types.js';
export { DataApi, type FileBody, type FileOptions } from './data-api.js';
export type * from './data-types.js';
export { JobsApi, TERMINAL_JOB_STATES, type ListJobsOptions } from './jobs-api.js';
export type * from './jobs-api.js';
export { AbTestsApi, MAX_OUTCOMES_PER_REQUEST } from './abtests-api.js';
export type * from './abtests-api.js';
export { LoopsApi, TERMINAL_LOOP_RUN_STATES, isTerminalLoopRun, type WatchLoopRunOptions } from './loops-api.js';
export type * from './loops-api.js';
export { ClusterApi, TRAFFIC_FAMILIES } from './cluster-api.js';
export type * from './cluster-api.js';
export { formatNumber, formatP, formatPercent, intervalName } from './abtest-numbers.js';
// The API's one duration grammar, so a client can check or show durations as the server reads them.
export { DurationError, formatDuration, parseDuration, parseInstant } from '../contract/duration.js';
