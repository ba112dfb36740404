import { describe, expect, it } from 'vitest';
import type { ColumnProfileReport, FeatureDriftInfo, ValidationResult, VersionDiff } from '../../../../src/sdk/index.js';
import { driftHistogram } from '../monitoring/drift-histogram.js';
import { columnBars, defaultDiffPair, diffFeature, failedExpectations, schemaChanges } from './data-shapes.js';

const summary = (p: Partial<ColumnProfileReport['summary']>): ColumnProfileReport['summary'] => ({
  kind: 'categorical',
  count: 0,
  nulls: 0,
  null_rate: 0,
  type_errors: 0,
  min: null,
  max: null,
  mean: null,
  std: null,
  quantiles: null,
  top: [],
  ...p,
});

describe('column bars', () => {
  it('draws a numeric column from its histogram', () => {
    const col: ColumnProfileReport = {
      name: 'x',
      type: 'float',
      nullable: false,
      summary: summary({ kind: 'numerical', count: 3 }),
      histogram: { edges: [0, 1, 2], counts: [1, 2] },
      basis: 'exact',
    };
    expect(columnBars(col)).toEqual({ bins: ['0–1', '1–2'], counts: [1, 2] });
  });
  it('draws top categories, the rest as other, nulls left out', () => {
    const col: ColumnProfileReport = {
      name: 'c',
      type: 'string',
      nullable: true,
      summary: summary({
        count: 100,
        nulls: 10,
        top: [
          { value: 'a', count: 50 },
          { value: 'b', count: 30 },
        ],
      }),
      histogram: null,
      basis: null,
    };
    expect(columnBars(col)).toEqual({ bins: ['a', 'b', 'other'], counts: [50, 30, 10] });
    expect(columnBars({ ...col, summary: summary({ count: 5, nulls: 5 }) })).toBeNull();
  });
});

describe('failed expectations', () => {
  const result: Pick<ValidationResult, 'results'> = {
    results: [
      { expectation_config: { type: 'expect_column_values_to_not_be_null', kwargs: { column: 'age' } }, success: true, result: {} },
      {
        expectation_config: { type: 'expect_column_values_to_be_between', kwargs: { column: 'income', min_value: 0, max_value: 150000, mostly: 1 } },
        success: false,
        result: {
          element_count: 2000,
          unexpected_count: 3,
          unexpected_percent: 0.15,
          partial_unexpected_list: [160000, 170000, 'n/a'],
          partial_unexpected_index_list: [4, 17, 99],
          partial_unexpected_line_list: [6, 19],
        },
      },
      {
        expectation_config: { type: 'expect_table_row_count_to_be_between', kwargs: { min_value: 5000 } },
        success: false,
        result: { observed_value: 2000 },
        exception_info: { raised_exception: false, exception_message: null, exception_traceback: null },
      },
    ],
  };
  it('lists only failures, with unexpected values by row number', () => {
    const f = failedExpectations(result);
    expect(f).toHaveLength(2);
    expect(f[0]).toEqual({
      type: 'expect_column_values_to_be_between',
      column: 'income',
      args: 'min_value=0, max_value=150000, mostly=1',
      unexpectedCount: 3,
      unexpectedPercent: 0.15,
      elementCount: 2000,
      observed: null,
      samples: [
        { row: 4, line: 6, value: 160000 },
        { row: 17, line: 19, value: 170000 },
        { row: 99, line: null, value: 'n/a' },
      ],
      exception: null,
    });
    expect(f[1]).toMatchObject({ column: null, args: 'min_value=5000', observed: '2000', samples: [] });
  });
});

describe('version diff', () => {
  it('flattens schema changes', () => {
    const schema: VersionDiff['schema'] = {
      added: [{ name: 'region', type: 'string', nullable: true }],
      removed: [{ name: 'old', type: 'integer', nullable: false }],
      retyped: [{ name: 'months', from: 'integer', to: 'string' }],
      nullability: [{ name: 'age', from: false, to: true }],
      unchanged: 5,
    };
    expect(schemaChanges({ schema }).map((c) => [c.column, c.change, c.detail])).toEqual([
      ['region', 'added', 'string, nullable'],
      ['old', 'removed', 'was integer'],
      ['months', 'retyped', 'integer → string'],
      ['age', 'nullability', 'now nullable'],
    ]);
  });
  it('reads a drift entry with its bins, so the histogram can draw it', () => {
    const info: FeatureDriftInfo = {
      name: 'income',
      kind: 'numerical',
      method: 'wasserstein',
      statistic: 4.4,
      p_value: null,
      threshold: 0.1,
      drifted: true,
      basis: 'sketch',
      reference: { edges: [0, 1], counts: [3], shares: [1], rows: 3 },
      current: { edges: [0, 1], counts: [1], shares: [1], rows: 1 },
    };
    const f = diffFeature(info);
    expect(f).toMatchObject({ name: 'income', basis: 'sketch', drifted: true });
    expect(driftHistogram(f)?.series.map((s) => s.counts)).toEqual([[3], [1]]);
    // What an older server or a hand-made answer may hold: off-contract values are dropped, not drawn.
    expect(diffFeature({ ...info, basis: 'other', reference: 'x', current: undefined } as unknown as FeatureDriftInfo)).not.toHaveProperty('reference');
  });
  it('picks the previous version and this one to compare', () => {
    expect(defaultDiffPair([3, 1, 2])).toEqual({ from: 2, to: 3 });
    expect(defaultDiffPair([3, 1, 2], 2)).toEqual({ from: 1, to: 2 });
    expect(defaultDiffPair([3, 1, 2], 1)).toEqual({ from: 1, to: 2 });
    expect(defaultDiffPair([1])).toBeNull();
  });
});
