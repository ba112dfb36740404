import { describe, expect, it } from 'vitest';
import { ColumnAcc, decodeColumn, encodeColumn } from './column-acc.js';

describe('stored columns', () => {
  it('keeps float32 values as 4 bytes each, exactly, and missing values as null', () => {
    const xs = Float64Array.from([Math.fround(0.35), -0, Math.fround(5200.53), NaN, 7, Math.fround(-1e-40)]);
    const enc = encodeColumn(xs);
    expect(Object.keys(enc)).toEqual(['f32']);
    expect(Buffer.from((enc as { f32: string }).f32, 'base64').length).toBe(4 * xs.length);
    expect(decodeColumn(JSON.parse(JSON.stringify(enc)))).toEqual([Math.fround(0.35), -0, Math.fround(5200.53), null, 7, Math.fround(-1e-40)]);
  });

  it('keeps any other number exactly, as float64', () => {
    const xs = Float64Array.from([0.1, 2 ** 53, -1.7976931348623157e308, NaN, 5e-324]);
    const enc = encodeColumn(xs);
    expect(Object.keys(enc)).toEqual(['f64']);
    expect(decodeColumn(JSON.parse(JSON.stringify(enc)))).toEqual([0.1, 2 ** 53, -1.7976931348623157e308, null, 5e-324]);
  });

  it('stores text and mixed columns as lists, in the order gathered', () => {
    const acc = new ColumnAcc();
    acc.addNums(Float64Array.from([1.5, NaN]), 0, 2);
    acc.addList(['rent', null, true], 3);
    acc.addStrings(Float64Array.from([1, NaN]), ['own', 'car'], 0, 2);
    const enc = encodeColumn(acc.result());
    expect(enc).toEqual([1.5, null, 'rent', null, true, 'car', null]);
    expect(decodeColumn(enc)).toEqual(enc);
  });

  it('answers an empty column as an empty list of either kind', () => {
    expect(decodeColumn(encodeColumn(new ColumnAcc().result()))).toEqual([]);
    expect(decodeColumn(encodeColumn(new Float64Array(0)))).toEqual([]);
  });
});
