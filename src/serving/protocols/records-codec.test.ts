import { describe, expect, it } from 'vitest';
import { recordsToFeeds } from './records-codec.js';
import type { ModelSignature } from '../runtime/signature.js';

const single: ModelSignature = {
  inputs: [{ name: 'float_input', type: 'float32', shape: [null, 2] }],
  outputs: [{ name: 'variable', type: 'float32', shape: [null, 1] }],
  skippedOutputs: [],
  layout: 'single-tensor',
  features: ['age', 'income'],
};
const perColumn: ModelSignature = {
  inputs: [
    { name: 'age', type: 'float32', shape: [null, 1] },
    { name: 'home', type: 'string', shape: [null, 1] },
  ],
  outputs: [{ name: 'label', type: 'int64', shape: [null] }],
  skippedOutputs: [],
  layout: 'per-column',
  features: ['age', 'home'],
};

describe('recordsToFeeds', () => {
  it('reads every MLflow scoring format into one [N, F] tensor', () => {
    const want = Float32Array.from([30, 1000, 40, 2000]);
    const bodies = [
      {
        instances: [
          { age: 30, income: 1000 },
          { age: 40, income: 2000 },
        ],
      },
      {
        instances: [
          [30, 1000],
          [40, 2000],
        ],
      },
      {
        dataframe_split: {
          columns: ['income', 'age'],
          data: [
            [1000, 30],
            [2000, 40],
          ],
        },
      },
      {
        dataframe_records: [
          { income: 1000, age: 30 },
          { age: 40, income: 2000 },
        ],
      },
      { inputs: { age: [30, 40], income: [1000, 2000] } },
    ];
    for (const b of bodies) {
      const { feeds, rows } = recordsToFeeds(b, single);
      expect(rows).toBe(2);
      expect(feeds['float_input']).toEqual({ type: 'float32', dims: [2, 2], data: want });
    }
  });

  it("reads MLflow's tensor forms for a model with one [N, F] input: {inputs: {<input name>: rows}} and {inputs: rows}", () => {
    const want = Float32Array.from([30, 1000, 40, 2000]);
    for (const b of [
      {
        inputs: {
          float_input: [
            [30, 1000],
            [40, 2000],
          ],
        },
      },
      {
        inputs: [
          [30, 1000],
          [40, 2000],
        ],
      },
    ]) {
      const { feeds, rows } = recordsToFeeds(b, single);
      expect(rows).toBe(2);
      expect(feeds['float_input']).toEqual({ type: 'float32', dims: [2, 2], data: want });
    }
    expect(() => recordsToFeeds({ inputs: { float_input: [[30, 1000, 5]] } }, single)).toThrow("Row 0 of 'float_input' must be a list of 2 values");
    expect(() => recordsToFeeds({ inputs: { float_input: 3 } }, single)).toThrow('"inputs.float_input" must be a list of rows');
  });

  it('builds one [N, 1] tensor per column, strings included; null becomes NaN or empty string', () => {
    const { feeds } = recordsToFeeds(
      {
        instances: [
          { age: null, home: 'rent' },
          { age: 51, home: null },
        ],
      },
      perColumn,
    );
    expect(Array.from(feeds['age']!.data as Float32Array)).toEqual([NaN, 51]);
    expect(feeds['home']).toEqual({ type: 'string', dims: [2, 1], data: ['rent', ''] });
  });

  it.each([
    [{ instances: [{ age: 1 }] }, "Row 0: feature 'income' is missing"],
    [{ instances: [{ age: 1, income: 2, zip: 3 }] }, "Row 0: 'zip' is not a feature"],
    [
      {
        instances: [
          { age: 1, income: 2 },
          { age: 'old', income: 2 },
        ],
      },
      "Row 1: feature 'age' must be a number",
    ],
    [{ instances: [[1, 2, 3]] }, 'Row 0 has 3 values; the model takes 2'],
    [{ instances: [] }, 'no rows'],
    [{ rows: [] }, 'Send exactly one of'],
    [{ instances: [], inputs: [] }, 'got instances, inputs'],
    [{ dataframe_split: { columns: ['age'] } }, '"dataframe_split" needs'],
    [{ inputs: { age: [1, 2], income: [1] } }, 'equal length'],
  ])('refuses %j naming the problem', (body, message) => {
    expect(() => recordsToFeeds(body, single)).toThrow(message);
  });

  it('refuses non-finite numbers and too many rows', () => {
    expect(() => recordsToFeeds({ instances: [{ age: Number.POSITIVE_INFINITY, income: 1 }] }, single)).toThrow("feature 'age' must be finite");
    const rows = Array.from({ length: 11 }, () => ({ age: 1, income: 1 }));
    expect(() => recordsToFeeds({ instances: rows }, single, 10)).toThrow('the limit is 10');
  });

  it('refuses a value the input cannot hold instead of wrapping it or overflowing to Infinity', () => {
    const typed = (type: 'int64' | 'int32' | 'bool' | 'float32'): ModelSignature => ({ ...single, inputs: [{ name: 'x', type, shape: [null, 2] }] });
    expect(() => recordsToFeeds({ instances: [{ age: 2 ** 70, income: 1 }] }, typed('int64'))).toThrow("feature 'age' is 1.1805916207174113e+21, outside");
    expect(() => recordsToFeeds({ instances: [{ age: 2 ** 31, income: 1 }] }, typed('int32'))).toThrow('outside the model’s int32'.replace('’', "'"));
    expect(() => recordsToFeeds({ instances: [{ age: 1e300, income: 1 }] }, typed('float32'))).toThrow('float32 input range');
    expect(() => recordsToFeeds({ instances: [{ age: 2, income: 1 }] }, typed('bool'))).toThrow('bool input range');
    expect(() => recordsToFeeds({ instances: [{ age: 0.5, income: 1 }] }, typed('bool'))).toThrow('must be an integer');
    // The edges themselves pass.
    const ok = recordsToFeeds({ instances: [{ age: Number.MAX_SAFE_INTEGER, income: -(2 ** 53 - 1) }] }, typed('int64'));
    expect(ok.feeds['x']!.data).toEqual(new BigInt64Array([BigInt(Number.MAX_SAFE_INTEGER), BigInt(-(2 ** 53 - 1))]));
    expect(() => recordsToFeeds({ instances: [{ age: 3.4e38, income: -3.4e38 }] }, typed('float32'))).not.toThrow();
  });
});
