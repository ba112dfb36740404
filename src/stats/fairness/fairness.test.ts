import { describe, expect, it } from 'vitest';
import { FerryError, InvalidParameterError } from '../../errors.js';
import { Rng } from '../sketch/rng.js';
import { bootstrapFairness, demographicParityRatio, equalizedOddsDifference, fourFifths, metricFrame, selectionRate, type MetricFrameInput } from './index.js';

/** n rows per group, selection probability per group, truth correlated with the prediction. */
function data(sizes: Record<string, number>, rates: Record<string, number>, seed = 7) {
  const rng = new Rng(seed);
  const yTrue: number[] = [];
  const yPred: number[] = [];
  const group: string[] = [];
  for (const [g, n] of Object.entries(sizes)) {
    for (let i = 0; i < n; i++) {
      const p = rng.nextFloat() < rates[g] ? 1 : 0;
      yPred.push(p);
      yTrue.push(rng.nextFloat() < 0.8 ? p : 1 - p);
      group.push(g);
    }
  }
  return { yTrue, yPred, sensitiveFeatures: [{ name: 'g', values: group }] };
}

function refusal(fn: () => unknown, field: string): void {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(InvalidParameterError);
    expect((err as FerryError).code).toBe('INVALID_PARAMETER_VALUE');
    expect((err as FerryError).errors[0].field).toBe(field);
    return;
  }
  throw new Error(`expected a refusal naming ${field}`);
}

describe('insufficient groups (Ferry extra)', () => {
  it('flags small groups without dropping them or changing any Fairlearn value', () => {
    const d = data({ big: 200, small: 5 }, { big: 0.5, small: 0.2 });
    const strict = metricFrame({ metric: 'selection_rate', ...d, minGroupSize: 30 });
    const lax = metricFrame({ metric: 'selection_rate', ...d, minGroupSize: 0 });
    const small = strict.byGroup.find((g) => g.label === 'small')!;
    expect(small).toMatchObject({ n: 5, weight: 5, observed: true, insufficient: true });
    expect(Number.isFinite(small.value)).toBe(true);
    expect(strict.insufficientGroups).toEqual(['small']);
    expect(lax.insufficientGroups).toEqual([]);
    expect(strict.difference).toEqual(lax.difference);
    expect(strict.ratio).toEqual(lax.ratio);
  });

  it('shows an empty intersection with zero counts, NaN value, unobserved and insufficient', () => {
    const f = metricFrame({
      metric: 'selection_rate',
      yPred: [1, 0, 1, 1],
      sensitiveFeatures: [
        { name: 'a', values: ['x', 'x', 'y', 'y'] },
        { name: 'b', values: [1, 2, 1, 1] },
      ],
      minGroupSize: 1,
    });
    expect(f.byGroup.map((g) => g.label)).toEqual(['x, 1', 'x, 2', 'y, 1', 'y, 2']);
    const empty = f.byGroup[3];
    expect(empty).toMatchObject({ n: 0, weight: 0, observed: false, insufficient: true });
    expect(empty.value).toBeNaN();
    expect(f.insufficientGroups).toEqual(['y, 2']);
    expect(f.difference.between_groups).toBe(1); // NaN skipped: max 1 − min 0
  });
});

describe('bootstrap intervals (Ferry extra)', () => {
  const d = data({ a: 400, b: 300, c: 60 }, { a: 0.5, b: 0.35, c: 0.4 });
  const input: MetricFrameInput = { metric: 'selection_rate', ...d };

  it('is reproducible from its seed and changes with it', () => {
    const one = bootstrapFairness(input, { replicates: 300, seed: 11 });
    expect(bootstrapFairness(input, { replicates: 300, seed: 11 })).toEqual(one);
    expect(bootstrapFairness(input, { replicates: 300, seed: 12 }).difference).not.toEqual(one.difference);
  });

  it('brackets the point estimates with a width near the normal approximation', () => {
    const r = bootstrapFairness(input, { replicates: 2000, seed: 3 });
    const frame = metricFrame(input);
    expect(r.groups.map((g) => g.estimate)).toEqual(frame.byGroup.map((g) => g.value));
    expect(r.difference.between_groups.estimate).toBe(frame.difference.between_groups);
    expect(r.ratio.to_overall.estimate).toBe(frame.ratio.to_overall);
    for (const g of r.groups) {
      expect(g.lo).toBeLessThanOrEqual(g.estimate);
      expect(g.hi).toBeGreaterThanOrEqual(g.estimate);
      // 95% percentile interval of a proportion ≈ ±1.96·√(p(1−p)/n).
      const half = 1.96 * Math.sqrt((g.estimate * (1 - g.estimate)) / g.n);
      expect((g.hi - g.lo) / 2).toBeGreaterThan(0.75 * half);
      expect((g.hi - g.lo) / 2).toBeLessThan(1.25 * half);
    }
    expect(r.ratio.between_groups.hi).toBeLessThanOrEqual(1);
  });

  it('gives a degenerate interval where every replicate is the same, and counts NaN replicates', () => {
    const r = bootstrapFairness(
      { metric: 'selection_rate', yPred: [0, 0, 0, 0, 0, 0], sensitiveFeatures: [{ name: 'g', values: ['a', 'a', 'a', 'b', 'b', 'b'] }] },
      { replicates: 50 },
    );
    expect(r.groups.map((g) => [g.lo, g.hi])).toEqual([
      [0, 0],
      [0, 0],
    ]);
    expect(r.ratio.between_groups.undefinedReplicates).toBe(50); // 0/0 in every replicate
    expect(r.ratio.between_groups.lo).toBeNaN();
  });

  it('refuses bad options, naming them', () => {
    refusal(() => bootstrapFairness(input, { replicates: 0 }), 'replicates');
    refusal(() => bootstrapFairness(input, { level: 1 }), 'level');
    refusal(() => bootstrapFairness(input, { seed: -1 }), 'seed');
  });
});

