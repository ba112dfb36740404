// readTable and inferSchema: the schema-level API over the format readers.
import { readBatches, sampleColumns } from './scan.js';
import { scanTable, type ScanTuning } from './table-scan.js';
import { DEFAULT_BATCH_ROWS, type ReadOptions, type TableBatch, type TableSchema } from './types.js';
import { publicColumns, workColumns } from './work-schema.js';

/**
 * Typed batches of a file by a schema (from inferSchema or profileTable). A value that does not fit its column's
 * type is a DataFileError naming line (row) and column; an integer column that meets a decimal reads it as one.
 */
export function readTable(file: string, schema: TableSchema, o: Partial<ReadOptions> = {}): AsyncIterable<TableBatch> {
  return readBatches(file, o.format ?? schema.format, workColumns(schema.columns), {
    batchRows: o.batchRows ?? DEFAULT_BATCH_ROWS,
    signal: o.signal,
    onProgress: o.onProgress,
    delimiter: schema.delimiter,
  });
}

/**
 * The file's schema: types voted over the first rows, then checked against every row (CSV and JSON Lines read the
 * whole file, since a value that breaks a type can sit anywhere; Parquet's types come from its footer).
 */
export async function inferSchema(file: string, o: ReadOptions, tuning?: ScanTuning): Promise<TableSchema> {
  if (o.format === 'parquet') {
    const sample = await sampleColumns(file, o.format, o);
    return { format: o.format, columns: publicColumns(sample.columns), warnings: [] };
  }
  return (await scanTable(file, o, false, tuning)).schema;
}
