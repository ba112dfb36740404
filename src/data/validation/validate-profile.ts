// validateProfile: a suite against a profile alone (a monitoring window, or a dataset version whose rows
// are gone). Answers are exact where the profile is (row count, nulls, mean, stdev, min/max, and value
// counts while the sketches are exact), hard bounds otherwise (profile-counts.ts), and quantiles come from
// the same KLL sketch as on a table. A result needing counts the profile only bounds is decided when both
// bounds agree (unexpected_count is then null, with the bounds in details); when they straddle `mostly`
// the expectation is skipped (success null) with the reason. No row numbers exist: partial lists are
// empty, and partial_unexpected_counts lists the most frequent unexpected values when counts are exact.
import { ColumnProfile, KllSketch, Moments, type DatasetProfile } from '../../stats/index.js';
import { distinctCountResult, distinctInSetResult, momentResult, quantileResult } from './aggregate-evaluators.js';
import { inRange, rangeFor, reportValue, textOf, typedSet, type Range, type Scalar } from './column-values.js';
import { mostlySucceeds, percent } from './mostly.js';
import { boundsWhere, duplicateBounds, nextDown, valueCounts, type CountBounds, type ValueCounts } from './profile-counts.js';
import { MAX_REGEX_INPUT, compileUserRegex } from './regex-safety.js';
import { DEFAULT_PARTIAL_COUNT, aggregateResult, columnMapResult, configOf, exceptionResult, skippedResult, summarize } from './result.js';
import { columnsByName, isResult, schemaCheck } from './schema-checks.js';
import type { ColumnSchema, Expectation, ExpectationResult, ExpectationResultBody, Suite, TableSchema, ValidationResult } from './types.js';

/** The result of a column-map expectation whose unexpected count lies in [b.lower, b.upper]. */
function boundedMap(
  e: Expectation & { kwargs: { mostly?: number } },
  col: ColumnSchema,
  cp: ColumnProfile,
  b: CountBounds,
  details: Record<string, unknown> = {},
): ExpectationResult {
  const element = cp.count;
  const missing = cp.nulls;
  const mostly = e.kwargs.mostly;
  if (b.lower === b.upper) {
    const r = columnMapResult(e, { element, missing, unexpected: b.lower }, null, mostly, Object.keys(details).length ? details : undefined);
    r.result.partial_unexpected_counts = b.values.slice(0, DEFAULT_PARTIAL_COUNT).map(([v, count]) => ({ value: reportValue(col.type, v), count }));
    return r;
  }
  const nonmissing = element - missing;
  const body: ExpectationResultBody = {
    element_count: element,
    missing_count: missing,
    missing_percent: percent(missing, element),
    unexpected_count: null,
    unexpected_percent: null,
    unexpected_percent_total: null,
    unexpected_percent_nonmissing: null,
    partial_unexpected_list: [],
    partial_unexpected_index_list: [],
    partial_unexpected_counts: [],
    details: { ...details, unexpected_count_lower_bound: b.lower, unexpected_count_upper_bound: b.upper },
  };
  if (!mostlySucceeds(nonmissing, b.lower, mostly)) return { expectation_config: configOf(e), success: false, result: body };
  if (mostlySucceeds(nonmissing, b.upper, mostly)) return { expectation_config: configOf(e), success: true, result: body };
  return skippedResult(
    e,
    `the profile bounds the unexpected count to [${b.lower}, ${b.upper}] of ${nonmissing} values, which does not decide mostly=${mostly ?? 1}`,
    body,
  );
}

/** Adds values of the wrong kind (type errors in a monitoring profile): never in range or in a set. */
function withTypeErrors(b: CountBounds, cp: ColumnProfile, certain: boolean): CountBounds {
  return { ...b, lower: b.lower + (certain ? cp.typeErrors : 0), upper: b.upper + cp.typeErrors };
}

