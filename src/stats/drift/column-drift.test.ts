import { describe, expect, it } from 'vitest';
import { InvalidParameterError } from '../../errors.js';
import { columnDrift, datasetDrift } from './column-drift.js';

const range = (n: number, f: (i: number) => number) => Array.from({ length: n }, (_, i) => f(i));

describe('columnDrift: inputs', () => {
  it('refuses an empty current sample with an error naming it', () => {
    const call = () => columnDrift({ kind: 'numerical', reference: [1, 2, 3], current: [] });
    expect(call).toThrow(InvalidParameterError);
    expect(call).toThrow(/'current' is empty/);
  });

  it('refuses a side that is all missing values', () => {
    expect(() => columnDrift({ kind: 'numerical', reference: [NaN, null, Infinity], current: [1] })).toThrow(/'reference' has no usable values/);
    expect(() => columnDrift({ kind: 'categorical', reference: ['a'], current: [null, undefined] })).toThrow(InvalidParameterError);
  });

  it('drops NaN, ±Infinity and null (as Evidently does) and counts them', () => {
    const clean = columnDrift({ kind: 'numerical', reference: [1, 2, 3, 4, 5, 6, 7], current: [2, 3, 4, 5, 6, 7, 8] });
    const dirty = columnDrift({
      kind: 'numerical',
      reference: [1, NaN, 2, 3, null, 4, 5, 6, 7],
      current: [Infinity, 2, 3, 4, 5, 6, -Infinity, 7, 8],
    });
    expect(dirty.reference.dropped).toBe(2);
    expect(dirty.current.dropped).toBe(2);
    expect(dirty.reference.rows).toBe(7);
    expect(dirty.p_value).toBe(clean.p_value);
  });

  it('refuses strings in a numerical column', () => {
    expect(() => columnDrift({ kind: 'numerical', reference: [1, '2' as unknown as number], current: [1] })).toThrow(/non-numeric value at index 1/);
  });

  it('refuses an unknown method, or one that does not fit the column kind', () => {
    expect(() => columnDrift({ kind: 'numerical', reference: [1], current: [1], method: 'nope' as never })).toThrow(/Unknown drift method 'nope'/);
    expect(() => columnDrift({ kind: 'categorical', reference: ['a'], current: ['b'], method: 'ks' })).toThrow(/does not apply to categorical/);
  });

  it('accepts Float64Array and number[] alike', () => {
    const ref = range(200, (i) => Math.sin(i) * 10);
    const cur = range(150, (i) => Math.cos(i) * 10 + 1);
    const a = columnDrift({ kind: 'numerical', reference: ref, current: cur });
    const b = columnDrift({ kind: 'numerical', reference: Float64Array.from(ref), current: Float64Array.from(cur) });
    expect(b).toEqual(a);
  });
});

describe('columnDrift: edge cases', () => {
  it('constant columns, same constant: no drift with the default test (z)', () => {
    const r = columnDrift({ kind: 'numerical', reference: [5, 5, 5, 5], current: [5, 5] });
    expect(r).toMatchObject({ method: 'z', p_value: 1, drifted: false });
  });

  it('constant reference, large: normed Wasserstein floors the std at 0.001', () => {
    const r = columnDrift({
      kind: 'numerical',
      reference: range(2000, () => 1),
      current: range(100, (i) => 1 + i / 1000),
      method: 'wasserstein',
    });
    // W1 = mean shift 0.0495; / 0.001
    expect(r.statistic).toBeCloseTo(49.5, 9);
    expect(r.drifted).toBe(true);
  });

  it('all ties in KS: D = 0, p = 1', () => {
    const r = columnDrift({ kind: 'numerical', reference: [2, 2, 2], current: [2, 2], method: 'ks' });
    expect(r).toMatchObject({ statistic: 0, p_value: 1, drifted: false });
  });

  it('a single category on both sides', () => {
    for (const method of ['z', 'chisquare', 'jensenshannon', 'psi', 'kl_div', 'hellinger'] as const) {
      const r = columnDrift({ kind: 'categorical', reference: ['a', 'a'], current: ['a'], method });
      expect(r.drifted, method).toBe(false);
      expect(r.reference.categories).toEqual(['a']);
    }
  });

  it('a category only in current: chi-squared is infinite, as in scipy', () => {
    const r = columnDrift({ kind: 'categorical', reference: ['a', 'b', 'a'], current: ['c', 'a', 'b'], method: 'chisquare' });
    expect(r.statistic).toBe(Infinity);
    expect(r.p_value).toBe(0);
    expect(r.drifted).toBe(true);
  });

  it('Jensen-Shannon of disjoint categories is sqrt(ln 2)', () => {
    const r = columnDrift({ kind: 'categorical', reference: range(2000, () => 1).map(() => 'x'), current: ['y'] });
    expect(r.method).toBe('jensenshannon');
    expect(r.statistic).toBeCloseTo(Math.sqrt(Math.LN2), 15);
    expect(r.p_value).toBeNull();
  });

  it('reference bins: out-of-range current values land in underflow/overflow, new categories in unseen', () => {
    const ref = range(1000, (i) => i / 10);
    const r = columnDrift({ kind: 'numerical', reference: ref, current: [-5, 50, 200, 300], method: 'psi', binMode: 'reference' });
    expect(r.current.underflow).toEqual({ count: 1, share: 0.25 });
    expect(r.current.overflow).toEqual({ count: 2, share: 0.5 });
    expect(r.reference.edges?.[0]).toBe(0);
    expect(r.reference.edges?.at(-1)).toBe(99.9);
    const c = columnDrift({ kind: 'categorical', reference: ['a', 'b'], current: ['a', 'q'], binMode: 'reference', method: 'psi' });
    expect(c.current.unseen).toEqual({ count: 1, share: 0.5 });
    expect(c.current.categories).toEqual(['a', 'b']);
  });
});

describe('datasetDrift', () => {
  const cols = (drifted: boolean[]) => drifted.map((d) => ({ drifted: d }));

  it('is inclusive at the share threshold (Evidently: share >= drift_share)', () => {
    expect(datasetDrift(cols([true, false]))).toEqual({
      dataset_drift: true,
      drift_share: 0.5,
      number_drifted: 1,
      number_of_columns: 2,
      share_drifted: 0.5,
    });
    expect(datasetDrift(cols([true, false, false])).dataset_drift).toBe(false);
    expect(datasetDrift(cols([true, false, false]), 1 / 3).dataset_drift).toBe(true);
  });

  it('refuses an empty list and a share outside [0, 1]', () => {
    expect(() => datasetDrift([])).toThrow(InvalidParameterError);
    expect(() => datasetDrift(cols([true]), 1.5)).toThrow(/shareThreshold/);
  });
});
