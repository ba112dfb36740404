/**
 * The overview's four panels: what each deployment serves and at what share, what drifted (the drift endpoint's
 * flagged features per deployment), what is firing (alerts), and what the loops did and are doing (each loop's
 * last run with its sentence, linked to its timeline). Each panel loads on its own: one failing answer does not
 * blank the others.
 */
import { useEffect, useRef } from 'react';
import type { Deployment, DriftReport, FerryClient } from '../../../../src/sdk/index.js';
import { useApi } from '../../api.js';
import { ErrorBanner } from '../../components/error-banner.js';
import { Loading } from '../../components/loading.js';
import { formatTime } from '../../format.js';
import { href } from '../../router.js';
import { LoopStateBadge } from '../loops/badges.js';
import { LastRun } from '../loops/loops-list.js';
import { deploymentShares, shareText } from './overview-format.js';

export function ServingPanel({ deployments }: { deployments: readonly Deployment[] }) {
  return (
    <section className="panel" aria-label="Serving">
      <h2>What is serving</h2>
      {deployments.length === 0 ? (
        <p className="muted">No deployments yet.</p>
      ) : (
        <table className="data-table" aria-label="Deployments serving">
          <thead>
            <tr>
              <th>Deployment</th>
              <th>Routes and shares</th>
              <th>Shadows</th>
              <th>Revision</th>
            </tr>
          </thead>
          <tbody>
            {deployments.map((d) => {
              const { routes, shadows } = deploymentShares(d);
              return (
                <tr key={d.name}>
                  <td>
                    <a href={href('/deployments/:name', { name: d.name })}>{d.name}</a>
                  </td>
                  <td>
                    <div className="share-bar" aria-hidden="true">
                      {routes.map((r, i) => (
                        <span key={i} style={{ width: `${r.share * 100}%` }} />
                      ))}
                    </div>
                    {routes.map((r) => `${r.label} ${shareText(r.share)}`).join(' · ')}
                  </td>
                  <td>{shadows.length ? shadows.join(', ') : <span className="muted">none</span>}</td>
                  <td>
                    {d.revision}{' '}
                    <span className="muted">
                      ({formatTime(d.updated_at)} by {d.created_by})
                    </span>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}

/**
 * The drift endpoint answers 404 without a reference or without traffic in the range, and the browser logs every
 * 404 as an error: the quality report (which says whether there is a reference, and has a window per profiled
 * stretch of traffic) is asked first, and drift only where it can answer.
 */
async function driftOf(c: FerryClient, deployment: string, mounted: () => boolean): Promise<DriftReport | 'no_reference' | 'no_traffic' | 'left'> {
  const q = await c.monitoring.quality(deployment);
  if (!q.has_reference) return 'no_reference';
  if (q.windows.length === 0) return 'no_traffic';
  // Drift is the costlier report: not measured for a page the user has already left.
  if (!mounted()) return 'left';
  return c.monitoring.drift(deployment);
}

function DriftLine({ deployment }: { deployment: string }) {
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);
  const drift = useApi((c) => driftOf(c, deployment, () => mounted.current), [deployment]);
  let body;
  if (drift.error) body = <ErrorBanner error={drift.error} onRetry={drift.reload} />;
  else if (!drift.data) body = <Loading inline label="measuring…" />;
  else if (drift.data === 'no_reference') body = <span className="muted">no reference set: drift is not measured</span>;
  else if (drift.data === 'no_traffic') body = <span className="muted">no traffic in the last 24 h</span>;
  else if (drift.data === 'left') body = null;
  else {
    const d = drift.data;
    const flagged = d.features.filter((f) => f.drifted === true).map((f) => f.name);
    if (d.prediction?.drifted) flagged.push('the prediction');
    body =
      flagged.length > 0 ? (
        <span>
          <strong className="error-inline">{flagged.join(', ')}</strong>{' '}
          <span className="muted">
            ({d.number_drifted} of {d.number_of_features} features{d.dataset_drift ? ': dataset drift' : ''}, {d.current.rows} rows in the last 24 h)
          </span>
        </span>
      ) : (
        <span className="muted">
          nothing drifted ({d.number_of_features} features, {d.current.rows} rows in the last 24 h)
        </span>
      );
  }
  return (
    <li>
      <a href={href('/monitoring/:deployment', { deployment })}>{deployment}</a>: {body}
    </li>
  );
}

export function DriftPanel({ deployments }: { deployments: readonly Deployment[] }) {
  return (
    <section className="panel" aria-label="Drift">
      <h2>What drifted</h2>
      {deployments.length === 0 ? (
        <p className="muted">Nothing is deployed.</p>
      ) : (
        <ul>
          {deployments.map((d) =>
            // Drift is measured on what a deployment serves: one that serves nothing yet has nothing to measure.
            d.status.serving_revision !== null && d.status.routes.some((r) => r.state === 'ready') ? (
              <DriftLine key={d.name} deployment={d.name} />
            ) : (
              <li key={d.name}>
                <a href={href('/deployments/:name', { name: d.name })}>{d.name}</a>: <span className="muted">not serving yet</span>
              </li>
            ),
          )}
        </ul>
      )}
    </section>
  );
}

export function AlertsPanel() {
  const alerts = useApi((c) => c.alerts.list(), []);
  const list = alerts.data ?? [];
  return (
    <section className="panel" aria-label="Alerts">
      <h2>What is firing</h2>
      <ErrorBanner error={alerts.error} onRetry={alerts.reload} />
      {alerts.loading && !alerts.data ? <Loading /> : null}
      {alerts.data && list.length === 0 ? <p className="muted">No alert is firing or pending.</p> : null}
      {list.length ? (
        <ul>
          {list.map((a) => (
            <li key={a.fingerprint}>
              <span className={`badge ${a.state}`}>{a.state}</span> <strong>{a.rule}</strong> on{' '}
              <a href={href('/deployments/:name', { name: a.deployment })}>{a.deployment}</a>: {a.metric} {a.comparison} {a.threshold}
              {a.value !== null ? ` (now ${Number(a.value.toPrecision(4))})` : ''}
              <span className="muted">
                {' '}
                · {a.severity}, since {formatTime(a.firing_since ?? a.active_since)}
              </span>
            </li>
          ))}
        </ul>
      ) : null}
      <p>
        <a href={href('/alerts')}>All alerts →</a>
      </p>
    </section>
  );
}

export function LoopsPanel() {
  const loops = useApi((c) => c.loops.list(), []);
  const list = loops.data ?? [];
  return (
    <section className="panel" aria-label="Loops">
      <h2>What the loops did</h2>
      <ErrorBanner error={loops.error} onRetry={loops.reload} />
      {loops.loading && !loops.data ? <Loading /> : null}
      {loops.data && list.length === 0 ? <p className="muted">No loops yet: a loop retrains, gates, canaries and promotes a model by itself.</p> : null}
      {list.length ? (
        <ul>
          {list.map((l) => (
            <li key={l.name}>
              <a href={href('/loops/:name', { name: l.name })}>{l.name}</a> <LoopStateBadge state={l.state} />{' '}
              <span className="muted">
                ({l.model} on {l.deployment})
              </span>
              : <LastRun loop={l} />
            </li>
          ))}
        </ul>
      ) : null}
      <p>
        <a href={href('/loops')}>All loops →</a>
      </p>
    </section>
  );
}
