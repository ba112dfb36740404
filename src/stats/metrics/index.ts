// Model performance metrics (pure): classification and regression, as scikit-learn computes them.
export { accuracy, averaged, confusionMatrix, logLoss, perLabel, rocAuc, rocAucOvr, sortedLabels, type Label, type PrfScores } from './classification.js';
export { regressionReport, type RegressionReport } from './regression.js';
export { classificationReport, type ClassificationOptions, type ClassificationReport } from './report.js';
