// profileTable: schema and profile of a data file in one streaming pass (a second one over demoted columns only).
import { scanTable, type ScanTuning } from './table-scan.js';
import type { ReadOptions, TableProfileResult } from './types.js';

export { DATA_PROFILE_OPTIONS } from './range-task.js';

/**
 * One streaming pass when the type inference holds: types are voted over the first TYPE_SAMPLE_ROWS rows, then
 * every row is profiled with DatasetProfile (the implementation monitoring uses) under DATA_PROFILE_OPTIONS. A
 * column whose later value breaks its type becomes string, with a schema warning, and only that column is read
 * again. Big CSV / JSON Lines files are read in ranges on worker threads and the range profiles merged.
 */
export async function profileTable(file: string, o: ReadOptions, tuning?: ScanTuning): Promise<TableProfileResult> {
  const r = await scanTable(file, o, true, tuning);
  return { schema: r.schema, rows: r.rows, bytes: r.bytes, profile: r.profile! };
}
