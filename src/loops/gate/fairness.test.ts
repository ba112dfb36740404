import { describe, expect, it } from 'vitest';
import { refusalOf } from '../../../test/support/refusal.js';
import { type GateConfig, type GateSource, evaluateGate } from './gate-evaluator.js';
import type { GateEvidence } from './evidence.js';
import { gateReason } from './reason.js';

/**
 * A holdout of three groups: A and B with 60 rows each, C with 10 (under the minimum of 30). The truth alternates
 * 0, 1 within each group. A model's predicted label is 1 for a group's first `selected[g]` rows, so by hand:
 * A selects 30 of 60 (0.5), TPR 15/30, FPR 15/30; B selecting 15 of 60 (0.25) has TPR 7/30 and FPR 8/30.
 */
function holdout(candidate: Record<string, number>, champion: Record<string, number> | null, labels: [unknown, unknown] = [0, 1]): GateSource {
  const sizes: Record<string, number> = { A: 60, B: 60, C: 10 };
  const features: Record<string, unknown>[] = [];
  const truth: (number | string | boolean)[] = [];
  const cand: Record<string, unknown>[] = [];
  const champ: Record<string, unknown>[] = [];
  const out = (label: unknown) => ({ label, probabilities: [0.5, 0.5] });
  for (const g of Object.keys(sizes)) {
    for (let i = 0; i < sizes[g]!; i++) {
      features.push({ group: g, income: i * 1000 });
      truth.push(labels[i % 2] as number);
      cand.push(out(labels[i < candidate[g]! ? 1 : 0]));
      if (champion) champ.push(out(labels[i < champion[g]! ? 1 : 0]));
    }
  }
  return {
    source: 'holdout',
    label: 'credit-holdout v3',
    dataset: { dataset: 'credit-holdout', version: 3 },
    features,
    truth,
    candidate: cand,
    champion: champion ? champ : null,
  };
}

const UNEVEN = { A: 30, B: 15, C: 10 };
const EVEN = { A: 30, B: 30, C: 5 };

function config(fairness: unknown, over: Partial<GateConfig> = {}): GateConfig {
  return {
    thresholds: [{ metric: 'accuracy', lower: 0 }],
    slices: [],
    min_slice_size: 30,
    alpha: 0.05,
    replicates: 200,
    seed: 7,
    fairness: fairness as GateConfig['fairness'],
    ...over,
  };
}

function roundTrip(e: GateEvidence): void {
  const copy = JSON.parse(JSON.stringify(e)) as GateEvidence;
  expect(copy).toStrictEqual(e);
  expect(gateReason(copy)).toBe(e.reason);
}

