// Parquet through hyparquet: an AsyncBuffer over an open file handle (hyparquet asks for byte ranges — the footer,
// then one row group's column chunks — so the file is never read whole), the footer's metadata, and the mapping
// from Parquet physical / logical types to Ferry's column types.
import type { FileHandle } from 'node:fs/promises';
import { parquetMetadataAsync, parquetSchema, type AsyncBuffer, type FileMetaData, type SchemaTree } from 'hyparquet';
import { DataFileError } from '../../errors.js';
import type { ColumnType } from './types.js';
import type { WorkColumn } from './work-schema.js';

/** Node Buffers (and one read) stop below 2 GiB; a column chunk that large is refused with a clear message. */
const MAX_SLICE = 2 ** 31 - 1;

export function fileAsyncBuffer(fh: FileHandle, size: number): AsyncBuffer {
  return {
    byteLength: size,
    async slice(start: number, end = size): Promise<ArrayBuffer> {
      const len = Math.max(0, Math.min(end, size) - start);
      if (len > MAX_SLICE) throw new DataFileError(`a Parquet column chunk of ${len} bytes is over the 2 GiB Ferry can read at once`);
      const out = new Uint8Array(len);
      let got = 0;
      while (got < len) {
        const { bytesRead } = await fh.read(out, got, len - got, start + got);
        if (bytesRead === 0) throw new DataFileError('the Parquet file ends early (truncated?)');
        got += bytesRead;
      }
      return out.buffer;
    },
  };
}

/** hyparquet's errors become DataFileErrors naming the row (group) where reading failed. */
export function parquetError(err: unknown, row?: number): Error {
  if (err instanceof DataFileError || (err instanceof Error && err.name === 'AbortError')) return err;
  const msg = err instanceof Error ? err.message : String(err);
  return new DataFileError(`not a readable Parquet file (${msg})`, row !== undefined ? { row } : {});
}

export async function readParquetMetadata(file: AsyncBuffer): Promise<FileMetaData> {
  if (file.byteLength === 0) throw new DataFileError('the file is empty');
  try {
    return await parquetMetadataAsync(file);
  } catch (err) {
    throw parquetError(err);
  }
}

/** Ferry's type for one top-level field; groups (structs, lists, maps) are kept as JSON text. */
export function parquetColumnType(node: SchemaTree): ColumnType {
  const { type, converted_type: ct, logical_type: lt } = node.element;
  if (node.children.length > 0 || type === undefined) return 'string';
  switch (lt?.type) {
    case 'DATE':
    case 'TIMESTAMP':
      return 'datetime';
    case 'DECIMAL':
    case 'FLOAT16':
      return 'float';
    case 'INTEGER':
    case 'TIME':
      return 'integer';
    case 'STRING':
    case 'ENUM':
    case 'JSON':
    case 'UUID':
    case 'BSON':
    case 'INTERVAL':
      return 'string';
    default:
  }
  if (ct === 'DATE' || ct === 'TIMESTAMP_MILLIS' || ct === 'TIMESTAMP_MICROS') return 'datetime';
  if (ct === 'DECIMAL') return 'float';
  switch (type) {
    case 'BOOLEAN':
      return 'boolean';
    case 'INT32':
    case 'INT64':
      return 'integer';
    case 'INT96':
      return 'datetime'; // legacy Impala/Spark timestamps
    case 'FLOAT':
    case 'DOUBLE':
      return 'float';
    default:
      return 'string';
  }
}

/** Columns from the footer. nullable: a null count in the statistics when every row group has one, else OPTIONAL. */
export function parquetColumns(meta: FileMetaData): WorkColumn[] {
  const root = parquetSchema(meta);
  return root.children.map((node) => {
    const name = node.element.name;
    let nulls = 0n;
    let known = meta.row_groups.length > 0;
    for (const rg of meta.row_groups) {
      const cc = rg.columns.find((c) => c.meta_data?.path_in_schema.length === 1 && c.meta_data.path_in_schema[0] === name)?.meta_data;
      const n = node.children.length === 0 ? cc?.statistics?.null_count : undefined;
      if (n === undefined) known = false;
      else nulls += n;
    }
    const nullable = known ? nulls > 0n : node.element.repetition_type !== 'REQUIRED';
    return { name, type: parquetColumnType(node), nullable };
  });
}
