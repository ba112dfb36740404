/** The A/B tests, newest first, filtered by state and deployment (kept in the URL). */
import type { AbTestInfo } from '../../../../src/sdk/index.js';
import { useApi } from '../../api.js';
import { type Column, DataTable } from '../../components/data-table.js';
import { ApiStatus, Toolbar } from '../../components/page-frame.js';
import { formatTime } from '../../format.js';
import { href } from '../../router.js';
import { ABTEST_STATES, type AbTestStateName, armsText } from './abtest-format.js';

export interface AbTestFilters {
  state?: AbTestStateName | undefined;
  deployment?: string | undefined;
}

export function AbTestStateBadge({ state }: { state: AbTestStateName }) {
  return <span className={`badge abtest-state abtest-${state}`}>{state}</span>;
}

const COLUMNS: Column<AbTestInfo>[] = [
  { id: 'name', header: 'Name', cell: (t) => <a href={href('/abtests/:name', { name: t.name })}>{t.name}</a>, sortValue: (t) => t.name },
  { id: 'state', header: 'State', cell: (t) => <AbTestStateBadge state={t.state} />, sortValue: (t) => t.state },
  {
    id: 'deployment',
    header: 'Deployment',
    cell: (t) => <a href={href('/deployments/:name', { name: t.deployment })}>{t.deployment}</a>,
    sortValue: (t) => t.deployment,
  },
  { id: 'arms', header: 'Arms', cell: (t) => armsText(t) },
  { id: 'metric', header: 'Primary metric', cell: (t) => `${t.primary_metric.metric} (${t.primary_metric.kind}, ${t.primary_metric.window})` },
  { id: 'guardrails', header: 'Guardrails', align: 'right', cell: (t) => t.guardrails.length, sortValue: (t) => t.guardrails.length },
  { id: 'method', header: 'Method', cell: (t) => t.settings.method, sortValue: (t) => t.settings.method },
  { id: 'started', header: 'Started', cell: (t) => formatTime(t.started_at), sortValue: (t) => t.started_at ?? 0 },
  { id: 'stopped', header: 'Stopped', cell: (t) => formatTime(t.stopped_at), sortValue: (t) => t.stopped_at ?? 0 },
];

export function AbTestsList({ filters, onFilters }: { filters: AbTestFilters; onFilters: (f: AbTestFilters) => void }) {
  const list = useApi((c) => c.abtests.list({ state: filters.state, deployment: filters.deployment }), [filters.state, filters.deployment]);
  // The deployment filter offers the deployments that have tests (and the one chosen).
  const all = useApi((c) => c.abtests.list(), []);
  const deployments = [...new Set([...(all.data ?? []).map((t) => t.deployment), ...(filters.deployment ? [filters.deployment] : [])])].sort();
  const tests = list.error ? [] : (list.data ?? []);
  return (
    <div>
      <Toolbar label="Filters" onRefresh={list.reload}>
        <label>
          State{' '}
          <select value={filters.state ?? ''} onChange={(e) => onFilters({ ...filters, state: (e.target.value || undefined) as AbTestStateName | undefined })}>
            <option value="">any</option>
            {ABTEST_STATES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <label>
          Deployment{' '}
          <select value={filters.deployment ?? ''} onChange={(e) => onFilters({ ...filters, deployment: e.target.value || undefined })}>
            <option value="">any</option>
            {deployments.map((d) => (
              <option key={d} value={d}>
                {d}
              </option>
            ))}
          </select>
        </label>
      </Toolbar>
      <ApiStatus state={list} loadingLabel="Loading A/B tests…" />
      <DataTable
        label="A/B tests"
        columns={COLUMNS}
        rows={tests}
        rowKey={(t) => t.id}
        empty={
          filters.state || filters.deployment
            ? 'No A/B test matches these filters.'
            : 'No A/B tests yet. Create one with `ferry abtest create NAME --deployment D --metric conversion:proportion:7d` or POST /api/v1/abtests.'
        }
      />
    </div>
  );
}
