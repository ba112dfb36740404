/**
 * The pure report: a unit's value per metric kind and which events count for it, the correction across metrics deciding a comparison's
 * verdict, the decision rule, and the sample-ratio check — against the engine's functions on the same inputs.
 */
import { describe, expect, it } from 'vitest';
import type { AbTestSpec, MetricPlan } from '../../src/abtests/abtest-spec.js';
import { buildReport, decide } from '../../src/abtests/report.js';
import { applyEvent, emptySums, unitMoments, unitTuple } from '../../src/abtests/unit-sums.js';
import { type ArmMoments, adjustPValues, compare, sampleRatioMismatch } from '../../src/stats/index.js';

const plan = (p: Partial<MetricPlan>): MetricPlan => ({
  metric: 'm',
  role: 'primary',
  kind: 'mean',
  direction: 'increase',
  denominator: null,
  windowMs: 1,
  delayMs: 0,
  lookbackMs: null,
  ...p,
});
const sums = { value: 0, hits: 0, denominator: 4, pre: 2.5, preHits: 1 };

/** Moments of n proportion units of which k converted. */
const prop = (n: number, k: number): ArmMoments => ({ n, sum: k, sumSquares: k });

const spec = (correction: AbTestSpec['settings']['correction']): AbTestSpec => ({
  description: null,
  unit_key: 'customer',
  arms: [
    { version: '1', weight: 50 },
    { version: '2', weight: 50 },
  ],
  control: '1',
  primary_metric: { metric: 'conv', kind: 'proportion', window: '1h' },
  guardrails: [
    { metric: 'g1', kind: 'proportion', window: '1h' },
    { metric: 'g2', kind: 'proportion', window: '1h' },
  ],
  settings: { method: 'fixed', alpha: 0.05, sequential_tuning: 5000, correction, prior_mean: 0, prior_stddev: 0.1, proper_prior: false },
});

function reportWith(correction: AbTestSpec['settings']['correction'], g2Treatment = 1000) {
  const s = spec(correction);
  const m = (metric: string, role: 'primary' | 'guardrail', c: ArmMoments, t: ArmMoments) => ({
    plan: plan({ metric, role, kind: 'proportion' }),
    moments: new Map([
      ['1', c],
      ['2', t],
    ]),
  });
  return buildReport({
    abtest: 'x',
    state: 'running',
    at: 1,
    spec: s,
    exposed: new Map([
      ['1', 10_000],
      ['2', 10_100],
    ]),
    metrics: [
      m('conv', 'primary', prop(10_000, 1000), prop(10_000, 1090)),
      m('g1', 'guardrail', prop(10_000, 1000), prop(10_000, 1000)),
      m('g2', 'guardrail', prop(10_000, 1000), prop(10_000, g2Treatment)),
    ],
    history: [],
  });
}

describe('unitTuple', () => {
  it('proportion: 1 when an event in the window is not 0; covariate the pre-exposure indicator', () => {
    expect(unitTuple(plan({ kind: 'proportion' }), { ...sums, value: 0, hits: 0 }, 3)).toEqual({ y: 0, d: 0, x: 0 });
    expect(unitTuple(plan({ kind: 'proportion', lookbackMs: 5 }), { ...sums, value: 3, hits: 2 }, 3)).toEqual({ y: 1, d: 0, x: 1 });
  });
  it('mean: the sum; ratio: over its denominator metric or the requests', () => {
    expect(unitTuple(plan({ lookbackMs: 5 }), { ...sums, value: 7.5 }, 3)).toEqual({ y: 7.5, d: 0, x: 2.5 });
    expect(unitTuple(plan({ kind: 'ratio', denominator: 'views' }), { ...sums, value: 2 }, 3)).toEqual({ y: 2, d: 4, x: 0 });
    expect(unitTuple(plan({ kind: 'ratio', denominator: '$requests' }), { ...sums, value: 2 }, 3)).toEqual({ y: 2, d: 3, x: 0 });
  });
  it("a unit's moments: n 1 and its products; sign −1 takes them back", () => {
    const m = unitMoments({ y: 2, d: 3, x: 5 });
    expect(m).toEqual({
      n: 1,
      sum: 2,
      sumSquares: 4,
      denominatorSum: 3,
      denominatorSumSquares: 9,
      mainDenominatorSumProduct: 6,
      covariateSum: 5,
      covariateSumSquares: 25,
      mainCovariateSumProduct: 10,
    });
    expect(Object.values(unitMoments({ y: 2, d: 3, x: 5 }, -1)).map((v, i) => v + Object.values(m)[i]!)).toEqual(Array(9).fill(0));
  });
});

