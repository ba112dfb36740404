// One entry point per step for the three formats: sample the column types, then read typed batches.
import { readCsv, sampleCsv } from './csv-reader.js';
import { readJsonl, sampleJsonl } from './jsonl-reader.js';
import type { DataFormat, ScanOptions, TableBatch } from './types.js';
import type { WorkColumn } from './work-schema.js';

/** Rows whose values decide the column types; a later value that does not fit demotes its column. */
export const TYPE_SAMPLE_ROWS = 10_000;

export interface Sample {
  delimiter?: string;
  columns: WorkColumn[];
  /** CSV: file offset of the first data row. */
  dataStart?: number;
}

export async function sampleColumns(file: string, format: DataFormat, o: Pick<ScanOptions, 'signal'>, rows = TYPE_SAMPLE_ROWS): Promise<Sample> {
  switch (format) {
    case 'csv':
      return sampleCsv(file, rows, o);
    case 'jsonl':
      return { columns: await sampleJsonl(file, rows, o) };
    case 'parquet':
      return { columns: await (await parquet()).sampleParquet(file) };
  }
}

/** Typed batches by the working columns (which the reader updates in place: widening, nullable, new keys). */
export function readBatches(file: string, format: DataFormat, cols: WorkColumn[], o: ScanOptions): AsyncGenerator<TableBatch> {
  switch (format) {
    case 'csv':
      return readCsv(file, cols, o);
    case 'jsonl':
      return readJsonl(file, cols, o);
    case 'parquet':
      return readParquetLazily(file, cols, o);
  }
}

// hyparquet and its compressors load only when a Parquet file comes (a CSV worker thread starts faster without them).
const parquet = () => import('./parquet-reader.js');

async function* readParquetLazily(file: string, cols: WorkColumn[], o: ScanOptions): AsyncGenerator<TableBatch> {
  yield* (await parquet()).readParquet(file, cols, o);
}
