/**
 * Mergeable regression accumulator: n, the mean and centred sum of squares of y (Chan et al.'s parallel
 * update: stable where sums of y and y² cancel badly when |mean| >> spread), compensated sums of squared,
 * absolute and relative residuals, and the largest residual. Merged windows give the single-pass metrics
 * up to rounding (python/tests checks 1e-9 relative).
 */
import { type NumberInput, CompensatedSum, requireRows, requireSameLength, toFiniteFloat64 } from './labels.js';
import { type RegressionMetrics, apeTerm, r2FromSums } from './regression.js';
import { type RegressionReport, regressionNotes } from './report.js';
import { type SumJSON, sumFrom, sumJSON } from './sum-json.js';

export interface RegressionAccumulatorJSON {
  n: number;
  mean_y: number;
  m2_y: number;
  abs: SumJSON;
  sq: SumJSON;
  ape: SumJSON;
  max_error: number;
}

export class RegressionAccumulator {
  n = 0;
  private meanY = 0;
  private m2Y = 0;
  private abs = new CompensatedSum();
  private sq = new CompensatedSum();
  private ape = new CompensatedSum();
  private maxError = 0;

  /** Adds a batch: its own mean and centred squares (two passes), then Chan's merge. */
  add(yTrue: NumberInput, yPred: NumberInput): this {
    requireSameLength(yTrue, yPred, 'y_true', 'y_pred');
    const y = toFiniteFloat64(yTrue, 'y_true');
    const p = toFiniteFloat64(yPred, 'y_pred');
    if (y.length === 0) return this;
    const batch = new RegressionAccumulator();
    const sumY = new CompensatedSum();
    let constant = true;
    for (let i = 0; i < y.length; i++) {
      const r = y[i] - p[i];
      batch.abs.add(Math.abs(r));
      batch.sq.add(r * r);
      batch.ape.add(apeTerm(y[i], p[i]));
      if (Math.abs(r) > batch.maxError) batch.maxError = Math.abs(r);
      sumY.add(y[i]);
      if (y[i] !== y[0]) constant = false;
    }
    batch.n = y.length;
    // A constant batch keeps its exact value as the mean, so constant windows merge to SS_tot = 0 exactly.
    batch.meanY = constant ? y[0] : sumY.value / y.length;
    const m2 = new CompensatedSum();
    if (!constant) for (let i = 0; i < y.length; i++) m2.add((y[i] - batch.meanY) ** 2);
    batch.m2Y = m2.value;
    return this.merge(batch);
  }

  merge(other: RegressionAccumulator): this {
    if (other.n === 0) return this;
    const n = this.n + other.n;
    const delta = other.meanY - this.meanY;
    this.m2Y = this.m2Y + other.m2Y + (delta === 0 ? 0 : ((delta * delta * this.n) / n) * other.n);
    this.meanY = delta === 0 ? this.meanY : this.meanY + (delta * other.n) / n;
    this.n = n;
    this.abs.addSum(other.abs);
    this.sq.addSum(other.sq);
    this.ape.addSum(other.ape);
    this.maxError = Math.max(this.maxError, other.maxError);
    return this;
  }

  metrics(): RegressionMetrics {
    requireRows(this.n, 'y_true');
    const mse = this.sq.value / this.n;
    return {
      n: this.n,
      mae: this.abs.value / this.n,
      mse,
      rmse: Math.sqrt(mse),
      r2: r2FromSums(this.n, this.sq.value, this.m2Y),
      mape: this.ape.value / this.n,
      max_error: this.maxError,
    };
  }

  report(): RegressionReport {
    const m = this.metrics();
    return { ...m, notes: regressionNotes(m) };
  }

  toJSON(): RegressionAccumulatorJSON {
    const { n, meanY, m2Y, maxError } = this;
    return { n, mean_y: meanY, m2_y: m2Y, abs: sumJSON(this.abs), sq: sumJSON(this.sq), ape: sumJSON(this.ape), max_error: maxError };
  }

  static fromJSON(j: RegressionAccumulatorJSON): RegressionAccumulator {
    const a = new RegressionAccumulator();
    Object.assign(a, { n: j.n, meanY: j.mean_y, m2Y: j.m2_y, maxError: j.max_error });
    Object.assign(a, { abs: sumFrom(j.abs), sq: sumFrom(j.sq), ape: sumFrom(j.ape) });
    return a;
  }
}
