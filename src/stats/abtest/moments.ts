/**
 * Mergeable per-arm aggregates. Every A/B number derives from these sums, so windows, replicas and time
 * ranges combine by adding them (like the monitoring profiles' moments).
 */

/** Sums over the units of one arm. Optional fields default to 0 (an absent ratio denominator or covariate). */
export interface ArmMoments {
  /** Units (the unit of randomization). */
  n: number;
  /** Σ of the metric value per unit (the numerator M for ratio metrics) and Σ of its squares. */
  sum: number;
  sumSquares: number;
  /** Ratio metrics: Σ D, Σ D², Σ M·D over units. */
  denominatorSum?: number;
  denominatorSumSquares?: number;
  mainDenominatorSumProduct?: number;
  /** CUPED: Σ X, Σ X², Σ Y·X over units, X = the unit's pre-exposure value of the metric. */
  covariateSum?: number;
  covariateSumSquares?: number;
  mainCovariateSumProduct?: number;
}

/** The aggregates of an arm with no units (every field present and 0). */
export function emptyArmMoments(): Required<ArmMoments> {
  return {
    n: 0,
    sum: 0,
    sumSquares: 0,
    denominatorSum: 0,
    denominatorSumSquares: 0,
    mainDenominatorSumProduct: 0,
    covariateSum: 0,
    covariateSumSquares: 0,
    mainCovariateSumProduct: 0,
  };
}

/** Every field of m, absent ones as 0. */
export function fullArmMoments(m: ArmMoments): Required<ArmMoments> {
  return { ...emptyArmMoments(), ...stripUndefined(m) };
}

function stripUndefined(m: ArmMoments): Partial<ArmMoments> {
  const out: Partial<ArmMoments> = {};
  for (const [k, v] of Object.entries(m) as [keyof ArmMoments, number | undefined][]) if (v !== undefined) out[k] = v;
  return out;
}

/** a + b, field by field (a new object; neither input changes). */
export function mergeArmMoments(a: ArmMoments, b: ArmMoments): Required<ArmMoments> {
  const x = fullArmMoments(a);
  const y = fullArmMoments(b);
  return {
    n: x.n + y.n,
    sum: x.sum + y.sum,
    sumSquares: x.sumSquares + y.sumSquares,
    denominatorSum: x.denominatorSum + y.denominatorSum,
    denominatorSumSquares: x.denominatorSumSquares + y.denominatorSumSquares,
    mainDenominatorSumProduct: x.mainDenominatorSumProduct + y.mainDenominatorSumProduct,
    covariateSum: x.covariateSum + y.covariateSum,
    covariateSumSquares: x.covariateSumSquares + y.covariateSumSquares,
    mainCovariateSumProduct: x.mainCovariateSumProduct + y.mainCovariateSumProduct,
  };
}

/**
 * m plus one unit with metric value `value` (its numerator for ratios), optional denominator and
 * pre-exposure covariate (absent = 0). Returns a new object; m is not changed.
 */
export function addUnit(m: ArmMoments, value: number, opts: { denominator?: number; covariate?: number } = {}): Required<ArmMoments> {
  const d = opts.denominator ?? 0;
  const x = opts.covariate ?? 0;
  return mergeArmMoments(m, {
    n: 1,
    sum: value,
    sumSquares: value * value,
    denominatorSum: d,
    denominatorSumSquares: d * d,
    mainDenominatorSumProduct: value * d,
    covariateSum: x,
    covariateSumSquares: x * x,
    mainCovariateSumProduct: value * x,
  });
}
