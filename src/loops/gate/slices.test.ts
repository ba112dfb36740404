import { describe, expect, it } from 'vitest';
import { refusalOf } from '../../../test/support/refusal.js';
import { binIndex, binNames, checkSliceFeatures, checkSliceSpecs, sliceRows } from './slices.js';

const named = (specs: Parameters<typeof sliceRows>[0], rows: Record<string, unknown>[]) => sliceRows(specs, rows).map((s) => [s.name, s.rows]);

describe('gate slices', () => {
  it('slices categories in label order, with missing values as their own slice', () => {
    const rows = [{ region: 'south' }, { region: 'north' }, {}, { region: 'south' }, { region: null }, { region: 'East' }];
    expect(named([{ feature: 'region' }], rows)).toEqual([
      ['all', [0, 1, 2, 3, 4, 5]],
      ['region=East', [5]],
      ['region=north', [1]],
      ['region=south', [0, 3]],
      ['region is missing', [2, 4]],
    ]);
  });

  it('names booleans and numbers as categories, numbers first', () => {
    const rows = [{ f: true }, { f: false }, { f: 10 }, { f: 2 }, { f: 'x' }];
    expect(named([{ feature: 'f' }], rows).map((s) => s[0])).toEqual(['all', 'f=2', 'f=10', 'f=false', 'f=true', 'f=x']);
  });

  it('bins numbers half-open, [a, b), with the open ends, missing and not-a-number slices', () => {
    const rows = [{ income: 19999.99 }, { income: 20000 }, { income: 49999 }, { income: 50000 }, { income: 1e9 }, {}, { income: '30000' }, { income: -5 }];
    expect(named([{ feature: 'income', bins: [20000, 50000] }], rows)).toEqual([
      ['all', [0, 1, 2, 3, 4, 5, 6, 7]],
      ['income < 20000', [0, 7]],
      ['income in [20000, 50000)', [1, 2]],
      ['income >= 50000', [3, 4]],
      ['income is missing', [5]],
      ['income is not a number', [6]],
    ]);
  });

  it('lists only slices that hold rows, in the order of the specs', () => {
    const rows = [
      { a: 'x', b: 1 },
      { a: 'x', b: 7 },
    ];
    expect(named([{ feature: 'b', bins: [0, 5, 10] }, { feature: 'a' }], rows).map((s) => s[0])).toEqual(['all', 'b in [0, 5)', 'b in [5, 10)', 'a=x']);
  });

  it('finds a bin by its edges', () => {
    const bins = [0, 1.5, 3];
    expect([-1, 0, 1.4999, 1.5, 2.9, 3, 100].map((x) => binIndex(bins, x))).toEqual([0, 1, 1, 2, 2, 3, 3]);
    expect(binNames('x', [1])).toEqual(['x < 1', 'x >= 1']);
  });

  it('refuses bins that are not strictly increasing or not finite, and a feature sliced twice', () => {
    expect(refusalOf(() => checkSliceSpecs([{ feature: 'income', bins: [10, 10] }]))).toMatchObject({
      field: 'slices[0].bins',
      message: expect.stringContaining('strictly increasing'),
    });
    expect(refusalOf(() => checkSliceSpecs([{ feature: 'a' }, { feature: 'income', bins: [1, Infinity] }])).field).toBe('slices[1].bins');
    expect(refusalOf(() => checkSliceSpecs([{ feature: 'income', bins: [] }])).field).toBe('slices[0].bins');
    expect(refusalOf(() => checkSliceSpecs([{ feature: 'a' }, { feature: 'a' }])).field).toBe('slices[1].feature');
    expect(refusalOf(() => checkSliceSpecs([{ feature: '' }])).field).toBe('slices[0].feature');
  });

  it('refuses a feature that no row of any source has', () => {
    const specs = checkSliceSpecs([{ feature: 'region' }, { feature: 'regoin' }]);
    const r = refusalOf(() => checkSliceFeatures(specs, [[{ region: 'north' }], [{ region: null }]]));
    expect(r).toMatchObject({ field: 'slices[1].feature', message: expect.stringContaining("'regoin'") });
    expect(() => checkSliceFeatures(specs.slice(0, 1), [[], [{ region: 'north' }]])).not.toThrow();
  });
});
