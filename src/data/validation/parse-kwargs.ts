// Readers for single kwargs of a suite. Each takes the raw JSON value and the field's full path
// (e.g. "expectations[2].kwargs.min_value") and throws InvalidParameterError naming that path.
import { InvalidParameterError } from '../../errors.js';
import { parseIsoDate } from './dates.js';
import { compileUserRegex } from './regex-safety.js';
import { KNOWN_TYPE_NAMES, typesNamed } from './type-names.js';
import type { Bound, QuantileRanges, SetItem } from './types.js';

export const MAX_NAME_LENGTH = 256;
export const MAX_VALUE_SET = 10_000;
export const MAX_SET_ITEM_LENGTH = 1024;
export const MAX_QUANTILES = 100;

export function fail(field: string, message: string): never {
  throw new InvalidParameterError(field, `Invalid value for '${field}': ${message}.`);
}

export function readColumn(v: unknown, field: string): string {
  if (typeof v !== 'string' || v === '') fail(field, 'expected a column name (a non-empty string)');
  if (v.length > MAX_NAME_LENGTH) fail(field, `longer than ${MAX_NAME_LENGTH} characters`);
  return v;
}

export function readBool(v: unknown, field: string): boolean {
  if (typeof v !== 'boolean') fail(field, 'expected true or false');
  return v;
}

export function readMostly(v: unknown, field: string): number {
  if (typeof v !== 'number' || !(v > 0 && v <= 1)) fail(field, `expected a number in (0, 1], got ${JSON.stringify(v)}`);
  return v;
}

export type BoundKind = 'number' | 'count' | 'number_or_date';

/** min_value / max_value: null, a finite number, a non-negative integer (count), or an ISO date. */
export function readBound(v: unknown, field: string, kind: BoundKind): Bound | null {
  if (v === null) return null;
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) fail(field, 'expected a finite number');
    if (kind === 'count' && !(Number.isSafeInteger(v) && v >= 0)) fail(field, 'expected a non-negative integer');
    return v;
  }
  if (typeof v === 'string' && kind === 'number_or_date') {
    if (parseIsoDate(v) === null) fail(field, `expected a number or an ISO 8601 date/time, got ${JSON.stringify(v.slice(0, 64))}`);
    return v;
  }
  fail(
    field,
    kind === 'number_or_date'
      ? 'expected a number, an ISO 8601 date/time or null'
      : kind === 'count'
        ? 'expected a non-negative integer or null'
        : 'expected a number or null',
  );
}

/** A bound's position on the number line (epoch ms for dates), for comparing min with max. */
export function boundValue(b: Bound): number {
  return typeof b === 'number' ? b : parseIsoDate(b)!;
}

export function readValueSet(v: unknown, field: string): SetItem[] {
  if (!Array.isArray(v)) fail(field, 'expected a list of values');
  if (v.length > MAX_VALUE_SET) fail(field, `more than ${MAX_VALUE_SET} values`);
  return v.map((item: unknown, i) => {
    const f = `${field}[${i}]`;
    if (typeof item === 'string') {
      if (item.length > MAX_SET_ITEM_LENGTH) fail(f, `longer than ${MAX_SET_ITEM_LENGTH} characters`);
      return item;
    }
    if (typeof item === 'number' && Number.isFinite(item)) return item;
    if (typeof item === 'boolean') return item;
    return fail(f, 'expected a string, a finite number or a boolean');
  });
}

export function readRegex(v: unknown, field: string): string {
  if (typeof v !== 'string' || v === '') fail(field, 'expected a regular expression (a non-empty string)');
  try {
    compileUserRegex(v);
  } catch (err) {
    fail(field, (err as Error).message);
  }
  return v;
}

export function readTypeName(v: unknown, field: string): string {
  if (typeof v !== 'string' || v === '') fail(field, 'expected a type name');
  if (typesNamed(v) === undefined) fail(field, `unknown type ${JSON.stringify(v.slice(0, 64))} (known: ${KNOWN_TYPE_NAMES.join(', ')})`);
  return v;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function readObject(v: unknown, field: string): Record<string, unknown> {
  if (!isObject(v)) fail(field, 'expected an object');
  return v;
}

export function readQuantileRanges(v: unknown, field: string): QuantileRanges {
  const o = readObject(v, field);
  const qs = o['quantiles'];
  const rs = o['value_ranges'];
  if (!Array.isArray(qs) || qs.length === 0 || qs.length > MAX_QUANTILES) fail(`${field}.quantiles`, `expected a list of 1 to ${MAX_QUANTILES} numbers`);
  if (!Array.isArray(rs) || rs.length !== qs.length) fail(`${field}.value_ranges`, `expected a list of ${qs.length} [min, max] pairs, one per quantile`);
  for (const key of Object.keys(o)) if (key !== 'quantiles' && key !== 'value_ranges') fail(`${field}.${key}`, 'unknown field');
  const quantiles = qs.map((q: unknown, i) => {
    if (typeof q !== 'number' || !(q >= 0 && q <= 1)) fail(`${field}.quantiles[${i}]`, 'expected a number in [0, 1]');
    return q;
  });
  const value_ranges = rs.map((r: unknown, i): [number | null, number | null] => {
    const f = `${field}.value_ranges[${i}]`;
    if (!Array.isArray(r) || r.length !== 2) fail(f, 'expected a [min, max] pair (null for no bound)');
    const [lo, hi] = [readBound(r[0], `${f}[0]`, 'number') as number | null, readBound(r[1], `${f}[1]`, 'number') as number | null];
    if (lo !== null && hi !== null && lo > hi) fail(f, `min ${lo} is greater than max ${hi}`);
    return [lo, hi];
  });
  return { quantiles, value_ranges };
}

/** meta objects are kept as given; only their size is bounded. */
export function readMeta(v: unknown, field: string, maxChars = 10_000): Record<string, unknown> {
  const o = readObject(v, field);
  if (JSON.stringify(o).length > maxChars) fail(field, `larger than ${maxChars} characters of JSON`);
  return o;
}
