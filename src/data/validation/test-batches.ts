// Test support: rows → TableBatch objects shaped as src/data/table's reader gives them, and a profile of
// the same batches (as the data capability builds one). Not a test file itself.
import { DatasetProfile, type ProfileKind } from '../../stats/index.js';
import { parseIsoDate } from './dates.js';
import type { ColumnType, ColumnValues, TableBatch, TableSchema } from './types.js';

export type Row = Record<string, string | number | boolean | null | undefined>;

export function schemaOf(columns: Record<string, ColumnType>, format: TableSchema['format'] = 'csv'): TableSchema {
  return { format, columns: Object.entries(columns).map(([name, type]) => ({ name, type, nullable: true })), warnings: [] };
}

function column(type: ColumnType, rows: Row[], name: string): ColumnValues {
  if (type === 'boolean') return rows.map((r) => (typeof r[name] === 'boolean' ? (r[name] as boolean) : null));
  if (type === 'string') return rows.map((r) => (r[name] === null || r[name] === undefined ? null : String(r[name])));
  const out = new Float64Array(rows.length);
  rows.forEach((r, i) => {
    const v = r[name];
    out[i] = typeof v === 'number' ? v : typeof v === 'string' && type === 'datetime' ? (parseIsoDate(v) ?? NaN) : NaN;
  });
  return out;
}

/** Splits rows into batches of `size`; with `lines`, row r (1-based) sits on file line r + 1 (a header first). */
export function toBatches(schema: TableSchema, rows: Row[], size = 4, lines = true): TableBatch[] {
  const out: TableBatch[] = [];
  for (let start = 0; start < rows.length; start += size) {
    const part = rows.slice(start, start + size);
    const columns: Record<string, ColumnValues> = {};
    for (const c of schema.columns) columns[c.name] = column(c.type, part, c.name);
    const b: TableBatch = { firstRow: start + 1, rows: part.length, columns };
    if (lines) b.lines = Uint32Array.from(part, (_, i) => start + i + 2);
    out.push(b);
  }
  return out;
}

export async function* stream(batches: TableBatch[]): AsyncGenerator<TableBatch> {
  for (const b of batches) yield b;
}

/** The profile of the batches, column kinds fixed from the schema. */
export function profileOf(schema: TableSchema, batches: TableBatch[]): DatasetProfile {
  const kinds: Record<string, ProfileKind> = {};
  for (const c of schema.columns) kinds[c.name] = c.type === 'string' || c.type === 'boolean' ? 'categorical' : 'numerical';
  const p = new DatasetProfile({ schema: kinds });
  for (const b of batches) p.updateColumns(b.columns);
  return p;
}
