import { describe, expect, it } from 'vitest';
import { formatBytes, formatDuration, formatNumber } from './format.js';

describe('formats', () => {
  it('formats numbers readably', () => {
    expect(formatNumber(0.123456789)).toBe('0.123457');
    expect(formatNumber(1234567)).toBe('1\u2009234\u2009567');
    expect(formatNumber(1e-7)).toBe('1.000e-7');
    expect(formatNumber('NaN')).toBe('NaN');
    expect(formatNumber(undefined)).toBe('');
  });
  it('formats durations and sizes', () => {
    expect(formatDuration(850)).toBe('850ms');
    expect(formatDuration(12_300)).toBe('12.3s');
    expect(formatDuration(245_000)).toBe('4m 05s');
    expect(formatDuration(7_800_000)).toBe('2h 10m');
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KB');
  });
});
