// CSV as the format-neutral reader interface: sample the first rows for types, or read typed batches.
import { DataFileError } from '../../errors.js';
import { classifyCsvBatch, convertCsvBatch } from './csv-convert.js';
import { CsvSource } from './csv-source.js';
import { TypeVotes } from './infer.js';
import type { StringInterner } from './string-intern.js';
import type { ScanOptions, TableBatch } from './types.js';
import type { WorkColumn } from './work-schema.js';

export interface CsvSample {
  delimiter: string;
  columns: WorkColumn[];
  /** File offset of the first data row (after the header). */
  dataStart: number;
}

/** Column types voted over the first `sampleRows` data rows (a header-only file gives nullable string columns). */
export async function sampleCsv(path: string, sampleRows: number, o: Pick<ScanOptions, 'signal'>): Promise<CsvSample> {
  const src = await CsvSource.open(path, { batchRows: Math.min(sampleRows, 16_384), signal: o.signal });
  try {
    const votes = new TypeVotes();
    const dataStart = src.offset;
    let rows = 0;
    for await (const raw of src.batches()) {
      classifyCsvBatch(raw, votes);
      rows += raw.tok.rows;
      if (rows >= sampleRows) break;
    }
    return { delimiter: String.fromCharCode(src.delimiter), columns: votes.columns(src.names), dataStart };
  } finally {
    await src.close();
  }
}

/** Typed batches by the working schema `cols` (widened / marked nullable in place as values show). */
export async function* readCsv(path: string, cols: WorkColumn[], o: ScanOptions): AsyncGenerator<TableBatch> {
  const src = await CsvSource.open(
    path,
    o,
    cols.map((c) => c.name),
  );
  try {
    const names = src.names;
    if (names.length !== cols.length || names.some((n, j) => n !== cols[j].name)) {
      throw new DataFileError(`the header (${names.join(', ')}) does not match the schema's columns (${cols.map((c) => c.name).join(', ')})`, { line: 1 });
    }
    const interners: StringInterner[] = [];
    for await (const raw of src.batches()) yield convertCsvBatch(raw, cols, o, interners);
  } finally {
    await src.close();
  }
}
