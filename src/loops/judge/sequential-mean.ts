/**
 * The A/B engine's always-valid interval (gbstats' sequential test: a Gaussian-mixture confidence sequence,
 * Waudby-Smith et al., arXiv 2103.06476v7) for ONE mean: the mean of paired differences, with its per-unit
 * variance s² (ddof 1) and n units.
 *
 * `engineSequential` is src/stats/abtest/frequentist.ts's `sequential()` verbatim: the stats surface does not
 * export it yet and loops may reach stats only through its index. sequential-mean.test.ts checks the two give
 * identical numbers; once src/stats/abtest/index.ts exports `sequential`, import it and delete the copy.
 */

interface Effect {
  estimate: number;
  variance: number;
}

interface TestOutcome {
  lower: number;
  upper: number;
  pValue: number;
}

function sequentialRho(alpha: number, tuning: number): number {
  return Math.sqrt((-2 * Math.log(alpha) + Math.log(1 - 2 * Math.log(alpha))) / tuning);
}

/** @internal the engine's formula, as it is there (see the file's comment). */
export function engineSequential(e: Effect, units: number, alpha: number, tuning: number): TestOutcome {
  const rho = sequentialRho(alpha, tuning);
  const nr2p1 = units * rho ** 2 + 1;
  const s2 = e.variance * units;
  const width = Math.sqrt(s2) * Math.sqrt((2 * nr2p1 * Math.log(Math.sqrt(nr2p1) / alpha)) / (units * rho) ** 2);
  const st2 = (e.estimate ** 2 * units) / e.variance;
  const inverseE = Math.exp((-(rho ** 2) * st2) / (2 * nr2p1)) * Math.sqrt(nr2p1);
  return { lower: e.estimate - width, upper: e.estimate + width, pValue: Math.min(1, inverseE) };
}

export interface MeanInterval {
  n: number;
  mean: number;
  /** Sample variance of the values (ddof 1). */
  variance: number;
  lower: number;
  upper: number;
  /** Always-valid two-sided p-value of mean = 0; null when the values have no variance. */
  pValue: number | null;
}

/**
 * Mean of `values` with the engine's two-sided always-valid interval at level 1 − α and tuning N*: the effect is
 * the mean with variance s²/n over n units. Needs n ≥ 2; values without variance give the degenerate interval
 * [mean, mean] and no p-value.
 */
export function sequentialMeanInterval(values: ArrayLike<number>, alpha: number, tuning: number): MeanInterval {
  const n = values.length;
  if (n < 2) throw new RangeError(`a mean's interval needs 2 values or more, got ${n}`);
  let sum = 0;
  for (let i = 0; i < n; i++) sum += values[i]!;
  const mean = sum / n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (values[i]! - mean) ** 2;
  const variance = ss / (n - 1);
  if (!(variance > 0)) return { n, mean, variance: 0, lower: mean, upper: mean, pValue: null };
  const t = engineSequential({ estimate: mean, variance: variance / n }, n, alpha, tuning);
  return { n, mean, variance, lower: t.lower, upper: t.upper, pValue: t.pValue };
}