describe('four-fifths heuristic', () => {
  it('flags a demographic parity ratio below 0.8 and says what it is', () => {
    expect(fourFifths(0.79).flagged).toBe(true);
    expect(fourFifths(0.8).flagged).toBe(false);
    const undef = fourFifths(NaN);
    expect(undef).toMatchObject({ flagged: false, undefined: true, threshold: 0.8 });
    expect(fourFifths(0.5).explanation).toMatch(/heuristic/);
  });

  it('reads the between-groups selection-rate ratio', () => {
    const d = data({ a: 100, b: 100 }, { a: 0.6, b: 0.3 });
    const dpr = demographicParityRatio(d);
    const rates = metricFrame({ metric: 'selection_rate', ...d }).byGroup.map((g) => g.value);
    expect(dpr).toBe(Math.min(...rates) / Math.max(...rates));
    expect(fourFifths(dpr).flagged).toBe(dpr < 0.8);
  });
});

describe('refusals', () => {
  const base = { yTrue: [0, 1, 1], yPred: [1, 0, 1], sensitiveFeatures: [{ name: 'g', values: ['a', 'b', 'a'] }] };
  it('names the field', () => {
    refusal(() => metricFrame({ metric: 'recall', ...base, yTrue: [0, 1] }), 'y_true');
    refusal(() => metricFrame({ metric: 'true_positive_rate', ...base, yTrue: undefined }), 'y_true');
    refusal(() => metricFrame({ metric: 'accuracy', ...base, sampleWeight: [1, -1, 1] }), 'sample_weight');
    refusal(() => metricFrame({ metric: 'accuracy', ...base, sampleWeight: [1, NaN, 1] }), 'sample_weight');
    refusal(() => metricFrame({ metric: 'accuracy', ...base, sensitiveFeatures: [{ name: 'g', values: ['a', null as never, 'b'] }] }), 'sensitive_features.g');
    refusal(() => metricFrame({ metric: 'accuracy', ...base, sensitiveFeatures: [] }), 'sensitive_features');
    refusal(() => metricFrame({ metric: 'nope' as never, ...base }), 'metric');
    refusal(() => metricFrame({ metric: 'accuracy', ...base, minGroupSize: -1 }), 'min_group_size');
    refusal(() => metricFrame({ metric: 'false_positive_rate', ...base, yTrue: [0, 2, 1] }), 'y_true');
    refusal(() => metricFrame({ metric: 'false_positive_rate', ...base, yPred: ['y', 'n', 'y'] }), 'y_pred');
    refusal(() => metricFrame({ metric: 'precision', ...base, yTrue: [0, 3, 3], yPred: [3, 0, 3] }), 'pos_label');
    refusal(() => equalizedOddsDifference({ ...base, agg: 'median' as never }), 'agg');
    refusal(() => demographicParityRatio({ ...base, method: 'pairwise' as never }), 'method');
  });

  it('accepts what Fairlearn accepts: string labels with pos_label, a group with one label', () => {
    const f = metricFrame({ metric: 'true_positive_rate', ...base, yTrue: ['y', 'n', 'n'], yPred: ['y', 'y', 'n'], posLabel: 'y' });
    expect(f.byGroup.map((g) => g.value)).toEqual([1, 0]); // group b has no positives: TPR 0, not NaN
    expect(selectionRate([1, 0, 1, 1], [1, 1, 2, 0])).toBe(0.75);
  });
});
