/**
 * Monitoring, per deployment: `#/monitoring/:deployment?range=24h&tab=drift|trends|performance&feature=income`.
 * Drift per feature with the open feature's histogram, drift and data quality over time, and live
 * performance per model version. Each tab loads only when opened; the URL keeps every choice.
 */
import { useCallback, useEffect } from 'react';
import type { PageDef, PageProps } from '../page.js';
import { useApi } from '../api.js';
import { ErrorBanner } from '../components/error-banner.js';
import { Loading } from '../components/loading.js';
import { Tabs } from '../components/tabs.js';
import { href, navigate, type QueryInit, redirect } from '../router.js';
import { DriftTab } from './monitoring/drift-tab.js';
import { parseRange, type Range, RANGES } from './monitoring/monitoring-data.js';
import { PerformanceTab } from './monitoring/performance-tab.js';
import { TrendsTab } from './monitoring/trends-tab.js';
import './monitoring/monitoring.css';

function MonitoringPage({ params, query }: PageProps) {
  const deployments = useApi((c) => c.deployments.list(), []);
  const name = params['deployment'];
  const range = parseRange(query.get('range'));

  // `#/monitoring` opens the first deployment.
  useEffect(() => {
    const first = deployments.data?.[0];
    if (name === undefined && first) redirect('#/monitoring', href('/monitoring/:deployment', { deployment: first.name }, { range: query.get('range') }));
  }, [name, deployments.data, query]);

  const names = (deployments.data ?? []).map((d) => d.name);
  if (name !== undefined && !names.includes(name)) names.unshift(name);
  return (
    <div>
      <div className="page-header">
        <h1>Monitoring</h1>
        <label>
          Deployment{' '}
          <select
            aria-label="Deployment"
            value={name ?? ''}
            onChange={(e) => navigate(href('/monitoring/:deployment', { deployment: e.target.value }, { range: query.get('range'), tab: query.get('tab') }))}
          >
            {name === undefined ? <option value="">—</option> : null}
            {names.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </label>
        {name !== undefined ? (
          <RangePicker
            value={range}
            onChange={(r) => navigate(href('/monitoring/:deployment', { deployment: name }, { ...current(query), range: r }), { replace: true })}
          />
        ) : null}
      </div>
      <ErrorBanner error={deployments.error} onRetry={deployments.reload} />
      {deployments.loading && !deployments.data ? <Loading label="Loading deployments…" /> : null}
      {deployments.data?.length === 0 && name === undefined ? <p className="muted">No deployments yet: deploy a model to monitor it.</p> : null}
      {name !== undefined ? <DeploymentMonitoring key={name} name={name} range={range} query={query} /> : null}
    </div>
  );
}

function current(query: URLSearchParams): QueryInit {
  return { range: query.get('range'), tab: query.get('tab'), feature: query.get('feature') };
}

function RangePicker({ value, onChange }: { value: Range; onChange: (r: Range) => void }) {
  return (
    <div className="segmented" role="group" aria-label="Time range">
      {RANGES.map((r) => (
        <button key={r} type="button" aria-pressed={r === value} className={r === value ? 'active' : undefined} onClick={() => onChange(r)}>
          {r}
        </button>
      ))}
    </div>
  );
}

function DeploymentMonitoring({ name, range, query }: { name: string; range: Range; query: URLSearchParams }) {
  const tab = query.get('tab') ?? 'drift';
  const feature = query.get('feature');
  const queryText = query.toString();
  const update = useCallback(
    (patch: QueryInit) =>
      navigate(href('/monitoring/:deployment', { deployment: name }, { ...current(new URLSearchParams(queryText)), ...patch }), { replace: true }),
    [name, queryText],
  );
  const onFeature = useCallback((f: string | null) => update({ feature: f }), [update]);
  return (
    <Tabs
      active={tab}
      onChange={(t) => update({ tab: t === 'drift' ? undefined : t })}
      tabs={[
        { id: 'drift', label: 'Drift', render: () => <DriftTab name={name} range={range} feature={feature} onFeature={onFeature} /> },
        { id: 'trends', label: 'Drift & quality over time', render: () => <TrendsTab name={name} range={range} feature={feature} /> },
        { id: 'performance', label: 'Performance', render: () => <PerformanceTab name={name} range={range} /> },
      ]}
    />
  );
}

export const pages: PageDef[] = [
  { path: '/monitoring', component: MonitoringPage, section: 'Monitoring', navEntry: true, title: 'Monitoring' },
  { path: '/monitoring/:deployment', component: MonitoringPage, section: 'Monitoring', title: 'Monitoring' },
];
