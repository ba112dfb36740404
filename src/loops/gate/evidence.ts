/**
 * The gate's evidence: plain JSON (no undefined, NaN or Infinity; an undefined number is null) holding everything
 * a person needs to see why the gate decided as it did, and everything `gateReason` needs to say it again.
 */
import type { ThresholdResult } from '../../stats/index.js';
import type { GateMetric, UnscorableRows } from './predictions.js';

/** pass / fail against a champion; no_baseline_*: no champion yet, judged by value thresholds only; insufficient_data: nothing could be judged. */
export type GateVerdict = 'pass' | 'fail' | 'no_baseline_pass' | 'no_baseline_fail' | 'insufficient_data';

export interface ThresholdEvidence {
  metric: GateMetric;
  direction: 'higher_is_better' | 'lower_is_better';
  lower: number | null;
  upper: number | null;
  absolute: number | null;
  relative: number | null;
  margin: number | null;
  per_slice: boolean;
}

export interface StatisticalEvidence {
  method: 'paired_bootstrap' | 'delong';
  alpha: number;
  /** 1 − α: the confidence of the interval and of the one-sided bound. */
  level: number;
  margin: number;
  /** Bootstrap only. */
  replicates: { requested: number; used: number; skipped: number } | null;
  /** Bootstrap only: the seed as a decimal string. */
  seed: string | null;
  /** The statistics' own point estimates on the same rows. */
  candidate: number | null;
  champion: number | null;
  difference: number | null;
  /** Two-sided interval of candidate − champion at level 1 − α. */
  interval: { lower: number; upper: number } | null;
  /** One-sided bound at level 1 − α on the harmful side: lower when higher is better, upper otherwise. */
  bound: number | null;
  bound_side: 'lower' | 'upper';
  /** DeLong only. */
  z: number | null;
  p_value: number | null;
  outcome: 'pass' | 'fail' | 'insufficient_data';
  /** The statistics' own sentence. */
  reason: string;
}

export interface MetricEvidence {
  /** Index into config.thresholds. */
  threshold: number;
  metric: GateMetric;
  /** Rows of the slice both models could score for this metric. */
  rows: number;
  /** Rows of the slice left out because a model's outputs (or the truth) cannot give this metric. */
  unscorable: number;
  /** roc_auc: how many of `rows` are positive; null for other metrics. */
  positives: number | null;
  candidate: number | null;
  champion: number | null;
  /** candidate − champion. */
  delta: number | null;
  /** (candidate − champion) / champion; null when the champion's value is 0 or there is no champion. */
  relative_change: number | null;
  /** On `all`, a metric that cannot be computed is judged, and fails: `passed` false, `not_judged` says why. */
  judged: boolean;
  /** Why the metric was not judged here (or, on `all`, why it could not be computed). */
  not_judged: string | null;
  /** Value and change thresholds (stats' checkThreshold). */
  check: ThresholdResult | null;
  statistical: StatisticalEvidence | null;
  /** Parts of the threshold not evaluated: change checks and the margin without a champion. */
  skipped: string[];
  passed: boolean | null;
}

export interface SliceEvidence {
  name: string;
  feature: string | null;
  rows: number;
  judged: boolean;
  not_judged: string | null;
  metrics: MetricEvidence[];
}

export interface SourceEvidence {
  source: 'holdout' | 'production';
  label: string;
  dataset: { dataset: string; version: number } | null;
  window: { from: number; to: number } | null;
  rows: number;
  judged: boolean;
  not_judged: string | null;
  unscorable: UnscorableRows[];
  slices: SliceEvidence[];
}

export type FailureKind = 'value_lower' | 'value_upper' | 'change_absolute' | 'change_relative' | 'statistical' | 'undefined';

export interface GateFailure {
  /** Index into sources. */
  source: number;
  slice: string;
  /** Index into config.thresholds. */
  threshold: number;
  metric: GateMetric;
  kind: FailureKind;
  phrase: string;
}

/** One group of a fairness condition's feature, for one model; rates and counts null when the group was left out. */
export interface FairnessGroupEvidence {
  /** The feature's value (booleans as 1/0, as Fairlearn compares them); '(missing)' for rows without one. */
  value: number | string;
  n: number;
  /** Fewer than min_slice_size rows: left out of the metric. */
  insufficient: boolean;
  /** Rows predicted the positive label, and their share (Fairlearn's selection_rate). */
  selected: number | null;
  selection_rate: number | null;
  /** Equal opportunity / equalized odds only: rows whose truth is positive, those predicted positive, and TPR. */
  positives: number | null;
  true_positives: number | null;
  true_positive_rate: number | null;
  /** Equal opportunity / equalized odds only: rows whose truth is negative, those predicted positive, and FPR. */
  negatives: number | null;
  false_positives: number | null;
  false_positive_rate: number | null;
}

export interface FairnessModelEvidence {
  /** Holdout rows the model gave a predicted label for. */
  rows: number;
  unscorable: number;
  /** The metric between groups over the groups left; null when undefined (`not_computed` says why). */
  value: number | null;
  not_computed: string | null;
  groups: FairnessGroupEvidence[];
  insufficient_groups: string[];
}

/** A fairness condition on the holdout: the candidate judged against min/max, the champion shown. */
export interface FairnessEvidence {
  /** Index into the spec's fairness list. */
  condition: number;
  feature: string;
  metric:
    | 'demographic_parity_ratio'
    | 'demographic_parity_difference'
    | 'equalized_odds_ratio'
    | 'equalized_odds_difference'
    | 'equal_opportunity_ratio'
    | 'equal_opportunity_difference';
  method: 'between_groups';
  min: number | null;
  max: number | null;
  pos_label: number | string | boolean | null;
  min_group_size: number;
  /** Index into sources (the holdout). */
  source: number;
  candidate: FairnessModelEvidence;
  champion: FairnessModelEvidence | null;
  passed: boolean;
  kind: 'value_lower' | 'value_upper' | 'undefined' | null;
  phrase: string;
}

export interface GateEvidence {
  outcome: GateVerdict;
  reason: string;
  /** Whether a champion was compared with. */
  baseline: boolean;
  config: {
    thresholds: ThresholdEvidence[];
    slices: { feature: string; bins: number[] | null }[];
    min_slice_size: number;
    alpha: number;
    replicates: number;
    seed: number;
  };
  sources: SourceEvidence[];
  failures: GateFailure[];
  /** Fairness conditions (absent in evidence recorded before they existed). A failed one fails the gate. */
  fairness?: FairnessEvidence[];
}
