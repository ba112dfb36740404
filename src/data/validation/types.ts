// Types of the validation engine: the table shapes it reads, the suite it checks, the result it answers.
// Suites and results follow Great Expectations' names and JSON (expectation types, kwargs, result
// fields), so people who know GE can read and write them without a new vocabulary.

import { EXPECTATION_TYPES } from '../../contract/data.js';

// ---- The table stream (a structural copy of src/data/table's types: this module only reads them). ----
export type ColumnType = 'integer' | 'float' | 'boolean' | 'string' | 'datetime';
export interface ColumnSchema {
  name: string;
  type: ColumnType;
  nullable: boolean;
}
export interface TableSchema {
  format: 'csv' | 'jsonl' | 'parquet';
  columns: ColumnSchema[];
  warnings: unknown[];
}
/** Numeric and datetime (epoch ms) columns are Float64Arrays with NaN for null. */
export type ColumnValues = Float64Array | (boolean | null)[] | (string | null)[];
export interface TableBatch {
  /** 1-based number of the batch's first data row. */
  firstRow: number;
  rows: number;
  /** The file line of each row (CSV / JSON Lines), when the reader knows it. */
  lines?: Uint32Array;
  columns: Record<string, ColumnValues>;
}

// ---- Suites ----
// The list is part of the wire contract (a suite names them); one list for the API and the engine.
export { EXPECTATION_TYPES };
export type ExpectationType = (typeof EXPECTATION_TYPES)[number];

/** A bound: a number, or (for datetime columns) an ISO 8601 date/time string. */
export type Bound = number | string;
/** An item of a value set: compared in the column's type (see column-values.ts). */
export type SetItem = string | number | boolean;

export interface ColumnKwargs {
  column: string;
}
export interface MostlyKwargs {
  /** Share of non-missing values that must pass, in (0, 1]; 1 when absent. */
  mostly?: number;
}
export interface RangeKwargs {
  min_value?: Bound | null;
  max_value?: Bound | null;
  /** true: the value must be > min_value (not >=). */
  strict_min?: boolean;
  strict_max?: boolean;
}
export interface QuantileRanges {
  quantiles: number[];
  value_ranges: [number | null, number | null][];
}

interface Exp<T extends ExpectationType, K> {
  type: T;
  kwargs: K;
  meta?: Record<string, unknown>;
}
export type Expectation =
  | Exp<'expect_column_to_exist', ColumnKwargs>
  | Exp<'expect_column_values_to_be_of_type', ColumnKwargs & { type_: string }>
  | Exp<'expect_column_values_to_not_be_null', ColumnKwargs & MostlyKwargs>
  | Exp<'expect_column_values_to_be_between', ColumnKwargs & MostlyKwargs & RangeKwargs>
  | Exp<'expect_column_values_to_be_in_set', ColumnKwargs & MostlyKwargs & { value_set: SetItem[] }>
  | Exp<'expect_column_values_to_match_regex', ColumnKwargs & MostlyKwargs & { regex: string }>
  | Exp<'expect_column_values_to_be_unique', ColumnKwargs & MostlyKwargs>
  | Exp<'expect_table_row_count_to_be_between', RangeKwargs>
  | Exp<'expect_column_mean_to_be_between', ColumnKwargs & RangeKwargs>
  | Exp<'expect_column_stdev_to_be_between', ColumnKwargs & RangeKwargs>
  | Exp<'expect_column_quantile_values_to_be_between', ColumnKwargs & { quantile_ranges: QuantileRanges }>
  | Exp<'expect_column_unique_value_count_to_be_between', ColumnKwargs & RangeKwargs>
  | Exp<'expect_column_distinct_values_to_be_in_set', ColumnKwargs & { value_set: SetItem[] }>;

/** The expectation of type T. */
export type ExpectationOf<T extends ExpectationType> = Extract<Expectation, { type: T }>;

export interface Suite {
  name: string;
  expectations: Expectation[];
  meta?: Record<string, unknown>;
}

// ---- Results ----
/** A value as reported: numbers, booleans, strings (datetimes as ISO strings, long strings cut). */
export type ReportedValue = string | number | boolean | null;

export interface ExpectationResultBody {
  element_count?: number;
  missing_count?: number;
  missing_percent?: number | null;
  unexpected_count?: number | null;
  /** Of the non-missing values (GE's convention since 0.13). */
  unexpected_percent?: number | null;
  unexpected_percent_total?: number | null;
  unexpected_percent_nonmissing?: number | null;
  partial_unexpected_list?: ReportedValue[];
  /** 1-based data row numbers of partial_unexpected_list's values. */
  partial_unexpected_index_list?: number[];
  /** File lines of the same values, when the reader gave lines (not in GE; 0 = unknown). */
  partial_unexpected_line_list?: number[];
  partial_unexpected_counts?: { value: ReportedValue; count: number }[];
  observed_value?: unknown;
  details?: Record<string, unknown>;
}

export interface ExceptionInfo {
  raised_exception: boolean;
  exception_message: string | null;
  exception_traceback: string | null;
}

/** Every kwarg any expectation type takes (a result's config lists the ones its type was given). */
export interface ExpectationKwargs extends Partial<ColumnKwargs>, MostlyKwargs, RangeKwargs {
  type_?: string;
  value_set?: SetItem[];
  regex?: string;
  quantile_ranges?: QuantileRanges;
}

export interface ExpectationResult {
  expectation_config: { type: ExpectationType; kwargs: ExpectationKwargs; meta?: Record<string, unknown> };
  /** null: not evaluated (a profile cannot answer it); `skipped` says why. */
  success: boolean | null;
  result: ExpectationResultBody;
  exception_info?: ExceptionInfo;
  skipped?: { reason: string };
}

export interface ValidationStatistics {
  evaluated_expectations: number;
  successful_expectations: number;
  unsuccessful_expectations: number;
  /** null when nothing was evaluated (as GE). */
  success_percent: number | null;
  /** Not in GE: expectations a profile could not answer. */
  skipped_expectations: number;
}

export interface ValidationResult {
  /** Every evaluated expectation succeeded (skipped ones do not count). */
  success: boolean;
  suite: string;
  evaluated_on: 'table' | 'profile';
  statistics: ValidationStatistics;
  results: ExpectationResult[];
}