describe('the gate’s fairness conditions', () => {
  it('fails a candidate whose selection rates differ by group, naming the feature, metric, value and bound', () => {
    const e = evaluateGate([holdout(UNEVEN, EVEN)], config([{ feature: 'group', metric: 'demographic_parity_ratio', min: 0.8 }]));
    expect(e.outcome).toBe('fail');
    expect(e.failures).toEqual([]);
    expect(e.reason).toBe(
      "Rejected: on credit-holdout v3, the candidate's demographic_parity_ratio for group is 0.500, below its minimum 0.800 (1 group under 30 rows left out).",
    );
    const f = e.fairness![0]!;
    expect(f).toMatchObject({ passed: false, kind: 'value_lower', source: 0, method: 'between_groups', min: 0.8, max: null });
    expect(f.candidate.value).toBe(0.5);
    // The champion is shown, not judged: balanced, its ratio is 1.
    expect(f.champion!.value).toBe(1);
    expect(f.candidate.insufficient_groups).toEqual(['C']);
    expect(f.candidate.groups).toEqual([
      expect.objectContaining({ value: 'A', n: 60, insufficient: false, selected: 30, selection_rate: 0.5, true_positive_rate: null }),
      expect.objectContaining({ value: 'B', n: 60, insufficient: false, selected: 15, selection_rate: 0.25 }),
      expect.objectContaining({ value: 'C', n: 10, insufficient: true, selected: null, selection_rate: null }),
    ]);
    roundTrip(e);
  });

  it('passes balanced selection rates and says the condition held', () => {
    const e = evaluateGate(
      [holdout(EVEN, UNEVEN)],
      config([
        { feature: 'group', metric: 'demographic_parity_ratio', min: 0.8 },
        { feature: 'group', metric: 'demographic_parity_difference', max: 0.1 },
      ]),
    );
    expect(e.outcome).toBe('pass');
    expect(e.fairness!.map((f) => [f.passed, f.candidate.value, f.champion!.value])).toEqual([
      [true, 1, 0.5],
      [true, 0, 0.25],
    ]);
    expect(e.reason).toMatch(/^Passed: 1 metric on 1 source and 1 slice cleared their thresholds, and 2 fairness conditions held; /);
    roundTrip(e);
  });

  it('judges equalized odds and equal opportunity from the per-group TPR and FPR, with their counts', () => {
    const e = evaluateGate(
      [holdout(UNEVEN, null)],
      config([
        { feature: 'group', metric: 'equalized_odds_difference', max: 0.1 },
        { feature: 'group', metric: 'equal_opportunity_ratio', min: 0.4 },
      ]),
    );
    expect(e.outcome).toBe('no_baseline_fail');
    const [eod, eor] = e.fairness!;
    // |TPR_A − TPR_B| = 15/30 − 7/30, |FPR_A − FPR_B| = 15/30 − 8/30: the worse is 8/30.
    expect(eod!.candidate.value).toBeCloseTo(8 / 30, 15);
    expect(eod!.champion).toBeNull();
    expect(eod!.candidate.groups[1]).toEqual({
      value: 'B',
      n: 60,
      insufficient: false,
      selected: 15,
      selection_rate: 0.25,
      positives: 30,
      true_positives: 7,
      true_positive_rate: 7 / 30,
      negatives: 30,
      false_positives: 8,
      false_positive_rate: 8 / 30,
    });
    expect(eor!.candidate.value).toBeCloseTo(7 / 15, 15);
    expect(eor!.passed).toBe(true);
    expect(e.reason).toBe(
      "Rejected (no champion to compare with: judged by value thresholds only): on credit-holdout v3, the candidate's equalized_odds_difference for group is 0.267, above its maximum 0.100 (1 group under 30 rows left out).",
    );
    roundTrip(e);
  });

  it('leaves small groups out, and fails when fewer than two groups are left', () => {
    const e = evaluateGate([holdout(EVEN, EVEN)], config([{ feature: 'group', metric: 'demographic_parity_ratio', min: 0.8 }], { min_slice_size: 61 }));
    // No slice has 61 rows except `all` (130): the accuracy threshold is judged there; fairness cannot be.
    expect(e.outcome).toBe('fail');
    const f = e.fairness![0]!;
    expect(f).toMatchObject({ passed: false, kind: 'undefined' });
    expect(f.candidate.insufficient_groups).toEqual(['A', 'B', 'C']);
    expect(e.reason).toBe(
      "Rejected: on credit-holdout v3, the candidate's demographic_parity_ratio for group could not be judged: fewer than two groups of group have 61 rows.",
    );
    roundTrip(e);
  });

  it('puts rows without the feature in a (missing) group and keeps it when large enough', () => {
    const h = holdout(UNEVEN, EVEN);
    for (let i = 0; i < 60; i++) delete h.features[i]!.group; // group A's rows lose the feature
    const e = evaluateGate([h], config([{ feature: 'group', metric: 'demographic_parity_difference', max: 0.5 }]));
    expect(e.fairness![0]!.candidate.groups.map((g) => [g.value, g.n])).toEqual([
      ['(missing)', 60],
      ['B', 60],
      ['C', 10],
    ]);
    expect(e.fairness![0]!.candidate.value).toBe(0.25);
  });

  it('needs pos_label for labels outside {0, 1}, and reads them with it', () => {
    const labels: [unknown, unknown] = ['deny', 'approve'];
    const without = evaluateGate([holdout(UNEVEN, EVEN, labels)], config([{ feature: 'group', metric: 'demographic_parity_ratio', min: 0.8 }]));
    expect(without.fairness![0]!.candidate.not_computed).toBe('the candidate predicts "approve": without pos_label, labels must be from {0, 1} or {−1, 1}');
    expect(without.outcome).toBe('fail');
    const withPos = evaluateGate(
      [holdout(UNEVEN, EVEN, labels)],
      config([{ feature: 'group', metric: 'equal_opportunity_difference', max: 0.5, pos_label: 'approve' }]),
    );
    expect(withPos.fairness![0]!.candidate.value).toBeCloseTo(8 / 30, 15);
    expect(withPos.outcome).toBe('pass');
  });

  it('refuses bad conditions, naming the field', () => {
    const run = (fairness: unknown, sources: GateSource[] = [holdout(EVEN, EVEN)]) => refusalOf(() => evaluateGate(sources, config(fairness))).field;
    const dpr = { feature: 'group', metric: 'demographic_parity_ratio' };
    expect(run([dpr])).toBe('fairness[0]');
    expect(run([{ ...dpr, min: 1.5 }])).toBe('fairness[0].min');
    expect(run([{ ...dpr, max: -0.1 }])).toBe('fairness[0].max');
    expect(run([{ ...dpr, min: 0.9, max: 0.8 }])).toBe('fairness[0].min');
    expect(run([{ ...dpr, metric: 'four_fifths', min: 0.8 }])).toBe('fairness[0].metric');
    expect(
      run([
        { ...dpr, min: 0.8 },
        { ...dpr, min: 0.7 },
      ]),
    ).toBe('fairness[1].metric');
    expect(run([{ ...dpr, feature: 'gender', min: 0.8 }])).toBe('fairness[0].feature');
    expect(run([{ ...dpr, min: 0.8, pos_label: { a: 1 } }])).toBe('fairness[0].pos_label');
    expect(run(Array.from({ length: 11 }, (_, i) => ({ ...dpr, feature: `f${i}`, min: 0.8 })))).toBe('fairness');
    const production = { ...holdout(EVEN, EVEN), source: 'production' as const, label: 'production' };
    expect(run([{ ...dpr, min: 0.8 }], [production])).toBe('fairness');
  });
});
