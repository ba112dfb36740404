/**
 * Two versions compared (`#/data/:name/diff?from=1&to=2[&col=income]`): schema changes (added, removed,
 * retyped, nullability) and per shared column the drift test monitoring would pick, the older version as
 * the reference; clicking a column shows both distributions.
 */
import { useCallback, useMemo } from 'react';
import type { FeatureDriftRow } from '../../../../src/sdk/index.js';
import { useApi } from '../../api.js';
import { type Column, DataTable } from '../../components/data-table.js';
import { ErrorBanner } from '../../components/error-banner.js';
import { Loading } from '../../components/loading.js';
import { formatNumber } from '../../format.js';
import { href, navigate } from '../../router.js';
import { percent } from '../monitoring/describe.js';
import { DriftBadge, FeatureHistogram } from '../monitoring/feature-histogram.js';
import { diffFeature, type SchemaChange, schemaChanges } from './data-shapes.js';
import { DiffPicker } from './diff-picker.js';

const SCHEMA_COLUMNS: Column<SchemaChange>[] = [
  { id: 'column', header: 'Column', sortValue: (c) => c.column, cell: (c) => c.column },
  { id: 'change', header: 'Change', sortValue: (c) => c.change, cell: (c) => <span className={`badge change-${c.change}`}>{c.change}</span> },
  { id: 'detail', header: 'Detail', cell: (c) => c.detail },
];

export function DiffView({ name, query }: { name: string; query: URLSearchParams }) {
  const from = query.get('from') ?? '';
  const to = query.get('to') ?? '';
  const col = query.get('col');
  const versions = useApi((c) => c.data.versions(name, { maxResults: 100 }), [name]);
  const diff = useApi((c) => (from && to ? c.data.diff(name, from, to) : Promise.resolve(null)), [name, from, to]);
  const features = useMemo(() => (diff.data ? diff.data.drift.map(diffFeature) : []), [diff.data]);
  const changes = useMemo(() => (diff.data ? schemaChanges(diff.data) : []), [diff.data]);
  const onOpen = useCallback((c: string | null) => navigate(href('/data/:name/diff', { name }, { from, to, col: c }), { replace: true }), [name, from, to]);
  const columns = useMemo(() => driftColumns(col, onOpen), [col, onOpen]);
  const open = features.find((f) => f.name === col) ?? null;
  const num = (s: string) => (/^\d+$/.test(s) ? Number(s) : undefined);

  return (
    <div>
      <div className="page-header">
        <h1>{name}: compare versions</h1>
        <a href={href('/data/:name', { name })}>← {name}</a>
      </div>
      {versions.data ? <DiffPicker key={`${from}|${to}`} name={name} versions={versions.data.map((v) => v.version)} from={num(from)} to={num(to)} /> : null}
      {!from || !to ? <p className="muted">Choose two versions to compare.</p> : null}
      <ErrorBanner error={diff.error ?? versions.error} onRetry={diff.reload} />
      {diff.loading ? <Loading label="Comparing…" /> : null}
      {diff.data ? (
        <>
          <div className="panel summary-line">
            <strong>
              {diff.data.from.ref} → {diff.data.to.ref}
            </strong>
            <span className="muted">
              {formatNumber(diff.data.from.rows)} → {formatNumber(diff.data.to.rows)} rows
            </span>
            {diff.data.identical ? <span className="badge ok">identical files</span> : null}
            {diff.data.summary.dataset_drift ? <span className="badge drifted">dataset drift</span> : <span className="badge ok">no dataset drift</span>}
            <span>
              {diff.data.summary.number_drifted} of {diff.data.summary.number_of_features} shared columns drifted ({percent(diff.data.summary.share_drifted)})
            </span>
          </div>
          <h2>Schema changes</h2>
          {changes.length === 0 ? (
            <p className="muted">None: {diff.data.schema.unchanged} columns unchanged.</p>
          ) : (
            <DataTable label="Schema changes" columns={SCHEMA_COLUMNS} rows={changes} rowKey={(c) => `${c.column}|${c.change}`} />
          )}
          <h2>Drift per column</h2>
          <div className={open ? 'drift-layout open' : 'drift-layout'}>
            <DataTable
              label="Column drift"
              columns={columns}
              rows={features}
              rowKey={(f) => f.name}
              rowClassName={(f) => [f.name === col ? 'selected' : '', f.drifted ? 'drifted' : ''].join(' ').trim() || undefined}
              empty="No shared columns."
            />
            {open ? <FeatureHistogram feature={open} onClose={() => onOpen(null)} /> : null}
          </div>
          {diff.data.skipped.length > 0 ? <p className="muted">Not compared: {diff.data.skipped.map((s) => `${s.name} (${s.reason})`).join('; ')}</p> : null}
        </>
      ) : null}
    </div>
  );
}

function driftColumns(open: string | null, onOpen: (c: string | null) => void): Column<FeatureDriftRow>[] {
  return [
    {
      id: 'name',
      header: 'Column',
      sortValue: (f) => f.name,
      cell: (f) => (
        <button type="button" className="link-button" aria-expanded={f.name === open} onClick={() => onOpen(f.name === open ? null : f.name)}>
          {f.name}
        </button>
      ),
    },
    { id: 'drifted', header: 'Drifted', sortValue: (f) => (f.drifted === null ? null : f.drifted ? 1 : 0), cell: (f) => <DriftBadge drifted={f.drifted} /> },
    { id: 'statistic', header: 'Statistic', align: 'right', sortValue: (f) => f.statistic, cell: (f) => formatNumber(f.statistic ?? null) },
    { id: 'threshold', header: 'Threshold', align: 'right', sortValue: (f) => f.threshold, cell: (f) => formatNumber(f.threshold ?? null) },
    { id: 'method', header: 'Method', sortValue: (f) => f.method, cell: (f) => f.method ?? '' },
    { id: 'kind', header: 'Kind', sortValue: (f) => f.kind, cell: (f) => f.kind ?? '' },
    { id: 'p', header: 'p-value', align: 'right', sortValue: (f) => f.p_value, cell: (f) => formatNumber(f.p_value ?? null) },
  ];
}
