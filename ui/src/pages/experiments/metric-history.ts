/**
 * Metric histories (MLflow's metrics/get-history, one request per run and key) and their shaping into chart
 * series. A history is read in one page of up to HISTORY_LIMIT points: charts never loop over pages.
 */
import type { FerryClient, Metric } from '../../../../src/sdk/index.js';
import type { ChartSeries } from '../../components/chart-data.js';

export const HISTORY_LIMIT = 25_000;

export interface History {
  metrics: Metric[];
  /** More points exist than were read. */
  truncated: boolean;
}

export async function metricHistory(client: FerryClient, runId: string, key: string): Promise<History> {
  return client.runs.metricHistory(runId, key, { maxResults: HISTORY_LIMIT });
}

export type XKind = 'step' | 'time';

/**
 * Steps when they tell points apart; wall-clock time when some run logged several values at one step
 * (a metric logged without steps) — on a step axis those would collapse into one point.
 */
export function chooseXKind(histories: readonly (readonly Metric[])[]): XKind {
  for (const h of histories) {
    const steps = new Set(h.map((m) => m.step));
    if (h.length > 1 && steps.size === 1) return 'time';
  }
  return 'step';
}

/** A run's history as a chart series: x = step or epoch seconds, y = value (null for NaN/±Infinity). */
export function historySeries(label: string, history: readonly Metric[], x: XKind): ChartSeries {
  const points = history
    .map((m) => ({ x: x === 'step' ? m.step : m.timestamp / 1000, y: typeof m.value === 'number' && Number.isFinite(m.value) ? m.value : null }))
    .sort((a, b) => a.x - b.x);
  return { label, points };
}
