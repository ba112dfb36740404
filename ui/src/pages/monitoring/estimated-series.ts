/**
 * CBPE answers as chart series (pure, tested): per window, the estimate with its ±3·SE band beside the realized
 * value where labels have joined. x is the window's start in epoch seconds; a window without rows has no point, so
 * the axis can start near the first one.
 */
import type { EstimatedMetricName, EstimatedPerformance } from '../../../../src/sdk/index.js';
import type { ChartSeries } from '../../components/chart-data.js';

export const BAND_COLOR = '#93c5fd';

export function estimatedSeries(p: EstimatedPerformance, metric: EstimatedMetricName): ChartSeries[] {
  const x = (iso: string) => Date.parse(iso) / 1000;
  const windows = p.windows.filter((w) => w.rows > 0);
  const pick = (key: 'estimated' | 'lower' | 'upper' | 'realized') => windows.map((w) => ({ x: x(w.start), y: w.metrics?.[metric][key] ?? null }));
  const realized = pick('realized');
  return [
    { label: `estimated ${metric}`, points: pick('estimated'), color: '#2563eb' },
    { label: 'band lower (−3·SE)', points: pick('lower'), color: BAND_COLOR },
    { label: 'band upper (+3·SE)', points: pick('upper'), color: BAND_COLOR },
    // Before any label joins, a realized line would be empty: leave it out of the legend.
    ...(realized.some((r) => r.y !== null) ? [{ label: `realized ${metric}`, points: realized, color: '#dc2626' }] : []),
  ];
}

/** The window length that gives a readable number of points for a range. */
export function estimatedWindow(range: '1h' | '24h' | '7d'): string {
  return range === '1h' ? '5m' : range === '24h' ? '1h' : '6h';
}
