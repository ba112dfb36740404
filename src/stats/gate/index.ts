/**
 * Public surface of the offline gate's statistics (pure, no I/O, no clock, no Math.random). Re-exports only.
 *
 * TFX-style value/change thresholds (checkThreshold), a seeded paired bootstrap of candidate − champion
 * (pairedBootstrap: SplitMix64 stream, Lemire indices, numpy-linear percentiles) and DeLong's test of two
 * correlated ROC AUCs (delongTest). See docs/gate-statistics.md.
 */
export { checkThreshold } from './thresholds.js';
export type {
  ChangeThreshold,
  GateDirection,
  MetricThreshold,
  ThresholdCheck,
  ThresholdCheckKind,
  ThresholdInput,
  ThresholdOutcome,
  ThresholdResult,
  ValueThreshold,
} from './thresholds.js';
export { pairedBootstrap } from './bootstrap.js';
export type { Bounds, GateOutcome, PairedBootstrapInput, PairedBootstrapResult } from './bootstrap.js';
export { BOOTSTRAP_METRICS, METRIC_DIRECTION } from './paired-metrics.js';
export type { BootstrapMetric } from './paired-metrics.js';
export { delongTest, midranks } from './delong.js';
export type { DeLongInput, DeLongResult } from './delong.js';
export { SplitMix64, drawIndices } from './splitmix64.js';
export type { Seed } from './splitmix64.js';
export { quantileSorted } from './quantile.js';
export { DEFAULT_ALPHA, DEFAULT_MARGIN, DEFAULT_REPLICATES, MAX_REPLICATES } from './inputs.js';
