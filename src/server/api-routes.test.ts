import { describe, expect, it } from 'vitest';
import { bareNonFinite } from './api-routes.js';

describe('bareNonFinite', () => {
  it('rewrites bare NaN and Infinity outside strings only', () => {
    const text = '{"data": [1.5, NaN, -Infinity, Infinity], "s": "NaN \\" Infinity"}';
    expect(JSON.parse(bareNonFinite(text))).toEqual({ data: [1.5, null, -Infinity, Infinity], s: 'NaN " Infinity' });
  });
});
