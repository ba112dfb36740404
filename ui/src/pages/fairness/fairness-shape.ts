/**
 * Shaping a stored fairness report for the page (pure, tested): groups as rows with their counts and one column
 * per metric, and the parity metrics as rows by both methods. Null is what Fairlearn answers as NaN.
 */
import type { FairnessAnalysis } from '../../../../src/sdk/index.js';

export interface GroupRow {
  label: string;
  n: number;
  observed: boolean;
  insufficient: boolean;
  /** metric → value (null: undefined for this group, e.g. no positives for a TPR). */
  values: Record<string, number | null>;
}

/** One row per group (in the report's order), its n and flags from the first frame that has the group. */
export function groupRows(a: FairnessAnalysis): GroupRow[] {
  const rows = new Map<string, GroupRow>();
  for (const f of a.frames) {
    for (const g of f.groups) {
      let row = rows.get(g.label);
      if (!row) {
        row = { label: g.label, n: g.n, observed: g.observed, insufficient: g.insufficient, values: {} };
        rows.set(g.label, row);
      }
      row.values[f.metric] = g.value;
      row.insufficient ||= g.insufficient;
    }
  }
  return [...rows.values()];
}

export interface ParityRow {
  metric: string;
  between_groups: number | null;
  to_overall: number | null;
}

export function parityRows(a: FairnessAnalysis): ParityRow[] {
  return Object.entries(a.parity).map(([metric, v]) => ({ metric, between_groups: v.between_groups, to_overall: v.to_overall }));
}

/** The metrics worth a chart: every frame but `count` (the counts are in the table). */
export function chartedFrames(a: FairnessAnalysis): FairnessAnalysis['frames'] {
  return a.frames.filter((f) => f.metric !== 'count');
}

/** "selection_rate" → "selection rate". */
export function metricLabel(m: string): string {
  return m.replace(/_/g, ' ');
}
