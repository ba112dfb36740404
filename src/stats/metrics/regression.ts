/** Regression metrics as scikit-learn computes them (checked in python/tests/test_stats_metrics.py). */
import { InvalidParameterError } from '../../errors.js';

const EPS = 2.220446049250313e-16; // numpy.finfo(float64).eps: mean_absolute_percentage_error's floor for |y|

export interface RegressionReport {
  n: number;
  mae: number;
  mse: number;
  rmse: number;
  /** 1 for a perfect fit of a constant target, 0 for an imperfect one (scikit-learn's force_finite). */
  r2: number;
  mape: number;
  max_error: number;
}

export function regressionReport(yTrue: readonly number[], yPred: readonly number[]): RegressionReport {
  if (yTrue.length === 0) throw new InvalidParameterError('y_true', 'No labelled predictions to score.');
  if (yTrue.length !== yPred.length) throw new InvalidParameterError('y_pred', `y_true has ${yTrue.length} values but y_pred has ${yPred.length}.`);
  const n = yTrue.length;
  let abs = 0;
  let sq = 0;
  let pct = 0;
  let max = 0;
  let mean = 0;
  for (let i = 0; i < n; i++) {
    const y = yTrue[i]!;
    const p = yPred[i]!;
    if (!Number.isFinite(y) || !Number.isFinite(p)) throw new InvalidParameterError('y_true', `Row ${i}: values must be finite numbers.`);
    const e = Math.abs(y - p);
    abs += e;
    sq += e * e;
    pct += e / Math.max(Math.abs(y), EPS);
    max = Math.max(max, e);
    mean += y;
  }
  mean /= n;
  let tot = 0;
  for (const y of yTrue) tot += (y - mean) ** 2;
  const r2 = tot === 0 ? (sq === 0 ? 1 : 0) : 1 - sq / tot;
  return { n, mae: abs / n, mse: sq / n, rmse: Math.sqrt(sq / n), r2, mape: pct / n, max_error: max };
}
