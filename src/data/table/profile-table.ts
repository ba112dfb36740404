// profileTable: schema and profile in one streaming pass — plus a second pass over the demoted columns only, when a
// value late in the file broke a sampled type (a numeric profile cannot be turned into a categorical one).
import { stat } from 'node:fs/promises';
import { DatasetProfile, FREQUENT_DEFAULT_MAX_ITEMS, KLL_DEFAULT_K, type DatasetProfileOptions } from '../../stats/index.js';
import { checkAbort } from './file-chunks.js';
import { Demotions } from './read-table.js';
import { readBatches, sampleColumns } from './scan.js';
import { DEFAULT_BATCH_ROWS, type ReadOptions, type ScanOptions, type TableProfileResult } from './types.js';
import { profileKinds, publicColumns } from './work-schema.js';

/**
 * Profile options for dataset versions: a larger reservoir than monitoring's default (512), so exact drift tests
 * between two versions have samples to work on. One constant, so every version is profiled alike (profiles only
 * merge and compare with equal options).
 */
export const DATA_PROFILE_OPTIONS: Readonly<Required<Omit<DatasetProfileOptions, 'schema' | 'seed'>>> = Object.freeze({
  kllK: KLL_DEFAULT_K,
  maxItems: FREQUENT_DEFAULT_MAX_ITEMS,
  reservoirCapacity: 2000,
});

export async function profileTable(file: string, o: ReadOptions): Promise<TableProfileResult> {
  const bytes = (await stat(file)).size;
  const sample = await sampleColumns(file, o.format, o);
  const cols = sample.columns;
  const demotions = new Demotions(cols);
  const profile = new DatasetProfile({ ...DATA_PROFILE_OPTIONS, schema: profileKinds(cols) });
  const base: ScanOptions = { batchRows: o.batchRows ?? DEFAULT_BATCH_ROWS, signal: o.signal, delimiter: sample.delimiter };
  let rows = 0;
  for await (const batch of readBatches(file, o.format, cols, { ...base, onProgress: o.onProgress, onMismatch: demotions.onMismatch })) {
    checkAbort(o.signal);
    profile.updateColumns(batch.columns);
    rows += batch.rows;
  }
  if (profile.columns.size === 0) profile.rows = rows; // JSON Lines of empty objects: rows, no columns

  const demoted = demotions.apply(cols);
  if (demoted.size > 0) {
    // Same options and names give the same seeds, so these columns are what one pass with the right types gives.
    const again = new DatasetProfile({ ...DATA_PROFILE_OPTIONS, schema: profileKinds(cols.filter((c) => demoted.has(c.name))) });
    const onProgress = o.onProgress && ((done: number) => o.onProgress!(bytes + done, 2 * bytes));
    for await (const batch of readBatches(file, o.format, cols, { ...base, onProgress, only: demoted })) {
      checkAbort(o.signal);
      again.updateColumns(batch.columns);
    }
    for (const name of demoted) profile.columns.set(name, again.column(name));
  }

  // nullable = a null was seen anywhere (a JSON key missing from a line counts); a column with no value at all is too.
  const columns = publicColumns(cols).map((c, j) => ({ ...c, nullable: (profile.columns.get(c.name)?.nulls ?? 0) > 0 || cols[j].pending === true }));
  const schema = {
    format: o.format,
    ...(sample.delimiter !== undefined ? { delimiter: sample.delimiter } : {}),
    columns,
    warnings: [...demotions.warnings.values()],
  };
  return { schema, rows, bytes, profile };
}
