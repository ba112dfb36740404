import { describe, expect, it } from 'vitest';
import { InvalidParameterError } from '../../errors.js';
import { MAX_EXPECTATIONS, MAX_VALUE_SET, parseSuite } from './index.js';
import { nestedRepetition } from './regex-safety.js';

function fieldOf(json: unknown): string {
  try {
    parseSuite(json);
  } catch (err) {
    expect(err).toBeInstanceOf(InvalidParameterError);
    return (err as InvalidParameterError).errors[0].field;
  }
  throw new Error('parseSuite accepted it');
}

const suiteWith = (...expectations: unknown[]): unknown => ({ name: 's', expectations });
const between = (kwargs: Record<string, unknown>): unknown => ({ type: 'expect_column_values_to_be_between', kwargs: { column: 'a', ...kwargs } });

describe('parseSuite', () => {
  it('accepts a GE suite, its 0.x spellings, and drops GE-only output kwargs', () => {
    const s = parseSuite({
      expectation_suite_name: 'ge',
      data_asset_type: null,
      meta: { great_expectations_version: '0.18.0' },
      expectations: [
        { expectation_type: 'expect_column_values_to_not_be_null', kwargs: { column: 'a', mostly: 0.95, result_format: 'SUMMARY' }, meta: { notes: 'x' } },
        {
          type: 'expect_column_quantile_values_to_be_between',
          kwargs: { column: 'a', quantile_ranges: { quantiles: [0.5], value_ranges: [[null, 3]] }, allow_relative_error: false },
        },
      ],
    });
    expect(s).toEqual({
      name: 'ge',
      meta: { great_expectations_version: '0.18.0' },
      expectations: [
        { type: 'expect_column_values_to_not_be_null', kwargs: { column: 'a', mostly: 0.95 }, meta: { notes: 'x' } },
        { type: 'expect_column_quantile_values_to_be_between', kwargs: { column: 'a', quantile_ranges: { quantiles: [0.5], value_ranges: [[null, 3]] } } },
      ],
    });
    expect(parseSuite(s)).toEqual(s);
  });

  it.each([
    ['not an object', 'suite', 'x'],
    ['no name', 'name', { expectations: [] }],
    ['unknown top-level key', 'expectation', { name: 's', expectation: [] }],
    ['expectations not a list', 'expectations', { name: 's', expectations: {} }],
    [
      'too many expectations',
      'expectations',
      { name: 's', expectations: Array(MAX_EXPECTATIONS + 1).fill({ type: 'expect_column_to_exist', kwargs: { column: 'a' } }) },
    ],
    ['unknown type', 'expectations[1].type', suiteWith({ type: 'expect_column_to_exist', kwargs: { column: 'a' } }, { type: 'expect_magic', kwargs: {} })],
    ['missing column', 'expectations[0].kwargs.column', suiteWith({ type: 'expect_column_values_to_be_unique', kwargs: {} })],
    ['empty column', 'expectations[0].kwargs.column', suiteWith({ type: 'expect_column_values_to_be_unique', kwargs: { column: '' } })],
    ['unknown kwarg (typo)', 'expectations[0].kwargs.min', suiteWith(between({ min: 1 }))],
    ['unsupported GE kwarg', 'expectations[0].kwargs.row_condition', suiteWith(between({ min_value: 1, row_condition: 'a>1' }))],
    [
      'mostly on an aggregate',
      'expectations[0].kwargs.mostly',
      suiteWith({ type: 'expect_column_mean_to_be_between', kwargs: { column: 'a', min_value: 1, mostly: 0.5 } }),
    ],
    ['min > max', 'expectations[0].kwargs.min_value', suiteWith(between({ min_value: 5, max_value: 1 }))],
    ['no bound at all', 'expectations[0].kwargs.min_value', suiteWith(between({ min_value: null }))],
    ['empty strict range', 'expectations[0].kwargs.min_value', suiteWith(between({ min_value: 1, max_value: 1, strict_max: true }))],
    ['non-finite bound', 'expectations[0].kwargs.max_value', suiteWith(between({ max_value: 'Infinity' }))],
    ['bad date', 'expectations[0].kwargs.min_value', suiteWith(between({ min_value: '2024-02-30' }))],
    ['mixed number and date', 'expectations[0].kwargs.max_value', suiteWith(between({ min_value: 1, max_value: '2024-01-01' }))],
    ['date min after date max', 'expectations[0].kwargs.min_value', suiteWith(between({ min_value: '2024-02-01', max_value: '2024-01-31T23:00Z' }))],
    ['strict not boolean', 'expectations[0].kwargs.strict_min', suiteWith(between({ min_value: 1, strict_min: 'yes' }))],
    ['mostly 0', 'expectations[0].kwargs.mostly', suiteWith(between({ min_value: 1, mostly: 0 }))],
    ['mostly > 1', 'expectations[0].kwargs.mostly', suiteWith(between({ min_value: 1, mostly: 1.01 }))],
    ['mostly as text', 'expectations[0].kwargs.mostly', suiteWith(between({ min_value: 1, mostly: '0.9' }))],
    ['negative row count', 'expectations[0].kwargs.min_value', suiteWith({ type: 'expect_table_row_count_to_be_between', kwargs: { min_value: -1 } })],
    ['fractional row count', 'expectations[0].kwargs.max_value', suiteWith({ type: 'expect_table_row_count_to_be_between', kwargs: { max_value: 2.5 } })],
    [
      'date on a mean',
      'expectations[0].kwargs.min_value',
      suiteWith({ type: 'expect_column_mean_to_be_between', kwargs: { column: 'a', min_value: '2024-01-01' } }),
    ],
    ['value_set missing', 'expectations[0].kwargs.value_set', suiteWith({ type: 'expect_column_values_to_be_in_set', kwargs: { column: 'a' } })],
    [
      'value_set item null',
      'expectations[0].kwargs.value_set[1]',
      suiteWith({ type: 'expect_column_values_to_be_in_set', kwargs: { column: 'a', value_set: ['x', null] } }),
    ],
    [
      'value_set too large',
      'expectations[0].kwargs.value_set',
      suiteWith({ type: 'expect_column_distinct_values_to_be_in_set', kwargs: { column: 'a', value_set: Array(MAX_VALUE_SET + 1).fill('x') } }),
    ],
    ['bad regex', 'expectations[0].kwargs.regex', suiteWith({ type: 'expect_column_values_to_match_regex', kwargs: { column: 'a', regex: '([a-z' } })],
    [
      'catastrophic regex',
      'expectations[0].kwargs.regex',
      suiteWith({ type: 'expect_column_values_to_match_regex', kwargs: { column: 'a', regex: '^(a+)+$' } }),
    ],
    [
      'regex too long',
      'expectations[0].kwargs.regex',
      suiteWith({ type: 'expect_column_values_to_match_regex', kwargs: { column: 'a', regex: 'a'.repeat(1001) } }),
    ],
    ['unknown type_', 'expectations[0].kwargs.type_', suiteWith({ type: 'expect_column_values_to_be_of_type', kwargs: { column: 'a', type_: 'intt' } })],
    [
      'quantile out of [0,1]',
      'expectations[0].kwargs.quantile_ranges.quantiles[1]',
      suiteWith({
        type: 'expect_column_quantile_values_to_be_between',
        kwargs: {
          column: 'a',
          quantile_ranges: {
            quantiles: [0.1, 1.5],
            value_ranges: [
              [0, 1],
              [0, 1],
            ],
          },
        },
      }),
    ],
    [
      'ranges not one per quantile',
      'expectations[0].kwargs.quantile_ranges.value_ranges',
      suiteWith({ type: 'expect_column_quantile_values_to_be_between', kwargs: { column: 'a', quantile_ranges: { quantiles: [0.1], value_ranges: [] } } }),
    ],
    [
      'quantile range reversed',
      'expectations[0].kwargs.quantile_ranges.value_ranges[0]',
      suiteWith({
        type: 'expect_column_quantile_values_to_be_between',
        kwargs: { column: 'a', quantile_ranges: { quantiles: [0.1], value_ranges: [[3, 1]] } },
      }),
    ],
    ['meta too large', 'expectations[0].meta', suiteWith({ type: 'expect_column_to_exist', kwargs: { column: 'a' }, meta: { x: 'y'.repeat(20_000) } })],
    ['unknown expectation key', 'expectations[0].kwarg', suiteWith({ type: 'expect_column_to_exist', kwarg: { column: 'a' } })],
  ])('refuses %s, naming the field', (_what, field, json) => {
    expect(fieldOf(json)).toBe(field);
  });

  it('says what is wrong in the message', () => {
    expect(() => parseSuite(suiteWith(between({ min_value: 5, max_value: 1 })))).toThrow(
      /Invalid value for 'expectations\[0\]\.kwargs\.min_value': min_value 5 is greater than max_value 1/,
    );
    expect(() => parseSuite(suiteWith(between({ min: 1 })))).toThrow(/takes no kwarg 'min' \(it takes column, min_value, max_value/);
  });
});

describe('regex safety heuristic', () => {
  it.each([
    ['(a+)+', false],
    ['(\\w*)*', false],
    ['(x{1,9}){2,}', false],
    ['((ab)*c)+', false],
    ['(?:[a-z]+\\s?)+$', false],
    ['^[a-z]+$', true],
    ['(ab)+', true],
    ['(a?)+', true],
    ['^\\d{3}-\\d{4}$', true],
    ['(\\d{3})+', true],
    ['(a{2})*', true],
    ['(a{2,})*', false],
    ['[(+)]+', true],
    ['\\(a+\\)+', true],
    ['(a|b)*c', true],
  ])('%s safe=%s', (pattern, safe) => {
    expect(nestedRepetition(pattern) === null).toBe(safe);
  });
});
