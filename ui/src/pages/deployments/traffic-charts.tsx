/**
 * Live traffic of a deployment per model version: requests/s, latency p50/p99 and error rate, from its serving
 * counters summed over every replica, read every few seconds, with totals since each replica started.
 */
import { useMemo } from 'react';
import { Chart } from '../../components/chart.js';
import { type Column, DataTable } from '../../components/data-table.js';
import { ErrorBanner } from '../../components/error-banner.js';
import { Loading } from '../../components/loading.js';
import { formatNumber } from '../../format.js';
import { trafficCharts, versionTotals, type VersionTotals } from './traffic.js';
import { POLL_MS, useTraffic } from './use-traffic.js';

const fixed = (v: number | null | undefined, digits: number) => (v === null || v === undefined ? '—' : v.toFixed(digits));

const COLUMNS: Column<VersionTotals>[] = [
  { id: 'version', header: 'Model version', cell: (t) => `v${t.version}` },
  { id: 'rps', header: 'Requests/s', align: 'right', cell: (t) => fixed(t.last?.requestsPerSec, 2) },
  { id: 'p50', header: 'p50 ms', align: 'right', cell: (t) => fixed(t.last?.p50Ms, 2) },
  { id: 'p99', header: 'p99 ms', align: 'right', cell: (t) => fixed(t.last?.p99Ms, 2) },
  {
    id: 'err',
    header: 'Errors',
    align: 'right',
    cell: (t) => (t.last?.errorRate === null || t.last?.errorRate === undefined ? '—' : `${(t.last.errorRate * 100).toFixed(1)}%`),
  },
  {
    id: 'total',
    header: 'Requests (total)',
    align: 'right',
    title: 'Since each replica started, summed over the replicas',
    cell: (t) => formatNumber(t.requests),
  },
  { id: 'failed', header: 'Failed (total)', align: 'right', cell: (t) => formatNumber(t.failed) },
  { id: 'mean', header: 'Mean ms (total)', align: 'right', cell: (t) => fixed(t.meanMs, 2) },
];

export function TrafficCharts({ deployment, versions }: { deployment: string; versions: readonly string[] }) {
  const key = versions.join(',');
  const active = useMemo(() => new Set(key === '' ? [] : key.split(',')), [key]);
  const traffic = useTraffic(deployment, active);
  const charts = useMemo(() => trafficCharts(traffic.history), [traffic.history]);
  const totals = useMemo(
    () => (traffic.latest ? versionTotals(traffic.latest, traffic.history[traffic.history.length - 1], active) : []),
    [traffic.latest, traffic.history, active],
  );

  return (
    <div data-testid="traffic">
      <p className="muted" data-testid="traffic-source">
        Summed over every replica serving this Ferry{traffic.latest ? ` (${traffic.latest.replicas} now)` : ''}, read every {POLL_MS / 1000} s while this page
        is open; rates are per interval between readings (an interval in which a replica joined, left or restarted is left out).
      </p>
      <ErrorBanner error={traffic.error} />
      {traffic.readings === 0 && !traffic.error ? <Loading label="Reading the counters…" /> : null}
      {traffic.latest ? (
        <DataTable label="Traffic per model version" columns={COLUMNS} rows={totals} rowKey={(t) => t.version} empty="No traffic counted yet." />
      ) : null}
      {traffic.readings === 1 ? <Loading label={`First rates in ${POLL_MS / 1000} s…`} /> : null}
      {traffic.history.length > 0 ? (
        <div className="grid-2 traffic-charts">
          <div className="chart-card" data-chart="requests">
            <h3>Requests / s</h3>
            <Chart series={charts.requests} xKind="time" yLabel="req/s" height={200} />
          </div>
          <div className="chart-card" data-chart="latency">
            <h3>Latency p50 / p99 (ms)</h3>
            <Chart series={charts.latency} xKind="time" yLabel="ms" height={200} />
          </div>
          <div className="chart-card" data-chart="errors">
            <h3>Error rate (%)</h3>
            <Chart series={charts.errors} xKind="time" yLabel="%" height={200} />
          </div>
        </div>
      ) : null}
    </div>
  );
}
