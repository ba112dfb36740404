import { describe, expect, it } from 'vitest';
import { refusalOf } from '../../../test/support/refusal.js';
import { type MetricThreshold, checkThreshold } from './thresholds.js';

const field = (f: () => unknown) => refusalOf(f).field;

const judge = (candidate: number, baseline: number | null, threshold: MetricThreshold) => checkThreshold({ candidate, baseline, threshold }).outcome;

describe('checkThreshold — value bounds (TFMA metrics_validator_test)', () => {
  it('fails above an upper bound and below a lower bound, passes inside', () => {
    expect(judge(1.5, null, { value: { upper: 1 } })).toBe('no_baseline_fail'); // UpperBoundFail: 1.5 > 1
    expect(judge(0, null, { value: { lower: 1 } })).toBe('no_baseline_fail'); // LowerBoundFail: 0 < 1
    expect(judge(0, null, { value: { upper: 1 } })).toBe('no_baseline_pass'); // UpperBoundPass
    expect(judge(2, null, { value: { lower: 1 } })).toBe('no_baseline_pass'); // LowerBoundPass
  });

  it('includes both bounds (GenericValueThreshold: "both boundaries inclusive")', () => {
    expect(judge(1, 0.5, { value: { lower: 1 } })).toBe('pass');
    expect(judge(1, 0.5, { value: { upper: 1 } })).toBe('pass');
    expect(judge(1, 0.5, { value: { lower: 1, upper: 1 } })).toBe('pass');
    expect(judge(1 + 2 ** -52, 0.5, { value: { upper: 1 } })).toBe('fail');
  });

  it('reports each bound with its numbers', () => {
    const r = checkThreshold({ candidate: 0.72, baseline: 0.7, threshold: { value: { lower: 0.6, upper: 0.7 } }, metric: 'AUC' });
    expect(r.checks).toEqual([
      { kind: 'value_lower', bound: 0.6, actual: 0.72, comparison: '>=', passed: true },
      { kind: 'value_upper', bound: 0.7, actual: 0.72, comparison: '<=', passed: false },
    ]);
    expect(r.reason).toBe('AUC 0.72 vs champion 0.7 (change +0.02): fails — value 0.72 is not at most 0.7 (upper bound).');
  });
});

describe('checkThreshold — change thresholds', () => {
  // TFMA's tests: candidate 0, baseline 0.333 → delta −0.333, ratio −1.
  it("reproduces TFMA's change-threshold test verdicts", () => {
    expect(judge(0, 0.333, { change: { direction: 'lower_is_better', absolute: -1 } })).toBe('fail'); // AbsoluteFail
    expect(judge(0, 0.333, { change: { direction: 'lower_is_better', relative: -2 } })).toBe('fail'); // RelativeFail
    expect(judge(0, 0.333, { change: { direction: 'lower_is_better', absolute: 0 } })).toBe('pass'); // AbsolutePass
    expect(judge(0, 0.333, { change: { direction: 'lower_is_better', relative: 0 } })).toBe('pass'); // RelativePass
    expect(judge(0, 0.333, { change: { direction: 'higher_is_better', absolute: -1 } })).toBe('pass'); // HigherIsBetterPass
    expect(judge(0, 0.333, { change: { direction: 'higher_is_better', absolute: 0 } })).toBe('fail'); // HigherIsBetterFail
  });

  it('passes at equality in both directions (EqualPass; exact binary fractions so delta is exact)', () => {
    const t = { absolute: -0.25, relative: -0.25 };
    expect(judge(0.75, 1, { change: { direction: 'higher_is_better', ...t } })).toBe('pass');
    expect(judge(0.75, 1, { change: { direction: 'lower_is_better', ...t } })).toBe('pass');
  });

  it('AUC absolute −1e-10 with higher_is_better means "not lower than the champion"', () => {
    const notLower: MetricThreshold = { change: { direction: 'higher_is_better', absolute: -1e-10 } };
    expect(judge(0.8, 0.8, notLower)).toBe('pass');
    expect(judge(0.81, 0.8, notLower)).toBe('pass');
    expect(judge(0.7999, 0.8, notLower)).toBe('fail');
  });

  it('a positive absolute with higher_is_better requires an improvement of at least that much', () => {
    const improve: MetricThreshold = { change: { direction: 'higher_is_better', absolute: 0.01 } };
    expect(judge(0.8125, 0.8, improve)).toBe('pass');
    expect(judge(0.8, 0.8, improve)).toBe('fail');
  });

  it('lower_is_better mirrors it: loss may rise by at most a positive absolute, must fall by a negative one', () => {
    expect(judge(0.3125, 0.3, { change: { direction: 'lower_is_better', absolute: 0.02 } })).toBe('pass');
    expect(judge(0.3125, 0.3, { change: { direction: 'lower_is_better', absolute: 0.01 } })).toBe('fail');
    expect(judge(0.25, 0.3125, { change: { direction: 'lower_is_better', absolute: -0.05 } })).toBe('pass');
    expect(judge(0.28125, 0.3125, { change: { direction: 'lower_is_better', absolute: -0.05 } })).toBe('fail');
  });

  it('"limit suspicious improvement": lower_is_better with a positive absolute on AUC caps the gain', () => {
    const cap: MetricThreshold = { change: { direction: 'lower_is_better', absolute: 0.1 } };
    expect(judge(0.85, 0.8, cap)).toBe('pass');
    expect(judge(0.95, 0.8, cap)).toBe('fail');
  });

  it('relative = delta / baseline, compared like absolute', () => {
    const r = checkThreshold({ candidate: 0.5, baseline: 0.4, threshold: { change: { direction: 'higher_is_better', relative: 0.2 } } });
    expect(r.ratio).toBeCloseTo(0.25, 15);
    expect(r.outcome).toBe('pass');
    expect(judge(0.45, 0.4, { change: { direction: 'higher_is_better', relative: 0.2 } })).toBe('fail');
    expect(judge(0.45, 0.5, { change: { direction: 'higher_is_better', relative: -0.1 } })).toBe('pass');
  });

  it('a relative threshold against a baseline of 0 fails with its reason, never NaN (TFMA DivByZero)', () => {
    const r = checkThreshold({ candidate: 0.1, baseline: 0, threshold: { change: { direction: 'higher_is_better', relative: 0.1 } } });
    expect(r.outcome).toBe('fail');
    expect(r.ratio).toBeNull();
    expect(r.checks[0]).toMatchObject({ kind: 'change_relative', actual: null, passed: false });
    expect(r.reason).toContain('champion’s value is 0');
    expect(JSON.stringify(r)).not.toContain('NaN');
    // An absolute threshold alone is fine against a baseline of 0.
    expect(judge(0.1, 0, { change: { direction: 'higher_is_better', absolute: 0 } })).toBe('pass');
  });

  it('all checks must pass: value and change together', () => {
    const t: MetricThreshold = { value: { lower: 0.7 }, change: { direction: 'higher_is_better', absolute: -1e-10 } };
    expect(judge(0.75, 0.74, t)).toBe('pass');
    expect(judge(0.69, 0.6, t)).toBe('fail');
    expect(judge(0.75, 0.76, t)).toBe('fail');
  });
});

