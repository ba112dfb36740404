/** What the API answers for a dataset version (JSON-ready; the profile report only when asked for). */
import { DatasetProfile } from '../stats/index.js';
import { type DataFormat, type ExactStats, type TableSchema, profileReport } from './table/index.js';
import type { VersionListRow, VersionRow } from './data-repo.js';

export interface VersionView {
  dataset: string;
  version: number;
  /** `NAME@VERSION`, what other commands and the API accept. */
  ref: string;
  digest: string;
  format: DataFormat;
  size_bytes: number;
  rows: number;
  columns: number;
  filename: string;
  description: string;
  tags: string[];
  created_at: string;
  created_by: string;
  schema: TableSchema;
}

export function versionView(row: VersionListRow, tags: { tag: string; version: number }[]): VersionView {
  const schema = JSON.parse(row.schema) as TableSchema;
  return {
    dataset: row.dataset,
    version: Number(row.version),
    ref: `${row.dataset}@${row.version}`,
    digest: row.digest,
    // Written from a DataFormat by push (the store column is text).
    format: row.format as DataFormat,
    size_bytes: Number(row.size_bytes),
    rows: Number(row.rows),
    columns: schema.columns.length,
    filename: row.filename,
    description: row.description,
    tags: tags.filter((t) => Number(t.version) === Number(row.version)).map((t) => t.tag),
    created_at: new Date(Number(row.created_at)).toISOString(),
    created_by: row.created_by,
    schema,
  };
}

export function profileOfRow(row: Pick<VersionRow, 'profile'>): DatasetProfile {
  return DatasetProfile.fromBytes(Buffer.from(row.profile, 'base64'));
}

export function reportOfRow(row: VersionRow) {
  // Exact stats counted at push time (migration 0023; null before it, or when every column fit the profile's budget).
  const exact = row.exact_stats ? (JSON.parse(row.exact_stats) as ExactStats) : null;
  return profileReport(profileOfRow(row), JSON.parse(row.schema) as TableSchema, { exact });
}
