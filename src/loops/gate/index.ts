/** Public surface of the loop's offline gate (issue 17, item 4). Re-exports only. */
export { evaluateGate } from './gate-evaluator.js';
export { GATE_DEFAULTS, gateConfig } from './config.js';
export type { GateConfig, GateSource } from './gate-evaluator.js';
export { gateReason, failurePhrase } from './reason.js';
export type {
  FailureKind,
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
