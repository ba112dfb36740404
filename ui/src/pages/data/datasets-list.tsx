/** Datasets, 100 per request, filtered by name on the server. */
import { type FormEvent, useState } from 'react';
import type { DatasetInfo } from '../../../../src/sdk/index.js';
import { useApi } from '../../api.js';
import { type Column, DataTable, Pager } from '../../components/data-table.js';
import { ErrorBanner } from '../../components/error-banner.js';
import { Loading } from '../../components/loading.js';
import { formatTime } from '../../format.js';
import { href } from '../../router.js';

const PAGE = 100;

const COLUMNS: Column<DatasetInfo>[] = [
  { id: 'name', header: 'Dataset', sortValue: (d) => d.name, cell: (d) => <a href={href('/data/:name', { name: d.name })}>{d.name}</a> },
  { id: 'versions', header: 'Versions', align: 'right', sortValue: (d) => d.versions, cell: (d) => d.versions },
  {
    id: 'latest',
    header: 'Latest',
    sortValue: (d) => d.latest_version,
    cell: (d) =>
      d.latest_version === null ? '' : <a href={href('/data/:name/:version', { name: d.name, version: String(d.latest_version) })}>v{d.latest_version}</a>,
  },
  { id: 'updated', header: 'Updated', sortValue: (d) => d.updated_at, cell: (d) => formatTime(Date.parse(d.updated_at)) },
  { id: 'by', header: 'Created by', sortValue: (d) => d.created_by, cell: (d) => d.created_by },
  { id: 'description', header: 'Description', cell: (d) => d.description },
];

export function DatasetsList() {
  const [filter, setFilter] = useState('');
  const [applied, setApplied] = useState('');
  const [offset, setOffset] = useState(0);
  // One more than a page tells whether there is a next one.
  const list = useApi((c) => c.data.list({ maxResults: PAGE + 1, offset, nameLike: applied ? `%${applied}%` : undefined }), [offset, applied]);
  const rows = list.error ? [] : (list.data ?? []).slice(0, PAGE);
  const more = (list.data?.length ?? 0) > PAGE;

  const apply = (e: FormEvent) => {
    e.preventDefault();
    setOffset(0);
    setApplied(filter.trim());
  };

  return (
    <div>
      <div className="page-header">
        <h1>Data</h1>
        <span className="muted">Versioned datasets with their profiles, validation results and lineage.</span>
      </div>
      <form className="toolbar" onSubmit={apply}>
        <input aria-label="Filter datasets by name" placeholder="Name contains…" value={filter} onChange={(e) => setFilter(e.target.value)} />
        <button type="submit">Filter</button>
      </form>
      <ErrorBanner error={list.error} onRetry={list.reload} />
      {list.loading ? <Loading label="Loading datasets…" /> : null}
      <DataTable
        label="Datasets"
        columns={COLUMNS}
        rows={rows}
        rowKey={(d) => d.name}
        pageSize={PAGE}
        empty={
          applied ? (
            'No dataset matches.'
          ) : (
            <>
              No datasets yet. Push one with <code>ferry data push file.csv --name NAME</code>.
            </>
          )
        }
      />
      {offset > 0 || more ? (
        <Pager
          label={rows.length > 0 ? `Datasets ${offset + 1}–${offset + rows.length}` : `From ${offset + 1}`}
          onPrev={offset > 0 && !list.loading ? () => setOffset(Math.max(0, offset - PAGE)) : undefined}
          onNext={more && !list.loading ? () => setOffset(offset + PAGE) : undefined}
        />
      ) : null}
    </div>
  );
}
