/**
 * Regression metrics as scikit-learn 1.9 computes them, in one pass over finite numbers (NaN and
 * infinities are refused, as scikit-learn refuses them). Sums are compensated, so the result is within
 * a few ulps of numpy's pairwise sums.
 *
 * R²: `1 - SS_res / SS_tot`; with a constant y_true (SS_tot = 0) it is 1 for a perfect fit, else 0
 * (scikit-learn's force_finite=True); with fewer than two rows it is undefined (null here, NaN there).
 * One deliberate difference: a constant y_true is detected exactly. scikit-learn subtracts a rounded mean,
 * so for a constant such as 0.1 its SS_tot can be ~1e-32 instead of 0 and R² comes out near -5e29.
 * MAPE: |y - ŷ| / max(|y|, eps) with eps = 2^-52, so a zero target gives a huge but finite term.
 */
import { type NumberInput, CompensatedSum, requireRows, requireSameLength, toFiniteFloat64 } from './labels.js';
import { FLOAT64_EPS } from './log-loss.js';

export interface RegressionMetrics {
  n: number;
  mae: number;
  mse: number;
  rmse: number;
  /** Null with fewer than two rows. */
  r2: number | null;
  mape: number;
  max_error: number;
}

/** R² from its two sums, with scikit-learn's rules for SS_tot = 0 and n < 2. */
export function r2FromSums(n: number, ssRes: number, ssTot: number): number | null {
  if (n < 2) return null;
  if (ssTot === 0) return ssRes === 0 ? 1 : 0;
  return 1 - ssRes / ssTot;
}

export function apeTerm(y: number, pred: number): number {
  return Math.abs(pred - y) / Math.max(Math.abs(y), FLOAT64_EPS);
}

function inputs(yTrue: NumberInput, yPred: NumberInput): [Float64Array, Float64Array] {
  requireSameLength(yTrue, yPred, 'y_true', 'y_pred');
  requireRows(yTrue.length, 'y_true');
  return [toFiniteFloat64(yTrue, 'y_true'), toFiniteFloat64(yPred, 'y_pred')];
}

/** Every regression metric in one call. */
export function regressionMetrics(yTrue: NumberInput, yPred: NumberInput): RegressionMetrics {
  const [y, p] = inputs(yTrue, yPred);
  const n = y.length;
  const abs = new CompensatedSum();
  const sq = new CompensatedSum();
  const ape = new CompensatedSum();
  const sumY = new CompensatedSum();
  let max = 0;
  let constant = true;
  for (let i = 0; i < n; i++) {
    const r = y[i] - p[i];
    abs.add(Math.abs(r));
    sq.add(r * r);
    ape.add(apeTerm(y[i], p[i]));
    sumY.add(y[i]);
    if (Math.abs(r) > max) max = Math.abs(r);
    if (y[i] !== y[0]) constant = false;
  }
  const mean = sumY.value / n;
  const tot = new CompensatedSum();
  if (!constant) for (let i = 0; i < n; i++) tot.add((y[i] - mean) ** 2);
  const mse = sq.value / n;
  return {
    n,
    mae: abs.value / n,
    mse,
    rmse: Math.sqrt(mse),
    r2: r2FromSums(n, sq.value, tot.value),
    mape: ape.value / n,
    max_error: max,
  };
}

export const meanAbsoluteError = (yTrue: NumberInput, yPred: NumberInput): number => regressionMetrics(yTrue, yPred).mae;
export const meanSquaredError = (yTrue: NumberInput, yPred: NumberInput): number => regressionMetrics(yTrue, yPred).mse;
export const rootMeanSquaredError = (yTrue: NumberInput, yPred: NumberInput): number => regressionMetrics(yTrue, yPred).rmse;
export const r2Score = (yTrue: NumberInput, yPred: NumberInput): number | null => regressionMetrics(yTrue, yPred).r2;
export const meanAbsolutePercentageError = (yTrue: NumberInput, yPred: NumberInput): number => regressionMetrics(yTrue, yPred).mape;
export const maxError = (yTrue: NumberInput, yPred: NumberInput): number => regressionMetrics(yTrue, yPred).max_error;
