// Building GE-shaped results: one expectation's result (column-map counts, aggregates, exceptions,
// skips) and the suite's statistics.
import { mostlySucceeds, percent } from './mostly.js';
import type { Expectation, ExpectationResult, ExpectationResultBody, ReportedValue, Suite, ValidationResult } from './types.js';

export const DEFAULT_PARTIAL_COUNT = 20;

export function configOf(e: Expectation): ExpectationResult['expectation_config'] {
  const c: ExpectationResult['expectation_config'] = { type: e.type, kwargs: { ...e.kwargs } };
  if (e.meta) c.meta = e.meta;
  return c;
}

/** An expectation that could not be evaluated on this data (missing column, wrong column type...). */
export function exceptionResult(e: Expectation, message: string): ExpectationResult {
  return {
    expectation_config: configOf(e),
    success: false,
    result: {},
    exception_info: { raised_exception: true, exception_message: message, exception_traceback: null },
  };
}

/** An expectation the source cannot answer (a profile without the counts it needs). */
export function skippedResult(e: Expectation, reason: string, result: ExpectationResultBody = {}): ExpectationResult {
  return { expectation_config: configOf(e), success: null, result, skipped: { reason } };
}

export function aggregateResult(e: Expectation, success: boolean, observed: unknown, details?: Record<string, unknown>): ExpectationResult {
  const result: ExpectationResultBody = { observed_value: observed };
  if (details) result.details = details;
  return { expectation_config: configOf(e), success, result };
}

/** The first `limit` unexpected values with their row numbers (and file lines). */
export class PartialList {
  readonly values: ReportedValue[] = [];
  readonly rows: number[] = [];
  readonly lines: number[] = [];
  private anyLine = false;
  constructor(readonly limit: number) {}

  get full(): boolean {
    return this.values.length >= this.limit;
  }

  push(value: ReportedValue, row: number, line = 0): void {
    if (this.full) return;
    this.values.push(value);
    this.rows.push(row);
    this.lines.push(line);
    if (line !== 0) this.anyLine = true;
  }

  /** GE's partial fields; partial_unexpected_counts counts the listed values (most frequent first). */
  fields(): Pick<
    ExpectationResultBody,
    'partial_unexpected_list' | 'partial_unexpected_index_list' | 'partial_unexpected_line_list' | 'partial_unexpected_counts'
  > {
    const counts = new Map<string, { value: ReportedValue; count: number }>();
    for (const v of this.values) {
      const key = JSON.stringify(v);
      const c = counts.get(key);
      if (c) c.count++;
      else counts.set(key, { value: v, count: 1 });
    }
    const out: ReturnType<PartialList['fields']> = {
      partial_unexpected_list: this.values,
      partial_unexpected_index_list: this.rows,
      partial_unexpected_counts: [...counts.values()].sort((a, b) => b.count - a.count),
    };
    if (this.anyLine) out.partial_unexpected_line_list = this.lines;
    return out;
  }
}

export interface MapCounts {
  element: number;
  missing: number;
  unexpected: number;
}

/**
 * A column-map expectation's result. GE's conventions: nulls are "missing" and not tested; percentages
 * of unexpected values are of the non-missing ones; `mostly` is applied exactly (mostly.ts). For
 * not_null the nulls *are* the unexpected values, so no missing_* fields (as GE).
 */
export function columnMapResult(
  e: Expectation,
  c: MapCounts,
  partial: PartialList | null,
  mostly: number | undefined,
  details?: Record<string, unknown>,
): ExpectationResult {
  const nonmissing = c.element - c.missing;
  const body: ExpectationResultBody = { element_count: c.element };
  if (e.type !== 'expect_column_values_to_not_be_null') {
    body.missing_count = c.missing;
    body.missing_percent = percent(c.missing, c.element);
  }
  body.unexpected_count = c.unexpected;
  body.unexpected_percent = percent(c.unexpected, nonmissing);
  body.unexpected_percent_total = percent(c.unexpected, c.element);
  body.unexpected_percent_nonmissing = percent(c.unexpected, nonmissing);
  Object.assign(body, partial ? partial.fields() : { partial_unexpected_list: [], partial_unexpected_index_list: [], partial_unexpected_counts: [] });
  if (details) body.details = details;
  return { expectation_config: configOf(e), success: mostlySucceeds(nonmissing, c.unexpected, mostly), result: body };
}

export function summarize(suite: Suite, evaluatedOn: 'table' | 'profile', results: ExpectationResult[]): ValidationResult {
  let ok = 0;
  let bad = 0;
  for (const r of results) {
    if (r.success === true) ok++;
    else if (r.success === false) bad++;
  }
  const evaluated = ok + bad;
  return {
    success: bad === 0,
    suite: suite.name,
    evaluated_on: evaluatedOn,
    statistics: {
      evaluated_expectations: evaluated,
      successful_expectations: ok,
      unsuccessful_expectations: bad,
      success_percent: percent(ok, evaluated),
      skipped_expectations: results.length - evaluated,
    },
    results,
  };
}
