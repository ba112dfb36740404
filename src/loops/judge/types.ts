/**
 * The judge's evidence: plain JSON (numbers are finite or null, never NaN, undefined or Infinity) holding every
 * number a decision stood on, from which judgeReason() rebuilds its sentence.
 */
import type { JUDGE_VERDICTS, HOLD_POLICIES } from '../../contract/loops.js';

export type JudgeVerdict = (typeof JUDGE_VERDICTS)[number];
export type HoldPolicy = (typeof HOLD_POLICIES)[number];
export type JudgeAction = 'advance' | 'rollback' | 'hold' | 'ask';
/** A family's or a check's own verdict (a guardrail is never 'inconclusive': no significant harm passes it). */
export type FamilyVerdict = JudgeVerdict;

export interface ServingSide {
  requests: number;
  errors: number;
  error_rate: number | null;
  p99_ms: number | null;
}

export interface ServingEvidence {
  family: 'serving';
  verdict: FamilyVerdict;
  min_requests: number;
  alpha: number;
  champion: ServingSide;
  candidate: ServingSide;
  error_rate: {
    test: string;
    /** candidate − champion. */
    difference: number | null;
    allowed_increase: number;
    z: number | null;
    /** One-sided p of H0: difference ≤ allowed increase. */
    p_value: number | null;
    verdict: FamilyVerdict;
    /** no_errors: neither side had an error; no_variance: all or none failed, no test possible. */
    note: 'no_errors' | 'no_variance' | null;
  };
  /** Fails only above max_ratio AND more than min_increase_ms slower (a few ms of warm-up is not harm). */
  latency: { ratio: number | null; max_ratio: number; min_increase_ms: number; verdict: FamilyVerdict };
}

export type QualityMetric = 'accuracy' | 'log_loss' | 'absolute_error' | 'squared_error';

export interface QualityEvidence {
  family: 'quality';
  verdict: FamilyVerdict;
  metric: QualityMetric;
  /** What the interval is on: the mean over pairs of loss(candidate) − loss(champion) on the same request. */
  statistic: 'paired loss difference (candidate − champion)';
  method: 'sequential';
  /** Scored pairs; unscored: pairs whose outputs or truth could not be scored for the metric. */
  n: number;
  unscored: number;
  min_pairs: number;
  champion_loss: number | null;
  candidate_loss: number | null;
  mean_difference: number | null;
  lower: number | null;
  upper: number | null;
  p_value: number | null;
  alpha: number;
  tuning: number;
  margin: number;
  /** no_variance: every pair had the same difference (the interval is that point). */
  note: 'no_variance' | null;
}

export interface ReportMetricEvidence {
  metric: string;
  role: 'primary' | 'guardrail';
  direction: 'increase' | 'decrease';
  /** The A/B engine's verdict of candidate vs champion. */
  verdict: 'better' | 'worse' | 'inconclusive' | 'insufficient_data';
  basis: 'relative' | 'absolute' | null;
  estimate: number | null;
  lower: number | null;
  upper: number | null;
  p_value: number | null;
  /**
   * The absolute difference's interval excludes 0 on the harmful side: harm even when the relative interval is
   * wide (a champion's small rate makes the lift's interval huge while the difference is plainly significant).
   */
  absolute_harm: boolean;
  /** The absolute difference (candidate − champion) and its interval. */
  absolute: { estimate: number | null; lower: number | null; upper: number | null } | null;
  champion_units: number;
  candidate_units: number;
}

export interface ReportEvidence {
  abtest: string;
  at: number;
  method: string;
  alpha: number;
  srm: { p_value: number | null; chi_squared: number | null; flagged: boolean };
  metrics: ReportMetricEvidence[];
}

/** What must clear its margin for the step to pass. */
export interface PrimaryEvidence {
  source: 'report' | 'quality' | 'none';
  metric: string | null;
  /** report: relative or absolute effect; quality: the paired loss difference (lower is better). */
  basis: 'relative' | 'absolute' | 'loss_difference' | null;
  direction: 'increase' | 'decrease';
  estimate: number | null;
  lower: number | null;
  upper: number | null;
  margin: number;
  /** The interval clears the margin: its worse bound is better than −margin (increase) or below +margin. */
  clears: boolean;
  /** Units that count towards min_units: mature units per arm (report), scored pairs (quality). */
  units: number | null;
  units_per: 'arm' | 'pair' | null;
}

export type Outcome = 'harm' | 'srm' | 'passed' | 'waiting' | 'policy';

export interface HarmEvidence {
  family: 'serving' | 'quality' | 'report';
  check: 'error_rate' | 'latency' | 'paired_quality' | 'primary' | 'guardrail';
  metric: string | null;
}

export type PendingReason =
  /** Serving: fewer requests than min_requests on a side, or a p99 that cannot be compared. */
  | 'serving_thin'
  /** The primary's units (mature per arm, or pairs) are below min_units. */
  | 'units_below_min'
  /** The primary metric (or the paired quality) has too little data for an interval. */
  | 'primary_insufficient'
  /** The primary's interval does not clear its margin yet. */
  | 'primary_not_clear'
  /** No primary evidence at all: no report and no paired quality. */
  | 'no_primary'
  /** A guardrail metric of the report, or the paired quality as a guardrail, has too little data. */
  | 'guardrail_insufficient';

export interface PendingEvidence {
  reason: PendingReason;
  metric: string | null;
}

export interface JudgeEvidence {
  phase: 'shadow' | 'canary';
  index: number | null;
  of: number | null;
  /** The data window read (epoch ms, [from, to)); null when the caller gave none. */
  window: { from: number; to: number } | null;
  elapsed_ms: number;
  max_duration_ms: number;
  min_units: number;
  policy: { on_inconclusive: HoldPolicy; on_insufficient_data: HoldPolicy };
  verdict: JudgeVerdict;
  action: JudgeAction;
  outcome: Outcome;
  harms: HarmEvidence[];
  /** Why the step is not decided: thin data, or an interval that does not clear its margin. */
  pending: PendingEvidence[];
  primary: PrimaryEvidence;
  serving: ServingEvidence | null;
  quality: QualityEvidence | null;
  report: ReportEvidence | null;
}
