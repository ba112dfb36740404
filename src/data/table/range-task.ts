// One part of a file read by one worker (or in-process): its rows profiled, its working schema, what it demoted.
// Tasks and results are plain data (structured-cloneable), so the same function runs on a thread or in-process.
import {
  DatasetProfile,
  DEFAULT_SEED,
  EXACT_DEFAULT_BUDGET,
  FREQUENT_DEFAULT_MAX_ITEMS,
  KLL_DEFAULT_K,
  type DatasetProfileOptions,
} from '../../stats/index.js';
import { DataFileError, type DataFileLocation } from '../../errors.js';
import { ExactCounter, type ExactRangeResult, type ExactTask } from './exact-stats.js';
import { checkAbort } from './file-chunks.js';
import { readBatches } from './scan.js';
import type { ColumnType, DataFormat, FitCheck, RangeInfo, ScanOptions } from './types.js';
import { profileKinds, type WorkColumn } from './work-schema.js';

/**
 * Profile options for dataset versions: a larger reservoir than monitoring's default (512), so exact drift tests
 * between two versions have samples to work on; monitoring's exact budget, so a file of up to 100,000 rows gets
 * histograms, quantiles and numeric drift from every value (past it, from the sketch). One constant, so every version is profiled alike (profiles only
 * merge and compare with equal options).
 */
export const DATA_PROFILE_OPTIONS: Readonly<Required<Omit<DatasetProfileOptions, 'schema' | 'seed'>>> = Object.freeze({
  kllK: KLL_DEFAULT_K,
  maxItems: FREQUENT_DEFAULT_MAX_ITEMS,
  reservoirCapacity: 2000,
  exactBudget: EXACT_DEFAULT_BUDGET,
});

const YIELD_MS = 20;

export interface RangeTask {
  /** Position of the range in the file (also picks its random seed, so a profile does not depend on threads). */
  index: number;
  file: string;
  format: DataFormat;
  /** Absent: the whole file. */
  range?: { start: number; stop: number };
  cols: WorkColumn[];
  delimiter?: string;
  batchRows: number;
  chunkBytes?: number;
  /** Profile the rows (profileTable) or only check them (inferSchema). */
  profile: boolean;
  /** Second pass: read only these (demoted) columns as strings, checking each against the type it had. */
  recheck?: Record<string, ColumnType>;
  /** An exact pass (exact-stats.ts): read only these numeric columns and count them; no profile. */
  exact?: ExactTask;
}

export interface RangeResult {
  index: number;
  rows: number;
  info: RangeInfo;
  /** The working schema after the range (widened, settled, nullable, JSON keys added). */
  cols: WorkColumn[];
  /** First pass: columns with a value that did not fit. */
  demoted: string[];
  /** Second pass: the checks (first misfit, widening) per column. */
  checks: Record<string, FitCheck>;
  profile?: Uint8Array;
  /** An exact pass's counts. */
  exact?: ExactRangeResult;
  /** A DataFileError, as data: its message without the location prefix, and the location (lines of this range). */
  error?: { message: string; location: DataFileLocation };
}

/** The message DataFileError was given, without the "line N, column 'c': " prefix it adds. */
function bareMessage(err: DataFileError): string {
  const { line, row, column } = err.location;
  const where = [line !== undefined ? `line ${line}` : row !== undefined ? `row ${row}` : '', column !== undefined ? `column '${column}'` : '']
    .filter(Boolean)
    .join(', ');
  return where && err.message.startsWith(`${where}: `) ? err.message.slice(where.length + 2) : err.message;
}

export function rangeSeed(index: number): number {
  return (DEFAULT_SEED + index * 0x9e3779b1) >>> 0;
}

export async function runRange(task: RangeTask, o: { signal?: AbortSignal; onProgress?: (done: number, total: number) => void }): Promise<RangeResult> {
  const cols = task.cols.map((c) => ({ ...c }));
  const counter = task.exact ? new ExactCounter(task.exact) : null;
  const only = counter ? new Set(counter.names()) : task.recheck ? new Set(Object.keys(task.recheck)) : undefined;
  if (task.recheck) for (const c of cols) if (only!.has(c.name)) [c.type, c.pending] = ['string', false];
  const checks = Object.create(null) as Record<string, FitCheck>; // a column may be called "__proto__"
  for (const [name, type] of Object.entries(task.recheck ?? {})) checks[name] = { type, widened: false, misfit: null };
  const demoted = new Set<string>();
  const info: RangeInfo = { endOffset: 0, endLine: 1 };
  const profile = task.profile
    ? new DatasetProfile({ ...DATA_PROFILE_OPTIONS, seed: rangeSeed(task.index), schema: profileKinds(only ? cols.filter((c) => only.has(c.name)) : cols) })
    : null;
  const scan: ScanOptions = {
    batchRows: task.batchRows,
    chunkBytes: task.chunkBytes,
    delimiter: task.delimiter,
    signal: o.signal,
    onProgress: o.onProgress,
    range: task.range,
    rangeInfo: info,
    only,
    checks: task.recheck ? new Map(Object.entries(checks)) : undefined,
    onMismatch: (m) => void demoted.add(m.column),
  };
  let rows = 0;
  let slice = Date.now();
  try {
    for await (const batch of readBatches(task.file, task.format, cols, scan)) {
      checkAbort(o.signal);
      profile?.updateColumns(batch.columns);
      if (counter) for (const name of only!) if (batch.columns[name] instanceof Float64Array) counter.update(name, batch.columns[name]);
      rows += batch.rows;
      // Batches arrive as microtasks; on the server's own thread, let its event loop run now and then.
      if (Date.now() - slice > YIELD_MS) {
        await new Promise((resolve) => setImmediate(resolve));
        slice = Date.now();
      }
    }
  } catch (err) {
    if (!(err instanceof DataFileError)) throw err;
    return { index: task.index, rows, info, cols, demoted: [], checks, error: { message: bareMessage(err), location: err.location } };
  }
  if (profile && profile.columns.size === 0) profile.rows = rows; // JSON Lines of empty objects: rows, no columns
  return { index: task.index, rows, info, cols, demoted: [...demoted], checks, profile: profile?.toBytes(), exact: counter?.result() };
}
