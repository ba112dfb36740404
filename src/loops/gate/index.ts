/** Public surface of the loop's offline gate (issue 17, item 4). Re-exports only. */
export { evaluateGate } from './gate-evaluator.js';
export { GATE_DEFAULTS, gateConfig } from './config.js';
export type { GateConfig, GateSource } from './gate-evaluator.js';
export { gateReason, failurePhrase } from './reason.js';
export { FAIRNESS_METRICS, MISSING as FAIRNESS_MISSING_GROUP, checkFairnessSpecs, fairnessPhrase } from './fairness.js';
export type { CheckedFairness, FairnessSpec } from './fairness.js';
export type {
  FailureKind,
  FairnessEvidence,
  FairnessGroupEvidence,
  FairnessModelEvidence,
  GateEvidence,
  GateFailure,
  GateVerdict,
  MetricEvidence,
  SliceEvidence,
  SourceEvidence,
  StatisticalEvidence,
  ThresholdEvidence,
} from './evidence.js';
export { classProbabilities, metricRows, pairedInputs, predictedLabel, rowInput, unscorable } from './predictions.js';
export type { GateMetric, MetricRows, PairedInputs, RowInput, Truth, UnscorableRows } from './predictions.js';
export { binIndex, binNames, checkSliceFeatures, checkSliceSpecs, sliceRows } from './slices.js';
export type { Slice, SliceSpec } from './slices.js';
