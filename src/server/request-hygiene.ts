/**
 * What every request gets before schema validation, whatever its route:
 * - NUL characters are refused in every string of the query and the body (PostgreSQL text cannot hold them,
 *   so both stores behave alike), naming the field;
 * - a JSON `null` where the schema does not allow null means "not given", as it always has in Ferry: the field
 *   is dropped rather than coerced to 0 or "" by the validator (a required field then reads as missing).
 */
import { InvalidParameterError } from '../errors.js';

type Schema = Record<string, unknown>;

/** The field as users write it: `routes[0].weight`. */
function join(path: string, key: string | number): string {
  return typeof key === 'number' ? `${path}[${key}]` : path ? `${path}.${key}` : key;
}

export function refuseNul(value: unknown, path: string): void {
  if (typeof value === 'string') {
    if (value.includes('\0'))
      throw new InvalidParameterError(path || 'body', `Invalid value for parameter '${path || 'body'}': it must not contain NUL characters.`);
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => refuseNul(v, join(path, i)));
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k.includes('\0')) throw new InvalidParameterError(join(path, k.replaceAll('\0', '\\0')), 'Field names must not contain NUL characters.');
      refuseNul(v, join(path, k));
    }
  }
}

/** Whether a schema admits null (an explicit null type, or no type constraint at all). */
function allowsNull(schema: unknown): boolean {
  if (schema === undefined || schema === true) return true;
  if (schema === null || typeof schema !== 'object') return false;
  const s = schema as Schema;
  const type = s['type'];
  if (type === 'null' || (Array.isArray(type) && type.includes('null'))) return true;
  for (const k of ['anyOf', 'oneOf'] as const) {
    if (Array.isArray(s[k]) && (s[k] as unknown[]).some(allowsNull)) return true;
  }
  if (Array.isArray(s['allOf'])) return (s['allOf'] as unknown[]).every(allowsNull);
  // No type, no combinator, no const/enum: an unconstrained value (Type.Unknown()).
  return type === undefined && !['const', 'enum', 'properties', 'items', 'anyOf', 'oneOf', 'allOf', 'not'].some((k) => k in s);
}

/** The schema of property `key` of an object schema (through allOf / anyOf parts), if it names one. */
function propertySchema(schema: Schema, key: string): unknown {
  const props = schema['properties'] as Record<string, unknown> | undefined;
  if (props && key in props) return props[key];
  for (const k of ['allOf', 'anyOf', 'oneOf'] as const) {
    for (const part of (schema[k] as Schema[] | undefined) ?? []) {
      const found = part && typeof part === 'object' ? propertySchema(part, key) : undefined;
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

/** Drops null-valued fields the schema does not allow to be null, in place, down through objects and arrays. */
export function dropNulls(schema: unknown, value: unknown): void {
  if (schema === null || typeof schema !== 'object' || value === null || typeof value !== 'object') return;
  const s = schema as Schema;
  if (Array.isArray(value)) {
    const items = s['items'];
    if (items && typeof items === 'object') for (const v of value) dropNulls(items, v);
    return;
  }
  const obj = value as Record<string, unknown>;
  for (const key of Object.keys(obj)) {
    const prop = propertySchema(s, key);
    if (prop === undefined) continue;
    if (obj[key] === null) {
      if (!allowsNull(prop)) delete obj[key];
    } else dropNulls(prop, obj[key]);
  }
}
