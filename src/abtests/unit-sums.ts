/**
 * A unit's sums for one metric of one test, and what they add to its arm's moments — pure. The aggregator keeps
 * these up to date as exposures and outcome events arrive, so the report reads per-arm moments instead of
 * re-reading every event (docs/abtests.md, "How the report is computed").
 */
import type { ArmMoments } from '../stats/index.js';
import type { MetricPlan } from './abtest-spec.js';

/** Σ of the metric's events in the unit's attribution window, of its ratio denominator there, and before exposure. */
export interface UnitSums {
  /** Σ values in [first_ts + delay, first_ts + delay + window), and how many of them were ≠ 0. */
  value: number;
  hits: number;
  /** Ratio metrics whose denominator is a metric: Σ of its values in the same window. */
  denominator: number;
  /** CUPED: Σ values in [first_ts − lookback, first_ts), and how many were ≠ 0. */
  pre: number;
  preHits: number;
}

export const emptySums = (): UnitSums => ({ value: 0, hits: 0, denominator: 0, pre: 0, preHits: 0 });

/** Moments are kept per arm and per hour of first exposure: the report adds whole hours whose units are all mature. */
export const BUCKET_MS = 3_600_000;

export const bucketOf = (firstTs: number): number => Math.floor(firstTs / BUCKET_MS) * BUCKET_MS;

/** The metric names whose events can change a unit's sums for this plan. */
export function planEvents(plan: MetricPlan): string[] {
  return plan.kind === 'ratio' && plan.denominator !== null && plan.denominator !== '$requests' ? [plan.metric, plan.denominator] : [plan.metric];
}

/**
 * Adds one event (sign 1) or takes it away (sign −1) from a unit's sums, by where its timestamp falls relative to
 * the unit's first exposure. Returns whether it counted anywhere.
 */
export function applyEvent(plan: MetricPlan, firstTs: number, e: { metric: string; value: number; ts: number }, s: UnitSums, sign: 1 | -1): boolean {
  let counted = false;
  const open = firstTs + plan.delayMs;
  const inWindow = e.ts >= open && e.ts < open + plan.windowMs;
  const hit = e.value !== 0 ? sign : 0;
  if (e.metric === plan.metric) {
    if (inWindow) {
      s.value += sign * e.value;
      s.hits += hit;
      counted = true;
    } else if (plan.lookbackMs !== null && e.ts >= firstTs - plan.lookbackMs && e.ts < firstTs) {
      s.pre += sign * e.value;
      s.preHits += hit;
      counted = true;
    }
  }
  if (inWindow && plan.kind === 'ratio' && e.metric === plan.denominator) {
    s.denominator += sign * e.value;
    counted = true;
  }
  return counted;
}

/** The unit as the engine sees it: its value, denominator and covariate for the metric (docs/abtests.md). */
export function unitTuple(plan: MetricPlan, s: UnitSums, requests: number): { y: number; d: number; x: number } {
  const proportion = plan.kind === 'proportion';
  return {
    y: proportion ? (s.hits > 0 ? 1 : 0) : s.value,
    d: plan.kind === 'ratio' ? (plan.denominator === '$requests' ? requests : s.denominator) : 0,
    x: plan.lookbackMs === null ? 0 : proportion ? (s.preHits > 0 ? 1 : 0) : s.pre,
  };
}

/** What one unit adds to its arm's moments (n = 1), or takes away with sign −1. */
export function unitMoments(t: { y: number; d: number; x: number }, sign: 1 | -1 = 1): Required<ArmMoments> {
  return {
    n: sign,
    sum: sign * t.y,
    sumSquares: sign * t.y * t.y,
    denominatorSum: sign * t.d,
    denominatorSumSquares: sign * t.d * t.d,
    mainDenominatorSumProduct: sign * t.y * t.d,
    covariateSum: sign * t.x,
    covariateSumSquares: sign * t.x * t.x,
    mainCovariateSumProduct: sign * t.y * t.x,
  };
}

/** a += b, field by field (in place: the aggregator sums many deltas per bucket). */
export function addInto(a: Required<ArmMoments>, b: Required<ArmMoments>): void {
  for (const k of Object.keys(a) as (keyof ArmMoments)[]) a[k] += b[k];
}

/** Whether a delta changes nothing (skipped rather than written). */
export function isZero(m: Required<ArmMoments>): boolean {
  return Object.values(m).every((v) => v === 0);
}
