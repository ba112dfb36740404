import { describe, expect, it } from 'vitest';
import { FerryApiError, FerryConnectionError } from '../../../src/sdk/index.js';
import { alignSeries, edgeLabels, shares } from './chart-data.js';
import { errorText } from './error-text.js';
import { nextSort, sortRows } from './table-sort.js';

describe('table sorting', () => {
  const rows = [{ v: 10 }, { v: null }, { v: 2 }, { v: 'NaN' as unknown as number }, { v: 2 }];
  it('sorts numbers as numbers with blanks last in both directions', () => {
    expect(sortRows(rows, (r) => r.v, 'asc').map((r) => r.v)).toEqual([2, 2, 10, 'NaN', null]);
    expect(sortRows(rows, (r) => r.v, 'desc').map((r) => r.v)).toEqual(['NaN', 10, 2, 2, null]);
  });
  it('sorts text naturally', () => {
    expect(sortRows([{ n: 'run 10' }, { n: 'run 2' }, { n: 'Run 1' }], (r) => r.n, 'asc').map((r) => r.n)).toEqual(['Run 1', 'run 2', 'run 10']);
  });
  it('cycles ascending, descending, none', () => {
    expect(nextSort(null, 'a')).toEqual({ column: 'a', dir: 'asc' });
    expect(nextSort({ column: 'a', dir: 'asc' }, 'a')).toEqual({ column: 'a', dir: 'desc' });
    expect(nextSort({ column: 'a', dir: 'desc' }, 'a')).toBeNull();
    expect(nextSort({ column: 'a', dir: 'desc' }, 'b')).toEqual({ column: 'b', dir: 'asc' });
  });
  it('sorts 10,000 rows, every one in order', () => {
    const many = Array.from({ length: 10_000 }, (_, i) => ({ v: (i * 7919) % 10_007 }));
    const sorted = sortRows(many, (r) => r.v, 'asc');
    expect(sorted).toHaveLength(many.length);
    expect(sorted.map((r) => r.v)).toEqual(many.map((r) => r.v).sort((a, b) => a - b));
  });
});

describe('chart data', () => {
  it('aligns series on the union of x values', () => {
    expect(
      alignSeries([
        {
          label: 'a',
          points: [
            { x: 1, y: 1 },
            { x: 3, y: Infinity },
          ],
        },
        { label: 'b', points: [{ x: 2, y: 5 }] },
      ]),
    ).toEqual([
      [1, 2, 3],
      [1, null, null],
      [null, 5, null],
    ]);
    expect(alignSeries([])).toEqual([[]]);
  });
  it('labels histogram bins and normalises counts', () => {
    expect(edgeLabels([0, 0.5, 1])).toEqual(['0–0.5', '0.5–1']);
    expect(edgeLabels([0, 1e6])).toEqual(['0–1.00e+6']);
    expect(shares([1, 3])).toEqual([0.25, 0.75]);
    expect(shares([0, 0])).toEqual([0, 0]);
  });
});

describe('error text', () => {
  it('shows the API message, code and fields', () => {
    const e = errorText(new FerryApiError(400, 'INVALID_PARAMETER_VALUE', "Invalid filter 'x': bad", [{ field: 'filter', message: 'bad' }]));
    expect(e).toEqual({
      title: 'The request was refused',
      detail: "Invalid filter 'x': bad",
      code: 'INVALID_PARAMETER_VALUE',
      fields: ['filter: bad'],
      signInAgain: false,
    });
    expect(errorText(new FerryApiError(401, 'UNAUTHENTICATED', 'Invalid credentials')).signInAgain).toBe(true);
    expect(errorText(new FerryApiError(404, 'RESOURCE_DOES_NOT_EXIST', 'Run x not found')).title).toBe('Not found');
  });
  it('names connection failures and anything else thrown', () => {
    expect(errorText(new FerryConnectionError('http://h', 'refused')).detail).toBe('cannot reach Ferry at http://h: refused');
    expect(errorText(new Error('boom')).detail).toBe('boom');
    expect(errorText('text').detail).toBe('text');
    expect(errorText({ a: 1 }).detail).toBe('{"a":1}');
  });
});
