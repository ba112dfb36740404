/**
 * Live fairness per window as chart series (pure, tested): x is each window's start in epoch seconds; a window
 * without predictions has no point, so the axis can start near the first one.
 */
import type { ChartSeries } from '../../components/chart-data.js';
import type { LiveFairness } from '../../../../src/sdk/index.js';

export function liveSeries(f: LiveFairness): { ratios: ChartSeries[]; coverage: ChartSeries } {
  const x = (w: LiveFairness['windows'][number]) => Date.parse(w.start) / 1000;
  const windows = f.windows.filter((w) => w.n > 0);
  const dp: ChartSeries = { label: 'demographic parity ratio', points: windows.map((w) => ({ x: x(w), y: w.demographic_parity_ratio })) };
  const eo: ChartSeries = { label: 'equalized odds ratio', points: windows.map((w) => ({ x: x(w), y: w.equalized_odds_ratio })) };
  // Without labels the equalized odds ratio is null everywhere: no empty line in the legend.
  const hasEo = eo.points.some((p) => p.y !== null);
  return {
    ratios: hasEo ? [dp, eo] : [dp],
    coverage: { label: 'label coverage', points: windows.map((w) => ({ x: x(w), y: w.labelled / w.n })) },
  };
}

/** The window length that gives a readable number of points for a range. */
export function windowFor(range: '1h' | '24h' | '7d'): string {
  return range === '1h' ? '5m' : range === '24h' ? '1h' : '6h';
}
