/**
 * The overview, the UI's first page: what each deployment serves and at what share, what drifted, what is
 * firing, and what the loops did and are doing — one glance tells the story, each line links to its page — and
 * the replicas serving it.
 */
import { useState } from 'react';
import { useApi } from '../api.js';
import { ErrorBanner } from '../components/error-banner.js';
import { Loading } from '../components/loading.js';
import type { PageDef } from '../page.js';
import { ClusterPanel } from './overview/cluster-panel.js';
import { AlertsPanel, DriftPanel, LoopsPanel, ServingPanel } from './overview/overview-panels.js';
import './loops/loops.css';

function OverviewPage() {
  const deployments = useApi((c) => c.deployments.list(), []);
  const list = deployments.data ?? [];
  // Refresh reloads every panel: they load on their own, so they are mounted afresh.
  const [tick, setTick] = useState(0);
  const refresh = () => {
    deployments.reload();
    setTick((t) => t + 1);
  };
  return (
    <div>
      <div className="page-header">
        <h1>Overview</h1>
        <span className="grow" />
        <button type="button" onClick={refresh}>
          Refresh
        </button>
      </div>
      <ErrorBanner error={deployments.error} onRetry={deployments.reload} />
      {deployments.loading && !deployments.data ? <Loading label="Loading deployments…" /> : null}
      <ServingPanel deployments={list} />
      <div className="overview-grid" key={tick}>
        <LoopsPanel />
        <AlertsPanel />
        <DriftPanel deployments={list} />
      </div>
      <ClusterPanel key={`cluster-${tick}`} />
    </div>
  );
}

export const pages: PageDef[] = [{ path: '/overview', component: OverviewPage, section: 'Overview', navEntry: true, title: 'Overview' }];
