// The read behind profileTable and inferSchema: sample the types, read the file in ranges (on threads when it is
// big), put the ranges together, and — only when a value late in the file broke a sampled type — read the demoted
// columns again as strings (a numeric profile cannot be turned into a categorical one).
import { stat } from 'node:fs/promises';
import type { DatasetProfile } from '../../stats/index.js';
import { combineColumns, demotionWarnings, lineOffsets, mergeProfiles } from './range-combine.js';
import { RangePool, threadCount } from './range-pool.js';
import { rangeBytesFor, splitRanges } from './range-split.js';
import type { RangeResult, RangeTask } from './range-task.js';
import { sampleColumns } from './scan.js';
import { exactStats, type ExactStats } from './exact-stats.js';
import { DEFAULT_BATCH_ROWS, type ProfileOptions, type TableSchema } from './types.js';
import { publicColumns } from './work-schema.js';

/** How a read is cut up; defaults suit production, tests shrink them to exercise ranges on small files. */
export interface ScanTuning {
  /** Bytes per range (default: the file over the threads, within MIN_RANGE_BYTES..MAX_RANGE_BYTES). */
  rangeBytes?: number;
  /** Threads (default one per core, at most 8; 1 reads in-process). */
  workers?: number;
  /** Read buffer size. */
  chunkBytes?: number;
  /** Values an exact pass keeps per pass (exact-stats.ts; tests shrink it to make brackets narrow in fine bins). */
  exactPassValues?: number;
}

export interface ScanResult {
  schema: TableSchema;
  rows: number;
  bytes: number;
  profile: DatasetProfile | null;
  /** With a profile (unless o.exact is false): exact stats of the columns it holds only as a sketch. */
  exact: ExactStats | null;
}

export async function scanTable(file: string, o: ProfileOptions, wantProfile: boolean, tuning: ScanTuning = {}): Promise<ScanResult> {
  const bytes = (await stat(file)).size;
  // Threads start now, loading their modules while this thread samples the file; none for a file one range holds.
  const threads = threadCount(tuning.workers);
  const rangeBytes = tuning.rangeBytes ?? rangeBytesFor(bytes, threads);
  // In-process, ranges would only cost sketch warm-ups and merges; tests ask for them with tuning.rangeBytes.
  const split = o.format !== 'parquet' && (threads > 1 || tuning.rangeBytes !== undefined) && bytes > rangeBytes * 1.5;
  const pool = new RangePool(split ? threads : 1);
  try {
    return await scanWith(pool, file, bytes, split ? rangeBytes : null, o, wantProfile, tuning);
  } finally {
    await pool.close();
  }
}

async function scanWith(
  pool: RangePool,
  file: string,
  bytes: number,
  rangeBytes: number | null,
  o: ProfileOptions,
  wantProfile: boolean,
  tuning: ScanTuning,
): Promise<ScanResult> {
  const sample = await sampleColumns(file, o.format, o);
  const base = { file, format: o.format, cols: sample.columns, delimiter: sample.delimiter, batchRows: o.batchRows ?? DEFAULT_BATCH_ROWS };
  const run = (tasks: RangeTask[], progress?: (done: number) => void) => pool.run(tasks, bytes, { signal: o.signal, onProgress: progress });

  let ranges: ({ start: number; stop: number } | undefined)[] =
    o.format === 'parquet'
      ? [undefined]
      : rangeBytes === null
        ? [{ start: 0, stop: bytes }]
        : await splitRanges(file, sample.dataStart ?? 0, bytes, rangeBytes);
  const pass1 = (rs: typeof ranges) =>
    run(
      rs.map((range, index) => ({ ...base, index, range, chunkBytes: tuning.chunkBytes, profile: wantProfile })),
      o.onProgress && ((d) => o.onProgress!(d, bytes)),
    );
  let results: RangeResult[] = await pass1(ranges);
  let offsets = lineOffsets(results, ranges);
  if (offsets === null) {
    // A cut fell inside a quoted field: read the file in one piece instead.
    ranges = [{ start: 0, stop: bytes }];
    results = await pass1(ranges);
    offsets = lineOffsets(results, ranges)!;
  }
  const { cols, demoted } = combineColumns(sample.columns, results);
  const profile = wantProfile
    ? mergeProfiles(
        results,
        cols.map((c) => c.name),
        new Set(demoted.keys()),
      )
    : null;
  let rows = results.reduce((a, r) => a + r.rows, 0);
  if (profile) profile.rows = Math.max(profile.rows, rows);

  let warnings: TableSchema['warnings'] = [];
  if (demoted.size > 0) {
    const recheck = Object.fromEntries(demoted);
    const progress = o.onProgress && ((d: number) => o.onProgress!(bytes + d, 2 * bytes));
    const again = await run(
      ranges.map((range, index) => ({ ...base, cols, index, range, chunkBytes: tuning.chunkBytes, profile: wantProfile, recheck })),
      progress,
    );
    warnings = demotionWarnings(demoted, again, offsets);
    if (profile) {
      const strings = mergeProfiles(again, [...demoted.keys()]);
      for (const name of demoted.keys()) profile.columns.set(name, strings.column(name, rows));
    }
    for (const c of cols) if (demoted.has(c.name)) c.type = 'string';
  }
  rows = profile?.rows ?? rows;
  const exact =
    profile && o.exact !== false
      ? await exactStats(
          profile,
          cols.filter((c) => !demoted.has(c.name)),
          { ranges: ranges.length, passValues: tuning.exactPassValues },
          async (task) =>
            (await run(ranges.map((range, index) => ({ ...base, cols, index, range, chunkBytes: tuning.chunkBytes, profile: false, exact: task })))).map(
              (r) => r.exact!,
            ),
        )
      : null;
  const columns = publicColumns(cols).map((c, j) => {
    const seen = profile?.columns.get(c.name);
    // With a profile, nullable = a null was seen anywhere (a JSON key missing from a line counts); a column that
    // never had a value is nullable too.
    return seen ? { ...c, nullable: seen.nulls > 0 || cols[j].pending === true } : c;
  });
  const schema: TableSchema = { format: o.format, ...(sample.delimiter !== undefined ? { delimiter: sample.delimiter } : {}), columns, warnings };
  return { schema, rows, bytes, profile, exact };
}