describe('checkThreshold — no baseline', () => {
  it('skips change thresholds, judges by value bounds only, and says so', () => {
    const t: MetricThreshold = { value: { lower: 0.7 }, change: { direction: 'higher_is_better', absolute: 0.01, relative: 0.1 } };
    const pass = checkThreshold({ candidate: 0.75, baseline: null, threshold: t, metric: 'AUC' });
    expect(pass.outcome).toBe('no_baseline_pass');
    expect(pass.skipped).toEqual(['change_absolute', 'change_relative']);
    expect(pass.delta).toBeNull();
    expect(pass.reason).toBe('AUC 0.75 (no champion to compare with: change thresholds skipped, judged by value bounds only): passes its threshold.');
    expect(checkThreshold({ candidate: 0.65, baseline: null, threshold: t }).outcome).toBe('no_baseline_fail');
  });

  it('with change thresholds only, the outcome is still no_baseline_pass, never a plain pass', () => {
    const r = checkThreshold({ candidate: 0.5, baseline: null, threshold: { change: { direction: 'higher_is_better', absolute: 0 } } });
    expect(r.outcome).toBe('no_baseline_pass');
    expect(r.checks).toEqual([]);
    expect(r.reason).toContain('no threshold applies');
  });
});

describe('checkThreshold — refusals', () => {
  it('names the field of a non-finite or contradictory input', () => {
    expect(field(() => checkThreshold({ candidate: NaN, baseline: 1, threshold: {} }))).toBe('candidate');
    expect(field(() => checkThreshold({ candidate: 1, baseline: Infinity, threshold: {} }))).toBe('baseline');
    expect(field(() => checkThreshold({ candidate: 1, baseline: 1, threshold: { value: { lower: NaN } } }))).toBe('threshold.value.lower');
    expect(field(() => checkThreshold({ candidate: 1, baseline: 1, threshold: { value: { lower: 2, upper: 1 } } }))).toBe('threshold.value');
    expect(field(() => checkThreshold({ candidate: 1, baseline: 1, threshold: { change: { direction: 'up' as never, absolute: 0 } } }))).toBe(
      'threshold.change.direction',
    );
    expect(field(() => checkThreshold({ candidate: 1, baseline: 1, threshold: { change: { direction: 'higher_is_better', relative: Infinity } } }))).toBe(
      'threshold.change.relative',
    );
  });
});
