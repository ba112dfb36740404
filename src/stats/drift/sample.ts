/**
 * Input cleaning shared by every drift test: what counts as a value, what is dropped, and the sorted /
 * counted forms the tests work on.
 *
 * Missing-value rule (same as Evidently's get_one_column_drift): NaN, ±Infinity, null and undefined are
 * dropped before any test and the number dropped is reported; a side left empty is refused with an
 * InvalidParameterError naming it. Dropping (not refusing) is what monitoring needs: live inputs carry
 * nulls and the null rate is tracked separately by the profiles.
 */
import { InvalidParameterError } from '../../errors.js';
import { sortFloat64 } from './sort.js';

export type Category = string | number | boolean;
export type NumericInput = Float64Array | ArrayLike<number | null | undefined>;
export type CategoricalInput = ArrayLike<Category | null | undefined>;

export interface NumericSample {
  /** Finite values, ascending. */
  sorted: Float64Array;
  dropped: number;
}

export interface CategoricalSample {
  counts: Map<Category, number>;
  n: number;
  dropped: number;
}

/** Copies the finite values into a fresh Float64Array and sorts it once (sort.ts: numeric, no boxing). */
export function prepareNumeric(values: NumericInput, field: string): NumericSample {
  const len = values.length;
  const out = new Float64Array(len);
  let k = 0;
  for (let i = 0; i < len; i++) {
    const v = values[i];
    if (typeof v === 'number') {
      if (Number.isFinite(v)) out[k++] = v;
    } else if (v !== null && v !== undefined) {
      // A string in a numerical column is a schema problem, not a missing value: refuse it.
      throw new InvalidParameterError(field, `'${field}' has a non-numeric value at index ${i} (${typeof v}).`);
    }
  }
  if (k === 0) throw emptyError(field, len);
  const sorted = k === len ? out : out.slice(0, k);
  sortFloat64(sorted);
  return { sorted, dropped: len - k };
}

export function prepareCategorical(values: CategoricalInput, field: string): CategoricalSample {
  const counts = new Map<Category, number>();
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === undefined || (typeof v === 'number' && !Number.isFinite(v))) continue;
    counts.set(v, (counts.get(v) ?? 0) + 1);
    n++;
  }
  if (n === 0) throw emptyError(field, values.length);
  return { counts, n, dropped: values.length - n };
}

function emptyError(field: string, len: number): InvalidParameterError {
  const why = len === 0 ? 'is empty' : `has no usable values (all ${len} are null, NaN or infinite)`;
  return new InvalidParameterError(field, `'${field}' ${why}: drift needs at least one value on each side.`);
}

/** Number of distinct values in an ascending array. */
export function uniqueCountSorted(a: Float64Array): number {
  if (a.length === 0) return 0;
  let u = 1;
  for (let i = 1; i < a.length; i++) if (a[i] !== a[i - 1]) u++;
  return u;
}

/** Number of distinct values in the union of two ascending arrays (one merge pass, no allocation). */
export function uniqueCountUnion(a: Float64Array, b: Float64Array): number {
  let i = 0;
  let j = 0;
  let u = 0;
  let last = NaN;
  while (i < a.length || j < b.length) {
    const v = j >= b.length || (i < a.length && a[i] <= b[j]) ? a[i++] : b[j++];
    if (v !== last) {
      u++;
      last = v;
    }
  }
  return u;
}

/** Distinct values of an ascending array with their multiplicities. */
export function runLengths(a: Float64Array): { values: Float64Array; counts: Float64Array } {
  const u = uniqueCountSorted(a);
  const values = new Float64Array(u);
  const counts = new Float64Array(u);
  let k = -1;
  for (let i = 0; i < a.length; i++) {
    if (i === 0 || a[i] !== a[i - 1]) values[++k] = a[i];
    counts[k]++;
  }
  return { values, counts };
}

/** A total order over mixed category values (numbers, then strings, then booleans) so outputs are stable. */
export function compareCategories(a: Category, b: Category): number {
  const ta = typeRank(a);
  const tb = typeRank(b);
  if (ta !== tb) return ta - tb;
  return a < b ? -1 : a > b ? 1 : 0;
}

function typeRank(v: Category): number {
  return typeof v === 'number' ? 0 : typeof v === 'string' ? 1 : 2;
}

/** Population standard deviation (ddof = 0, numpy's np.std), two passes for accuracy. */
export function populationStd(a: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i];
  const mean = sum / a.length;
  let ss = 0;
  for (let i = 0; i < a.length; i++) {
    const d = a[i] - mean;
    ss += d * d;
  }
  return Math.sqrt(ss / a.length);
}
