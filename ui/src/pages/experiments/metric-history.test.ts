import { describe, expect, it } from 'vitest';
import type { Metric } from '../../../../src/sdk/index.js';
import { alignSeries } from '../../components/chart-data.js';
import { chooseXKind, historySeries } from './metric-history.js';

const m = (step: number, value: Metric['value'], timestamp = 1_700_000_000_000 + step * 1000): Metric => ({ key: 'loss', value, step, timestamp });

describe('metric history shaping', () => {
  it('uses steps, sorted, with non-finite values as gaps', () => {
    const s = historySeries('run a', [m(2, 0.5), m(0, 0.9), m(1, 'NaN')], 'step');
    expect(s).toEqual({
      label: 'run a',
      points: [
        { x: 0, y: 0.9 },
        { x: 1, y: null },
        { x: 2, y: 0.5 },
      ],
    });
  });

  it('uses epoch seconds on a time axis', () => {
    expect(historySeries('r', [m(0, 1, 5000)], 'time').points).toEqual([{ x: 5, y: 1 }]);
  });

  it('switches to time when a run logged several values at one step', () => {
    expect(chooseXKind([[m(0, 1), m(1, 2)], [m(0, 3)]])).toBe('step');
    expect(chooseXKind([[m(0, 1, 1000), m(0, 2, 2000)]])).toBe('time');
    expect(chooseXKind([[], [m(0, 1)]])).toBe('step');
  });

  it('overlays runs with different steps on one x axis', () => {
    const a = historySeries('a', [m(0, 1), m(2, 3)], 'step');
    const b = historySeries('b', [m(1, 10), m(2, 30), m(2, 31)], 'step');
    expect(alignSeries([a, b])).toEqual([
      [0, 1, 2],
      [1, null, 3],
      [null, 10, 31],
    ]);
  });
});
