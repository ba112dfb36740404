/** One metric's history for one or more runs, overlaid on one chart (step axis, or time when steps repeat). */
import { useMemo } from 'react';
import { useApi } from '../../api.js';
import { Chart } from '../../components/chart.js';
import { ErrorBanner } from '../../components/error-banner.js';
import { Loading } from '../../components/loading.js';
import { chooseXKind, HISTORY_LIMIT, historySeries, metricHistory } from './metric-history.js';

export interface ChartRun {
  id: string;
  label: string;
}

export function MetricChart({ runs, metricKey, height }: { runs: readonly ChartRun[]; metricKey: string; height?: number }) {
  const ids = runs.map((r) => r.id).join(',');
  const labels = runs.map((r) => r.label).join('\u0000');
  const histories = useApi((c) => Promise.all(runs.map((r) => metricHistory(c, r.id, metricKey))), [ids, metricKey]);
  const shaped = useMemo(() => {
    if (!histories.data) return null;
    const xKind = chooseXKind(histories.data.map((h) => h.metrics));
    const series = histories.data.map((h, i) => historySeries(runs[i]?.label ?? `run ${i + 1}`, h.metrics, xKind));
    return { xKind, series, truncated: histories.data.some((h) => h.truncated), points: histories.data.reduce((n, h) => n + h.metrics.length, 0) };
    // Labels are read from `runs`, which is a new array on each render: depend on their text instead.
  }, [histories.data, labels]);

  return (
    <div className="chart-card" data-metric={metricKey}>
      <h3>{metricKey}</h3>
      <ErrorBanner error={histories.error} onRetry={histories.reload} />
      {histories.loading && !shaped ? <Loading label="Loading history…" /> : null}
      {shaped && shaped.points === 0 ? <p className="muted">No values logged.</p> : null}
      {shaped && shaped.points > 0 ? <Chart series={shaped.series} xKind={shaped.xKind} xLabel={shaped.xKind} height={height} /> : null}
      {shaped?.truncated ? <p className="muted">Showing the first {HISTORY_LIMIT.toLocaleString()} points of each run.</p> : null}
    </div>
  );
}
