/**
 * Seeded paired bootstrap of candidate − champion on the same rows (docs/gate-statistics.md):
 *
 * 1. One SplitMix64 stream from `seed` (splitmix64.ts). Replicate b = 0, 1, …, B − 1 takes the next n indices of
 *    the stream, each uniform in [0, n) (Lemire's rejection), drawn with replacement; rows keep their pairing,
 *    so both models are judged on the same resample.
 * 2. The statistic on replicate b is the metric's candidate − champion on the resampled rows (paired-metrics.ts).
 *    A replicate where it is undefined (ROC AUC on a resample of one class) is skipped and counted; its indices
 *    are still consumed, so later replicates do not shift.
 * 3. The kept replicates, sorted, give numpy's default (linear) quantiles: the two-sided interval
 *    [q(α/2), q(1 − α/2)] and the one-sided bound at level 1 − α on the harmful side — q(α) when higher is
 *    better, q(1 − α) when lower is better.
 * 4. The gate passes iff that bound clears the margin: q(α) > −margin (higher is better), q(1 − α) < margin
 *    (lower is better), i.e. "the candidate is at most `margin` worse, with confidence 1 − α".
 */
import type { Label } from '../metrics/labels.js';
import { formatChange, formatCount, formatLevel, formatNumber } from './format.js';
import { clearsMargin, marginClause } from './decision.js';
import { checkAlpha, checkMargin, checkReplicates } from './inputs.js';
import { type BootstrapMetric, type PairedRows, METRIC_DIRECTION, METRIC_NAME, prepareMetric } from './paired-metrics.js';
import { quantileSorted } from './quantile.js';
import { type Seed, SplitMix64, seedHalves } from './splitmix64.js';
import type { GateDirection } from './thresholds.js';

export type GateOutcome = 'pass' | 'fail' | 'insufficient_data';

export interface PairedBootstrapInput extends PairedRows {
  metric: BootstrapMetric;
  seed: Seed;
  /** B, the number of replicates (default 2000). */
  replicates?: number;
  /** 1 − α is the confidence of the interval and of the one-sided bound (default 0.05). */
  alpha?: number;
  /** The regression tolerated, in the metric's units (default 0). */
  margin?: number;
  /** Return every replicate's statistic in draw order (null where skipped), for audits and reproductions. */
  keepReplicates?: boolean;
  positiveLabel?: Label;
}

export interface Bounds {
  lower: number;
  upper: number;
}

export interface PairedBootstrapResult {
  method: 'paired_bootstrap';
  metric: BootstrapMetric;
  direction: GateDirection;
  n: number;
  /** The seed as a decimal string (a 64-bit seed does not fit a JSON number). */
  seed: string;
  alpha: number;
  margin: number;
  replicates: { requested: number; used: number; skipped: number };
  /** Point estimates on the full data; null when the metric is undefined there. */
  candidate: number | null;
  champion: number | null;
  difference: number | null;
  /** Two-sided percentile interval of the difference at level 1 − α. */
  interval: Bounds | null;
  /** One-sided bound at level 1 − α on the harmful side (lower when higher is better, upper otherwise). */
  bound: number | null;
  outcome: GateOutcome;
  reason: string;
  replicateValues?: (number | null)[];
}

export function pairedBootstrap(input: PairedBootstrapInput): PairedBootstrapResult {
  const prepared = prepareMetric(input.metric, input);
  const B = checkReplicates(input.replicates);
  const alpha = checkAlpha(input.alpha);
  const margin = checkMargin(input.margin);
  const [seedHi, seedLo] = seedHalves(input.seed);
  const seed = ((BigInt(seedHi) << 32n) | BigInt(seedLo)).toString();
  const { n } = prepared;
  const direction = METRIC_DIRECTION[input.metric];

  const counts = new Uint32Array(n).fill(1);
  const point = prepared.values(counts);
  const base = { method: 'paired_bootstrap' as const, metric: input.metric, direction, n, seed, alpha, margin };
  if (point === null) {
    return {
      ...base,
      replicates: { requested: B, used: 0, skipped: 0 },
      candidate: null,
      champion: null,
      difference: null,
      interval: null,
      bound: null,
      outcome: 'insufficient_data',
      reason: `${METRIC_NAME[input.metric]} is undefined on these ${formatCount(n)} rows (one class only): the gate cannot compare the models.`,
    };
  }

  const rng = new SplitMix64(input.seed);
  const kept = new Float64Array(B);
  const all: (number | null)[] | undefined = input.keepReplicates ? new Array<number | null>(B) : undefined;
  let used = 0;
  for (let b = 0; b < B; b++) {
    counts.fill(0);
    rng.addCounts(n, n, counts);
    const d = prepared.difference(counts);
    if (all) all[b] = d;
    if (d !== null) kept[used++] = d;
  }
  const skipped = B - used;
  const [candidate, champion] = point;
  const difference = candidate - champion;
  const result = { ...base, replicates: { requested: B, used, skipped }, candidate, champion, difference, ...(all ? { replicateValues: all } : {}) };
  if (used === 0) {
    return {
      ...result,
      interval: null,
      bound: null,
      outcome: 'insufficient_data',
      reason: `Every one of the ${formatCount(B)} bootstrap replicates held one class only: ${METRIC_NAME[input.metric]} has no interval on ${formatCount(n)} rows.`,
    };
  }
  const sorted = kept.subarray(0, used).sort();
  const interval = { lower: quantileSorted(sorted, alpha / 2), upper: quantileSorted(sorted, 1 - alpha / 2) };
  const higher = direction === 'higher_is_better';
  const bound = quantileSorted(sorted, higher ? alpha : 1 - alpha);
  const pass = clearsMargin(bound, margin, direction);
  return {
    ...result,
    interval,
    bound,
    outcome: pass ? 'pass' : 'fail',
    reason: bootstrapSentence(input.metric, n, B, skipped, seed, alpha, margin, candidate, champion, bound, pass),
  };
}

function bootstrapSentence(
  metric: BootstrapMetric,
  n: number,
  B: number,
  skipped: number,
  seed: string,
  alpha: number,
  margin: number,
  candidate: number,
  champion: number,
  bound: number,
  pass: boolean,
): string {
  const direction = METRIC_DIRECTION[metric];
  const side = direction === 'higher_is_better' ? 'lower' : 'upper';
  const skips = skipped > 0 ? ` (${formatCount(skipped)} of ${formatCount(B)} skipped: one class only)` : '';
  return (
    `${METRIC_NAME[metric]}: candidate ${formatNumber(candidate)} vs champion ${formatNumber(champion)} on ${formatCount(n)} rows ` +
    `(difference ${formatChange(candidate - champion)}); the ${formatLevel(alpha)} one-sided ${side} bound of the difference over ` +
    `${formatCount(B - skipped)} paired bootstrap replicates${skips}, seed ${seed}, ${marginClause(bound, margin, direction, alpha, pass)}`
  );
}
