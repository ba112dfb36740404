import { describe, expect, it } from 'vitest';
import { parseSuite, validateTable, type ExpectationResult, type Suite, type ValidationResult } from './index.js';
import { schemaOf, stream, toBatches, type Row } from './test-batches.js';

const schema = schemaOf({ id: 'integer', age: 'integer', city: 'string', email: 'string', score: 'float', signup: 'datetime', active: 'boolean' });
const CITIES = ['paris', 'lyon', 'nice'];

function cleanRows(n = 12): Row[] {
  return Array.from({ length: n }, (_, i) => ({
    id: i + 1,
    age: 20 + ((i * 7) % 50),
    city: CITIES[i % 3],
    email: `user${i}@example.com`,
    score: i / 4,
    signup: `2024-01-${String(1 + i).padStart(2, '0')}`,
    active: i % 2 === 0,
  }));
}

const suite: Suite = parseSuite({
  name: 'users',
  expectations: [
    { type: 'expect_table_row_count_to_be_between', kwargs: { min_value: 10, max_value: 20 } },
    { type: 'expect_column_to_exist', kwargs: { column: 'id' } },
    { type: 'expect_column_values_to_be_of_type', kwargs: { column: 'age', type_: 'int64' } },
    { type: 'expect_column_values_to_be_unique', kwargs: { column: 'id' } },
    { type: 'expect_column_values_to_not_be_null', kwargs: { column: 'age' } },
    { type: 'expect_column_values_to_be_between', kwargs: { column: 'age', min_value: 18, max_value: 120 } },
    { type: 'expect_column_values_to_be_in_set', kwargs: { column: 'city', value_set: CITIES } },
    { type: 'expect_column_values_to_match_regex', kwargs: { column: 'email', regex: '^[^@\\s]+@[^@\\s]+\\.[a-z]+$' } },
    { type: 'expect_column_mean_to_be_between', kwargs: { column: 'score', min_value: 1, max_value: 2 } },
    { type: 'expect_column_stdev_to_be_between', kwargs: { column: 'score', min_value: 0.5, max_value: 1.5 } },
    {
      type: 'expect_column_quantile_values_to_be_between',
      kwargs: {
        column: 'score',
        quantile_ranges: {
          quantiles: [0, 0.5, 1],
          value_ranges: [
            [0, 0],
            [1, 2],
            [null, 3],
          ],
        },
      },
    },
    { type: 'expect_column_unique_value_count_to_be_between', kwargs: { column: 'city', min_value: 2, max_value: 3 } },
    { type: 'expect_column_distinct_values_to_be_in_set', kwargs: { column: 'city', value_set: CITIES } },
    { type: 'expect_column_values_to_be_between', kwargs: { column: 'signup', min_value: '2024-01-01', max_value: '2024-12-31T23:59:59Z' } },
    { type: 'expect_column_values_to_be_in_set', kwargs: { column: 'active', value_set: [true, false] } },
  ],
});

async function run(rows: Row[], s: Suite = suite, size = 4): Promise<ValidationResult> {
  return validateTable(s, schema, stream(toBatches(schema, rows, size)));
}

function byType(r: ValidationResult, type: string, column?: string): ExpectationResult {
  const found = r.results.find((x) => x.expectation_config.type === type && (column === undefined || x.expectation_config.kwargs['column'] === column));
  if (!found) throw new Error(`no result for ${type}`);
  return found;
}

