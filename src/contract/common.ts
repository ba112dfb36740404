/** Small shapes shared by many operations. */
import { type SchemaOptions, type StringOptions, type TSchema, Type } from '@sinclair/typebox';

/** An answer with nothing to say (MLflow's empty response, a delete). */
export const Empty = Type.Object({}, { additionalProperties: false });

/** A value or null (fields a record has but that are not set). */
export const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);

/** Milliseconds since the Unix epoch. */
export const EpochMs = Type.Integer({ description: 'milliseconds since the Unix epoch' });

/** A name used in URLs (deployments, datasets): lowercase letters, digits and dashes. */
export const SlugName = Type.String({ pattern: '^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$', description: 'lowercase letters, digits and dashes; 1–63 characters' });

/** A path parameter `:name`. */
export const NameParams = Type.Object({ name: Type.String({ minLength: 1 }) });

/** A list in a query string: repeated keys (`?id=a&id=b`); a single key is a one-item list. */
export const QueryList = (description?: string) => Type.Array(Type.String(), description ? { description } : {});

/** An opaque token for the next page. */
export const PageToken = Type.String({ description: 'from the previous page; absent on the last page' });

/** No NUL characters (PostgreSQL text cannot hold them; the server refuses them anywhere, this documents it). */
export const NO_NUL = '^[^\\u0000]*$';

/** A string without NUL characters. */
export const Text = (opts: StringOptions = {}) => Type.String({ pattern: NO_NUL, ...opts });

/** One of a few strings, as a JSON Schema enum (a failed check names the allowed values). */
export const StringEnum = <const T extends readonly string[]>(values: T, options: SchemaOptions = {}) =>
  Type.Unsafe<T[number]>({ ...options, type: 'string', enum: [...values] });
