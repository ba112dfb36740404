/**
 * Deployments: every deployment with its state and traffic split (`#/deployments?q=credit`, filtered here,
 * 50 a page); a deployment's page (deployments/deployment-detail.tsx) shows routes and weights, live traffic,
 * revisions, and changes weights or rolls back.
 */
import { useMemo } from 'react';
import type { Deployment } from '../../../src/sdk/index.js';
import './deployments/deployments.css';
import type { PageDef, PageProps } from '../page.js';
import { useApi } from '../api.js';
import { type Column, DataTable } from '../components/data-table.js';
import { ErrorBanner } from '../components/error-banner.js';
import { Loading } from '../components/loading.js';
import { formatTime } from '../format.js';
import { href, navigate } from '../router.js';
import { DeploymentDetailPage } from './deployments/deployment-detail.js';
import { deploymentState, pct, routeRows } from './deployments/deployment-status.js';
import { SearchBox } from './models/search-box.js';

const COLUMNS: Column<Deployment>[] = [
  { id: 'name', header: 'Name', sortValue: (d) => d.name, cell: (d) => <a href={href('/deployments/:name', { name: d.name })}>{d.name}</a> },
  {
    id: 'state',
    header: 'State',
    sortValue: (d) => deploymentState(d).label,
    cell: (d) => {
      const s = deploymentState(d);
      return (
        <span className={`badge state-${s.label.replace(' ', '-')}`} title={s.detail}>
          {s.label}
        </span>
      );
    },
  },
  { id: 'revision', header: 'Revision', align: 'right', sortValue: (d) => d.revision, cell: (d) => d.revision },
  {
    id: 'routes',
    header: 'Traffic split',
    cell: (d) => (
      <span className="route-split">
        {routeRows(d.spec, d.status?.routes).map((r) => (
          <span key={r.key} className={`badge role-${r.role}`} title={r.reason ?? r.state}>
            {r.label}
            {r.version && !/:\d+$/.test(r.label) ? ` → v${r.version}` : ''} {r.share === null ? 'shadow' : pct(r.share)}
          </span>
        ))}
      </span>
    ),
  },
  { id: 'updated', header: 'Updated', sortValue: (d) => d.updated_at, cell: (d) => formatTime(d.updated_at) },
  { id: 'by', header: 'Created by', sortValue: (d) => d.created_by, cell: (d) => d.created_by },
];

function DeploymentsPage({ query }: PageProps) {
  const list = useApi((c) => c.deployments.list(), []);
  const search = (query.get('q') ?? '').toLowerCase();
  const rows = useMemo(
    () =>
      (list.data ?? []).filter(
        (d) => search === '' || d.name.toLowerCase().includes(search) || d.spec.routes.some((r) => r.model.toLowerCase().includes(search)),
      ),
    [list.data, search],
  );

  return (
    <div>
      <div className="page-header">
        <h1>Deployments</h1>
        <span className="muted">{list.data ? `${list.data.length} in all` : ''}</span>
        <button type="button" onClick={list.reload} disabled={list.loading}>
          Refresh
        </button>
      </div>
      <SearchBox
        label="Search deployments"
        placeholder="Deployment or model name"
        value={query.get('q') ?? ''}
        onSearch={(q) => navigate(href('/deployments', {}, { q }), { replace: true })}
      />
      <ErrorBanner error={list.error} onRetry={list.reload} />
      {list.loading && !list.data ? <Loading label="Loading deployments…" /> : null}
      <DataTable
        label="Deployments"
        columns={COLUMNS}
        rows={rows}
        rowKey={(d) => d.name}
        pageSize={50}
        empty={list.loading ? 'Loading…' : search ? 'No deployment matches.' : 'No deployments yet (ferry deploy NAME --model MODEL).'}
      />
    </div>
  );
}

export const pages: PageDef[] = [
  { path: '/deployments', component: DeploymentsPage, section: 'Deployments', navEntry: true, title: 'Deployments' },
  { path: '/deployments/:name', component: DeploymentDetailPage, section: 'Deployments', title: 'Deployment' },
];
