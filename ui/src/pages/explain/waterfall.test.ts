import { describe, expect, it } from 'vitest';
import { parseDatasetRef, parseRow, valueText, waterfall } from './waterfall.js';

describe('waterfall', () => {
  it('orders steps by |φ| and runs from the base value to f(x)', () => {
    const w = waterfall(0.5, { a: 0.1, b: -0.3, c: 0.05 }, 0.35, { a: 1, b: 'rent' });
    expect(w.steps.map((s) => s.label)).toEqual(['b', 'a', 'c']);
    expect(w.steps[0]).toMatchObject({ phi: -0.3, start: 0.5, value: 'rent' });
    expect(w.steps[0]!.end).toBeCloseTo(0.2, 12);
    expect(w.steps[2]!.end).toBeCloseTo(0.35, 12);
    expect(w.lo).toBeCloseTo(0.2, 12);
    expect(w.hi).toBe(0.5);
  });
  it('folds the smallest into one step that keeps the sum', () => {
    const phis = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`f${i}`, (i % 2 ? -1 : 1) * (i + 1)]));
    const total = Object.values(phis).reduce((a, b) => a + b, 0);
    const w = waterfall(1, phis, 1 + total, {}, 5);
    expect(w.steps).toHaveLength(5);
    expect(w.steps.slice(0, 4).map((s) => s.label)).toEqual(['f19', 'f18', 'f17', 'f16']);
    expect(w.steps[4]).toMatchObject({ label: '16 other features', folded: 16 });
    expect(w.steps[4]!.end).toBeCloseTo(1 + total, 12);
  });
  it('breaks ties by name, so two renders agree', () => {
    expect(waterfall(0, { z: 1, a: -1 }, 0).steps.map((s) => s.label)).toEqual(['a', 'z']);
  });
});

describe('form input', () => {
  it('reads a row as one JSON object', () => {
    expect(parseRow('{"age": 40}')).toEqual({ ok: true, row: { age: 40 } });
    expect(parseRow('[1]')).toMatchObject({ ok: false, error: expect.stringContaining('one JSON object') });
    expect(parseRow('{}')).toMatchObject({ ok: false });
    expect(parseRow('{age')).toMatchObject({ ok: false, error: expect.stringContaining('not JSON') });
  });
  it('reads NAME@VERSION', () => {
    expect(parseDatasetRef(' credit-train@3 ')).toEqual({ dataset: 'credit-train', version: '3' });
    expect(parseDatasetRef('a@b@12')).toEqual({ dataset: 'a@b', version: '12' });
    expect(parseDatasetRef('credit')).toBeNull();
    expect(parseDatasetRef('credit@0')).toBeNull();
  });
  it('shortens values for labels', () => {
    expect(valueText(0.123456789)).toBe('0.123457');
    expect(valueText(null)).toBe('null');
    expect(valueText('x'.repeat(30))).toHaveLength(24);
  });
});
