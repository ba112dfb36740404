/** Reading CBPE's columns: refusals name the field and the row, as every Ferry statistic does. */
import { InvalidParameterError } from '../../errors.js';

export function column(field: string, values: unknown, length?: number): unknown[] {
  if (!Array.isArray(values) && !ArrayBuffer.isView(values)) {
    throw new InvalidParameterError(field, `'${field}' must be an array.`);
  }
  const arr = Array.from(values as ArrayLike<unknown>);
  if (length !== undefined && arr.length !== length) {
    throw new InvalidParameterError(field, `'${field}' has ${arr.length} values, expected ${length} (one per row).`);
  }
  return arr;
}

/** A binary label: 0/1 or false/true. */
export function binary(field: string, values: unknown, length?: number): Float64Array {
  const arr = column(field, values, length);
  return Float64Array.from(arr, (v, i) => {
    if (v === 0 || v === 1) return v;
    if (typeof v === 'boolean') return v ? 1 : 0;
    throw new InvalidParameterError(field, `'${field}[${i}]' must be 0 or 1 (CBPE is binary here), got ${String(v)}.`);
  });
}

/** A label that may not have arrived yet: null (or NaN) for "no label". */
export function optionalBinary(field: string, values: unknown, length: number): Array<0 | 1 | null> {
  const arr = column(field, values, length);
  return arr.map((v, i) => {
    if (v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v))) return null;
    if (v === 0 || v === 1) return v;
    if (typeof v === 'boolean') return v ? 1 : 0;
    throw new InvalidParameterError(field, `'${field}[${i}]' must be 0, 1 or null, got ${String(v)}.`);
  });
}

/** A probability of the positive class, finite and within [0, 1]. */
export function probability(field: string, values: unknown, length?: number): Float64Array {
  const arr = column(field, values, length);
  return Float64Array.from(arr, (v, i) => {
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > 1) {
      throw new InvalidParameterError(field, `'${field}[${i}]' must be a probability in [0, 1], got ${String(v)}.`);
    }
    return v;
  });
}
