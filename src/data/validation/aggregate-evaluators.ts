// Aggregate expectations (GE's ColumnAggregateExpectation / table expectations): one observed value per
// column, computed in the same streaming pass. Mean and stdev are exact (Welford, stats' Moments); quantiles
// come from a KLL sketch (rank error bounded, exact while the sketch has not compacted); distinct counts
// are exact (64-bit fingerprints) up to maxDistinct values.
import { KllSketch, Moments } from '../../stats/index.js';
import { inRange, rangeFor, reportValue, typedSet, valueAt, type Range, type Scalar } from './column-values.js';
import { FULL, FingerprintSet } from './hash-set.js';
import type { Evaluator } from './map-evaluators.js';
import { aggregateResult, exceptionResult, skippedResult } from './result.js';
import type { ColumnSchema, ColumnValues, Expectation, ExpectationOf, ExpectationResult, TableBatch } from './types.js';

/** Distinct values listed in distinct_values_to_be_in_set's observed_value (the rest are counted). */
export const MAX_OBSERVED_DISTINCT = 1000;

/** Numbers of a numeric column (a Float64Array, as the reader gives them; anything else read value by value). */
function numbers(values: ColumnValues | undefined, rows: number): ArrayLike<number> {
  if (values === undefined || values instanceof Float64Array) return values ?? new Float64Array(0);
  const out = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    const v = valueAt(values, i);
    out[i] = typeof v === 'number' ? v : NaN;
  }
  return out;
}

/** Success of an observed number against a range; no observation (empty column) fails, as in GE. */
export function observedInRange(x: number | null, r: Range): boolean {
  return x !== null && Number.isFinite(x) && inRange(x, r);
}

export class RowCount implements Evaluator {
  constructor(private readonly e: ExpectationOf<'expect_table_row_count_to_be_between'>) {}
  consume(): void {}
  finish(rows: number): ExpectationResult {
    return aggregateResult(this.e, inRange(rows, rangeFor(this.e.kwargs, 'integer')), rows);
  }
}

/** mean or stdev (sample, ddof = 1 as pandas and GE). */
export class MomentStat implements Evaluator {
  private readonly m = new Moments();
  constructor(
    private readonly e: MomentExpectation,
    private readonly col: ColumnSchema,
  ) {}
  consume(b: TableBatch): void {
    this.m.updateMany(numbers(b.columns[this.col.name], b.rows));
  }
  finish(): ExpectationResult {
    return momentResult(this.e, this.col, this.m);
  }
}

export type MomentExpectation = ExpectationOf<'expect_column_mean_to_be_between'> | ExpectationOf<'expect_column_stdev_to_be_between'>;

/** observed_value: the mean, or the sample standard deviation (null below 1 or 2 values: fails). */
export function momentResult(e: MomentExpectation, col: ColumnSchema, m: Moments): ExpectationResult {
  const x = e.type === 'expect_column_mean_to_be_between' ? (m.count > 0 ? m.mean : null) : m.count > 1 ? m.stdSample() : null;
  return aggregateResult(e, observedInRange(x, rangeFor(e.kwargs, col.type)), x, { count: m.count });
}

/** The success of each quantile against its [min, max] (null: unbounded), as GE's success_details. */
export function quantileSuccess(values: (number | null)[], ranges: [number | null, number | null][]): boolean[] {
  return values.map((v, i) => observedInRange(v, { lo: ranges[i][0], hi: ranges[i][1], strictMin: false, strictMax: false }));
}

export class Quantiles implements Evaluator {
  private readonly kll: KllSketch;
  constructor(
    private readonly e: ExpectationOf<'expect_column_quantile_values_to_be_between'>,
    private readonly col: ColumnSchema,
    k: number,
  ) {
    this.kll = new KllSketch({ k });
  }
  consume(b: TableBatch): void {
    this.kll.updateMany(numbers(b.columns[this.col.name], b.rows));
  }
  finish(): ExpectationResult {
    return quantileResult(this.e, this.kll);
  }
}

/** observed_value {quantiles, values}; details.rank_error: 0 while the sketch is exact, else its 99% bound. */
export function quantileResult(e: ExpectationOf<'expect_column_quantile_values_to_be_between'>, kll: KllSketch): ExpectationResult {
  const { quantiles, value_ranges } = e.kwargs.quantile_ranges;
  const values = quantiles.map((q) => (kll.n > 0 ? kll.quantile(q) : null));
  const ok = quantileSuccess(values, value_ranges);
  const exact = kll.numRetained === kll.n;
  return aggregateResult(
    e,
    ok.every(Boolean),
    { quantiles, values },
    {
      success_details: ok,
      rank_error: exact ? 0 : kll.normalizedRankError(false),
    },
  );
}

