/**
 * Reading typed fields out of an already-parsed request object (JSON body, or query string for GET,
 * where everything arrives as strings and lists as repeated keys). Every failure names the field.
 */
import { InvalidParameterError } from './errors.js';
import { DurationError, parseDuration, parseInstant } from './contract/duration.js';

export type Fields = Record<string, unknown>;

export function optString(f: Fields, name: string): string | undefined {
  const v = f[name];
  if (v === undefined || v === null) return undefined;
  if (Array.isArray(v)) return optString({ [name]: v[v.length - 1] }, name);
  if (typeof v === 'string') {
    // PostgreSQL text cannot hold NUL; refuse it everywhere so both stores behave alike.
    if (v.includes('\0')) throw new InvalidParameterError(name, `Invalid value for parameter '${name}': it must not contain NUL characters.`);
    return v;
  }
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  throw new InvalidParameterError(name, `Invalid value for parameter '${name}': expected a string.`);
}

export function reqString(f: Fields, name: string): string {
  const v = optString(f, name);
  if (v === undefined || v === '') {
    throw new InvalidParameterError(name, `Missing value for required parameter '${name}'.`);
  }
  return v;
}

export function optInt(f: Fields, name: string, opts: { min?: number; max?: number } = {}): number | undefined {
  const raw = f[name];
  if (raw === undefined || raw === null || raw === '') return undefined;
  const v = typeof raw === 'string' && /^-?\d+$/.test(raw.trim()) ? Number(raw) : raw;
  if (typeof v !== 'number' || !Number.isSafeInteger(v)) {
    throw new InvalidParameterError(name, `Invalid value for parameter '${name}': expected an integer, got ${JSON.stringify(raw)}.`);
  }
  if (opts.min !== undefined && v < opts.min) {
    throw new InvalidParameterError(name, `Invalid value ${v} for parameter '${name}': must be at least ${opts.min}.`);
  }
  if (opts.max !== undefined && v > opts.max) {
    throw new InvalidParameterError(name, `Invalid value ${v} for parameter '${name}': must be at most ${opts.max}.`);
  }
  return v;
}

export function reqInt(f: Fields, name: string, opts: { min?: number; max?: number } = {}): number {
  const v = optInt(f, name, opts);
  if (v === undefined) throw new InvalidParameterError(name, `Missing value for required parameter '${name}'.`);
  return v;
}

/** A list field: a JSON array, or repeated query keys (a single string in a query is a one-item list). */
export function optStringList(f: Fields, name: string): string[] | undefined {
  const v = f[name];
  if (v === undefined || v === null) return undefined;
  const arr = Array.isArray(v) ? v : [v];
  return arr.map((item, i) => {
    if (typeof item === 'string') return item;
    if (typeof item === 'number') return String(item);
    throw new InvalidParameterError(`${name}[${i}]`, `Invalid value for parameter '${name}': expected a list of strings.`);
  });
}

export function optArray(f: Fields, name: string): Fields[] {
  const v = f[name];
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new InvalidParameterError(name, `Invalid value for parameter '${name}': expected a list.`);
  return v.map((item, i) => {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) {
      throw new InvalidParameterError(`${name}[${i}]`, `Invalid value for '${name}[${i}]': expected an object.`);
    }
    return item as Fields;
  });
}

export function optBool(f: Fields, name: string): boolean | undefined {
  const v = f[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'boolean') return v;
  if (v === 'true') return true;
  if (v === 'false') return false;
  throw new InvalidParameterError(name, `Invalid value for parameter '${name}': expected true or false.`);
}

/** Key/value tag lists as MLflow sends them: [{key, value}]. */
export function tagList(f: Fields, name: string): { key: string; value: string }[] {
  return optArray(f, name).map((t, i) => {
    const key = optString(t, 'key');
    if (!key) throw new InvalidParameterError(`${name}[${i}].key`, `Missing value for required parameter '${name}[${i}].key'.`);
    return { key, value: optString(t, 'value') ?? '' };
  });
}

/** A duration in Ferry's one grammar (src/contract/duration.ts); a refusal names the field. */
export function durationField(raw: unknown, name: string, opts: { allowZero?: boolean } = {}): number {
  return asFieldError(name, () => parseDuration(raw, { field: name, ...opts }));
}

/** A point in time: epoch ms, a duration ago ("1h30m") or ISO 8601 (src/contract/duration.ts); a refusal names the field. */
export function instantField(raw: unknown, name: string, now: number): number {
  return asFieldError(name, () => parseInstant(raw, now, { field: name }));
}

function asFieldError<T>(name: string, read: () => T): T {
  try {
    return read();
  } catch (err) {
    if (err instanceof DurationError) throw new InvalidParameterError(name, err.message);
    throw err;
  }
}
