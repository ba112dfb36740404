import { describe, expect, it } from 'vitest';
import type { FairnessAnalysis, LiveFairness } from '../../../../src/sdk/index.js';
import { chartedFrames, groupRows, parityRows } from './fairness-shape.js';
import { liveSeries } from './live-series.js';

const by = (between_groups: number | null, to_overall: number | null) => ({ between_groups, to_overall });
const group = (label: string, value: number | null, n: number, insufficient = false, observed = true) => ({
  key: [label],
  label,
  value,
  n,
  weight: n,
  observed,
  insufficient,
});
const frame = (metric: string, groups: ReturnType<typeof group>[]) => ({
  metric,
  overall: 0.5,
  n: 100,
  groups,
  group_min: 0.1,
  group_max: 0.9,
  difference: by(0.8, 0.4),
  ratio: by(0.11, 0.2),
  insufficient_groups: groups.filter((g) => g.insufficient).map((g) => g.label),
});

const analysis: FairnessAnalysis = {
  features: ['home'],
  frames: [
    frame('selection_rate', [group('own', 0.2, 60), group('rent', 0.5, 38), group('other', 0.9, 2, true)]),
    frame('true_positive_rate', [group('own', 0.7, 60), group('rent', null, 38), group('other', 1, 2, true)]),
    frame('count', [group('own', 60, 60), group('rent', 38, 38), group('other', 2, 2, true)]),
  ],
  parity: {
    demographic_parity_difference: by(0.7, 0.4),
    demographic_parity_ratio: by(0.22, 0.4),
    equalized_odds_difference: by(null, null),
    equalized_odds_ratio: by(null, null),
    equal_opportunity_difference: by(0.3, 0.2),
    equal_opportunity_ratio: by(0.7, 0.8),
  },
  four_fifths: { ratio: 0.22, threshold: 0.8, flagged: true, undefined: false, explanation: 'a heuristic' },
  insufficient_groups: ['other'],
};

describe('fairness report shaping', () => {
  it('puts groups in rows with their counts and a value per metric, nulls kept', () => {
    const rows = groupRows(analysis);
    expect(rows.map((r) => [r.label, r.n, r.insufficient])).toEqual([
      ['own', 60, false],
      ['rent', 38, false],
      ['other', 2, true],
    ]);
    expect(rows[1]!.values).toEqual({ selection_rate: 0.5, true_positive_rate: null, count: 38 });
  });
  it('lists parity by both methods and charts every metric but the count', () => {
    expect(parityRows(analysis)[1]).toEqual({ metric: 'demographic_parity_ratio', between_groups: 0.22, to_overall: 0.4 });
    expect(chartedFrames(analysis).map((f) => f.metric)).toEqual(['selection_rate', 'true_positive_rate']);
  });
});

describe('live fairness series', () => {
  const win = (start: string, n: number, labelled: number, dpr: number | null, eor: number | null) => ({
    start,
    end: start,
    n,
    labelled,
    missing_feature: 0,
    groups: [],
    demographic_parity_difference: null,
    demographic_parity_ratio: dpr,
    equalized_odds_difference: null,
    equalized_odds_ratio: eor,
    equal_opportunity_difference: null,
    equal_opportunity_ratio: null,
    insufficient_groups: [],
  });
  const live = (windows: ReturnType<typeof win>[]): LiveFairness => ({
    deployment: 'd',
    feature: 'home',
    feature_source: 'model_input',
    prediction: 'label',
    model_version: null,
    pos_label: 1,
    from: '',
    to: '',
    window: '1h',
    min_group_size: 30,
    overall: windows[0]!,
    windows,
    notes: [],
  });
  it('draws the DP ratio per window with predictions, the EO ratio only where labels gave one, and the coverage', () => {
    const noLabels = liveSeries(live([win('2026-01-01T00:00:00Z', 10, 0, 0.5, null), win('2026-01-01T01:00:00Z', 0, 0, null, null)]));
    expect(noLabels.ratios.map((s) => s.label)).toEqual(['demographic parity ratio']);
    expect(noLabels.ratios[0]!.points).toEqual([{ x: 1767225600, y: 0.5 }]);
    expect(noLabels.coverage.points.map((p) => p.y)).toEqual([0]);
    const labelled = liveSeries(live([win('2026-01-01T00:00:00Z', 10, 4, 0.5, 0.25)]));
    expect(labelled.ratios.map((s) => s.label)).toEqual(['demographic parity ratio', 'equalized odds ratio']);
    expect(labelled.coverage.points[0]!.y).toBe(0.4);
  });
});
