/**
 * A table that arrives in a request body instead of as a dataset version (a monitoring reference), read exactly as
 * `data push` reads a file: spooled, its format detected from the content type or its first bytes, the CSV
 * delimiter sniffed, quoting and BOM handled, types inferred over the whole file. A file push refuses is refused
 * here with the same DataFileError, naming line and column.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { DataFileError } from '../errors.js';
import { spool } from './spool.js';
import { type ColumnSchema, type DataFormat, type SchemaWarning, detectFormat, inferSchema, readTable } from './table/index.js';

export interface TableRows {
  format: DataFormat;
  columns: ColumnSchema[];
  /** One object per row: numbers, booleans and strings as the columns' types read them, null for a missing value, datetimes as ISO 8601. */
  rows: Record<string, unknown>[];
  /** As a push reports them: a column read as string because a value late in the file broke its type (naming the line). */
  warnings: SchemaWarning[];
  /** Where row `i` (0-based) sits, as DataFileErrors say it: "line 7" (CSV, JSON Lines) or "row 6" (Parquet). */
  where(i: number): string;
}

export interface TableRowsOptions {
  /** The format if known (else from the content type, then the first bytes, as a push decides it). */
  format?: DataFormat;
  contentType?: string;
  filename?: string;
  /** More rows than this is refused (the rows are held in memory). */
  maxRows: number;
  /** Where the spooled copy goes (default the system's temp folder). */
  dir?: string;
}

export async function readTableRows(body: string | Uint8Array, o: TableRowsOptions): Promise<TableRows> {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  // A folder of its own (0700, unique), never a shared fixed path in the system's temp folder that another user
  // could have made first.
  const own = o.dir ? undefined : await mkdtemp(join(tmpdir(), 'ferry-table-rows-'));
  const file = await spool(Readable.from([bytes]), o.dir ?? own!, Number.MAX_SAFE_INTEGER).catch(async (err: unknown) => {
    if (own) await rm(own, { recursive: true, force: true });
    throw err;
  });
  try {
    const format = o.format ?? detectFormat({ filename: o.filename, contentType: o.contentType, head: file.head });
    const schema = await inferSchema(file.path, { format });
    const types = new Map(schema.columns.map((c) => [c.name, c.type]));
    const rows: Record<string, unknown>[] = [];
    const lines: number[] = [];
    for await (const batch of readTable(file.path, schema, { format })) {
      if (rows.length + batch.rows > o.maxRows) throw new DataFileError(`the table has more than ${o.maxRows} rows`, { row: o.maxRows + 1 });
      const names = Object.keys(batch.columns);
      for (let i = 0; i < batch.rows; i++) {
        const row: Record<string, unknown> = {};
        for (const name of names) {
          const v = batch.columns[name]![i];
          row[name] = typeof v === 'number' ? (Number.isNaN(v) ? null : types.get(name) === 'datetime' ? new Date(v).toISOString() : v) : (v ?? null);
        }
        rows.push(row);
        if (batch.lines) lines.push(batch.lines[i]!);
      }
    }
    const where = (i: number) => (lines[i] !== undefined ? `line ${lines[i]}` : `row ${i + 1}`);
    return { format, columns: schema.columns, rows, warnings: schema.warnings, where };
  } finally {
    await file.cleanup();
    if (own) await rm(own, { recursive: true, force: true });
  }
}