/** between: exact min/max settle "all in range"; otherwise value counts, plus a KLL estimate for information. */
function between(e: Expectation & { kwargs: { mostly?: number } }, col: ColumnSchema, cp: ColumnProfile, vc: ValueCounts, range: Range): ExpectationResult {
  const m = cp.moments;
  const outside = (v: Scalar): boolean => typeof v !== 'number' || !inRange(v, range);
  if (m === null || m.count === 0 || (inRange(m.min, range) && inRange(m.max, range))) {
    return boundedMap(e, col, cp, withTypeErrors({ lower: 0, upper: 0, values: [] }, cp, true));
  }
  const b = boundsWhere(vc, outside);
  const details: Record<string, unknown> = { observed_min: reportValue(col.type, m.min), observed_max: reportValue(col.type, m.max) };
  if (!vc.exact) {
    // min and max are exact and at least one of them is outside.
    const sure = (inRange(m.min, range) ? 0 : 1) + (inRange(m.max, range) ? 0 : 1);
    b.lower = Math.max(b.lower, sure);
    const kll = cp.kll!;
    const below = range.lo === null ? 0 : kll.rank(range.strictMin ? range.lo : nextDown(range.lo));
    const above = range.hi === null ? 0 : 1 - kll.rank(range.strictMax ? nextDown(range.hi) : range.hi);
    details['unexpected_count_estimate'] = Math.round(kll.n * (below + above));
    details['estimate_rank_error'] = kll.normalizedRankError(false);
  }
  return boundedMap(e, col, cp, withTypeErrors(b, cp, true), details);
}

function kindOf(col: ColumnSchema): 'numerical' | 'categorical' {
  return col.type === 'string' || col.type === 'boolean' ? 'categorical' : 'numerical';
}

function onColumn(e: Expectation, col: ColumnSchema, profile: DatasetProfile): ExpectationResult {
  let cp = profile.columns.get(col.name);
  if (cp === undefined) {
    // DatasetProfile's own convention: a column seen in no row is null in every row.
    cp = new ColumnProfile();
    cp.addNulls(profile.rows);
  }
  if (cp.kind !== 'unknown' && cp.kind !== kindOf(col)) {
    throw new Error(`the profile of column '${col.name}' holds ${cp.kind} values, but the column is of type ${col.type}`);
  }
  const vc = valueCounts(cp, col.type);
  switch (e.type) {
    case 'expect_column_values_to_not_be_null':
      return columnMapResult(e, { element: cp.count, missing: 0, unexpected: cp.nulls }, null, e.kwargs.mostly);
    case 'expect_column_values_to_be_between':
      return between(e, col, cp, vc, rangeFor(e.kwargs, col.type));
    case 'expect_column_values_to_be_in_set': {
      const set = typedSet(col.type, e.kwargs.value_set);
      return boundedMap(
        e,
        col,
        cp,
        withTypeErrors(
          boundsWhere(vc, (v) => !set.has(v)),
          cp,
          true,
        ),
      );
    }
    case 'expect_column_values_to_match_regex': {
      const re = compileUserRegex(e.kwargs.regex);
      const bad = (v: Scalar): boolean => {
        const text = textOf(col.type, v);
        return text.length > MAX_REGEX_INPUT || !re.test(text);
      };
      return boundedMap(e, col, cp, withTypeErrors(boundsWhere(vc, bad), cp, true));
    }
    case 'expect_column_values_to_be_unique':
      return boundedMap(e, col, cp, withTypeErrors(duplicateBounds(vc), cp, false));
    case 'expect_column_mean_to_be_between':
    case 'expect_column_stdev_to_be_between':
      return momentResult(e, col, cp.moments ?? new Moments());
    case 'expect_column_quantile_values_to_be_between':
      return quantileResult(e, cp.kll ?? new KllSketch());
    case 'expect_column_unique_value_count_to_be_between':
      return distinctCountResult(e, vc.exact ? vc.counts.size : null, vc.distinctLower, 'skip');
    case 'expect_column_distinct_values_to_be_in_set': {
      const set = typedSet(col.type, e.kwargs.value_set);
      const anyOutside = [...vc.counts.keys()].some((v) => !set.has(v));
      if (vc.exact || anyOutside) return distinctInSetResult(e, col, vc.counts, anyOutside, !vc.exact, vc.exact);
      return skippedResult(e, `the profile of column '${col.name}' no longer counts every distinct value, and the values it holds are all in the set`);
    }
    default:
      throw new Error(`${e.type} is not evaluated on profiles`);
  }
}

/** Validates what a profile can answer; the rest is skipped (success null) with its reason. */
export function validateProfile(suite: Suite, schema: TableSchema, profile: DatasetProfile): ValidationResult {
  const cols = columnsByName(schema);
  const results = suite.expectations.map((e): ExpectationResult => {
    const checked = schemaCheck(e, cols);
    if (isResult(checked)) return checked;
    try {
      if (e.type === 'expect_table_row_count_to_be_between') return aggregateResult(e, inRange(profile.rows, rangeFor(e.kwargs, 'integer')), profile.rows);
      if (checked === null) throw new Error(`${e.type} needs a column`);
      return onColumn(e, checked, profile);
    } catch (err) {
      return exceptionResult(e, (err as Error).message);
    }
  });
  return summarize(suite, 'profile', results);
}
