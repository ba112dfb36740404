// Tokenized CSV rows → typed column batches, one column at a time (a tight loop per type, no per-cell dispatch).
// Numbers, booleans and datetimes are parsed from the bytes; only string columns decode text.
import { DataFileError } from '../../errors.js';
import type { RawCsvBatch } from './csv-source.js';
import { fieldText, utf8 } from './csv-source.js';
import { F_ESCAPED } from './csv-tokenizer.js';
import { classifyBytes, fitsCheck, typeOfClasses, type TypeVotes } from './infer.js';
import { newColumns, type ColumnSchema, type FitCheck, type Mismatch, type ScanOptions, type TableBatch } from './types.js';
import type { WorkColumn } from './work-schema.js';
import { StringInterner } from './string-intern.js';
import { isNullBytes, numberSyntax, parseBoolean, parseDatetime, parseNumber } from './values.js';

type Report = (j: number, i: number) => void;

/** A value that does not fit: a DataFileError, unless the caller collects mismatches (the value is then null). */
export function mismatchReporter(raw: RawCsvBatch, cols: readonly ColumnSchema[], o: Pick<ScanOptions, 'onMismatch'>): Report {
  const { buf, tok } = raw;
  return (j, i) => {
    const k = i * tok.ncols + j;
    const m: Mismatch = { column: cols[j].name, line: tok.lines[i], text: fieldText(buf, tok.starts[k], tok.ends[k], tok.flags[k]) };
    if (o.onMismatch) return o.onMismatch(m);
    throw new DataFileError(`'${m.text}' is not ${cols[j].type === 'integer' ? 'an' : 'a'} ${cols[j].type} value`, { line: m.line, column: m.column });
  };
}

function numbers(raw: RawCsvBatch, j: number, col: ColumnSchema, report: Report): Float64Array {
  const { buf, tok } = raw;
  const { starts, ends, ncols } = tok;
  const out = new Float64Array(tok.rows);
  let nulls = false;
  let fraction = false;
  for (let i = 0, k = j; i < out.length; i++, k += ncols) {
    const s = starts[k];
    const e = ends[k];
    if (s === e) {
      out[i] = NaN;
      nulls = true;
      continue;
    }
    const v = parseNumber(buf, s, e);
    if (numberSyntax === 0) {
      out[i] = NaN;
      if (isNullBytes(buf, s, e)) nulls = true;
      else report(j, i);
    } else {
      out[i] = v;
      if (numberSyntax === 2) fraction = true;
    }
  }
  // A decimal in an integer column widens it to float: the same numbers, so the profile needs no second pass.
  if (fraction && col.type === 'integer') col.type = 'float';
  if (nulls) col.nullable = true;
  return out;
}

function datetimes(raw: RawCsvBatch, j: number, col: ColumnSchema, report: Report): Float64Array {
  const { buf, tok } = raw;
  const { starts, ends, ncols } = tok;
  const out = new Float64Array(tok.rows);
  for (let i = 0, k = j; i < out.length; i++, k += ncols) {
    const v = parseDatetime(buf, starts[k], ends[k]);
    out[i] = v;
    if (v !== v) {
      if (isNullBytes(buf, starts[k], ends[k])) col.nullable = true;
      else report(j, i);
    }
  }
  return out;
}

function booleans(raw: RawCsvBatch, j: number, col: ColumnSchema, report: Report): (boolean | null)[] {
  const { buf, tok } = raw;
  const { starts, ends, ncols } = tok;
  const out = new Array<boolean | null>(tok.rows);
  for (let i = 0, k = j; i < out.length; i++, k += ncols) {
    const b = parseBoolean(buf, starts[k], ends[k]);
    out[i] = b < 0 ? null : b === 1;
    if (b < 0) {
      if (isNullBytes(buf, starts[k], ends[k])) col.nullable = true;
      else report(j, i);
    }
  }
  return out;
}

function strings(raw: RawCsvBatch, j: number, col: ColumnSchema, interner: StringInterner, check?: FitCheck): (string | null)[] {
  const { buf, tok } = raw;
  const { starts, ends, flags, ncols } = tok;
  const out = new Array<string | null>(tok.rows);
  for (let i = 0, k = j; i < out.length; i++, k += ncols) {
    const s = starts[k];
    const e = ends[k];
    if (isNullBytes(buf, s, e)) {
      out[i] = null;
      col.nullable = true;
      continue;
    }
    if (interner.enabled && !(flags[k] & F_ESCAPED)) out[i] = interner.get(buf, s, e, utf8);
    else out[i] = fieldText(buf, s, e, flags[k]);
    if (check && check.misfit === null && !fitsCheck(check, classifyBytes(buf, s, e))) {
      check.misfit = { column: col.name, line: tok.lines[i], text: out[i]! };
    }
  }
  return out;
}

/**
 * A column that has only had nulls so far takes the type of its first value (stays pending if this batch has none):
 * by value, not by batch, so where batches or ranges happen to begin never changes the result.
 */
function settle(raw: RawCsvBatch, j: number, col: WorkColumn): void {
  const { buf, tok } = raw;
  for (let i = 0, k = j; i < tok.rows; i++, k += tok.ncols) {
    const cls = classifyBytes(buf, tok.starts[k], tok.ends[k]);
    if (cls === 0) continue;
    col.type = col.settled = typeOfClasses(cls);
    col.pending = false;
    return;
  }
}

/** Converts the batch's columns (all, or those in o.only) by the working schema `cols` (widened in place). */
export function convertCsvBatch(
  raw: RawCsvBatch,
  cols: WorkColumn[],
  o: Pick<ScanOptions, 'onMismatch' | 'only' | 'checks'>,
  /** One per column, kept across the batches of a read. */
  interners: StringInterner[] = [],
): TableBatch {
  const report = mismatchReporter(raw, cols, o);
  const columns = newColumns();
  for (let j = 0; j < cols.length; j++) {
    const col = cols[j];
    if (o.only && !o.only.has(col.name)) continue;
    if (col.pending) settle(raw, j, col);
    switch (col.type) {
      case 'integer':
      case 'float':
        columns[col.name] = numbers(raw, j, col, report);
        break;
      case 'datetime':
        columns[col.name] = datetimes(raw, j, col, report);
        break;
      case 'boolean':
        columns[col.name] = booleans(raw, j, col, report);
        break;
      default:
        columns[col.name] = strings(raw, j, col, (interners[j] ??= new StringInterner()), o.checks?.get(col.name));
    }
  }
  const { tok } = raw;
  return { firstRow: raw.firstRow, rows: tok.rows, lines: tok.lines.slice(0, tok.rows), columns };
}

/** Adds each cell's class to the votes (type inference over a sample). */
export function classifyCsvBatch(raw: RawCsvBatch, votes: TypeVotes): void {
  const { buf, tok } = raw;
  const { starts, ends, ncols } = tok;
  for (let j = 0; j < ncols; j++) {
    let mask = 0;
    let nulls = false;
    for (let i = 0, k = j; i < tok.rows; i++, k += ncols) {
      const cls = classifyBytes(buf, starts[k], ends[k]);
      if (cls === 0) nulls = true;
      mask |= cls;
    }
    if (nulls) votes.add(j, 0);
    if (mask !== 0) votes.add(j, mask);
  }
}
