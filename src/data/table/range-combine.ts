// Puts range results back together as one read of the file would have seen it: line numbers made absolute, the
// first error in file order, each column's type over all ranges (and which columns to demote), merged profiles,
// and the demotion warnings from the second pass's checks.
import { DatasetProfile } from '../../stats/index.js';
import { DataFileError } from '../../errors.js';
import { demotionWarning } from './infer.js';
import { DATA_PROFILE_OPTIONS, type RangeResult } from './range-task.js';
import type { ColumnType, SchemaWarning } from './types.js';
import type { WorkColumn } from './work-schema.js';

/**
 * What to add to each range's line numbers (range 0 read the header, so its lines are the file's), or null when a
 * range did not end where the next began (a cut inside a quoted field): then the file must be read in one piece.
 * The first DataFileError in file order is thrown, with its line made absolute.
 */
export function lineOffsets(results: RangeResult[], ranges: readonly ({ start: number } | undefined)[]): number[] | null {
  const offsets: number[] = [];
  for (let i = 0; i < results.length; i++) {
    if (i > 0 && results[i - 1].info.endOffset !== ranges[i]!.start) return null;
    offsets.push(i === 0 ? 0 : offsets[i - 1] + results[i - 1].info.endLine - 1);
    const err = results[i].error;
    if (err) {
      const { line } = err.location;
      throw new DataFileError(err.message, line !== undefined ? { ...err.location, line: line + offsets[i] } : err.location);
    }
  }
  return offsets;
}

function widest(a: ColumnType, b: ColumnType): ColumnType | null {
  if (a === b) return a;
  if ((a === 'integer' && b === 'float') || (a === 'float' && b === 'integer')) return 'float';
  return null;
}

/**
 * The file's working columns: the sample's, then keys first seen in later ranges (JSON Lines), each typed over all
 * ranges. `demoted` maps a column to demote to the type it looked like first (for the second pass's checks).
 */
export function combineColumns(sample: readonly WorkColumn[], results: RangeResult[]): { cols: WorkColumn[]; demoted: Map<string, ColumnType> } {
  const cols = new Map<string, WorkColumn>(sample.map((c) => [c.name, { ...c }]));
  const demoted = new Map<string, ColumnType>();
  const first = new Map<string, ColumnType>(sample.filter((c) => !c.pending).map((c) => [c.name, c.type]));
  for (const r of results) {
    for (const rc of r.cols) {
      const c = cols.get(rc.name) ?? { name: rc.name, type: rc.type, nullable: true, pending: true };
      cols.set(rc.name, c);
      c.nullable ||= rc.nullable;
      if (rc.pending) continue;
      if (!first.has(rc.name)) first.set(rc.name, rc.settled ?? rc.type);
      const t = c.pending ? rc.type : widest(c.type, rc.type);
      c.pending = false;
      if (t === null) demoted.set(rc.name, first.get(rc.name)!);
      else c.type = t;
    }
    for (const name of r.demoted) demoted.set(name, first.get(name) ?? cols.get(name)!.type);
  }
  const seen = results.filter((r) => r.rows > 0).map((r) => new Set(r.cols.map((rc) => rc.name)));
  for (const c of cols.values()) {
    if (!c.pending) delete c.pending;
    // A JSON key some range never saw is null on that range's rows.
    if (seen.some((names) => !names.has(c.name))) c.nullable = true;
  }
  return { cols: [...cols.values()], demoted };
}

/**
 * Range profiles merged in file order, leaving out `skip` (columns profiled again in the second pass). Columns are
 * created in `order` first (profile bytes list them by name; a profile should list them as the file does).
 */
export function mergeProfiles(results: RangeResult[], order: readonly string[], skip: ReadonlySet<string> = new Set()): DatasetProfile {
  const merged = new DatasetProfile({ ...DATA_PROFILE_OPTIONS });
  for (const name of order) merged.column(name); // skipped ones too: replaced in place later
  for (const r of results) {
    const p = DatasetProfile.fromBytes(r.profile!);
    for (const name of skip) p.columns.delete(name);
    merged.merge(p);
  }
  return merged;
}

/** Each demoted column's warning: its first value (in file order) that did not fit the type it had by then. */
export function demotionWarnings(demoted: ReadonlyMap<string, ColumnType>, results: RangeResult[], offsets: number[]): SchemaWarning[] {
  const warnings: SchemaWarning[] = [];
  for (const [name, start] of demoted) {
    let widened = false;
    let warning: SchemaWarning | null = null;
    for (let i = 0; i < results.length && warning === null; i++) {
      const check = results[i].checks[name];
      if (!check) continue;
      if (check.misfit) {
        const type = start === 'integer' && (widened || check.widened) ? 'float' : start;
        warning = demotionWarning(type, { ...check.misfit, line: check.misfit.line! + offsets[i] });
      }
      widened ||= check.widened;
    }
    warnings.push(warning ?? { column: name, message: `column '${name}' holds values of several types; profiled as string` });
  }
  return warnings.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
}
