export { Rng, DEFAULT_SEED } from './rng.js';
export { Moments, type MomentsJSON } from './moments.js';
export { ExactValues, EXACT_DEFAULT_BUDGET, EXACT_MAX_BUDGET } from './exact-values.js';
export { KllSketch, KLL_DEFAULT_K, type KllOptions, type KllJSON } from './kll.js';
export { FrequentItems, FREQUENT_DEFAULT_MAX_ITEMS, type FrequentOptions, type FrequentRow, type FrequentJSON } from './frequent.js';
export { Reservoir, RESERVOIR_DEFAULT_CAPACITY, type Sampled, type ReservoirOptions, type ReservoirJSON } from './reservoir.js';
export {
  ColumnProfile,
  SUMMARY_QUANTILES,
  type ColumnKind,
  type ColumnProfileOptions,
  type ColumnProfileJSON,
  type ColumnSummary,
  type SummaryQuantiles,
} from './column-profile.js';
export { DatasetProfile, type DatasetProfileOptions, type DatasetProfileJSON, type DatasetSummary } from './dataset-profile.js';
export {
  profileOf,
  momentsOf,
  kllQuantiles,
  kllRanks,
  kllPmf,
  kllRankError,
  frequentOf,
  reservoirInclusionCounts,
  type SketchCallOptions,
} from './sketch-functions.js';
