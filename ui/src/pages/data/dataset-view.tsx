/** A dataset: its versions (100 per request) with tags, and a picker to compare two versions. */
import { useState } from 'react';
import type { DatasetVersion } from '../../../../src/sdk/index.js';
import { useApi } from '../../api.js';
import { type Column, DataTable, Pager } from '../../components/data-table.js';
import { ErrorBanner } from '../../components/error-banner.js';
import { Loading } from '../../components/loading.js';
import { formatBytes, formatNumber, formatTime } from '../../format.js';
import { href } from '../../router.js';
import { DiffPicker } from './diff-picker.js';

const PAGE = 100;

const COLUMNS: Column<DatasetVersion>[] = [
  {
    id: 'version',
    header: 'Version',
    sortValue: (v) => v.version,
    cell: (v) => <a href={href('/data/:name/:version', { name: v.dataset, version: String(v.version) })}>v{v.version}</a>,
  },
  {
    id: 'tags',
    header: 'Tags',
    cell: (v) =>
      v.tags.map((t) => (
        <span key={t} className="badge tag">
          {t}
        </span>
      )),
  },
  { id: 'rows', header: 'Rows', align: 'right', sortValue: (v) => v.rows, cell: (v) => formatNumber(v.rows) },
  { id: 'columns', header: 'Columns', align: 'right', sortValue: (v) => v.columns, cell: (v) => v.columns },
  { id: 'size', header: 'Size', align: 'right', sortValue: (v) => v.size_bytes, cell: (v) => formatBytes(v.size_bytes) },
  { id: 'file', header: 'File', cell: (v) => `${v.filename} (${v.format})` },
  {
    id: 'warnings',
    header: 'Warnings',
    align: 'right',
    sortValue: (v) => v.schema.warnings.length,
    cell: (v) => (v.schema.warnings.length > 0 ? <span className="badge warning">{v.schema.warnings.length}</span> : ''),
  },
  { id: 'created', header: 'Created', sortValue: (v) => v.created_at, cell: (v) => formatTime(Date.parse(v.created_at)) },
  { id: 'by', header: 'By', cell: (v) => v.created_by },
  { id: 'digest', header: 'Digest', cell: (v) => <code title={v.digest}>{v.digest.slice(0, 12)}</code> },
];

export function DatasetView({ name }: { name: string }) {
  const dataset = useApi((c) => c.data.get(name), [name]);
  const [offset, setOffset] = useState(0);
  const versions = useApi((c) => c.data.versions(name, { maxResults: PAGE + 1, offset }), [name, offset]);
  const rows = versions.error ? [] : (versions.data ?? []).slice(0, PAGE);
  const more = (versions.data?.length ?? 0) > PAGE;
  const tags = Object.entries(dataset.data?.tags ?? {}).sort(([a], [b]) => a.localeCompare(b));

  return (
    <div>
      <div className="page-header">
        <h1>{name}</h1>
        <a href={href('/data')}>← Datasets</a>
      </div>
      <ErrorBanner error={dataset.error} onRetry={dataset.reload} />
      {dataset.data ? (
        <dl className="meta panel">
          <dt>Versions</dt>
          <dd>
            {dataset.data.latest
              ? `${dataset.data.latest.version} (latest v${dataset.data.latest.version}, ${formatTime(Date.parse(dataset.data.latest.created_at))})`
              : 'none'}
          </dd>
          <dt>Tags</dt>
          <dd>
            {tags.length === 0 ? <span className="muted">none</span> : null}
            {tags.map(([tag, v]) => (
              <a key={tag} className="badge tag" href={href('/data/:name/:version', { name, version: String(v) })}>
                {tag} → v{v}
              </a>
            ))}
          </dd>
          {dataset.data.description ? (
            <>
              <dt>Description</dt>
              <dd>{dataset.data.description}</dd>
            </>
          ) : null}
          <dt>Created</dt>
          <dd>
            {formatTime(Date.parse(dataset.data.created_at))} by {dataset.data.created_by}
          </dd>
        </dl>
      ) : null}
      {versions.data ? <DiffPicker name={name} versions={rows.map((v) => v.version)} /> : null}
      <h2>Versions</h2>
      <ErrorBanner error={versions.error} onRetry={versions.reload} />
      {versions.loading ? <Loading label="Loading versions…" /> : null}
      <DataTable label="Versions" columns={COLUMNS} rows={rows} rowKey={(v) => String(v.version)} pageSize={PAGE} empty="No versions." />
      {offset > 0 || more ? (
        <Pager
          label={`Versions ${offset + 1}–${offset + rows.length}`}
          onPrev={offset > 0 && !versions.loading ? () => setOffset(Math.max(0, offset - PAGE)) : undefined}
          onNext={more && !versions.loading ? () => setOffset(offset + PAGE) : undefined}
        />
      ) : null}
    </div>
  );
}
