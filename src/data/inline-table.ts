/**
 * A table sent in a JSON body (offline drift and validation): checked, then written as a JSON Lines file and
 * profiled by the code a pushed dataset version goes through, so both answer from the same schema and profile.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { MAX_INLINE_COLUMNS, MAX_INLINE_ROWS } from '../contract/data.js';
import { InvalidParameterError, PayloadTooLargeError } from '../errors.js';
import { spool } from './spool.js';
import { type TableProfileResult, profileTable } from './table/index.js';

export type Cell = string | number | boolean | null;
export interface InlineTableInput {
  columns?: Record<string, Cell[]>;
  rows?: Record<string, Cell>[];
  floats?: string[];
}

/** Columns in order, each as long as the others. */
export interface CheckedTable {
  names: string[];
  values: Cell[][];
  rows: number;
  /** Columns to type float where the values alone read as integer. */
  floats: Set<string>;
}

/** The table as columns; refuses (naming the field) what a data file could not say or would say differently. */
export function checkTable(t: InlineTableInput, field: string): CheckedTable {
  if ((t.columns === undefined) === (t.rows === undefined))
    throw new InvalidParameterError(field, `Give exactly one of '${field}.columns' or '${field}.rows'.`);
  let names: string[];
  let values: Cell[][];
  if (t.columns !== undefined) {
    names = Object.keys(t.columns);
    values = names.map((n) => t.columns![n]!);
  } else {
    const rows = t.rows!;
    if (rows.length > MAX_INLINE_ROWS) throw tooMany(`${field}.rows`, rows.length);
    // Keys in the order first seen (as a JSON Lines reader meets them); a key a row lacks is null there.
    const index = new Map<string, number>();
    for (const r of rows) for (const k of Object.keys(r)) if (!index.has(k)) index.set(k, index.size);
    names = [...index.keys()];
    if (names.length > MAX_INLINE_COLUMNS)
      throw new InvalidParameterError(`${field}.rows`, `'${field}.rows' has ${names.length} columns; at most ${MAX_INLINE_COLUMNS}.`);
    values = names.map(() => new Array<Cell>(rows.length).fill(null));
    rows.forEach((r, i) => {
      for (const [k, v] of Object.entries(r)) values[index.get(k)!]![i] = v;
    });
  }
  const where = (name: string) => (t.columns !== undefined ? `${field}.columns.${name}` : `${field}.rows`);
  if (names.length === 0) throw new InvalidParameterError(field, `'${field}' has no columns.`);
  const rows = values[0]!.length;
  names.forEach((name, j) => {
    const col = values[j]!;
    if (col.length > MAX_INLINE_ROWS) throw tooMany(where(name), col.length);
    if (col.length !== rows)
      throw new InvalidParameterError(
        where(name),
        `Column '${name}' of '${field}' has ${col.length} values and '${names[0]}' has ${rows}: every column must be as long.`,
      );
    checkColumn(col, name, where(name));
  });
  if (rows === 0) throw new InvalidParameterError(field, `'${field}' has no rows.`);
  const known = new Set(names);
  (t.floats ?? []).forEach((n, i) => {
    if (!known.has(n)) throw new InvalidParameterError(`${field}.floats[${i}]`, `'${n}' is not a column of '${field}'.`);
  });
  return { names, values, rows, floats: new Set(t.floats ?? []) };
}

function tooMany(field: string, n: number) {
  return new PayloadTooLargeError(`'${field}' holds ${n} rows; a table sent in the body holds at most ${MAX_INLINE_ROWS} (push a dataset version for more).`);
}

/** One JSON type per column (a data file's column has one type), and finite numbers only. */
function checkColumn(col: Cell[], name: string, field: string): void {
  let type: string | undefined;
  for (let i = 0; i < col.length; i++) {
    const v = col[i];
    if (v === null) continue;
    const t = typeof v;
    if (t === 'number' && !Number.isFinite(v)) throw new InvalidParameterError(field, `Column '${name}' holds a number that is not finite at row ${i + 1}.`);
    if (type === undefined) type = t;
    else if (t !== type)
      throw new InvalidParameterError(field, `Column '${name}' mixes types: ${type} values and a ${t} at row ${i + 1} (send null for a missing value).`);
  }
}

/** Keeps only `names` (in that order); each must be a column. */
export function project(t: CheckedTable, names: string[], field: string, tableField: string): CheckedTable {
  const at = new Map(t.names.map((n, j) => [n, j]));
  const values = names.map((n, i) => {
    const j = at.get(n);
    if (j === undefined) throw new InvalidParameterError(`${field}[${i}]`, `Column '${n}' is not a column of '${tableField}'.`);
    return t.values[j]!;
  });
  return { names, values, rows: t.rows, floats: t.floats };
}

/** JSON Lines text, a few thousand rows per chunk. */
function* jsonLines(t: CheckedTable): Generator<string> {
  const keys = t.names.map((n) => `${JSON.stringify(n)}:`);
  const CHUNK = 4096;
  for (let start = 0; start < t.rows; start += CHUNK) {
    const lines: string[] = [];
    for (let i = start; i < Math.min(t.rows, start + CHUNK); i++) {
      lines.push(`{${keys.map((k, j) => k + JSON.stringify(t.values[j]![i])).join(',')}}\n`);
    }
    yield lines.join('');
  }
}

export interface ProfiledTable extends TableProfileResult {
  /** The JSON Lines file while `use` runs (removed after). */
  path: string;
  digest: string;
  size: number;
}

/** Writes the table as JSON Lines in a private temp folder, profiles it as a pushed version, and hands both to `use`. */
export async function withProfiledTable<T>(t: CheckedTable, use: (p: ProfiledTable) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'ferry-inline-'));
  try {
    const file = await spool(Readable.from(jsonLines(t)), dir, Number.MAX_SAFE_INTEGER);
    const profiled = await profileTable(file.path, { format: 'jsonl' });
    // JSON parses 1.0 as 1: a float column of whole numbers reads as integer unless the caller says otherwise.
    for (const c of profiled.schema.columns) if (c.type === 'integer' && t.floats.has(c.name)) c.type = 'float';
    return await use({ ...profiled, path: file.path, digest: file.digest, size: file.size });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
