import { describe, expect, it } from 'vitest';
import { rowTemplate } from './row-template.js';

describe('row template', () => {
  it('puts a placeholder of each input type under its name', () => {
    const sig = {
      source: 'registration' as const,
      inputs: [
        { name: 'age', type: 'float32', shape: '[?, 1]' },
        { name: 'home_ownership', type: 'string', shape: '[?, 1]' },
        { name: 'flag', type: 'bool', shape: null },
      ],
      outputs: [],
      features: [],
    };
    expect(rowTemplate(sig)).toEqual({ age: 0, home_ownership: '', flag: false });
  });
  it('uses the record features of a one-tensor model, and nothing without a signature', () => {
    expect(rowTemplate({ source: 'registration', inputs: [{ name: 'X', type: 'float32', shape: '[?, 2]' }], outputs: [], features: ['a', 'b'] })).toEqual({
      a: 0,
      b: 0,
    });
    expect(rowTemplate(null)).toBeNull();
  });
});
