/**
 * A/B tests of a deployment's model versions on business outcomes (public surface): tests and their lifecycle,
 * the exposure recorder (a prediction observer), outcome events, the report, and the alert metric.
 */
export { AbTestService, type AbTestServiceDeps, type ServingPort, type AbTestInfo, type AbTestReport } from './abtest-service.js';
export { OutcomeService, type RequestUnitLookup } from './outcome-service.js';
export { ExposureRecorder, type ExposureRecorderOptions } from './exposure-recorder.js';
export { AbTestAggregator } from './aggregator.js';
export { AbTestAlertMetrics, GUARDRAIL_WORSE_METRIC } from './alert-metric.js';
export { abtestRoutes } from './abtest-routes.js';
export { startAbTests, type AbTests, type AbTestsDeps } from './abtests-runtime.js';
