/** A deployment's routes: role (main, canary, off, shadow), model version, weight and share, and load state. */
import type { Deployment } from '../../../../src/sdk/index.js';
import { type Column, DataTable } from '../../components/data-table.js';
import { href } from '../../router.js';
import { pct, routeRows, type RouteRow } from './deployment-status.js';

const COLUMNS: Column<RouteRow>[] = [
  { id: 'role', header: 'Role', cell: (r) => <span className={`badge role-${r.role}`}>{r.role}</span> },
  { id: 'route', header: 'Route', cell: (r) => <code>{r.label}</code> },
  {
    id: 'version',
    header: 'Model version',
    cell: (r) =>
      r.version ? (
        <a href={href('/models/:name/versions/:version', { name: r.model, version: r.version })}>
          {r.model} v{r.version}
        </a>
      ) : (
        <span className="muted">resolving…</span>
      ),
  },
  { id: 'weight', header: 'Weight', align: 'right', cell: (r) => (r.weight === null ? '—' : r.weight) },
  {
    id: 'share',
    header: 'Share',
    cell: (r) =>
      r.share === null ? (
        <span className="muted">copy of every request</span>
      ) : (
        <>
          <span className="share-bar" style={{ width: `${Math.round(r.share * 120)}px` }} />
          {pct(r.share)}
        </>
      ),
  },
  {
    id: 'state',
    header: 'State',
    cell: (r) => (
      <span className={`badge state-${r.state}`} title={r.reason}>
        {r.state}
      </span>
    ),
  },
  {
    id: 'reason',
    header: '',
    cell: (r) =>
      r.reason ? (
        <span className="error-inline" title={r.reason}>
          {r.reason}
        </span>
      ) : null,
  },
];

export function RoutesTable({ deployment }: { deployment: Deployment }) {
  return <DataTable label="Routes" columns={COLUMNS} rows={routeRows(deployment.spec, deployment.status?.routes)} rowKey={(r) => r.key} />;
}
