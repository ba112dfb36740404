/**
 * What changed between two dataset versions: the schema (added, removed, retyped columns, nullability) and
 * the distributions of the shared columns, with monitoring's drift tests run on the two stored profiles.
 */
import { type DatasetProfile, type FeatureDrift, type ProfileDriftOptions, featureDrift, profileDriftSummary } from '../stats/index.js';
import type { ColumnSchema, TableSchema } from './table/index.js';
import type { VersionRow } from './data-repo.js';
import { profileOfRow } from './version-view.js';

export interface SchemaDiff {
  added: ColumnSchema[];
  removed: ColumnSchema[];
  retyped: { name: string; from: ColumnSchema['type']; to: ColumnSchema['type'] }[];
  nullability: { name: string; from: boolean; to: boolean }[];
  unchanged: number;
}

export function schemaDiff(from: TableSchema, to: TableSchema): SchemaDiff {
  const a = new Map(from.columns.map((c) => [c.name, c]));
  const b = new Map(to.columns.map((c) => [c.name, c]));
  const out: SchemaDiff = { added: [], removed: [], retyped: [], nullability: [], unchanged: 0 };
  for (const c of to.columns) if (!a.has(c.name)) out.added.push(c);
  for (const c of from.columns) {
    const next = b.get(c.name);
    if (!next) {
      out.removed.push(c);
      continue;
    }
    let same = true;
    if (next.type !== c.type) {
      out.retyped.push({ name: c.name, from: c.type, to: next.type });
      same = false;
    }
    if (next.nullable !== c.nullable) {
      out.nullability.push({ name: c.name, from: c.nullable, to: next.nullable });
      same = false;
    }
    if (same) out.unchanged++;
  }
  return out;
}

export interface VersionDiff {
  from: { ref: string; rows: number; digest: string };
  to: { ref: string; rows: number; digest: string };
  identical: boolean;
  schema: SchemaDiff;
  /** Drift of each shared column, the older version as the reference (Evidently's choice of test). */
  drift: FeatureDrift[];
  /** Shared columns whose kinds differ (no test can compare them). */
  skipped: { name: string; reason: string }[];
  summary: ReturnType<typeof profileDriftSummary>;
}

export function versionDiff(from: VersionRow, to: VersionRow, opts: ProfileDriftOptions = {}): VersionDiff {
  const sides = compareProfiles(
    { label: `${from.dataset}@${from.version}`, schema: JSON.parse(from.schema) as TableSchema, profile: profileOfRow(from) },
    { label: `${to.dataset}@${to.version}`, schema: JSON.parse(to.schema) as TableSchema, profile: profileOfRow(to) },
    opts,
  );
  return {
    from: { ref: `${from.dataset}@${from.version}`, rows: Number(from.rows), digest: from.digest },
    to: { ref: `${to.dataset}@${to.version}`, rows: Number(to.rows), digest: to.digest },
    identical: from.digest === to.digest,
    ...sides,
    summary: profileDriftSummary(sides.drift, opts.driftShare),
  };
}

/** One side of a comparison: its name in messages, schema and profile. */
export interface ProfiledSide {
  label: string;
  schema: TableSchema;
  profile: DatasetProfile;
}

/** The schema diff and each shared column's drift, `from` as the reference (a dataset diff and an offline drift share it). */
export function compareProfiles(from: ProfiledSide, to: ProfiledSide, opts: ProfileDriftOptions = {}): Pick<VersionDiff, 'schema' | 'drift' | 'skipped'> {
  const schema = schemaDiff(from.schema, to.schema);
  const drift: FeatureDrift[] = [];
  const skipped: VersionDiff['skipped'] = [];
  const toNames = new Set(to.schema.columns.map((c) => c.name));
  for (const col of from.schema.columns) {
    if (!toNames.has(col.name)) continue;
    const ref = from.profile.columns.get(col.name);
    const cur = to.profile.columns.get(col.name);
    if (!ref || !cur) continue;
    if (ref.kind !== cur.kind && ref.kind !== 'unknown' && cur.kind !== 'unknown') {
      skipped.push({ name: col.name, reason: `profiled as ${ref.kind} in ${from.label} and as ${cur.kind} in ${to.label}` });
      continue;
    }
    const d = featureDrift(col.name, ref, cur, opts);
    if (d) drift.push(d);
    else skipped.push({ name: col.name, reason: 'no values on one side' });
  }
  return { schema, drift, skipped };
}
