/**
 * Live performance from feedback: one chart per metric with a line per model version (an A/B split compares
 * its variants window by window), and a table of each version's figures over the whole range; below, the CBPE
 * estimate per window with its band, beside the realized figures as labels arrive.
 */
import { useMemo } from 'react';
import type { PerformanceMetrics, PerformanceReport } from '../../../../src/sdk/index.js';
import { useApi } from '../../api.js';
import { Chart } from '../../components/chart.js';
import { type Column, DataTable } from '../../components/data-table.js';
import { ErrorBanner } from '../../components/error-banner.js';
import { Loading } from '../../components/loading.js';
import { formatNumber } from '../../format.js';
import { EstimatedPanel } from './estimated-panel.js';
import type { Range } from './monitoring-data.js';
import { lowerIsBetter, metricValue, performanceMetricKeys, performanceSeries, withSpan } from './series.js';

type VersionRow = { model_version: string } & PerformanceMetrics;

export function PerformanceTab({ name, range }: { name: string; range: Range }) {
  const perf = useApi((c) => c.monitoring.performance(name, { from: range }), [name, range]);
  const shaped = useMemo(() => (perf.data ? shape(perf.data) : null), [perf.data]);

  return (
    <div>
      <ErrorBanner error={perf.error} onRetry={perf.reload} />
      {perf.loading && !shaped ? <Loading label="Scoring predictions with feedback…" /> : null}
      {perf.data && perf.data.n === 0 ? (
        <p className="muted">
          No predictions in this time range have feedback yet. Send labels with <code>POST /api/v1/feedback</code> (or <code>ferry feedback</code>).
        </p>
      ) : null}
      {perf.data && shaped && perf.data.n > 0 ? (
        <>
          <p className="muted">
            {formatNumber(perf.data.n)} predictions with feedback · task {perf.data.overall?.task ?? '—'} · compared with output{' '}
            <code>{perf.data.prediction ?? '—'}</code>
          </p>
          <DataTable label="Performance per model version" columns={shaped.columns} rows={perf.data.versions} rowKey={(v) => v.model_version} />
          <div className="grid-2 perf-charts">
            {shaped.charts.map((c) => (
              <div className="chart-card" key={c.metric} data-metric={c.metric}>
                <h3>
                  {c.metric} {lowerIsBetter(c.metric) ? <small>(lower is better)</small> : null}
                </h3>
                <Chart series={c.series} xKind="time" height={220} />
              </div>
            ))}
          </div>
        </>
      ) : null}
      <EstimatedPanel name={name} range={range} />
    </div>
  );
}

function shape(report: PerformanceReport) {
  const metrics = performanceMetricKeys(report);
  const columns: Column<VersionRow>[] = [
    { id: 'version', header: 'Model version', sortValue: (v) => Number(v.model_version), cell: (v) => `v${v.model_version}` },
    { id: 'n', header: 'Predictions', align: 'right', sortValue: (v) => v.n, cell: (v) => formatNumber(v.n) },
    ...metrics.map((m): Column<VersionRow> => ({
      id: m,
      header: m,
      align: 'right',
      sortValue: (v) => metricValue(v, m),
      cell: (v) => formatNumber(metricValue(v, m)),
    })),
  ];
  const span = { from: Date.parse(report.from) / 1000, to: Date.parse(report.to) / 1000 };
  return { columns, charts: metrics.map((metric) => ({ metric, series: withSpan(performanceSeries(report, metric), span) })) };
}
