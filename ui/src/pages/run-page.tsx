/**
 * A run: `#/runs/:id[?tab=metrics|artifacts|inputs]` — its params, latest metrics and tags, metric history
 * charts, an artifacts browser with downloads, and its dataset inputs linked to Ferry dataset versions.
 */
import { useState } from 'react';
import type { KeyValue, Metric, Run } from '../../../src/sdk/index.js';
import type { PageDef, PageProps } from '../page.js';
import { useApi } from '../api.js';
import { type Column, DataTable } from '../components/data-table.js';
import { ErrorBanner } from '../components/error-banner.js';
import { Loading } from '../components/loading.js';
import { Tabs } from '../components/tabs.js';
import { formatDuration, formatNumber, formatTime } from '../format.js';
import { href, navigate } from '../router.js';
import { MetricChart } from './experiments/metric-chart.js';
import { runLabel } from './experiments/run-columns.js';
import { ArtifactsBrowser } from './run/artifacts-browser.js';
import { DatasetInputs } from './run/dataset-inputs.js';

function RunPage({ params, query }: PageProps) {
  const id = params['id']!;
  const run = useApi((c) => c.runs.get(id), [id]);
  const tab = query.get('tab') ?? 'overview';
  const setTab = (t: string) => navigate(href('/runs/:id', { id }, { tab: t === 'overview' ? undefined : t }), { replace: true });

  if (!run.data) {
    return (
      <div>
        <h1>Run</h1>
        <ErrorBanner error={run.error} onRetry={run.reload} />
        {run.loading ? <Loading /> : null}
      </div>
    );
  }
  const r = run.data;
  return (
    <div>
      <RunHeader run={r} />
      <ErrorBanner error={run.error} onRetry={run.reload} />
      <Tabs
        active={tab}
        onChange={setTab}
        tabs={[
          { id: 'overview', label: 'Overview', render: () => <Overview run={r} /> },
          { id: 'metrics', label: `Metrics (${r.data.metrics?.length ?? 0})`, render: () => <MetricsTab run={r} /> },
          { id: 'artifacts', label: 'Artifacts', render: () => <ArtifactsBrowser runId={r.info.run_id} rootUri={r.info.artifact_uri} /> },
          { id: 'inputs', label: `Inputs (${r.inputs?.dataset_inputs?.length ?? 0})`, render: () => <DatasetInputs inputs={r.inputs?.dataset_inputs ?? []} /> },
        ]}
      />
    </div>
  );
}

function RunHeader({ run }: { run: Run }) {
  const i = run.info;
  return (
    <>
      <div className="page-header">
        <h1>{runLabel(run)}</h1>
        <span className={`badge ${i.status}`}>{i.status}</span>
        <a href={href('/experiments/:id', { id: i.experiment_id })}>← Experiment {i.experiment_id}</a>
      </div>
      <dl className="meta panel">
        <dt>Run id</dt>
        <dd>
          <code>{i.run_id}</code>
        </dd>
        <dt>Started</dt>
        <dd>{formatTime(i.start_time)}</dd>
        <dt>Duration</dt>
        <dd>{i.end_time ? formatDuration(i.end_time - i.start_time) : i.status === 'RUNNING' ? 'running' : ''}</dd>
        <dt>User</dt>
        <dd>{i.user_id || '—'}</dd>
        <dt>Artifacts</dt>
        <dd>
          <code>{i.artifact_uri}</code>
        </dd>
      </dl>
    </>
  );
}

const KV_COLUMNS: Column<KeyValue>[] = [
  { id: 'key', header: 'Key', sortValue: (p) => p.key, cell: (p) => <code>{p.key}</code> },
  { id: 'value', header: 'Value', sortValue: (p) => p.value, cell: (p) => <span title={p.value}>{p.value}</span> },
];

const METRIC_COLUMNS: Column<Metric>[] = [
  { id: 'key', header: 'Metric', sortValue: (m) => m.key, cell: (m) => <code>{m.key}</code> },
  { id: 'value', header: 'Latest', align: 'right', sortValue: (m) => (typeof m.value === 'number' ? m.value : null), cell: (m) => formatNumber(m.value) },
  { id: 'step', header: 'Step', align: 'right', sortValue: (m) => m.step, cell: (m) => m.step },
  { id: 'time', header: 'Logged', sortValue: (m) => m.timestamp, cell: (m) => formatTime(m.timestamp) },
];

function Overview({ run }: { run: Run }) {
  const tags = (run.data.tags ?? []).filter((t) => !t.key.startsWith('mlflow.') || t.key === 'mlflow.note.content');
  return (
    <div className="grid-2">
      <section>
        <h2>Params</h2>
        <DataTable label="Params" columns={KV_COLUMNS} rows={run.data.params ?? []} rowKey={(p) => p.key} empty="No params." />
      </section>
      <section>
        <h2>Metrics</h2>
        <DataTable label="Metrics" columns={METRIC_COLUMNS} rows={run.data.metrics ?? []} rowKey={(m) => m.key} empty="No metrics." />
        <h2>Tags</h2>
        <DataTable label="Tags" columns={KV_COLUMNS} rows={tags} rowKey={(t) => t.key} empty="No tags." />
      </section>
    </div>
  );
}

/** Charts load their history when shown: the first CHARTS_AT_ONCE, then more on request. */
const CHARTS_AT_ONCE = 12;

function MetricsTab({ run }: { run: Run }) {
  const [limit, setLimit] = useState(CHARTS_AT_ONCE);
  const keys = (run.data.metrics ?? []).map((m) => m.key).sort((a, b) => a.localeCompare(b));
  if (keys.length === 0) return <p className="muted">This run logged no metrics.</p>;
  const runs = [{ id: run.info.run_id, label: runLabel(run) }];
  return (
    <>
      <div className="grid-2">
        {keys.slice(0, limit).map((k) => (
          <MetricChart key={k} runs={runs} metricKey={k} />
        ))}
      </div>
      {keys.length > limit ? (
        <button type="button" onClick={() => setLimit(limit + CHARTS_AT_ONCE)}>
          Show {Math.min(CHARTS_AT_ONCE, keys.length - limit)} more of {keys.length - limit}
        </button>
      ) : null}
    </>
  );
}

export const pages: PageDef[] = [{ path: '/runs/:id', component: RunPage, section: 'Experiments', title: 'Run' }];
