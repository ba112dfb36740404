/**
 * The jobs list, newest first: filters by state and executor (kept in the URL), one page of 100 per request
 * with Next/Previous, and a refresh every few seconds while any job shown is still queued, starting or running.
 */
import { useEffect, useState } from 'react';
import type { Job, JobState } from '../../../../src/sdk/index.js';
import { useApi } from '../../api.js';
import { type Column, DataTable, Pager } from '../../components/data-table.js';
import { ErrorBanner } from '../../components/error-banner.js';
import { Loading } from '../../components/loading.js';
import { formatTime } from '../../format.js';
import { href } from '../../router.js';
import { JobStateBadge } from './job-badge.js';
import { durationCell, isActive, JOB_STATES, queueWaitMs, relativeTime, runTimeMs, shortJobId } from './job-format.js';

const PAGE = 100;
/** How often the list reloads while a job in it is active. */
export const LIST_REFRESH_MS = 3000;

function columns(now: number): Column<Job>[] {
  return [
    { id: 'state', header: 'State', cell: (j) => <JobStateBadge state={j.state} />, sortValue: (j) => j.state },
    {
      id: 'job',
      header: 'Job',
      cell: (j) => (
        <a href={href('/jobs/:id', { id: j.job_id })} title={j.job_id}>
          <code>{shortJobId(j.job_id)}</code>
        </a>
      ),
    },
    { id: 'project', header: 'Project', cell: (j) => j.project.name, sortValue: (j) => j.project.name },
    { id: 'entry', header: 'Entry point', cell: (j) => j.entry_point, sortValue: (j) => j.entry_point },
    { id: 'executor', header: 'Executor', cell: (j) => j.executor, sortValue: (j) => j.executor },
    { id: 'by', header: 'Submitted by', cell: (j) => j.submitted_by, sortValue: (j) => j.submitted_by },
    {
      id: 'submitted',
      header: 'Submitted',
      cell: (j) => <span title={formatTime(j.submitted_at)}>{relativeTime(j.submitted_at, now)}</span>,
      sortValue: (j) => j.submitted_at,
    },
    { id: 'wait', header: 'Queue wait', align: 'right', cell: (j) => durationCell(queueWaitMs(j, now)), sortValue: (j) => queueWaitMs(j, now) ?? -1 },
    { id: 'duration', header: 'Duration', align: 'right', cell: (j) => durationCell(runTimeMs(j, now)), sortValue: (j) => runTimeMs(j, now) ?? -1 },
  ];
}

export interface JobFilters {
  state?: JobState | undefined;
  executor?: string | undefined;
}

export function JobsList({ filters, onFilters }: { filters: JobFilters; onFilters: (f: JobFilters) => void }) {
  // tokens[i] opens page i (undefined: the first). The page keys this component by its filters, so a filter
  // change starts again at the first page.
  const [nav, setNav] = useState<{ tokens: (string | undefined)[]; index: number }>({ tokens: [undefined], index: 0 });
  const token = nav.tokens[nav.index];
  const page = useApi(
    (c) => c.jobs.list({ state: filters.state, executor: filters.executor, maxResults: PAGE, pageToken: token }),
    [filters.state, filters.executor, token, nav.index],
  );
  const executors = useApi((c) => c.jobs.executors(), []);

  const jobs = page.error ? [] : (page.data?.jobs ?? []);
  const active = jobs.some((j) => isActive(j.state));
  const { reload, loading } = page;
  useEffect(() => {
    if (!active || loading) return;
    const t = setTimeout(reload, LIST_REFRESH_MS);
    return () => clearTimeout(t);
  }, [active, loading, reload, page.data]);

  const next = page.loading ? undefined : page.data?.next_page_token;
  const executorNames = [...new Set([...(executors.data ?? []).map((e) => e.name), ...(filters.executor ? [filters.executor] : [])])].sort();

  return (
    <div>
      <div className="toolbar" role="group" aria-label="Filters">
        <label>
          State{' '}
          <select value={filters.state ?? ''} onChange={(e) => onFilters({ ...filters, state: (e.target.value || undefined) as JobState | undefined })}>
            <option value="">any</option>
            {JOB_STATES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <label>
          Executor{' '}
          <select value={filters.executor ?? ''} onChange={(e) => onFilters({ ...filters, executor: e.target.value || undefined })}>
            <option value="">any</option>
            {executorNames.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </label>
        <span className="grow" />
        {active ? (
          <span className="muted" title={`The list reloads every ${LIST_REFRESH_MS / 1000} s while a job in it is active`}>
            auto-refresh on
          </span>
        ) : null}
        <button type="button" onClick={page.reload}>
          Refresh
        </button>
      </div>
      <ErrorBanner error={page.error} onRetry={page.reload} />
      {page.loading && !page.data ? <Loading label="Loading jobs…" /> : null}
      <DataTable
        label="Jobs"
        columns={columns(Date.now())}
        rows={jobs}
        rowKey={(j) => j.job_id}
        pageSize={PAGE}
        empty={
          filters.state || filters.executor ? 'No job matches these filters.' : 'No jobs yet. Submit one with `ferry jobs submit PATH` or POST /api/v1/jobs.'
        }
      />
      <Pager
        label={`Page ${nav.index + 1}`}
        onPrev={nav.index > 0 && !page.loading ? () => setNav({ ...nav, index: nav.index - 1 }) : undefined}
        onNext={next ? () => setNav({ tokens: [...nav.tokens.slice(0, nav.index + 1), next], index: nav.index + 1 }) : undefined}
      />
    </div>
  );
}