describe('applyEvent', () => {
  // First exposed at 1000; delay 10, window 100: the window is [1010, 1110); lookback 500: [500, 1000).
  const p = plan({ kind: 'ratio', denominator: 'views', delayMs: 10, windowMs: 100, lookbackMs: 500 });
  const at = (metric: string, ts: number, value = 2) => {
    const s = emptySums();
    return { counted: applyEvent(p, 1000, { metric, value, ts }, s, 1), s };
  };
  it('credits the window by timestamp: its start counts, its end does not, nor the delay', () => {
    expect(at('m', 1010)).toEqual({ counted: true, s: { ...emptySums(), value: 2, hits: 1 } });
    expect(at('m', 1109).s.value).toBe(2);
    expect(at('m', 1110).counted).toBe(false);
    expect(at('m', 1005).counted).toBe(false);
  });
  it('credits the lookback before exposure, and the denominator metric in the window only', () => {
    expect(at('m', 500).s).toEqual({ ...emptySums(), pre: 2, preHits: 1 });
    expect(at('m', 499).counted).toBe(false);
    expect(at('m', 999, 0).s).toEqual(emptySums());
    expect(at('views', 1050).s).toEqual({ ...emptySums(), denominator: 2 });
    expect(at('views', 900).counted).toBe(false);
    expect(at('other', 1050).counted).toBe(false);
  });
  it('takes an event back with sign −1', () => {
    const s = emptySums();
    applyEvent(p, 1000, { metric: 'm', value: 3, ts: 1020 }, s, 1);
    applyEvent(p, 1000, { metric: 'm', value: 3, ts: 1020 }, s, -1);
    expect(s).toEqual(emptySums());
  });
});

describe('buildReport', () => {
  it('turns a comparison significant alone but not after Holm inconclusive, saying why; without correction it stands', () => {
    const alone = compare({
      kind: 'proportion',
      direction: 'increase',
      control: prop(10_000, 1000),
      treatment: prop(10_000, 1090),
      settings: { method: 'fixed', alpha: 0.05, sequentialTuning: 5000, cuped: false },
    });
    expect(alone.verdict).toBe('better');
    expect(alone.pValue!).toBeLessThan(0.05);

    const holm = reportWith('holm');
    const raw = holm.metrics.map((m) => m.comparisons[0]!.p_value);
    expect(raw[0]).toBe(alone.pValue);
    const adjusted = adjustPValues(raw, 'holm');
    expect(adjusted[0]!).toBeGreaterThanOrEqual(0.05);
    expect(holm.metrics.map((m) => m.comparisons[0]!.adjusted_p_value)).toEqual(adjusted);
    expect(holm.metrics[0]!.comparisons[0]).toMatchObject({ verdict: 'inconclusive' });
    expect(holm.metrics[0]!.comparisons[0]!.reason).toContain('but not significant after the holm correction across metrics');
    expect(holm.decision.verdict).toBe('inconclusive');

    const none = reportWith('none');
    expect(none.metrics[0]!.comparisons[0]).toMatchObject({ verdict: 'better', reason: alone.reason, adjusted_p_value: alone.pValue });
    expect(none.decision).toEqual({ verdict: 'better', reason: 'conv is significantly better for 2 and no guardrail is worse.' });
  });

  it('decides worse when a guardrail is significantly worse, naming it', () => {
    // g2 (increase is better) drops from 10% to 6%: worse even after the correction.
    const r = reportWith('holm', 600);
    expect(r.metrics[2]!.comparisons[0]!.verdict).toBe('worse');
    expect(r.decision).toEqual({ verdict: 'worse', reason: 'Guardrail g2 (2) is significantly worse than the control 1.' });
  });

  it('checks the split against the weights with the engine', () => {
    const r = reportWith('holm');
    const s = sampleRatioMismatch([10_000, 10_100], [50, 50]);
    expect(r.srm).toMatchObject({ chi_squared: s.chiSquared, p_value: s.pValue, flagged: false });
    expect(r.srm.units.map((u) => [u.units, u.expected_share])).toEqual([
      [10_000, 0.5],
      [10_100, 0.5],
    ]);
    expect(r.metrics[0]!.arms.map((a) => [a.units, a.pending_units, a.mean])).toEqual([
      [10_000, 0, 0.1],
      [10_000, 100, 0.109],
    ]);
  });
});

describe('decide', () => {
  const metric = (role: 'primary' | 'guardrail', verdict: string) =>
    ({
      metric: role === 'primary' ? 'conv' : 'err',
      role,
      kind: 'mean',
      direction: 'increase',
      arms: [],
      comparisons: [{ arm: '2', control: '1', verdict, reason: 'control has no units yet' }],
    }) as any;
  it('insufficient data, inconclusive, worse on the primary', () => {
    expect(decide([metric('primary', 'insufficient_data')])).toEqual({ verdict: 'insufficient_data', reason: 'conv: control has no units yet.' });
    expect(decide([metric('primary', 'inconclusive'), metric('guardrail', 'better')]).verdict).toBe('inconclusive');
    expect(decide([metric('primary', 'worse'), metric('guardrail', 'inconclusive')])).toEqual({
      verdict: 'worse',
      reason: 'conv is significantly worse for 2.',
    });
    expect(decide([metric('primary', 'better'), metric('guardrail', 'worse')]).verdict).toBe('worse');
  });
});
