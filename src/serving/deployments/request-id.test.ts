import { describe, expect, it } from 'vitest';
import { requestId } from './request-id.js';

describe('request ids', () => {
  it('are RFC 9562 version 7 UUIDs carrying the time, unique and ordered by time', () => {
    const id = requestId(Date.UTC(2026, 10, 23, 1, 2, 3, 456));
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(Date.UTC(2026, 10, 23, 1, 2, 3, 456));
    const ids = Array.from({ length: 5000 }, (_, i) => requestId(1_700_000_000_000 + i));
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
  });
});
