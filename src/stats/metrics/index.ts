// Public surface of Ferry's model performance metrics (pure, no I/O), matching scikit-learn 1.9. Re-exports only.
export { compareLabels, sortLabels } from './labels.js';
export type { Label, LabelInput, NumberInput } from './labels.js';
export { accuracy, confusionMatrix, f1Score, precision, precisionRecallF1, recall, scoresFromConfusion } from './classification.js';
export type { Average, ClassScores, ConfusionMatrix, ConfusionScores, Prf, PrfOptions } from './classification.js';
export { rocAuc, rocAucBinned, rocAucOvr, rocAucPerClass } from './roc-auc.js';
export type { BinnedAuc } from './roc-auc.js';
export { FLOAT64_EPS, logLoss } from './log-loss.js';
export type { LogLossOptions, ProbabilityInput } from './log-loss.js';
export { maxError, meanAbsoluteError, meanAbsolutePercentageError, meanSquaredError, r2Score, regressionMetrics, rootMeanSquaredError } from './regression.js';
export type { RegressionMetrics } from './regression.js';
export { classificationReport, regressionReport } from './report.js';
export type { ClassificationOptions, ClassificationReport, RegressionReport } from './report.js';
export { AUC_BINS, AUC_EXACT_CAP, AucSketch } from './auc-sketch.js';
export type { AucResult, AucSketchJSON, AucSketchOptions } from './auc-sketch.js';
export { ClassificationAccumulator, RegressionAccumulator } from './accumulators.js';
export type { ClassificationAccumulatorJSON, ClassificationAccumulatorOptions, ClassificationBatch, RegressionAccumulatorJSON } from './accumulators.js';
export {
  classificationState,
  classificationStateReport,
  mergeClassificationStates,
  mergeRegressionStates,
  regressionState,
  regressionStateReport,
} from './windows.js';
