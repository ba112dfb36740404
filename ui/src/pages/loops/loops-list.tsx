/** The loops, by name: model, deployment, state, and the last run's state and sentence (linked to its timeline). */
import type { LoopInfo } from '../../../../src/sdk/index.js';
import { useApi } from '../../api.js';
import { type Column, DataTable } from '../../components/data-table.js';
import { ApiStatus, Toolbar } from '../../components/page-frame.js';
import { formatTime } from '../../format.js';
import { href } from '../../router.js';
import { LoopStateBadge, RunStateBadge } from './badges.js';

export function LastRun({ loop }: { loop: LoopInfo }) {
  const r = loop.last_run;
  if (!r) return <span className="muted">no run yet</span>;
  return (
    <span>
      <a href={href('/loops/:name/runs/:seq', { name: loop.name, seq: String(r.seq) })}>#{r.seq}</a> <RunStateBadge state={r.state} />{' '}
      {r.reason ?? <span className="muted">started {formatTime(r.started_at)}</span>}
    </span>
  );
}

const COLUMNS: Column<LoopInfo>[] = [
  { id: 'name', header: 'Name', cell: (l) => <a href={href('/loops/:name', { name: l.name })}>{l.name}</a>, sortValue: (l) => l.name },
  { id: 'model', header: 'Model', cell: (l) => <a href={href('/models/:name', { name: l.model })}>{l.model}</a>, sortValue: (l) => l.model },
  {
    id: 'deployment',
    header: 'Deployment',
    cell: (l) => <a href={href('/deployments/:name', { name: l.deployment })}>{l.deployment}</a>,
    sortValue: (l) => l.deployment,
  },
  { id: 'state', header: 'State', cell: (l) => <LoopStateBadge state={l.state} />, sortValue: (l) => l.state },
  { id: 'last', header: 'Last run', cell: (l) => <LastRun loop={l} />, sortValue: (l) => l.last_run?.started_at ?? 0 },
];

export function LoopsList() {
  const list = useApi((c) => c.loops.list(), []);
  return (
    <div>
      <Toolbar onRefresh={list.reload} />
      <ApiStatus state={list} loadingLabel="Loading loops…" />
      <DataTable
        label="Loops"
        columns={COLUMNS}
        rows={list.data ?? []}
        rowKey={(l) => l.name}
        empty="No loops yet. Create one with `ferry loops create` or POST /api/v1/loops."
      />
    </div>
  );
}
