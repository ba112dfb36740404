/**
 * Pure statistics, no I/O (shared by monitoring and data): drift tests, distributions (normal, chi-square,
 * incomplete gamma), sketches and profiles, model metrics.
 */
export * from './drift/index.js';
export * from './dists/index.js';
// The sketch module's ColumnKind also allows 'unknown' (a column with no values yet): exported as ProfileKind.
export {
  Rng,
  DEFAULT_SEED,
  Moments,
  type MomentsJSON,
  ExactValues,
  EXACT_DEFAULT_BUDGET,
  EXACT_MAX_BUDGET,
  KllSketch,
  KLL_DEFAULT_K,
  type KllOptions,
  type KllJSON,
  FrequentItems,
  FREQUENT_DEFAULT_MAX_ITEMS,
  type FrequentOptions,
  type FrequentRow,
  type FrequentJSON,
  Reservoir,
  RESERVOIR_DEFAULT_CAPACITY,
  type Sampled,
  type ReservoirOptions,
  type ReservoirJSON,
  ColumnProfile,
  SUMMARY_QUANTILES,
  type ColumnKind as ProfileKind,
  type ColumnProfileOptions,
  type ColumnProfileJSON,
  type ColumnSummary,
  type SummaryQuantiles,
  DatasetProfile,
  type DatasetProfileOptions,
  type DatasetProfileJSON,
  type DatasetSummary,
} from './sketch/index.js';
export * from './metrics/index.js';
export * from './abtest/index.js';
export * from './gate/index.js';
export * from './fairness/index.js';
export * from './shap/index.js';
export * from './cbpe/index.js';
