import { describe, expect, it } from 'vitest';
import { DatasetProfile } from '../../stats/index.js';
import { parseSuite, validateProfile, validateTable, type Suite } from './index.js';
import { profileOf, schemaOf, stream, toBatches, type Row } from './test-batches.js';

const schema = schemaOf({ id: 'integer', age: 'integer', city: 'string', email: 'string', score: 'float', signup: 'datetime', active: 'boolean' });
const CITIES = ['paris', 'lyon', 'nice'];

function rows(n: number): Row[] {
  return Array.from({ length: n }, (_, i) => ({
    id: i + 1,
    age: i % 17 === 0 ? null : 20 + ((i * 7) % 50),
    city: i % 40 === 5 ? 'berlin' : CITIES[i % 3],
    email: i % 50 === 3 ? 'broken' : `user${i}@example.com`,
    score: (i % 13) / 4,
    signup: `2024-01-01T${String(i % 24).padStart(2, '0')}:00:00Z`,
    active: i % 5 === 0 ? null : i % 2 === 0,
  }));
}

const suite: Suite = parseSuite({
  name: 'both',
  expectations: [
    { type: 'expect_table_row_count_to_be_between', kwargs: { min_value: 100, max_value: 200 } },
    { type: 'expect_column_values_to_be_of_type', kwargs: { column: 'age', type_: 'integer' } },
    { type: 'expect_column_values_to_be_unique', kwargs: { column: 'id' } },
    { type: 'expect_column_values_to_be_unique', kwargs: { column: 'age', mostly: 0.01 } },
    { type: 'expect_column_values_to_not_be_null', kwargs: { column: 'age', mostly: 0.9 } },
    { type: 'expect_column_values_to_not_be_null', kwargs: { column: 'active' } },
    { type: 'expect_column_values_to_be_between', kwargs: { column: 'age', min_value: 21, max_value: 60 } },
    { type: 'expect_column_values_to_be_between', kwargs: { column: 'age', min_value: 20, max_value: 69, mostly: 0.5 } },
    { type: 'expect_column_values_to_be_between', kwargs: { column: 'signup', max_value: '2024-01-01T12:00:00Z', strict_max: true, mostly: 0.4 } },
    { type: 'expect_column_values_to_be_in_set', kwargs: { column: 'city', value_set: CITIES, mostly: 0.95 } },
    { type: 'expect_column_values_to_be_in_set', kwargs: { column: 'active', value_set: [true] } },
    { type: 'expect_column_values_to_match_regex', kwargs: { column: 'email', regex: '@example\\.com$' } },
    { type: 'expect_column_mean_to_be_between', kwargs: { column: 'score', min_value: 1, max_value: 2 } },
    { type: 'expect_column_stdev_to_be_between', kwargs: { column: 'score', min_value: 0.5, max_value: 1.5 } },
    {
      type: 'expect_column_quantile_values_to_be_between',
      kwargs: {
        column: 'age',
        quantile_ranges: {
          quantiles: [0.1, 0.5, 0.9],
          value_ranges: [
            [20, 30],
            [40, 50],
            [60, 70],
          ],
        },
      },
    },
    { type: 'expect_column_unique_value_count_to_be_between', kwargs: { column: 'city', max_value: 3 } },
    { type: 'expect_column_distinct_values_to_be_in_set', kwargs: { column: 'city', value_set: CITIES } },
    { type: 'expect_column_distinct_values_to_be_in_set', kwargs: { column: 'id', value_set: [1, 2] } },
    { type: 'expect_column_to_exist', kwargs: { column: 'nope' } },
  ],
});

