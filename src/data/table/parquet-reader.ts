// Parquet as the format-neutral reader interface: one row group at a time (memory is one decoded row group),
// cut into batches. Types come from the file's schema, so there is nothing to sample and nothing to demote.
import { open } from 'node:fs/promises';
import { parquetRead, type ColumnData, type ParquetParsers } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { checkAbort, Progress } from './file-chunks.js';
import { jsonText } from './jsonl-reader.js';
import { fileAsyncBuffer, parquetColumns, parquetError, readParquetMetadata } from './parquet-file.js';
import { newColumns, type ColumnValues, type ScanOptions, type TableBatch } from './types.js';
import { isNumericType, type WorkColumn } from './work-schema.js';

const decoder = new TextDecoder();

/** Datetimes as epoch milliseconds (numbers, not Date objects); JSON kept as its text. */
const PARSERS: Partial<ParquetParsers> = {
  timestampFromMilliseconds: (ms: bigint) => Number(ms),
  timestampFromMicroseconds: (us: bigint) => Number(us) / 1e3,
  timestampFromNanoseconds: (ns: bigint) => Number(ns) / 1e6,
  dateFromDays: (days: number) => days * 86_400_000,
  jsonFromBytes: (bytes: Uint8Array | undefined) => (bytes ? decoder.decode(bytes) : null),
};

function toNumber(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof Date) return v.getTime();
  return NaN;
}

/** One column of one row group, from hyparquet's chunks (placed by their row offsets). */
function assemble(col: WorkColumn, chunks: ColumnData[], groupStart: number, rows: number): ColumnValues {
  if (isNumericType(col.type)) {
    const out = new Float64Array(rows).fill(NaN);
    for (const c of chunks) {
      const at = c.rowStart - groupStart;
      const d = c.columnData;
      for (let i = 0; i < d.length; i++) out[at + i] = toNumber(d[i]);
    }
    for (let i = 0; i < rows; i++) if (out[i] !== out[i]) col.nullable = true;
    return out;
  }
  const out = new Array<string | boolean | null>(rows).fill(null);
  const bool = col.type === 'boolean';
  for (const c of chunks) {
    const at = c.rowStart - groupStart;
    const d = c.columnData;
    for (let i = 0; i < d.length; i++) {
      const v: unknown = d[i];
      if (v === null || v === undefined) continue;
      out[at + i] = bool ? v === true : jsonText(v);
    }
  }
  if (out.includes(null)) col.nullable = true;
  return out as ColumnValues;
}

export async function sampleParquet(path: string): Promise<WorkColumn[]> {
  const fh = await open(path, 'r');
  try {
    const { size } = await fh.stat();
    return parquetColumns(await readParquetMetadata(fileAsyncBuffer(fh, size)));
  } finally {
    await fh.close();
  }
}

export async function* readParquet(path: string, cols: WorkColumn[], o: ScanOptions): AsyncGenerator<TableBatch> {
  const fh = await open(path, 'r');
  try {
    const { size } = await fh.stat();
    const file = fileAsyncBuffer(fh, size);
    const metadata = await readParquetMetadata(file);
    const wanted = cols.filter((c) => !o.only || o.only.has(c.name));
    const progress = new Progress(0, size, o.onProgress);
    let groupStart = 0;
    let bytesDone = 0;
    for (const rg of metadata.row_groups) {
      checkAbort(o.signal);
      const rows = Number(rg.num_rows);
      const chunks = new Map<string, ColumnData[]>(wanted.map((c) => [c.name, []]));
      try {
        await parquetRead({
          file,
          metadata,
          rowStart: groupStart,
          rowEnd: groupStart + rows,
          columns: wanted.map((c) => c.name),
          compressors,
          parsers: PARSERS,
          onChunk: (c) => chunks.get(c.columnName)?.push(c),
        });
      } catch (err) {
        throw parquetError(err, groupStart + 1);
      }
      const columns = newColumns();
      for (const c of wanted) columns[c.name] = assemble(c, chunks.get(c.name)!, groupStart, rows);
      for (let at = 0; at < rows; at += o.batchRows) {
        const n = Math.min(o.batchRows, rows - at);
        const part = newColumns();
        for (const [name, v] of Object.entries(columns)) part[name] = n === rows ? v : v.slice(at, at + n);
        yield { firstRow: groupStart + at + 1, rows: n, columns: part };
      }
      groupStart += rows;
      bytesDone += Number(rg.total_compressed_size ?? rg.total_byte_size);
      progress.tick(Math.min(bytesDone, size));
    }
    progress.tick(size, true);
  } finally {
    await fh.close();
  }
}
