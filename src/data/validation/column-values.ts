// Values of one column, in its type: reading them out of a batch, comparing them with a suite's bounds and
// value sets, and reporting them. A suite is JSON written without knowing how the reader typed each
// column, so set items are converted to the column's type (items that cannot be converted match nothing):
// a string column matches 7 as "7", a numeric column matches "7" as 7, a datetime column matches ISO text.
import { formatDate, parseIsoDate } from './dates.js';
import type { Bound, ColumnType, ColumnValues, RangeKwargs, ReportedValue, SetItem } from './types.js';

export type Scalar = number | string | boolean;

/** Reported strings are cut to this many characters, so 20 partial values stay small. */
export const MAX_REPORTED_STRING = 256;

export const isNumeric = (t: ColumnType): boolean => t === 'integer' || t === 'float';
export const isOrdered = (t: ColumnType): boolean => isNumeric(t) || t === 'datetime';

/** Value i of a column, null when missing (NaN in a Float64Array). */
export function valueAt(values: ColumnValues, i: number): Scalar | null {
  if (values instanceof Float64Array) {
    const x = values[i];
    return x === x ? x : null;
  }
  const v = values[i];
  return v === undefined ? null : v;
}

/** A value as results show it: datetimes as ISO text, long strings cut with an ellipsis. */
export function reportValue(type: ColumnType, v: Scalar | null): ReportedValue {
  if (v === null) return null;
  if (type === 'datetime' && typeof v === 'number') return formatDate(v);
  if (typeof v === 'string' && v.length > MAX_REPORTED_STRING) return `${v.slice(0, MAX_REPORTED_STRING)}…`;
  return v;
}

/** The text a regex is tested on (GE casts to str first): JavaScript's text of numbers and booleans. */
export function textOf(type: ColumnType, v: Scalar): string {
  if (typeof v === 'string') return v;
  if (type === 'datetime' && typeof v === 'number') return String(formatDate(v));
  return String(v);
}

/** A set item in the column's type, or undefined when it cannot be one. */
export function setItemIn(type: ColumnType, item: SetItem): Scalar | undefined {
  switch (type) {
    case 'string':
      return String(item);
    case 'boolean':
      if (typeof item === 'boolean') return item;
      if (typeof item === 'string' && /^(true|false)$/i.test(item)) return item.toLowerCase() === 'true';
      return undefined;
    case 'datetime':
      if (typeof item === 'number') return item;
      return typeof item === 'string' ? (parseIsoDate(item) ?? undefined) : undefined;
    default: {
      if (typeof item === 'number') return item;
      if (typeof item !== 'string' || item.trim() === '') return undefined;
      const x = Number(item);
      return Number.isFinite(x) ? x : undefined;
    }
  }
}

/** The value set in the column's type; Set's SameValueZero makes 0 and -0 one member. */
export function typedSet(type: ColumnType, items: SetItem[]): Set<Scalar> {
  const out = new Set<Scalar>();
  for (const item of items) {
    const v = setItemIn(type, item);
    if (v !== undefined) out.add(v);
  }
  return out;
}

/** A bound in the column's units (epoch ms for datetimes); a string bound on a numeric column is an error. */
export function boundIn(type: ColumnType, b: Bound | null | undefined, kwarg: string): number | null {
  if (b === null || b === undefined) return null;
  if (typeof b === 'number') return b;
  if (type !== 'datetime') throw new Error(`${kwarg} ${JSON.stringify(b)} is a date, but the column is of type ${type}`);
  return parseIsoDate(b)!;
}

/** A value as a profile's frequent-items sketch keeps it (its text) turned back into the column's type. */
export function fromProfileText(type: ColumnType, s: string): Scalar {
  if (type === 'string') return s;
  if (type === 'boolean') return s === 'true';
  return Number(s);
}

export interface Range {
  lo: number | null;
  hi: number | null;
  strictMin: boolean;
  strictMax: boolean;
}

/** The range of min_value/max_value/strict_* in the column's units. */
export function rangeFor(k: RangeKwargs, type: ColumnType): Range {
  return {
    lo: boundIn(type, k.min_value, 'min_value'),
    hi: boundIn(type, k.max_value, 'max_value'),
    strictMin: k.strict_min === true,
    strictMax: k.strict_max === true,
  };
}

/** Is x inside the range (GE's strict_min / strict_max semantics)? */
export function inRange(x: number, r: Range): boolean {
  if (r.lo !== null && (r.strictMin ? !(x > r.lo) : !(x >= r.lo))) return false;
  if (r.hi !== null && (r.strictMax ? !(x < r.hi) : !(x <= r.hi))) return false;
  return true;
}
