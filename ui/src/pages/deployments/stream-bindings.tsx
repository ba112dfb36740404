/**
 * A deployment's stream bindings (Kafka, Redis Streams, NATS): broker and destinations, the consumer's state (a
 * paused or failed one says why), lag and this replica's message counts, read every few seconds while the page is
 * open, with each binding's lag drawn over that time.
 */
import { useEffect, useMemo, useState } from 'react';
import type { StreamBinding } from '../../../../src/sdk/index.js';
import { useClient } from '../../api.js';
import { Chart } from '../../components/chart.js';
import type { ChartSeries } from '../../components/chart-data.js';
import { type Column, DataTable } from '../../components/data-table.js';
import { ErrorBanner } from '../../components/error-banner.js';
import { Loading } from '../../components/loading.js';
import { formatNumber } from '../../format.js';

const POLL_MS = 5000;
/** 10 minutes of lag readings at 5 s. */
const MAX_POINTS = 120;

const count = (n: number | null) => (n === null ? '—' : formatNumber(n));

const COLUMNS: Column<StreamBinding>[] = [
  { id: 'name', header: 'Binding', sortValue: (s) => s.name, cell: (s) => s.name },
  { id: 'kind', header: 'Broker', cell: (s) => `${s.kind} · ${s.url}` },
  {
    id: 'flow',
    header: 'Input → output',
    cell: (s) => (
      <span title={`dead letters: ${s.dead_letter}; group: ${s.group}; format: ${s.format}`}>
        {s.input} → {s.output}
      </span>
    ),
  },
  {
    id: 'state',
    header: 'State',
    cell: (s) => (
      <span className={`badge state-${s.status.state}`} title={s.status.reason ?? ''} data-testid="stream-state">
        {s.status.state}
        {s.status.reason ? `: ${s.status.reason}` : ''}
      </span>
    ),
  },
  {
    id: 'lag',
    header: 'Lag',
    align: 'right',
    title: 'Messages in the input the group has not acknowledged',
    sortValue: (s) => s.status.lag ?? -1,
    cell: (s) => count(s.status.lag),
  },
  { id: 'in', header: 'In', align: 'right', title: 'Consumed by this replica since it started', cell: (s) => count(s.status.messages_in) },
  { id: 'out', header: 'Out', align: 'right', title: 'Results produced by this replica', cell: (s) => count(s.status.messages_out) },
  { id: 'dead', header: 'Dead-lettered', align: 'right', cell: (s) => count(s.status.dead_lettered) },
  { id: 'again', header: 'Redelivered', align: 'right', title: 'Seen again; scored again, logged once', cell: (s) => count(s.status.redelivered) },
];

export function StreamBindings({ deployment }: { deployment: string }) {
  const client = useClient();
  const [bindings, setBindings] = useState<StreamBinding[] | null>(null);
  const [error, setError] = useState<unknown>(undefined);
  const [lags, setLags] = useState<Map<string, { x: number; y: number | null }[]>>(new Map());

  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    setBindings(null);
    setLags(new Map());
    // One request at a time, the next one POLL_MS after the last answer, none while the tab is hidden.
    const poll = async () => {
      if (!document.hidden) {
        try {
          const all = await client.streams.list(deployment);
          if (stopped) return;
          const now = Date.now() / 1000;
          setBindings(all);
          setError(undefined);
          setLags((prev) => {
            const next = new Map<string, { x: number; y: number | null }[]>();
            for (const s of all) next.set(s.name, [...(prev.get(s.name) ?? []), { x: now, y: s.status.lag }].slice(-MAX_POINTS));
            return next;
          });
        } catch (err) {
          if (!stopped) setError(err);
        }
      }
      if (!stopped) timer = setTimeout(poll, POLL_MS);
    };
    void poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [client, deployment]);

  const series = useMemo<ChartSeries[]>(() => [...lags].map(([label, points]) => ({ label, points })), [lags]);
  const points = series.reduce((n, s) => Math.max(n, s.points.length), 0);

  return (
    <div data-testid="streams">
      <ErrorBanner error={error} />
      {bindings === null && !error ? <Loading label="Reading the stream bindings…" /> : null}
      {bindings && bindings.length === 0 ? (
        <p className="muted">No stream bindings: this deployment answers HTTP only (see docs/streams.md to consume Kafka, Redis Streams or NATS).</p>
      ) : null}
      {bindings && bindings.length > 0 ? (
        <>
          <DataTable label="Stream bindings" columns={COLUMNS} rows={bindings} rowKey={(s) => s.name} empty="No stream bindings." />
          {points >= 2 ? (
            <div className="chart-card" data-chart="stream-lag">
              <h3>Lag (messages not yet acknowledged)</h3>
              <Chart series={series} xKind="time" yLabel="messages" height={200} />
            </div>
          ) : (
            <p className="muted">Lag is drawn here from the next reading ({POLL_MS / 1000} s).</p>
          )}
        </>
      ) : null}
    </div>
  );
}
