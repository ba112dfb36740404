/**
 * The overview's cluster panel: the replicas serving this Ferry (which one answered, their state, version and last
 * heartbeat, how long it has been up) and which replica runs each once-per-cluster task (GET /api/v1/cluster). Ages are read against the
 * browser's clock when the answer arrives.
 */
import { useApi } from '../../api.js';
import { ErrorBanner } from '../../components/error-banner.js';
import { Loading } from '../../components/loading.js';
import { formatDuration, formatTime } from '../../format.js';
import { clusterSummary, heartbeatAge, leaseLeft } from './cluster-format.js';

export function ClusterPanel() {
  const cluster = useApi(async (c) => ({ status: await c.cluster.status(), now: Date.now() }), []);
  const data = cluster.data;
  return (
    <section className="panel" aria-label="Cluster">
      <h2>Cluster</h2>
      <ErrorBanner error={cluster.error} onRetry={cluster.reload} />
      {cluster.loading && !data ? <Loading /> : null}
      {data ? (
        <>
          <p className="muted">{clusterSummary(data.status)}</p>
          <div className="table-scroll">
            <table className="data-table" aria-label="Replicas">
              <thead>
                <tr>
                  <th>Replica</th>
                  <th>State</th>
                  <th>Version</th>
                  <th>Last heartbeat</th>
                  <th>Up</th>
                </tr>
              </thead>
              <tbody>
                {data.status.replicas.map((r) => (
                  <tr key={r.id}>
                    <td title={r.url ?? undefined}>
                      {r.id}
                      {r.self ? <span className="muted"> (answered)</span> : null}
                    </td>
                    <td>{r.state}</td>
                    <td>{r.version}</td>
                    <td>{heartbeatAge(r.seen_at, data.now)}</td>
                    <td title={`started ${formatTime(r.started_at)}`}>{formatDuration(Math.max(0, data.now - r.started_at))}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <h3>Once-per-cluster tasks</h3>
          {data.status.leases.length === 0 ? (
            <p className="muted">No task has taken its lease yet.</p>
          ) : (
            <div className="table-scroll">
              <table className="data-table" aria-label="Once-per-cluster tasks">
                <thead>
                  <tr>
                    <th>Task</th>
                    <th>Run by</th>
                    <th>Lease expires</th>
                  </tr>
                </thead>
                <tbody>
                  {data.status.leases.map((l) => (
                    <tr key={l.task}>
                      <td>{l.task}</td>
                      <td>{l.holder}</td>
                      <td>{leaseLeft(l.expires_at, data.now)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      ) : null}
    </section>
  );
}
