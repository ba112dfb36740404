/**
 * Experiments: the experiment list and, for the chosen one, its runs — filter (the API's language), chosen
 * columns, server-side sort, one page at a time — and a selection to compare. State lives in the URL:
 * `#/experiments/1?filter=...&order=metrics.auc%20DESC&col=metrics.auc&size=100`.
 */
import { useEffect, useMemo, useState } from 'react';
import type { PageDef, PageProps } from '../page.js';
import { useApi, useClient } from '../api.js';
import { Pager, type SortState } from '../components/data-table.js';
import { ErrorBanner } from '../components/error-banner.js';
import { Loading } from '../components/loading.js';
import { href, navigate, type QueryInit, redirect } from '../router.js';
import { ColumnPicker } from './experiments/column-picker.js';
import { FilterBar } from './experiments/filter-bar.js';
import { orderByFor, parseOrder } from './experiments/filter.js';
import { defaultExperiment } from './experiments/latest-activity.js';
import { defaultColumns, discoverKeys } from './experiments/run-columns.js';
import { RunsTable } from './experiments/runs-table.js';
import { useRunPages } from './experiments/use-run-pages.js';

const PAGE_SIZES = [25, 50, 100, 250, 500];
const MAX_COMPARE = 20;

function ExperimentsPage({ params, query }: PageProps) {
  const client = useClient();
  const experiments = useApi((c) => c.experiments.list({ orderBy: ['name ASC'] }), []);
  const id = params['id'];
  const [choosing, setChoosing] = useState(false);

  // `#/experiments` opens the most recently active experiment (redirect leaves a link opened meanwhile alone).
  useEffect(() => {
    const list = experiments.data;
    if (id !== undefined || !list || list.length === 0) return;
    let live = true;
    setChoosing(true);
    void defaultExperiment(client, list).then((chosen) => {
      if (!live) return;
      setChoosing(false);
      if (chosen) redirect('#/experiments', href('/experiments/:id', { id: chosen.experiment_id }));
    });
    return () => {
      live = false;
      setChoosing(false);
    };
  }, [id, experiments.data, client]);

  return (
    <div className="split">
      <aside className="panel">
        <h2>Experiments</h2>
        <ErrorBanner error={experiments.error} onRetry={experiments.reload} />
        {experiments.loading && !experiments.data ? <Loading /> : null}
        <ul className="item-list" aria-label="Experiments">
          {(experiments.data ?? []).map((e) => (
            <li key={e.experiment_id}>
              <a href={href('/experiments/:id', { id: e.experiment_id })} aria-current={id === e.experiment_id ? 'true' : undefined}>
                {e.name}
              </a>
            </li>
          ))}
        </ul>
        {experiments.data?.length === 0 ? <p className="muted">No experiments yet.</p> : null}
      </aside>
      <section>
        {id !== undefined ? (
          <Runs key={id} experimentId={id} name={experiments.data?.find((e) => e.experiment_id === id)?.name} query={query} />
        ) : choosing ? (
          <Loading label="Opening the most recently active experiment…" />
        ) : null}
      </section>
    </div>
  );
}

function Runs({ experimentId, name, query }: { experimentId: string; name: string | undefined; query: URLSearchParams }) {
  const filter = query.get('filter') ?? '';
  const sort = parseOrder(query.get('order'));
  const size = PAGE_SIZES.includes(Number(query.get('size'))) ? Number(query.get('size')) : 100;
  const pages = useRunPages({ experimentId, filter, orderBy: orderByFor(sort), pageSize: size });
  const [selected, setSelected] = useState<Set<string>>(new Set());

  const keys = useMemo(() => discoverKeys(pages.runs), [pages.runs]);
  const columns = query.has('col') ? query.getAll('col').filter((c) => c !== '') : defaultColumns(keys);

  const update = (patch: QueryInit) => {
    const next: QueryInit = {
      filter,
      order: sort ? orderByFor(sort)![0] : undefined,
      col: query.has('col') ? query.getAll('col') : undefined,
      size: size === 100 ? undefined : size,
      ...patch,
    };
    navigate(href('/experiments/:id', { id: experimentId }, next), { replace: true });
  };
  const setSort = (s: SortState | null) => update({ order: s ? orderByFor(s)![0] : undefined });
  const setColumns = (cols: string[]) => update({ col: cols.length > 0 ? cols : [''] });

  const first = pages.page * pages.pageSize + 1;
  const compare = [...selected];
  return (
    <div>
      <div className="page-header">
        <h1>{name ?? `Experiment ${experimentId}`}</h1>
        <span className="muted">id {experimentId}</span>
      </div>
      <FilterBar filter={filter} keys={keys} onApply={(f) => update({ filter: f })} />
      <div className="toolbar">
        <ColumnPicker keys={keys} chosen={columns} onChange={setColumns} />
        <label>
          Rows per page{' '}
          <select value={size} onChange={(e) => update({ size: Number(e.target.value) })}>
            {PAGE_SIZES.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </label>
        <span className="grow" />
        {selected.size > 0 ? (
          <button type="button" onClick={() => setSelected(new Set())}>
            Clear selection
          </button>
        ) : null}
        <a
          role="button"
          className={`button primary${compare.length < 2 ? ' disabled' : ''}`}
          aria-disabled={compare.length < 2}
          href={compare.length >= 2 ? href('/compare', {}, { run: compare.slice(0, MAX_COMPARE), exp: experimentId }) : undefined}
          title={
            compare.length < 2
              ? 'Select two or more runs to compare'
              : compare.length > MAX_COMPARE
                ? `The first ${MAX_COMPARE} selected runs are compared`
                : undefined
          }
        >
          Compare {compare.length > 0 ? `(${compare.length})` : ''}
        </a>
      </div>
      <ErrorBanner error={pages.error} onRetry={pages.reload} />
      {pages.loading ? <Loading label="Loading runs…" /> : null}
      <RunsTable runs={pages.runs} columns={columns} sort={sort} onSortChange={setSort} selected={selected} onSelect={setSelected} />
      <Pager
        label={
          pages.runs.length > 0
            ? `Page ${pages.page + 1} · runs ${first.toLocaleString()}–${(first + pages.runs.length - 1).toLocaleString()}`
            : `Page ${pages.page + 1}`
        }
        onPrev={pages.prev}
        onNext={pages.next}
      />
    </div>
  );
}

export const pages: PageDef[] = [
  { path: '/experiments', component: ExperimentsPage, section: 'Experiments', navEntry: true, title: 'Experiments' },
  { path: '/experiments/:id', component: ExperimentsPage, section: 'Experiments', title: 'Experiment' },
];
