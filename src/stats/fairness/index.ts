/**
 * Fairness statistics (pure): a Fairlearn 0.15 MetricFrame equivalent and Fairlearn's parity metrics with its exact
 * conventions, plus Ferry extras (insufficient groups, seeded bootstrap intervals, the four-fifths heuristic).
 * See docs/fairness.md.
 */
export { METRIC_NAMES, type MetricName } from './metrics.js';
export type { Label as FairnessLabel } from './labels.js';
export {
  metricFrame,
  DEFAULT_MIN_GROUP_SIZE,
  METHODS as FAIRNESS_METHODS,
  type Method as FairnessMethod,
  type SensitiveFeature,
  type MetricFrameInput,
  type MetricFrameResult,
  type GroupResult,
} from './frame.js';
export {
  selectionRate,
  demographicParityDifference,
  demographicParityRatio,
  equalOpportunityDifference,
  equalOpportunityRatio,
  equalizedOddsDifference,
  equalizedOddsRatio,
  type ParityInput,
  type EqualizedOddsInput,
  type Agg as EqualizedOddsAgg,
} from './parity.js';
export {
  bootstrapFairness,
  fourFifths,
  FOUR_FIFTHS,
  DEFAULT_BOOTSTRAP_REPLICATES,
  DEFAULT_BOOTSTRAP_SEED,
  MAX_BOOTSTRAP_REPLICATES,
  type Interval as FairnessInterval,
  type BootstrapOptions as FairnessBootstrapOptions,
  type BootstrapResult as FairnessBootstrapResult,
  type FourFifths,
} from './extras.js';
