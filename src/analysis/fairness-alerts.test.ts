/** Fairness alert values on live rows, recounted by hand: small groups left out, null without two groups, other metrics passed on. */
import { describe, expect, it } from 'vitest';
import { NotFoundError } from '../errors.js';
import { FairnessAlertMetrics, liveFairnessValue } from './fairness-alerts.js';
import { type LiveRow, liveWindow, posLabelOf } from './fairness-live.js';

/** `n` rows of group g: `sel` of them predicted 1; of those with truth, `tp` true positives among `pos` positives and `fp` among negatives. */
function rows(g: string, n: number, sel: number, labels?: { pos: number; tp: number; fp: number }): LiveRow[] {
  return Array.from({ length: n }, (_, i) => {
    const pred = i < sel ? 1 : 0;
    if (!labels) return { ts: 0, group: g, pred };
    // The first `pos` rows are actual positives; tp of them predicted 1 (i < sel), so arrange sel ≥ tp.
    const truth = i < labels.tp ? 1 : i < sel && i >= labels.tp && i < labels.tp + labels.fp ? 0 : i >= sel && i < sel + (labels.pos - labels.tp) ? 1 : 0;
    return { ts: 0, group: g, pred, truth };
  });
}

describe('fairness alert values', () => {
  it('demographic parity between groups of at least 30 rows', () => {
    const r = [...rows('a', 40, 20), ...rows('b', 50, 10), ...rows('c', 5, 5)];
    // c (5 rows) is left out: 0.2 / 0.5, not 0.2 / 1.
    expect(liveFairnessValue('demographic_parity_ratio', r, 'g')).toBeCloseTo(0.2 / 0.5, 15);
    expect(liveFairnessValue('demographic_parity_difference', r, 'g')).toBeCloseTo(0.3, 15);
    expect(liveFairnessValue('demographic_parity_ratio', [...rows('a', 40, 20), ...rows('c', 5, 5)], 'g')).toBeNull();
  });

  it('equal opportunity and equalized odds on labelled rows only', () => {
    const a = rows('a', 40, 20, { pos: 20, tp: 15, fp: 5 }); // TPR 15/20, FPR 5/20
    const b = rows('b', 40, 10, { pos: 20, tp: 6, fp: 4 }); // TPR 6/20, FPR 4/20
    const tally = (xs: LiveRow[]) => {
      const pos = xs.filter((x) => x.truth === 1);
      const neg = xs.filter((x) => x.truth === 0);
      return { tpr: pos.filter((x) => x.pred === 1).length / pos.length, fpr: neg.filter((x) => x.pred === 1).length / neg.length };
    };
    const ta = tally(a);
    const tb = tally(b);
    expect(ta).toEqual({ tpr: 0.75, fpr: 0.25 });
    expect(tb).toEqual({ tpr: 0.3, fpr: 0.2 });
    const unlabelled = rows('c', 100, 50);
    const all = [...a, ...b, ...unlabelled];
    expect(liveFairnessValue('equal_opportunity_ratio', all, 'g')).toBeCloseTo(0.3 / 0.75, 15);
    expect(liveFairnessValue('equalized_odds_ratio', all, 'g')).toBeCloseTo(Math.min(0.3 / 0.75, 0.2 / 0.25), 15);
    expect(liveFairnessValue('equalized_odds_difference', all, 'g')).toBeCloseTo(Math.max(0.45, 0.05), 15);
    expect(liveFairnessValue('equal_opportunity_ratio', unlabelled, 'g')).toBeNull();
  });

  it('passes other metrics to the source it wraps, and answers null for an unreadable deployment', async () => {
    const inner = { value: async (_d: string, m: string) => (m === 'error_rate' ? 0.5 : null) };
    const live = {
      rows: async (d: string) => {
        if (d === 'gone') throw new NotFoundError("Deployment 'gone' does not exist.");
        return { rows: [...rows('a', 30, 30), ...rows('b', 30, 15)], missing: 0, prediction: 'label', inputs: ['g'], truncatedBefore: null, read: 75 };
      },
    };
    const m = new FairnessAlertMetrics(inner, live);
    expect(await m.value('d', 'error_rate', 60_000, 1)).toBe(0.5);
    expect(await m.value('d', 'demographic_parity_ratio:g', 60_000, 1)).toBe(0.5);
    expect(await m.value('gone', 'demographic_parity_ratio:g', 60_000, 1)).toBeNull();
  });
});

describe('live windows', () => {
  it('reads pos_label text as typed, and counts labelled rows of boolean groups', () => {
    expect([posLabelOf('1'), posLabelOf('true'), posLabelOf('yes'), posLabelOf(undefined)]).toEqual([1, true, 'yes', null]);
    const r: LiveRow[] = [
      { ts: 0, group: true, pred: 1, truth: 1 },
      { ts: 0, group: true, pred: 0 },
      { ts: 0, group: false, pred: 0, truth: 1 },
    ];
    const w = liveWindow(r, 0, 1000, 2, 'flag', null, 30, []);
    expect(w).toMatchObject({ n: 3, labelled: 2, missing_feature: 2 });
    expect(w.groups.map((g) => [g.label, g.n, g.labelled, g.label_coverage, g.selection_rate])).toEqual([
      ['0', 1, 1, 1, 0],
      ['1', 2, 1, 0.5, 0.5],
    ]);
  });
});
