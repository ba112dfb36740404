// Type inference: each non-null cell gets a class bit; a column's type is the narrowest type every class seen so far
// fits in, along boolean < integer < float < datetime < string (integer fits float; nothing else crosses).
import { isNullBytes, numberSyntax, parseBoolean, parseDatetime, parseDatetimeText, parseNumber } from './values.js';
import type { ColumnType, FitCheck, Mismatch, SchemaWarning } from './types.js';
import type { WorkColumn } from './work-schema.js';

export const C_BOOL = 1;
export const C_INT = 2;
export const C_FLOAT = 4;
export const C_DATE = 8;
export const C_STRING = 16;

/** A CSV cell's class, or 0 for a null. */
export function classifyBytes(buf: Uint8Array, s: number, e: number): number {
  if (isNullBytes(buf, s, e)) return 0;
  if (parseBoolean(buf, s, e) >= 0) return C_BOOL;
  parseNumber(buf, s, e);
  if (numberSyntax === 1) return C_INT;
  if (numberSyntax === 2) return C_FLOAT;
  if (!Number.isNaN(parseDatetime(buf, s, e))) return C_DATE;
  return C_STRING;
}

/** A JSON value's class, or 0 for null. Strings stay strings unless they are ISO datetimes (JSON has types). */
export function classifyValue(v: unknown): number {
  switch (typeof v) {
    case 'boolean':
      return C_BOOL;
    case 'number':
      return Number.isInteger(v) ? C_INT : C_FLOAT;
    case 'string':
      return Number.isNaN(parseDatetimeText(v)) ? C_STRING : C_DATE;
    default:
      return v === null || v === undefined ? 0 : C_STRING;
  }
}

export function typeOfClasses(mask: number): ColumnType {
  switch (mask) {
    case C_BOOL:
      return 'boolean';
    case C_INT:
      return 'integer';
    case C_FLOAT:
    case C_INT | C_FLOAT:
      return 'float';
    case C_DATE:
      return 'datetime';
    default:
      return 'string'; // mixed classes, or no value at all
  }
}

/** One value's class against a FitCheck (widening integer → float as a read would); false at a misfit. */
export function fitsCheck(check: FitCheck, cls: number): boolean {
  if (cls === 0) return true;
  switch (check.type) {
    case 'string':
      return true;
    case 'integer':
      if (cls === C_FLOAT) {
        check.type = 'float';
        check.widened = true;
      }
      return cls === C_INT || cls === C_FLOAT;
    case 'float':
      return cls === C_INT || cls === C_FLOAT;
    case 'boolean':
      return cls === C_BOOL;
    case 'datetime':
      return cls === C_DATE;
  }
}

/** Per-column class masks over a sample. */
export class TypeVotes {
  readonly masks: number[] = [];
  readonly nulls: boolean[] = [];

  add(j: number, cls: number): void {
    if (cls === 0) this.nulls[j] = true;
    else this.masks[j] = (this.masks[j] ?? 0) | cls;
  }

  columns(names: readonly string[]): WorkColumn[] {
    return names.map((name, j) => {
      const mask = this.masks[j] ?? 0;
      // A column with no value in the sample stays open: its first value later decides (string if none comes).
      const col: WorkColumn = { name, type: typeOfClasses(mask), nullable: this.nulls[j] ?? false };
      if (mask === 0) col.pending = true;
      return col;
    });
  }
}

/** The warning a demotion to string leaves in the schema. */
export function demotionWarning(type: ColumnType, m: Mismatch): SchemaWarning {
  const where = m.line !== undefined ? `line ${m.line}` : `row ${m.row}`;
  const text = m.text.length > 40 ? `${m.text.slice(0, 40)}…` : m.text;
  return {
    column: m.column,
    ...(m.line !== undefined ? { line: m.line } : { row: m.row }),
    message: `column '${m.column}' looked ${type} until ${where} ('${text}'); profiled as string`,
  };
}
