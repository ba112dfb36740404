// The mergeable accumulators (one state per window or replica, merged for any range). Re-exports only.
export { RegressionAccumulator } from './regression-accumulator.js';
export type { RegressionAccumulatorJSON } from './regression-accumulator.js';
export { ClassificationAccumulator } from './classification-accumulator.js';
export type { ClassificationAccumulatorJSON, ClassificationAccumulatorOptions, ClassificationBatch } from './classification-accumulator.js';
