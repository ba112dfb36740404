/** Alerting: rules evaluated against monitoring metrics, grouped notifications, silences, webhook notifiers (public surface). */
export { type AlertMetricSource, noMetricData } from './metric-source.js';
export { AlertEngine, alertSettingsFromEnv, type AlertEngineOptions, type EvaluationResult, type Transition } from './alert-engine.js';
export { alertRoutes } from './alert-routes.js';
export type { RuleView } from './alert-service.js';
export type { NotifierView } from './notifier-service.js';
export type { SilenceView } from './silence-service.js';
export type { DestinationPolicy } from './destinations.js';
export type { WebhookBody, WebhookAlert } from './payloads.js';
export type { AlertmanagerBody, AlertmanagerAlert } from './alertmanager-payload.js';
