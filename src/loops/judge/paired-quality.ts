/**
 * Model quality on shadow traffic, paired: per request (and feedback row) both models scored, the loss
 * difference d = loss(candidate) − loss(champion); the A/B engine's always-valid interval on the mean of d (one
 * sample of differences, so request-to-request variation cancels). Lower d is better for the candidate.
 *
 * pass: upper < margin (the candidate is no worse than the margin: its quality gain's lower bound clears −margin);
 * fail: lower > margin (significantly worse by more than the margin); inconclusive otherwise; insufficient_data
 * below min_pairs scored pairs.
 */
import { finiteOrNull } from './format.js';
import { type LossOptions, rowLoss } from './losses.js';
import { sequentialMeanInterval } from './sequential-mean.js';
import type { FamilyVerdict, QualityEvidence, QualityMetric } from './types.js';

export const QUALITY_METRICS: readonly QualityMetric[] = ['accuracy', 'log_loss', 'absolute_error', 'squared_error'];
export const DEFAULT_MIN_PAIRS = 30;
/** The engine's default N*: the confidence sequence is tightest around this many pairs. */
export const DEFAULT_TUNING = 5000;

export interface QualityPair {
  truth: unknown;
  champion: Record<string, unknown>;
  candidate: Record<string, unknown>;
}

export interface PairedQualityOptions extends LossOptions {
  metric: QualityMetric;
  alpha: number;
  /** How much worse (in loss per request) the candidate may be and still pass; ≥ 0. */
  margin: number;
  /** Fewer scored pairs: insufficient data (default 30; at least 2). */
  minPairs?: number;
  /** The sequential test's N* (default 5000). */
  tuning?: number;
}

export function pairedQuality(pairs: readonly QualityPair[], o: PairedQualityOptions): QualityEvidence {
  if (!QUALITY_METRICS.includes(o.metric)) throw new RangeError(`metric must be one of ${QUALITY_METRICS.join(', ')}`);
  if (!(o.alpha > 0 && o.alpha < 1)) throw new RangeError(`alpha must be in (0, 1), got ${o.alpha}`);
  if (!(o.margin >= 0 && Number.isFinite(o.margin))) throw new RangeError(`margin must be a number ≥ 0, got ${o.margin}`);
  const minPairs = Math.max(2, o.minPairs ?? DEFAULT_MIN_PAIRS);
  const tuning = o.tuning ?? DEFAULT_TUNING;
  if (!(tuning > 0 && Number.isFinite(tuning))) throw new RangeError(`tuning must be a positive number, got ${tuning}`);
  const diffs: number[] = [];
  let champ = 0;
  let cand = 0;
  for (const p of pairs) {
    const a = rowLoss(o.metric, p.truth, p.candidate, o);
    const b = rowLoss(o.metric, p.truth, p.champion, o);
    if (a === null || b === null) continue;
    diffs.push(a - b);
    cand += a;
    champ += b;
  }
  const n = diffs.length;
  const base = {
    family: 'quality' as const,
    metric: o.metric,
    statistic: 'paired loss difference (candidate − champion)' as const,
    method: 'sequential' as const,
    n,
    unscored: pairs.length - n,
    min_pairs: minPairs,
    champion_loss: n > 0 ? finiteOrNull(champ / n) : null,
    candidate_loss: n > 0 ? finiteOrNull(cand / n) : null,
    alpha: o.alpha,
    tuning,
    margin: o.margin,
  };
  if (n < minPairs) return { ...base, verdict: 'insufficient_data', mean_difference: null, lower: null, upper: null, p_value: null, note: null };
  const ci = sequentialMeanInterval(diffs, o.alpha, tuning);
  // Every pair with the same difference: the interval is that point, and it decides (≤ margin passes).
  const verdict: FamilyVerdict =
    ci.variance > 0 ? (ci.upper < o.margin ? 'pass' : ci.lower > o.margin ? 'fail' : 'inconclusive') : ci.mean <= o.margin ? 'pass' : 'fail';
  return {
    ...base,
    verdict,
    mean_difference: finiteOrNull(ci.mean),
    lower: finiteOrNull(ci.lower),
    upper: finiteOrNull(ci.upper),
    p_value: finiteOrNull(ci.pValue),
    note: ci.variance > 0 ? null : 'no_variance',
  };
}
