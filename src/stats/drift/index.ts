// Public surface of Ferry's drift statistics (pure, no I/O). Re-exports only.
export { columnDrift, datasetDrift } from './column-drift.js';
export type { ColumnDriftInput, ColumnDriftResult, ColumnDriftSide, DatasetDriftResult } from './column-drift.js';
export { DRIFT_METHODS, SMALL_REFERENCE_MAX_ROWS, chooseMethod, defaultMethod, isDriftMethod, isDrifted, methodOverride, thresholdOverride } from './select.js';
export type { ColumnKind, DriftMethod, DriftMethodInfo, DriftOptions } from './select.js';
export { ks2samp, ks2sampSorted, ksStatisticSorted, KS_MAX_EXACT_N } from './ks.js';
export type { KsOptions, KsResult } from './ks.js';
export { kstwoSf } from './kolmogorov.js';
export { smirnovSf } from './smirnov.js';
export { chiSquare, chiSquareDrift } from './chi2.js';
export type { Chi2Result } from './chi2.js';
export { proportionsZ, twoSidedP, zTestDrift } from './ztest.js';
export type { ZTestResult } from './ztest.js';
export { WASSERSTEIN_MIN_NORM, hellinger, jensenShannon, klDivergence, psi, wassersteinNormed, wassersteinSorted, wassersteinWeighted } from './distances.js';
export {
  DISCRETE_MAX_UNIQUE,
  categoryBins,
  discreteNumeric,
  fillZeroes,
  histogramSorted,
  numericBins,
  numericHistogram,
  shares,
  sturgesEdges,
  toPlotBins,
} from './bins.js';
export type { BinMode, BinnedPair, PlotBins } from './bins.js';
export { prepareCategorical, prepareNumeric } from './sample.js';
export { sortFloat64 } from './sort.js';
export type { Category, CategoricalInput, CategoricalSample, NumericInput, NumericSample } from './sample.js';
export { featureDrift, profileDriftSummary } from './profile-drift.js';
export type { FeatureDrift, ProfileDriftOptions } from './profile-drift.js';
export { numericProfileDrift, type ProfileDriftCallOptions } from './profile-drift-functions.js';
