import { describe, expect, it } from 'vitest';
import { compare } from './compare.js';
import { addUnit, emptyArmMoments, mergeArmMoments, type ArmMoments } from './moments.js';
import type { ComparisonInput, EngineMethod, EngineSettings } from './settings.js';

const settings = (method: EngineMethod, extra: Partial<EngineSettings> = {}): EngineSettings => ({
  method,
  alpha: 0.05,
  sequentialTuning: 5000,
  cuped: false,
  ...extra,
});
const METHODS: EngineMethod[] = ['fixed', 'sequential', 'bayesian'];

/** Deterministic pseudo-data: a linear congruential stream, so no test depends on Math.random. */
function arm(n: number, mean: number, seed: number, covariate = false): ArmMoments {
  let s = seed;
  const next = () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31 - 0.5;
  let m = emptyArmMoments();
  for (let i = 0; i < n; i++) {
    const x = 10 + 4 * next();
    const y = (covariate ? 0.8 * x - 8 : 0) + mean + 3 * next();
    m = addUnit(m, y, { covariate: x, denominator: 1 + Math.abs(2 * next()) });
  }
  return m;
}

function numbersIn(value: unknown): number[] {
  if (typeof value === 'number') return [value];
  if (value && typeof value === 'object') return Object.values(value).flatMap(numbersIn);
  return [];
}

