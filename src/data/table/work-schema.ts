// The schema a read works on: the public ColumnSchema plus `pending` (no value seen yet, type still open).
// Readers change it in place (integer → float, nullable, JSON keys first seen late); the caller publishes it.
import type { ProfileKind } from '../../stats/index.js';
import type { ColumnSchema, ColumnType } from './types.js';

export interface WorkColumn extends ColumnSchema {
  /** Only nulls so far: the first batch with values settles the type (so an empty start is not a demotion). */
  pending?: boolean;
  /** The type a pending column settled on (before any widening): what a demotion warning says it looked like. */
  settled?: ColumnType;
}

export function workColumns(columns: readonly ColumnSchema[]): WorkColumn[] {
  return columns.map((c) => ({ ...c }));
}

/** The public schema columns: a column still pending at the end held only nulls (a nullable string column). */
export function publicColumns(cols: readonly WorkColumn[]): ColumnSchema[] {
  return cols.map((c) => ({ name: c.name, type: c.pending ? 'string' : c.type, nullable: c.nullable || c.pending === true }));
}

export function isNumericType(t: ColumnType): boolean {
  return t === 'integer' || t === 'float' || t === 'datetime';
}

/** Profile kinds to fix up front; pending columns are left out so their first value decides. */
export function profileKinds(cols: readonly WorkColumn[]): Record<string, ProfileKind> {
  // No prototype: DatasetProfile looks kinds up by column name, and a column may be called "constructor".
  const kinds = Object.create(null) as Record<string, ProfileKind>;
  for (const c of cols) if (!c.pending) kinds[c.name] = isNumericType(c.type) ? 'numerical' : 'categorical';
  return kinds;
}
