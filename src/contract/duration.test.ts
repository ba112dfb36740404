/** The one duration grammar, as a table: what it accepts (with values), what it refuses (and why), its schema. */
import { Value } from '@sinclair/typebox/value';
import { describe, expect, it } from 'vitest';
import { DURATION_PATTERN, Duration, DurationError, MAX_DURATION_MS, formatDuration, parseDuration, parseInstant } from './duration.js';

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;

const accepts: [string, number][] = [
  ['0', 0],
  ['0s', 0],
  ['500ms', 500],
  ['90s', 90 * S],
  ['5m', 5 * M],
  ['1h', H],
  ['1h30m', 90 * M],
  ['1.5h', 90 * M],
  ['0.5s', 500],
  ['1.25m', 75 * S],
  ['2d12h', 60 * H],
  ['1w', 7 * D],
  ['1w2d3h4m5s6ms', 7 * D + 2 * D + 3 * H + 4 * M + 5 * S + 6],
  ['1m30s', 90 * S],
  ['05m', 5 * M],
  ['1.0005s', 1001], // rounded to the nearest millisecond
  ['0.4ms', 0],
  ['3650d', MAX_DURATION_MS],
  ['521w3d', MAX_DURATION_MS],
];

const refuses: [unknown, RegExp][] = [
  ['', /must be a duration/],
  ['5', /must be a duration/], // a number needs its unit (only 0 goes without)
  ['00', /must be a duration/],
  ['-1m', /must be a duration/],
  ['+1m', /must be a duration/],
  ['.5h', /must be a duration/],
  ['1.h', /must be a duration/],
  ['1e3s', /must be a duration/],
  ['1H', /must be a duration/], // units are lowercase
  ['1M', /must be a duration/],
  ['5 m', /must be a duration/],
  [' 5m', /must be a duration/],
  ['1h 30m', /must be a duration/],
  ['30m1h', /must be a duration/], // largest unit first
  ['1h1h', /must be a duration/], // each unit once
  ['1y', /must be a duration/],
  ['m', /must be a duration/],
  ['1h30', /must be a duration/],
  [`${'1'.repeat(60)}ms1s`, /must be a duration/], // over 64 characters
  [5, /must be a duration/],
  [null, /must be a duration/],
  ['3650d1ms', /too long/],
  ['99999999999d', /too long/],
];

describe('parseDuration', () => {
  it.each(accepts)('accepts %j as %d ms', (text, ms) => {
    expect(parseDuration(text, { allowZero: true })).toBe(ms);
    // The schema's pattern and the parser agree on every accepted text.
    expect(Value.Check(Duration(), text)).toBe(true);
  });

  it.each(refuses)('refuses %j', (text, why) => {
    expect(() => parseDuration(text, { allowZero: true })).toThrow(why);
    expect(() => parseDuration(text, { allowZero: true })).toThrow(DurationError);
    if (typeof text === 'string' && why.source === 'must be a duration') expect(Value.Check(Duration(), text)).toBe(false);
  });

  it('refuses zero unless allowed, and names the field', () => {
    for (const zero of ['0', '0s', '0.0h', '0.4ms']) expect(() => parseDuration(zero, { field: 'window' })).toThrow("'window' must be longer than 0");
    expect(() => parseDuration('1.5x', { field: '--window' })).toThrow(`'--window' must be a duration such as 90s, 5m, 1h30m or 1.5h`);
  });

  it('has one pattern, with no lookarounds (so clients in any language can use it)', () => {
    expect(Duration('x').pattern).toBe(DURATION_PATTERN);
    expect(DURATION_PATTERN).not.toMatch(/\(\?[=!<]/);
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0s'],
    [500, '500ms'],
    [90 * S, '1m30s'],
    [5 * M, '5m'],
    [90 * M, '1h30m'],
    [60 * H, '2d12h'],
    [7 * D, '7d'],
    [D + 1, '1d1ms'],
  ] as [number, string][])('writes %d ms as %j, which parses back the same', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
    expect(parseDuration(text, { allowZero: true })).toBe(ms);
  });

  it('refuses what is not a duration', () => {
    expect(() => formatDuration(-1)).toThrow(RangeError);
    expect(() => formatDuration(Number.NaN)).toThrow(RangeError);
  });
});

describe('parseInstant', () => {
  const now = Date.parse('2026-01-02T00:00:00Z');
  it.each([
    ['1h30m', now - 90 * M],
    ['1.5h', now - 90 * M],
    ['24h', now - D],
    ['0', 0], // digits are epoch milliseconds
    ['1700000000000', 1_700_000_000_000],
    [1_700_000_000_000, 1_700_000_000_000],
    ['2026-01-01T00:00:00Z', now - D],
  ] as [string | number, number][])('reads %j', (value, ms) => {
    expect(parseInstant(value, now)).toBe(ms);
  });

  it('refuses what is neither, naming the field; a too-long duration as a duration', () => {
    expect(() => parseInstant('soon', now, { field: 'since' })).toThrow(/'since' must be an ISO 8601 time, epoch milliseconds or a duration ago/);
    expect(() => parseInstant('', now)).toThrow(DurationError);
    expect(() => parseInstant('99999d', now, { field: 'from' })).toThrow("'from' is too long");
  });
});
