/** Reading data files (CSV, JSON Lines, Parquet) as typed batches: format detection, schema inference, profiling. */
export type {
  DataFormat,
  ColumnType,
  ColumnSchema,
  SchemaWarning,
  TableSchema,
  ReadOptions,
  ColumnValues,
  TableBatch,
  TableProfileResult,
  ColumnReport,
  ProfileOptions,
} from './types.js';
export type { ExactStats, ExactColumnStats } from './exact-stats.js';
export { DEFAULT_BATCH_ROWS } from './types.js';
export { detectFormat } from './detect-format.js';
export { readTable, inferSchema } from './read-table.js';
export { profileTable, DATA_PROFILE_OPTIONS } from './profile-table.js';
export { profileReport, type ReportOptions } from './profile-report.js';
export { TYPE_SAMPLE_ROWS } from './scan.js';
export type { ScanTuning } from './table-scan.js';
export { MIN_RANGE_BYTES, MAX_RANGE_BYTES } from './range-split.js';
export { NULL_TOKENS } from './values.js';
