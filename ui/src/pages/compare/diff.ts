/** Side-by-side rows for comparing runs: one row per key, a value per run, and whether the runs differ (pure). */
import type { Run } from '../../../../src/sdk/index.js';

export interface DiffRow {
  key: string;
  /** One per run, in the runs' order; undefined where a run lacks the key. */
  values: (string | number | undefined)[];
  differs: boolean;
}

function rows(runs: readonly Run[], pick: (run: Run) => ReadonlyMap<string, string | number>): DiffRow[] {
  const maps = runs.map(pick);
  const keys = [...new Set(maps.flatMap((m) => [...m.keys()]))].sort((a, b) => a.localeCompare(b));
  return keys.map((key) => {
    const values = maps.map((m) => m.get(key));
    // A key missing from one run is a difference too.
    const differs = values.some((v) => v === undefined || String(v) !== String(values[0]));
    return { key, values, differs };
  });
}

/** Params of each run, keyed by name. */
export function paramsDiff(runs: readonly Run[]): DiffRow[] {
  return rows(runs, (r) => new Map((r.data.params ?? []).map((p) => [p.key, p.value])));
}

/** Latest metric values of each run. */
export function metricsDiff(runs: readonly Run[]): DiffRow[] {
  return rows(runs, (r) => new Map((r.data.metrics ?? []).map((m) => [m.key, m.value])));
}

/** How many rows differ, for the section heading. */
export function countDiffering(rows: readonly DiffRow[]): number {
  return rows.filter((r) => r.differs).length;
}
