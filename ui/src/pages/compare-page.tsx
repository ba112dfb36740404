/**
 * Compare runs: `#/compare?run=ID&run=ID[&exp=ID]`. Params and latest metrics side by side with the rows that
 * differ highlighted, and chosen metrics' histories overlaid per run.
 */
import { useMemo, useState } from 'react';
import type { Run } from '../../../src/sdk/index.js';
import type { PageDef, PageProps } from '../page.js';
import { useApi } from '../api.js';
import { type Column, DataTable } from '../components/data-table.js';
import { ErrorBanner } from '../components/error-banner.js';
import { Loading } from '../components/loading.js';
import { formatNumber } from '../format.js';
import { href } from '../router.js';
import { countDiffering, type DiffRow, metricsDiff, paramsDiff } from './compare/diff.js';
import { MetricChart } from './experiments/metric-chart.js';
import { runLabel } from './experiments/run-columns.js';

const DEFAULT_CHARTS = 4;

function ComparePage({ query }: PageProps) {
  const ids = [...new Set(query.getAll('run').filter((id) => id !== ''))];
  const exp = query.get('exp');
  const runs = useApi((c) => Promise.all(ids.map((id) => c.runs.get(id))), [ids.join(',')]);

  return (
    <div>
      <div className="page-header">
        <h1>Compare runs</h1>
        {exp ? <a href={href('/experiments/:id', { id: exp })}>← Back to the experiment</a> : null}
      </div>
      {ids.length < 2 ? <p className="muted">Select two or more runs on an experiment's page to compare them.</p> : null}
      <ErrorBanner error={runs.error} onRetry={runs.reload} />
      {runs.loading && !runs.data ? <Loading label="Loading runs…" /> : null}
      {runs.data && ids.length > 0 ? <Comparison runs={runs.data} /> : null}
    </div>
  );
}

function Comparison({ runs }: { runs: Run[] }) {
  const params = useMemo(() => paramsDiff(runs), [runs]);
  const metrics = useMemo(() => metricsDiff(runs), [runs]);
  const [onlyDiff, setOnlyDiff] = useState(false);
  const metricKeys = metrics.map((m) => m.key);
  const [charted, setCharted] = useState<string[] | null>(null);
  const shown = charted ?? metricKeys.slice(0, DEFAULT_CHARTS);
  const chartRuns = runs.map((r) => ({ id: r.info.run_id, label: runLabel(r) }));
  const toggle = (key: string) => setCharted(shown.includes(key) ? shown.filter((k) => k !== key) : [...shown, key]);

  return (
    <>
      <h2>
        Params{' '}
        <small>
          ({countDiffering(params)} of {params.length} differ)
        </small>
      </h2>
      <label className="toolbar">
        <input type="checkbox" checked={onlyDiff} onChange={(e) => setOnlyDiff(e.target.checked)} /> Only differences
      </label>
      <DiffTable label="Params diff" runs={runs} rows={onlyDiff ? params.filter((p) => p.differs) : params} numeric={false} />

      <h2>
        Metrics{' '}
        <small>
          (latest values; {countDiffering(metrics)} of {metrics.length} differ)
        </small>
      </h2>
      <DiffTable label="Metrics diff" runs={runs} rows={onlyDiff ? metrics.filter((p) => p.differs) : metrics} numeric />

      <h2>Metric history</h2>
      {metricKeys.length === 0 ? <p className="muted">These runs logged no metrics.</p> : null}
      <div className="toolbar" role="group" aria-label="Charted metrics">
        {metricKeys.map((k) => (
          <label key={k}>
            <input type="checkbox" checked={shown.includes(k)} onChange={() => toggle(k)} /> {k}
          </label>
        ))}
      </div>
      <div className="grid-2">
        {shown
          .filter((k) => metricKeys.includes(k))
          .map((k) => (
            <MetricChart key={k} runs={chartRuns} metricKey={k} />
          ))}
      </div>
    </>
  );
}

function DiffTable({ label, runs, rows, numeric }: { label: string; runs: Run[]; rows: DiffRow[]; numeric: boolean }) {
  const columns: Column<DiffRow>[] = [
    { id: 'key', header: 'Key', sortValue: (r) => r.key, cell: (r) => <code>{r.key}</code> },
    ...runs.map((run, i): Column<DiffRow> => ({
      id: `run-${i}`,
      header: <a href={href('/runs/:id', { id: run.info.run_id })}>{runLabel(run)}</a>,
      align: numeric ? 'right' : 'left',
      sortValue: (r) => r.values[i],
      cell: (r) => {
        const v = r.values[i];
        if (v === undefined) return <span className="muted">—</span>;
        return numeric ? formatNumber(v) : String(v);
      },
    })),
  ];
  return (
    <DataTable
      label={label}
      columns={columns}
      rows={rows}
      rowKey={(r) => r.key}
      rowClassName={(r) => (r.differs ? 'differs' : undefined)}
      pageSize={200}
      empty="Nothing to compare."
    />
  );
}

export const pages: PageDef[] = [{ path: '/compare', component: ComparePage, section: 'Experiments', title: 'Compare runs' }];
