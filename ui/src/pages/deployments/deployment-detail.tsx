/**
 * A deployment: `#/deployments/:name` — its state, routes and weights (main, canaries, shadows), a weight
 * editor, live traffic charts per model version, its stream bindings with their lag, recent predictions with their explanations, live fairness per
 * window, and the revision history with rollback. Editing needs the editor role; a viewer sees everything else.
 */
import { useEffect, useState } from 'react';
import type { Deployment } from '../../../../src/sdk/index.js';
import type { PageProps } from '../../page.js';
import { useApi, useSession } from '../../api.js';
import { ErrorBanner } from '../../components/error-banner.js';
import { Loading } from '../../components/loading.js';
import { PredictionsPanel } from '../explain/predictions-panel.js';
import { LiveFairnessPanel } from '../fairness/live-fairness.js';
import { formatTime } from '../../format.js';
import { href } from '../../router.js';
import { deploymentState, routeRows } from './deployment-status.js';
import { Revisions } from './revisions.js';
import { StreamBindings } from './stream-bindings.js';
import { RoutesTable } from './routes-table.js';
import { TrafficCharts } from './traffic-charts.js';
import { WeightEditor } from './weight-editor.js';

export function DeploymentDetailPage({ params }: PageProps) {
  // One instance per deployment: nothing (an action's answer, a notice, an edit) carries over to the next.
  return <DeploymentDetail key={params['name']!} name={params['name']!} />;
}

function DeploymentDetail({ name }: { name: string }) {
  const session = useSession();
  const canEdit = session.who.role !== 'viewer';
  const loaded = useApi((c) => c.deployments.get(name), [name]);
  // What an action answered wins over the first load until the next reload.
  const [current, setCurrent] = useState<Deployment | undefined>(undefined);
  const [notice, setNotice] = useState('');
  useEffect(() => setCurrent(loaded.data), [loaded.data]);

  const onApplied = (d: Deployment, message: string) => {
    setCurrent(d);
    setNotice(message);
  };

  const d = current ?? loaded.data;
  if (!d) {
    return (
      <div>
        <div className="page-header">
          <h1>{name}</h1>
          <a href={href('/deployments')}>← Deployments</a>
        </div>
        <ErrorBanner error={loaded.error} onRetry={loaded.reload} />
        {loaded.loading ? <Loading /> : null}
      </div>
    );
  }
  const state = deploymentState(d);
  const versions = [
    ...new Set(
      routeRows(d.spec, d.status?.routes)
        .filter((r) => r.role !== 'shadow' && r.version)
        .map((r) => r.version!),
    ),
  ];
  const b = d.spec.batching;

  return (
    <div>
      <div className="page-header">
        <h1>{d.name}</h1>
        <span className={`badge state-${state.label.replace(' ', '-')}`} title={state.detail} data-testid="deployment-state">
          {state.label}
        </span>
        <span className="muted">revision {d.revision}</span>
        <a href={href('/deployments')}>← Deployments</a>
        <button
          type="button"
          onClick={() => {
            setCurrent(undefined);
            loaded.reload();
          }}
          disabled={loaded.loading}
        >
          Refresh
        </button>
      </div>
      <ErrorBanner error={loaded.error} onRetry={loaded.reload} />
      {notice ? (
        <div className="notice" role="status">
          <span>{notice}</span>
          <button type="button" className="link-button" onClick={() => setNotice('')}>
            Dismiss
          </button>
        </div>
      ) : null}
      <dl className="meta panel">
        <dt>State</dt>
        <dd>{state.detail}</dd>
        <dt>Updated</dt>
        <dd>
          {formatTime(d.updated_at)}
          {d.created_by ? ` · created by ${d.created_by}` : ''}
        </dd>
        <dt>Sticky key</dt>
        <dd>{d.spec.sticky_key ? <code>{d.spec.sticky_key}</code> : <span className="muted">none (each request is routed by weight)</span>}</dd>
        <dt>Batching</dt>
        <dd>
          up to {b.max_batch_size} rows, waits ≤ {b.max_queue_delay_ms} ms, queue ≤ {b.max_queue_rows.toLocaleString()} rows
        </dd>
      </dl>

      <h2>Routes and weights</h2>
      <RoutesTable deployment={d} />
      {canEdit ? <WeightEditor deployment={d} onApplied={onApplied} /> : <p className="muted">Changing weights and rolling back need the editor role.</p>}

      <h2>Live traffic</h2>
      <TrafficCharts deployment={d.name} versions={versions} />

      <h2>Streams</h2>
      <StreamBindings deployment={d.name} />

      <h2>Predictions and explanations</h2>
      <PredictionsPanel deployment={d.name} />

      <h2>Live fairness</h2>
      <LiveFairnessPanel deployment={d.name} versions={versions} />

      <h2>Revisions</h2>
      <Revisions deployment={d} canEdit={canEdit} onApplied={onApplied} />
    </div>
  );
}