describe('compare', () => {
  const control = arm(400, 10, 1);
  const treatment = arm(420, 10.6, 2);
  const input = (method: EngineMethod, extra: Partial<ComparisonInput> = {}): ComparisonInput => ({
    kind: 'mean',
    direction: 'increase',
    control,
    treatment,
    settings: settings(method),
    ...extra,
  });

  it('gives the same answer on merged windows as on all units at once', () => {
    const c1 = arm(150, 10, 1);
    const c2 = arm(250, 10, 7);
    const whole = compare(input('fixed', { control: mergeArmMoments(c1, c2) }));
    const again = compare(input('fixed', { control: mergeArmMoments(c2, c1) }));
    expect(again.absolute!.estimate).toBeCloseTo(whole.absolute!.estimate, 12);
    expect(again.pValue!).toBeCloseTo(whole.pValue!, 12);
  });

  it('swaps better and worse with the direction, and the chance to win and risks with it', () => {
    for (const method of METHODS) {
      const up = compare(input(method));
      const down = compare(input(method, { direction: 'decrease' }));
      expect(up.verdict).toBe('better');
      expect(down.verdict).toBe('worse');
      expect(down.relative).toEqual(up.relative);
      if (method === 'bayesian') {
        expect(down.chanceToWin).toBeCloseTo(1 - up.chanceToWin!, 14);
        expect(down.risk).toEqual({ control: up.risk!.treatment, treatment: up.risk!.control });
      }
    }
  });

  it('negates the absolute effect when the arms are swapped; Welch p is symmetric', () => {
    const ab = compare(input('fixed'));
    const ba = compare(input('fixed', { control: treatment, treatment: control }));
    expect(ba.absolute!.estimate).toBe(-ab.absolute!.estimate);
    expect(ba.absolute!.pValue!).toBeCloseTo(ab.absolute!.pValue!, 14);
  });

  it('reports the relative lift and p-values in units that do not matter (×100 the metric)', () => {
    const scale = (m: ArmMoments): ArmMoments => ({ ...m, sum: 100 * m.sum, sumSquares: 1e4 * m.sumSquares });
    for (const method of ['fixed', 'sequential'] as const) {
      const a = compare(input(method));
      const b = compare(input(method, { control: scale(control), treatment: scale(treatment) }));
      expect(b.relative!.estimate).toBeCloseTo(a.relative!.estimate, 12);
      expect(b.pValue!).toBeCloseTo(a.pValue!, 12);
      expect(b.absolute!.estimate / a.absolute!.estimate).toBeCloseTo(100, 9);
    }
  });

  it('pays for peeking: the sequential interval is wider than the fixed one on the same data', () => {
    const fixed = compare(input('fixed')).relative!;
    const seq = compare(input('sequential')).relative!;
    expect(seq.upper! - seq.lower!).toBeGreaterThan(fixed.upper! - fixed.lower!);
    expect(seq.stderr).toBe(fixed.stderr);
  });

  it('CUPED shrinks the standard error with a correlated covariate and changes nothing with an empty one', () => {
    const c = arm(400, 10, 11, true);
    const t = arm(400, 10.3, 12, true);
    const plain = compare(input('fixed', { control: c, treatment: t }));
    const cuped = compare({ ...input('fixed', { control: c, treatment: t }), settings: settings('fixed', { cuped: true }) });
    expect(cuped.cupedTheta!).toBeGreaterThan(0.5);
    expect(cuped.absolute!.stderr).toBeLessThan(0.8 * plain.absolute!.stderr);
    const noCovariate = (m: ArmMoments): ArmMoments => ({ n: m.n, sum: m.sum, sumSquares: m.sumSquares });
    const empty = compare({
      ...input('fixed', { control: noCovariate(c), treatment: noCovariate(t) }),
      settings: settings('fixed', { cuped: true }),
    });
    expect(empty.cupedTheta).toBe(0);
    expect(empty.absolute).toEqual(plain.absolute);
  });

  it('says insufficient_data, with a reason and no NaN or Infinity anywhere, for degenerate aggregates', () => {
    const bad: [ArmMoments, ArmMoments, RegExp][] = [
      [emptyArmMoments(), treatment, /control has no units/],
      [{ n: 1, sum: 2, sumSquares: 4 }, treatment, /fewer than 2 units/],
      [{ n: 5, sum: 10, sumSquares: 20 }, treatment, /no variance/],
      [control, { n: 3, sum: NaN, sumSquares: 1 }, /non-finite/],
      [control, { n: -3, sum: 1, sumSquares: 1 }, /negative/],
      [control, { n: 3, sum: Infinity, sumSquares: Infinity }, /non-finite/],
    ];
    for (const method of METHODS) {
      for (const [c, t, why] of bad) {
        const out = compare(input(method, { control: c, treatment: t }));
        expect(out.status).toBe('insufficient_data');
        expect(out.verdict).toBe('insufficient_data');
        expect(out.reason).toMatch(why);
        expect(numbersIn(out).every(Number.isFinite)).toBe(true);
        expect(JSON.stringify(out)).not.toMatch(/NaN|Infinity/);
      }
    }
  });

  it('decides on the absolute difference when the control mean is 0 (no relative lift)', () => {
    const zero = { n: 4, sum: 0, sumSquares: 8 };
    const out = compare(input('fixed', { control: zero, treatment: { n: 4, sum: 12, sumSquares: 44 } }));
    expect(out.status).toBe('ok');
    expect(out.relative).toBeNull();
    expect(out.basis).toBe('absolute');
    expect(out.reason).toMatch(/no relative lift/);
    expect(numbersIn(out).every(Number.isFinite)).toBe(true);
  });

  it('ratio metrics need a non-zero denominator mean', () => {
    const r = compare(input('fixed', { kind: 'ratio', control: { n: 3, sum: 3, sumSquares: 5 } }));
    expect(r.status).toBe('insufficient_data');
    const ok = compare(input('fixed', { kind: 'ratio' }));
    expect(ok.status).toBe('ok');
    expect(ok.controlMean).toBeCloseTo(control.sum / control.denominatorSum!, 14);
  });

  it('rejects settings that have no meaning', () => {
    expect(() => compare({ ...input('fixed'), settings: settings('fixed', { alpha: 0 }) })).toThrow(RangeError);
    expect(() => compare({ ...input('sequential'), settings: settings('sequential', { sequentialTuning: 0 }) })).toThrow(RangeError);
    expect(() => compare({ ...input('bayesian'), settings: settings('bayesian', { properPrior: true, priorStddev: 0 }) })).toThrow(RangeError);
  });
});