describe('validateProfile', () => {
  it('agrees with validateTable where both can answer (exact sketches)', async () => {
    const batches = toBatches(schema, rows(150), 32);
    const table = await validateTable(suite, schema, stream(batches));
    const prof = validateProfile(suite, schema, profileOf(schema, batches));
    expect(prof.evaluated_on).toBe('profile');
    expect(prof.statistics.skipped_expectations).toBe(0);
    expect(prof.results.map((r) => r.success)).toEqual(table.results.map((r) => r.success));
    expect(table.results.some((r) => r.success === false) && table.results.some((r) => r.success === true)).toBe(true);
    prof.results.forEach((p, i) => {
      const t = table.results[i].result;
      for (const key of ['element_count', 'missing_count', 'unexpected_count', 'unexpected_percent'] as const) expect([i, p.result[key]]).toEqual([i, t[key]]);
      if (typeof t.observed_value === 'number') expect(p.result.observed_value as number).toBeCloseTo(t.observed_value, 9);
      else expect([i, p.result.observed_value]).toEqual([i, t.observed_value]);
    });
    // No rows in a profile, but exact counts name the unexpected values.
    const inSet = prof.results[9].result;
    expect(inSet.partial_unexpected_list).toEqual([]);
    expect(inSet.partial_unexpected_counts).toEqual([{ value: 'berlin', count: 4 }]);
  });

  it('decides from hard bounds once the sketches are no longer exact, and skips what they leave open', () => {
    const n = 5000;
    const p = new DatasetProfile({ schema: { x: 'numerical', c: 'categorical' }, maxItems: 8 });
    const xs = Float64Array.from({ length: n }, (_, i) => i);
    const cs = Array.from({ length: n }, (_, i) => (i % 10 === 0 ? `rare${i}` : ['a', 'b', 'c'][i % 3]));
    p.updateColumns({ x: xs, c: cs });
    const s = schemaOf({ x: 'float', c: 'string' });
    const r = validateProfile(
      parseSuite({
        name: 's',
        expectations: [
          { type: 'expect_column_values_to_be_between', kwargs: { column: 'x', max_value: 4990 } },
          { type: 'expect_column_values_to_be_between', kwargs: { column: 'x', max_value: 4990, mostly: 0.5 } },
          { type: 'expect_column_values_to_be_between', kwargs: { column: 'x', min_value: 0, max_value: 4999 } },
          { type: 'expect_column_values_to_be_in_set', kwargs: { column: 'c', value_set: ['a', 'b'] } },
          { type: 'expect_column_unique_value_count_to_be_between', kwargs: { column: 'c', max_value: 5 } },
          { type: 'expect_column_unique_value_count_to_be_between', kwargs: { column: 'c', min_value: 3, max_value: 100 } },
          { type: 'expect_column_distinct_values_to_be_in_set', kwargs: { column: 'c', value_set: ['a', 'b'] } },
          { type: 'expect_column_values_to_be_unique', kwargs: { column: 'c' } },
        ],
      }),
      s,
      p,
    );
    const [strict, loose, all, inSet, fewDistinct, someDistinct, distinctIn, unique] = r.results;
    // max is exact: something is above 4990, so mostly=1 fails for sure; the count is only estimated.
    expect(strict).toMatchObject({ success: false, result: { unexpected_count: null, details: { observed_max: 4999 } } });
    expect(strict.result.details!['unexpected_count_estimate']).toBeGreaterThanOrEqual(0);
    expect(loose.success).toBeNull();
    expect(loose.skipped?.reason).toMatch(/does not decide mostly=0.5/);
    expect(all).toMatchObject({ success: true, result: { unexpected_count: 0 } });
    expect(inSet.success).toBe(false); // 'c' alone is tracked with a count far above zero
    expect(fewDistinct.success).toBe(false);
    expect(someDistinct).toMatchObject({ success: null, result: { details: { distinct_exact: false, distinct_lower_bound: 9 } } });
    expect(someDistinct.skipped?.reason).toMatch(/at least 9 distinct values/);
    expect(distinctIn).toMatchObject({ success: false, result: { details: { value_counts_are_lower_bounds: true } } });
    expect(unique.success).toBe(false);
    expect(r.statistics).toMatchObject({ evaluated_expectations: 6, skipped_expectations: 2 });
  });

  it('treats a column the profile never saw as null in every row, and refuses a profile of the wrong kind', () => {
    const p = new DatasetProfile();
    p.updateColumns({ a: Float64Array.of(1, 2, 3), b: ['x', 'y', 'z'] });
    const s = schemaOf({ a: 'integer', b: 'integer', c: 'string' });
    const r = validateProfile(
      parseSuite({
        name: 's',
        expectations: [
          { type: 'expect_column_values_to_not_be_null', kwargs: { column: 'c' } },
          { type: 'expect_column_mean_to_be_between', kwargs: { column: 'b', min_value: 0 } },
          { type: 'expect_column_values_to_be_between', kwargs: { column: 'a', min_value: 0, max_value: 5 } },
        ],
      }),
      s,
      p,
    );
    expect(r.results[0]).toMatchObject({ success: false, result: { element_count: 3, unexpected_count: 3 } });
    expect(r.results[1].exception_info?.exception_message).toMatch(/holds categorical values, but the column is of type integer/);
    expect(r.results[2]).toMatchObject({ success: true, result: { unexpected_count: 0 } });
  });
});
