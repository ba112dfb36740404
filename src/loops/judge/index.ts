/**
 * The loop's canary and shadow judge (pure, no I/O): the serving family, paired model quality on shadow
 * traffic, and one step's verdict and action from them and the A/B engine's report, with its evidence and the
 * sentence rebuilt from it. Re-exports only.
 */
export { servingFamily, DEFAULT_MIN_REQUESTS, ERROR_RATE_TEST, type ServingInput } from './serving-family.js';
export { pairedQuality, QUALITY_METRICS, DEFAULT_MIN_PAIRS, DEFAULT_TUNING, type QualityPair, type PairedQualityOptions } from './paired-quality.js';
export { rowLoss, type LossOptions } from './losses.js';
export { sequentialMeanInterval, type MeanInterval } from './sequential-mean.js';
export { judgeStep, type JudgeStepInput, type JudgeResult } from './judge-step.js';
export { judgeReason } from './reason.js';
export type {
  FamilyVerdict,
  HarmEvidence,
  HoldPolicy,
  JudgeAction,
  JudgeEvidence,
  JudgeVerdict,
  Outcome,
  PendingEvidence,
  PendingReason,
  PrimaryEvidence,
  QualityEvidence,
  QualityMetric,
  ReportEvidence,
  ReportMetricEvidence,
  ServingEvidence,
  ServingSide,
} from './types.js';
