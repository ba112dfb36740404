/**
 * CBPE (confidence-based performance estimation) for binary classifiers, pure: nannyml 0.13.1's algorithm — the
 * calibration decision, isotonic calibration as scikit-learn fits it, the expected confusion matrix, estimated
 * metrics with their sampling errors and ±3·SE bands, and realized metrics on the rows whose labels have arrived.
 * See docs/estimated-performance.md.
 */
export {
  CBPE_METRICS,
  CBPE_BAND_WIDTH,
  cbpeFit,
  cbpeEstimate,
  cbpeCalibrate,
  apResamples as cbpeApResamples,
  type CbpeMetric,
  type CbpeCalibration,
  type CbpeReference,
  type CbpeFitOptions,
  type CbpeFitted,
  type CbpeChunk,
  type CbpeEstimate,
  type CbpeMetricEstimate,
} from './cbpe.js';
export {
  binIndexEdges as cbpeBinIndexEdges,
  expectedCalibrationError as cbpeExpectedCalibrationError,
  calibrationDecision as cbpeCalibrationDecision,
  stratifiedShuffleSplits as cbpeStratifiedShuffleSplits,
  type Split as CbpeSplit,
  type CalibrationDecision as CbpeCalibrationDecision,
} from './calibration.js';
export { isotonicFit as cbpeIsotonicFit, isotonicPredict as cbpeIsotonicPredict, type IsotonicFit as CbpeIsotonicFit } from './isotonic.js';
export { apComponentFromResamples as cbpeApComponent, type Components as CbpeComponents } from './sampling-error.js';
export { type ExpectedConfusion as CbpeExpectedConfusion } from './estimate.js';
export {
  realizedMetrics as cbpeRealizedMetrics,
  sklearnRocAuc as cbpeSklearnRocAuc,
  sklearnAveragePrecision as cbpeSklearnAveragePrecision,
} from './realized.js';
