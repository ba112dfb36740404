/**
 * Isotonic regression as scikit-learn 1.9's `IsotonicRegression(increasing=True, out_of_bounds="clip")` fits and
 * predicts, step for step: rows sorted by (x, y); runs of x closer than float64's resolution (1e-15) merged into
 * one point whose y is their mean and whose weight their count (`_make_unique`); scipy's PAVA (Busing 2022, with
 * `>=` so equal values pool into one block); interior points of flat runs dropped; prediction clips to the
 * fitted x range and interpolates linearly as `np.interp` does (exact hits return the fitted y).
 */
import { InvalidParameterError } from '../../errors.js';
import { argsort } from './numeric.js';

/** A fitted isotonic regression: plain JSON, so it can be stored and read back. */
export interface IsotonicFit {
  /** Ascending, distinct x of the fitted steps. */
  x: number[];
  /** Non-decreasing y at those x. */
  y: number[];
}

const RESOLUTION = 1e-15; // np.finfo(np.float64).resolution

/** scipy.optimize.isotonic_regression's PAVA (increasing), in place on x with weights w. */
export function pava(x: Float64Array, w: Float64Array): void {
  const n = x.length;
  if (n === 0) return;
  const r = new Int32Array(n + 1);
  r[0] = 0;
  r[1] = 1;
  let b = 0;
  let xbPrev = x[0];
  let wbPrev = w[0];
  for (let i = 1; i < n; ++i) {
    b++;
    let xb = x[i];
    let wb = w[i];
    let sb = 0;
    if (xbPrev >= xb) {
      b--;
      sb = wbPrev * xbPrev + wb * xb;
      wb += wbPrev;
      xb = sb / wb;
      while (i < n - 1 && xb >= x[i + 1]) {
        i++;
        sb += w[i] * x[i];
        wb += w[i];
        xb = sb / wb;
      }
      while (b > 0 && x[b - 1] >= xb) {
        b--;
        sb += w[b] * x[b];
        wb += w[b];
        xb = sb / wb;
      }
    }
    x[b] = xbPrev = xb;
    w[b] = wbPrev = wb;
    r[b + 1] = i + 1;
  }
  let f = n - 1;
  for (let k = b; k >= 0; --k) {
    const t = r[k];
    const xk = x[k];
    for (let i = f; i >= t; --i) x[i] = xk;
    f = t - 1;
  }
}

/** Fits y ≈ g(x) with g non-decreasing. x and y finite, same length, at least one row. */
export function isotonicFit(x: ArrayLike<number>, y: ArrayLike<number>): IsotonicFit {
  const n = x.length;
  if (n === 0) throw new InvalidParameterError('x', "'x' is empty: isotonic regression needs at least one row.");
  if (y.length !== n) throw new InvalidParameterError('y', `'y' has ${y.length} values, expected ${n}.`);
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(x[i])) throw new InvalidParameterError('x', `'x[${i}]' is not a finite number.`);
    if (!Number.isFinite(y[i])) throw new InvalidParameterError('y', `'y[${i}]' is not a finite number.`);
  }
  // np.lexsort((y, X)): by x, then y; the sort is stable, and equal (x, y) pairs are interchangeable.
  const order = argsort(x, false, y);
  const ux: number[] = [];
  const uy: number[] = [];
  const uw: number[] = [];
  let curX = x[order[0]];
  let curY = 0;
  let curW = 0;
  for (const j of order) {
    const xj = x[j];
    if (xj - curX >= RESOLUTION) {
      ux.push(curX);
      uw.push(curW);
      uy.push(curY / curW);
      curX = xj;
      curW = 1;
      curY = y[j] * 1;
    } else {
      curW += 1;
      curY += y[j] * 1;
    }
  }
  ux.push(curX);
  uw.push(curW);
  uy.push(curY / curW);
  const fitted = Float64Array.from(uy);
  pava(fitted, Float64Array.from(uw));
  // Keep the first and last point and every point whose y differs from a neighbour's.
  const m = fitted.length;
  const keepX: number[] = [];
  const keepY: number[] = [];
  for (let i = 0; i < m; i++) {
    if (i === 0 || i === m - 1 || fitted[i] !== fitted[i - 1] || fitted[i] !== fitted[i + 1]) {
      keepX.push(ux[i]);
      keepY.push(fitted[i]);
    }
  }
  return { x: keepX, y: keepY };
}

/** Predicts at t: clipped to [min x, max x], then linear between the fitted steps (np.interp). */
export function isotonicPredict(fit: IsotonicFit, t: ArrayLike<number>): Float64Array {
  const { x, y } = fit;
  const m = x.length;
  const out = new Float64Array(t.length);
  if (m === 1) {
    out.fill(y[0]);
    return out;
  }
  const lo = x[0];
  const hi = x[m - 1];
  for (let k = 0; k < t.length; k++) {
    const v = Math.min(Math.max(t[k], lo), hi); // np.clip
    // j with x[j] <= v < x[j + 1] (binary search); v == x[m - 1] answers y[m - 1].
    let a = 0;
    let b = m - 1;
    if (v >= hi) {
      out[k] = y[m - 1];
      continue;
    }
    while (b - a > 1) {
      const mid = (a + b) >> 1;
      if (x[mid] <= v) a = mid;
      else b = mid;
    }
    if (x[a] === v) {
      out[k] = y[a];
      continue;
    }
    const slope = (y[a + 1] - y[a]) / (x[a + 1] - x[a]);
    out[k] = slope * (v - x[a]) + y[a];
  }
  return out;
}