/**
 * A distinct count known exactly, or only as "at least `lower`": success when the range decides it either
 * way; else, on a table, an exception (the check was asked for and could not be made), on a profile a skip.
 */
export function distinctCountResult(
  e: ExpectationOf<'expect_column_unique_value_count_to_be_between'>,
  exact: number | null,
  lower: number,
  undecided: 'exception' | 'skip' = 'exception',
): ExpectationResult {
  const range = rangeFor(e.kwargs, 'integer');
  if (exact !== null) return aggregateResult(e, inRange(exact, range), exact);
  const details = { distinct_exact: false, distinct_lower_bound: lower };
  if (range.hi !== null && range.hi < lower) return aggregateResult(e, false, null, details);
  if (range.hi === null && (range.lo === null || range.lo <= lower)) return aggregateResult(e, true, null, details);
  const why = `column '${e.kwargs.column}' has at least ${lower} distinct values, more than are counted exactly: the count is not known`;
  return undecided === 'skip' ? skippedResult(e, why, { observed_value: null, details }) : exceptionResult(e, why);
}

export class UniqueValueCount implements Evaluator {
  private readonly seen: FingerprintSet;
  private full = false;
  constructor(
    private readonly e: ExpectationOf<'expect_column_unique_value_count_to_be_between'>,
    private readonly col: ColumnSchema,
    maxDistinct: number,
  ) {
    this.seen = new FingerprintSet(maxDistinct);
  }
  consume(b: TableBatch): void {
    const values = b.columns[this.col.name];
    if (values === undefined || this.full) return;
    for (let i = 0; i < b.rows; i++) {
      const v = valueAt(values, i);
      if (v !== null && this.seen.add(v) === FULL) {
        this.full = true;
        return;
      }
    }
  }
  finish(): ExpectationResult {
    return distinctCountResult(this.e, this.full ? null : this.seen.size, this.seen.maxValues + 1);
  }
}

export function compareScalars(a: Scalar, b: Scalar): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const [x, y] = [String(a), String(b)];
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * distinct_values_to_be_in_set: success iff no non-null value lies outside value_set. Memory is bounded by
 * the value set plus MAX_OBSERVED_DISTINCT outside values; the observed list is cut there (details say so).
 */
export class DistinctInSet implements Evaluator {
  private readonly set: Set<Scalar>;
  private readonly counts = new Map<Scalar, number>();
  private outside = 0;
  private outsideDropped = false;
  constructor(
    private readonly e: ExpectationOf<'expect_column_distinct_values_to_be_in_set'>,
    private readonly col: ColumnSchema,
  ) {
    this.set = typedSet(col.type, e.kwargs.value_set);
  }
  consume(b: TableBatch): void {
    const values = b.columns[this.col.name];
    if (values === undefined) return;
    for (let i = 0; i < b.rows; i++) {
      const v = valueAt(values, i);
      if (v === null) continue;
      const c = this.counts.get(v);
      if (c !== undefined) this.counts.set(v, c + 1);
      else if (this.set.has(v)) this.counts.set(v, 1);
      else if (this.outside < MAX_OBSERVED_DISTINCT) {
        this.outside++;
        this.counts.set(v, 1);
      } else this.outsideDropped = true;
    }
  }
  finish(): ExpectationResult {
    return distinctInSetResult(this.e, this.col, this.counts, this.outside > 0, this.outsideDropped);
  }
}

/** GE's result: observed_value = the sorted distinct values, details.value_counts their counts. */
export function distinctInSetResult(
  e: Expectation,
  col: ColumnSchema,
  counts: Map<Scalar, number>,
  anyOutside: boolean,
  truncated: boolean,
  countsExact = true,
): ExpectationResult {
  const sorted = [...counts.keys()].sort(compareScalars);
  const details: Record<string, unknown> = {
    value_counts: sorted.map((v) => ({ value: reportValue(col.type, v), count: counts.get(v)! })),
  };
  if (truncated) details['observed_value_truncated'] = true;
  if (!countsExact) details['value_counts_are_lower_bounds'] = true;
  return aggregateResult(
    e,
    !anyOutside,
    sorted.map((v) => reportValue(col.type, v)),
    details,
  );
}
