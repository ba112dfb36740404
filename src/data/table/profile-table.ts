// profileTable: schema and profile of a data file in one streaming pass (a second one over demoted columns only).
import type { ExactStats } from './exact-stats.js';
import { scanTable, type ScanTuning } from './table-scan.js';
import type { ProfileOptions, TableProfileResult } from './types.js';

export { DATA_PROFILE_OPTIONS } from './range-task.js';

/**
 * One streaming pass when the type inference holds: types are voted over the first TYPE_SAMPLE_ROWS rows, then
 * every row is profiled with DatasetProfile (the implementation monitoring uses) under DATA_PROFILE_OPTIONS. A
 * column whose later value breaks its type becomes string, with a schema warning, and only that column is read
 * again. Numeric columns past the profile's exact budget are read again (exact-stats.ts) for exact histograms and
 * quantiles unless o.exact is false. Big CSV / JSON Lines files are read in ranges on worker threads and the range profiles merged.
 */
export async function profileTable(file: string, o: ProfileOptions, tuning?: ScanTuning): Promise<TableProfileResult> {
  const r = await scanTable(file, o, true, tuning);
  return { schema: r.schema, rows: r.rows, bytes: r.bytes, profile: r.profile!, exact: r.exact ?? (Object.create(null) as ExactStats) };
}