describe('validateTable', () => {
  it('passes the clean data, with GE statistics', async () => {
    const r = await run(cleanRows());
    expect(r.results.filter((x) => !x.success).map((x) => [x.expectation_config.type, x.result, x.exception_info])).toEqual([]);
    expect(r.success).toBe(true);
    expect(r.evaluated_on).toBe('table');
    expect(r.statistics).toEqual({
      evaluated_expectations: 15,
      successful_expectations: 15,
      unsuccessful_expectations: 0,
      success_percent: 100,
      skipped_expectations: 0,
    });
    const mean = byType(r, 'expect_column_mean_to_be_between');
    expect(mean.result.observed_value).toBeCloseTo(11 / 8, 12);
    const q = byType(r, 'expect_column_quantile_values_to_be_between');
    expect(q.result.observed_value).toEqual({ quantiles: [0, 0.5, 1], values: [0, 1.25, 2.75] });
    expect(q.result.details).toEqual({ success_details: [true, true, true], rank_error: 0 });
    expect(byType(r, 'expect_column_distinct_values_to_be_in_set').result.observed_value).toEqual(['lyon', 'nice', 'paris']);
  });

  it('catches planted faults with the right rows and lines', async () => {
    const rows = cleanRows(12);
    rows[2].age = null; // row 3
    rows[6].age = 150; // row 7
    rows[9].city = 'berlin'; // row 10
    rows[10].id = 4; // row 11 repeats row 4's id
    rows[4].email = 'not-an-email'; // row 5
    const r = await run(rows);
    expect(r.success).toBe(false);
    const failed = r.results.filter((x) => x.success === false).map((x) => `${x.expectation_config.type}:${x.expectation_config.kwargs['column']}`);
    expect(failed.sort()).toEqual([
      'expect_column_distinct_values_to_be_in_set:city',
      'expect_column_unique_value_count_to_be_between:city',
      'expect_column_values_to_be_between:age',
      'expect_column_values_to_be_in_set:city',
      'expect_column_values_to_be_unique:id',
      'expect_column_values_to_match_regex:email',
      'expect_column_values_to_not_be_null:age',
    ]);

    const notNull = byType(r, 'expect_column_values_to_not_be_null').result;
    expect(notNull).toMatchObject({
      element_count: 12,
      unexpected_count: 1,
      partial_unexpected_list: [null],
      partial_unexpected_index_list: [3],
      partial_unexpected_line_list: [4],
    });
    expect(notNull.missing_count).toBeUndefined();
    expect(notNull.unexpected_percent).toBeCloseTo(100 / 12, 12);

    const between = byType(r, 'expect_column_values_to_be_between', 'age').result;
    expect(between).toMatchObject({
      element_count: 12,
      missing_count: 1,
      unexpected_count: 1,
      partial_unexpected_list: [150],
      partial_unexpected_index_list: [7],
    });
    expect(between.unexpected_percent).toBeCloseTo(100 / 11, 12); // of the 11 non-missing values
    expect(between.unexpected_percent_total).toBeCloseTo(100 / 12, 12);

    const inSet = byType(r, 'expect_column_values_to_be_in_set', 'city').result;
    expect(inSet).toMatchObject({
      unexpected_count: 1,
      partial_unexpected_list: ['berlin'],
      partial_unexpected_index_list: [10],
      partial_unexpected_counts: [{ value: 'berlin', count: 1 }],
    });

    // Both occurrences of the duplicate are unexpected (GE's keep=False), the first one found at row 4.
    const unique = byType(r, 'expect_column_values_to_be_unique').result;
    expect(unique).toMatchObject({
      unexpected_count: 2,
      partial_unexpected_list: [4, 4],
      partial_unexpected_index_list: [4, 11],
      partial_unexpected_line_list: [5, 12],
    });

    expect(byType(r, 'expect_column_values_to_match_regex').result).toMatchObject({
      unexpected_count: 1,
      partial_unexpected_list: ['not-an-email'],
      partial_unexpected_index_list: [5],
    });
    const distinct = byType(r, 'expect_column_distinct_values_to_be_in_set').result;
    expect(distinct.observed_value).toEqual(['berlin', 'lyon', 'nice', 'paris']);
    expect(byType(r, 'expect_column_unique_value_count_to_be_between').result.observed_value).toBe(4);
  });

  it('fails the row count outside its range', async () => {
    const r = await run(cleanRows(25));
    const rc = byType(r, 'expect_table_row_count_to_be_between');
    expect(rc.success).toBe(false);
    expect(rc.result.observed_value).toBe(25);
  });

  it('gives the same answer whatever the batch size', async () => {
    const rows = cleanRows(12);
    rows[1].id = 1;
    rows[5].id = 1;
    rows[7].age = 5;
    const a = await run(rows, suite, 1);
    const b = await run(rows, suite, 5);
    const c = await run(rows, suite, 100);
    expect(b).toEqual(a);
    expect(c).toEqual(a);
    expect(byType(a, 'expect_column_values_to_be_unique').result).toMatchObject({ unexpected_count: 3, partial_unexpected_index_list: [1, 2, 6] });
  });

  it('reports a missing column or an inapplicable type as a failed expectation, not a crash', async () => {
    const s = parseSuite({
      name: 's',
      expectations: [
        { type: 'expect_column_to_exist', kwargs: { column: 'nope' } },
        { type: 'expect_column_values_to_not_be_null', kwargs: { column: 'nope' } },
        { type: 'expect_column_mean_to_be_between', kwargs: { column: 'city', min_value: 0 } },
        { type: 'expect_column_values_to_be_between', kwargs: { column: 'age', min_value: '2024-01-01' } },
        { type: 'expect_column_values_to_be_of_type', kwargs: { column: 'score', type_: 'int' } },
      ],
    });
    const r = await run(cleanRows(), s);
    expect(r.results.map((x) => x.success)).toEqual([false, false, false, false, false]);
    expect(r.results[0].exception_info).toBeUndefined();
    expect(r.results[1].exception_info?.exception_message).toMatch(/column 'nope' does not exist \(the table has: id, age, city/);
    expect(r.results[2].exception_info?.exception_message).toMatch(/applies to numeric/);
    expect(r.results[3].exception_info?.exception_message).toMatch(/is a date, but the column is of type integer/);
    expect(r.results[4].result.observed_value).toBe('float');
  });

  it('applies mostly to the non-missing values and bounds the partial list', async () => {
    const rows = Array.from({ length: 100 }, (_, i) => ({ ...cleanRows(1)[0], id: i, age: i < 30 ? 200 : i < 40 ? null : 30 }));
    const s = parseSuite({ name: 's', expectations: [{ type: 'expect_column_values_to_be_between', kwargs: { column: 'age', max_value: 100, mostly: 0.5 } }] });
    const r = await validateTable(s, schema, stream(toBatches(schema, rows, 7)), { partialUnexpectedCount: 5 });
    // 90 non-missing, 30 unexpected: 60/90 >= 0.5.
    expect(r.results[0]).toMatchObject({
      success: true,
      result: { element_count: 100, missing_count: 10, unexpected_count: 30, partial_unexpected_index_list: [1, 2, 3, 4, 5] },
    });
    expect(r.results[0].result.partial_unexpected_counts).toEqual([{ value: 200, count: 5 }]);
  });

  it('compares set items in the column type and reports datetimes as ISO text', async () => {
    const s = parseSuite({
      name: 's',
      expectations: [
        { type: 'expect_column_values_to_be_in_set', kwargs: { column: 'id', value_set: ['1', 2, 3.0] } },
        { type: 'expect_column_values_to_be_between', kwargs: { column: 'signup', max_value: '2024-01-02T00:00:00Z', strict_max: true } },
        { type: 'expect_column_values_to_match_regex', kwargs: { column: 'score', regex: '^\\d+$' } },
      ],
    });
    const r = await run(cleanRows(4), s);
    expect(r.results[0].result).toMatchObject({ unexpected_count: 1, partial_unexpected_list: [4] });
    expect(r.results[1].result).toMatchObject({
      unexpected_count: 3,
      partial_unexpected_list: ['2024-01-02T00:00:00.000Z', '2024-01-03T00:00:00.000Z', '2024-01-04T00:00:00.000Z'],
    });
    expect(r.results[2].result).toMatchObject({ unexpected_count: 3, partial_unexpected_list: [0.25, 0.5, 0.75] });
  });

  it('counts too-long values as unexpected for a regex, and says so', async () => {
    const rows = cleanRows(3);
    rows[1].email = `${'a'.repeat(5000)}@example.com`;
    const s = parseSuite({ name: 's', expectations: [{ type: 'expect_column_values_to_match_regex', kwargs: { column: 'email', regex: '@' } }] });
    const r = await run(rows, s);
    expect(r.results[0].result).toMatchObject({ unexpected_count: 1, details: { values_too_long_to_test: 1 } });
    expect(String(r.results[0].result.partial_unexpected_list![0])).toHaveLength(257);
  });

  it('says when there are too many distinct values to count or check exactly', async () => {
    const rows = cleanRows(12);
    const s = parseSuite({
      name: 's',
      expectations: [
        { type: 'expect_column_values_to_be_unique', kwargs: { column: 'email' } },
        { type: 'expect_column_unique_value_count_to_be_between', kwargs: { column: 'email', max_value: 5 } },
        { type: 'expect_column_unique_value_count_to_be_between', kwargs: { column: 'email', min_value: 5 } },
        { type: 'expect_column_unique_value_count_to_be_between', kwargs: { column: 'email', min_value: 5, max_value: 100 } },
      ],
    });
    const r = await validateTable(s, schema, stream(toBatches(schema, rows)), { maxDistinct: 8 });
    expect(r.results[0].exception_info?.exception_message).toMatch(/more than 8 distinct values/);
    expect(r.results[1]).toMatchObject({ success: false, result: { observed_value: null, details: { distinct_exact: false, distinct_lower_bound: 9 } } });
    expect(r.results[2]).toMatchObject({ success: true, result: { details: { distinct_lower_bound: 9 } } });
    expect(r.results[3].exception_info?.exception_message).toMatch(/at least 9 distinct values/);
  });

  it('does not read the stream when nothing needs data', async () => {
    let pulled = false;
    const never = (): AsyncIterable<never> => ({
      [Symbol.asyncIterator]() {
        pulled = true;
        return { next: async () => ({ done: true as const, value: undefined }) };
      },
    });
    const s = parseSuite({ name: 's', expectations: [{ type: 'expect_column_to_exist', kwargs: { column: 'id' } }] });
    const r = await validateTable(s, schema, never());
    expect(r.success).toBe(true);
    expect(pulled).toBe(false);
  });
});
