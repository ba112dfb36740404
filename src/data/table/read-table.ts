// readTable and inferSchema: the schema-level API over the format readers.
import { checkAbort } from './file-chunks.js';
import { demotionWarning } from './infer.js';
import { readBatches, sampleColumns } from './scan.js';
import { DEFAULT_BATCH_ROWS, type Mismatch, type ReadOptions, type SchemaWarning, type TableBatch, type TableSchema } from './types.js';
import { publicColumns, workColumns, type WorkColumn } from './work-schema.js';

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

/** Collects the first value per column that does not fit, as the demotion warning it becomes. */
export class Demotions {
  readonly warnings = new Map<string, SchemaWarning>();
  constructor(private readonly cols: readonly WorkColumn[]) {}

  readonly onMismatch = (m: Mismatch): void => {
    if (this.warnings.has(m.column)) return;
    const col = this.cols.find((c) => c.name === m.column);
    if (col) this.warnings.set(m.column, demotionWarning(col.type, m));
  };

  /** Demoted columns become string; returns their names. */
  apply(cols: WorkColumn[]): Set<string> {
    for (const c of cols) if (this.warnings.has(c.name)) c.type = 'string';
    return new Set(this.warnings.keys());
  }
}

/**
 * The file's schema: types voted over the first rows, then checked against every row (CSV and JSON Lines read the
 * whole file once, since a value that breaks a type can sit anywhere; Parquet's types come from its footer).
 */
export async function inferSchema(file: string, o: ReadOptions): Promise<TableSchema> {
  const sample = await sampleColumns(file, o.format, o);
  const cols = sample.columns;
  const demotions = new Demotions(cols);
  if (o.format !== 'parquet') {
    const batches = readBatches(file, o.format, cols, {
      batchRows: o.batchRows ?? DEFAULT_BATCH_ROWS,
      signal: o.signal,
      onProgress: o.onProgress,
      onMismatch: demotions.onMismatch,
      delimiter: sample.delimiter,
    });
    for await (const _batch of batches) checkAbort(o.signal);
  }
  demotions.apply(cols);
  return {
    format: o.format,
    ...(sample.delimiter !== undefined ? { delimiter: sample.delimiter } : {}),
    columns: publicColumns(cols),
    warnings: [...demotions.warnings.values()],
  };
}
