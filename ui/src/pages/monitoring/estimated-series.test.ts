import { describe, expect, it } from 'vitest';
import type { EstimatedPerformance, EstimatedPerformanceWindow } from '../../../../src/sdk/index.js';
import { estimatedSeries } from './estimated-series.js';

const metric = (estimated: number, realized: number | null) => ({
  estimated,
  sampling_error: 0.01,
  lower: estimated - 0.03,
  upper: estimated + 0.03,
  realized,
  realized_outside_band: realized === null ? null : Math.abs(realized - estimated) > 0.03,
});

function win(start: string, rows: number, accuracy: [number, number | null] | null): EstimatedPerformanceWindow {
  const m = accuracy ? metric(...accuracy) : null;
  return {
    start,
    end: start,
    rows,
    labelled: 0,
    label_coverage: rows ? 0 : null,
    expected_confusion: null,
    metrics: m ? { roc_auc: m, f1: m, precision: m, recall: m, specificity: m, accuracy: m, average_precision: m } : null,
    outside_band: [],
  };
}

const answer = (windows: EstimatedPerformanceWindow[]) => ({ windows }) as unknown as EstimatedPerformance;

describe('estimated performance series', () => {
  it('draws the estimate and its band per window, no point for a window without rows', () => {
    const s = estimatedSeries(answer([win('2026-01-01T00:00:00Z', 10, [0.8, null]), win('2026-01-01T01:00:00Z', 0, null)]), 'accuracy');
    expect(s.map((x) => x.label)).toEqual(['estimated accuracy', 'band lower (−3·SE)', 'band upper (+3·SE)']);
    expect(s[0]!.points).toEqual([{ x: 1767225600, y: 0.8 }]);
    expect(s[1]!.points[0]!.y).toBeCloseTo(0.77, 12);
    expect(s[2]!.points[0]!.y).toBeCloseTo(0.83, 12);
  });
  it('adds the realized line once a label has joined', () => {
    const s = estimatedSeries(answer([win('2026-01-01T00:00:00Z', 10, [0.8, 0.7])]), 'accuracy');
    expect(s.map((x) => x.label)).toContain('realized accuracy');
    expect(s[3]!.points[0]!.y).toBe(0.7);
  });
});
