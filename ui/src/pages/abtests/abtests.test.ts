import { describe, expect, it } from 'vitest';
import { formatP, formatPercent, intervalName, liftColumns, liftText } from './abtest-format.js';

describe('A/B test display', () => {
  it('charts each treatment arm of the metric in percent, oldest first, gaps as null', () => {
    const cols = liftColumns(
      [
        { at: 3000, metric: 'conversion', arm: '2', units: 30, estimate: 0.05, lower: -0.01, upper: 0.11 },
        { at: 1000, metric: 'conversion', arm: '2', units: 10, estimate: 0.1, lower: null, upper: null },
        { at: 1000, metric: 'revenue', arm: '2', units: 10, estimate: 9, lower: 8, upper: 10 },
        { at: 2000, metric: 'conversion', arm: '3', units: 20, estimate: -0.02, lower: -0.07, upper: 0.03 },
      ],
      'conversion',
    );
    expect(cols.map((c) => c.arm)).toEqual(['2', '3']);
    expect(cols[0]!.x).toEqual([1, 3]);
    expect(cols[0]!.estimate[0]).toBeCloseTo(10, 12);
    expect(cols[0]!.estimate[1]).toBeCloseTo(5, 12);
    expect(cols[0]!.lower[0]).toBeNull();
    expect(cols[0]!.upper[1]).toBeCloseTo(11, 12);
    expect(cols[1]!.lower[0]).toBeCloseTo(-7, 12);
  });

  it('writes lifts, intervals and p-values', () => {
    const base = {
      arm: '2',
      control: '1',
      p_value: 0.03,
      adjusted_p_value: 0.06,
      chance_to_win: null,
      risk: null,
      verdict: 'inconclusive' as const,
      reason: '',
    };
    expect(liftText({ ...base, absolute: null, relative: { estimate: 0.0306, lower: -0.004, upper: 0.125, stderr: 0.01, p_value: 0.03 } })).toEqual({
      estimate: '+3.06%',
      interval: '-0.40% to +12.5%',
    });
    expect(liftText({ ...base, relative: null, absolute: { estimate: -0.5, lower: -1, upper: 0, stderr: 0.2, p_value: 0.03 } })).toEqual({
      estimate: '-0.5 (absolute)',
      interval: '-1 to 0',
    });
    expect(formatPercent(0.5)).toBe('50.0%');
    expect(formatP(1e-9)).toBe('<0.0001');
    expect(intervalName({ method: 'sequential', alpha: 0.05 })).toBe('95% CS');
  });
});
