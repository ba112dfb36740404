/**
 * Drift of the chosen time range against the reference: a summary, a table per feature (method, statistic,
 * threshold, drifted; the prediction first), and the open feature's reference-vs-current histogram. The
 * histogram's bins come with the drift answer: opening a feature costs no request.
 */
import { useMemo } from 'react';
import type { DriftReport, FeatureDriftRow } from '../../../../src/sdk/index.js';
import { FerryApiError, useApi } from '../../api.js';
import { type Column, DataTable } from '../../components/data-table.js';
import { ErrorBanner } from '../../components/error-banner.js';
import { Loading } from '../../components/loading.js';
import { formatNumber, formatTime } from '../../format.js';
import { percent, referenceLabel } from './describe.js';
import { DriftBadge, FeatureHistogram } from './feature-histogram.js';
import type { Range } from './monitoring-data.js';

interface Row {
  key: string;
  label: string;
  prediction: boolean;
  f: FeatureDriftRow;
}

export const PREDICTION_KEY = '__prediction__';

export function DriftTab({ name, range, feature, onFeature }: { name: string; range: Range; feature: string | null; onFeature: (f: string | null) => void }) {
  const drift = useApi((c) => c.monitoring.drift(name, { from: range }), [name, range]);
  const rows = useMemo(() => (drift.data ? driftRows(drift.data) : []), [drift.data]);
  const open = rows.find((r) => r.key === feature) ?? null;
  const columns = useMemo(() => driftColumns(feature, onFeature), [feature, onFeature]);

  if (!drift.data) {
    return (
      <>
        <ErrorBanner error={drift.error} onRetry={drift.reload} />
        {noReference(drift.error) ? (
          <p className="muted">
            Drift is measured against a reference: set one from a dataset version with <code>ferry reference set {name} --dataset NAME@VERSION</code> (or{' '}
            <code>--training-data</code>).
          </p>
        ) : null}
        {drift.loading ? <Loading label="Measuring drift…" /> : null}
      </>
    );
  }
  const d = drift.data;
  return (
    <div>
      <ErrorBanner error={drift.error} onRetry={drift.reload} />
      {drift.loading ? <Loading label="Measuring drift…" /> : null}
      <DriftSummary report={d} />
      <div className={open ? 'drift-layout open' : 'drift-layout'}>
        <DataTable
          label="Feature drift"
          columns={columns}
          rows={rows}
          rowKey={(r) => r.key}
          rowClassName={(r) => [r.key === feature ? 'selected' : '', r.f.drifted ? 'drifted' : ''].join(' ').trim() || undefined}
          empty={d.current.rows === 0 ? 'No traffic in this time range.' : 'No features.'}
        />
        {open ? <FeatureHistogram feature={open.f} title={open.label} onClose={() => onFeature(null)} /> : null}
      </div>
      {!open && rows.length > 0 ? <p className="muted">Click a feature to see its reference and current distributions.</p> : null}
    </div>
  );
}

function noReference(err: unknown): boolean {
  return err instanceof FerryApiError && err.status === 404 && /no reference/.test(err.message);
}

function DriftSummary({ report: d }: { report: DriftReport }) {
  return (
    <div className="panel drift-summary">
      <div className="summary-line">
        {d.dataset_drift ? <span className="badge drifted">dataset drift</span> : <span className="badge ok">no dataset drift</span>}
        <strong>
          {d.number_drifted} of {d.number_of_features} features drifted
        </strong>
        <span className="muted">
          ({percent(d.share_drifted)}; the dataset drifts at ≥ {percent(d.drift_share, 0)})
        </span>
      </div>
      <dl className="meta compact">
        <dt>Current</dt>
        <dd>
          {formatNumber(d.current.rows)} rows in {formatNumber(d.current.requests)} requests, {formatTime(Date.parse(d.from))} – {formatTime(Date.parse(d.to))}
        </dd>
        <dt>Reference</dt>
        <dd>
          {referenceLabel(d.reference.source)}, {formatNumber(d.reference.rows)} rows, set {formatTime(Date.parse(d.reference.created_at))}
        </dd>
      </dl>
    </div>
  );
}

export function driftRows(d: DriftReport): Row[] {
  const rows: Row[] = d.features.map((f) => ({ key: f.name, label: f.name, prediction: false, f }));
  if (d.prediction) rows.unshift({ key: PREDICTION_KEY, label: `${d.prediction.name} (prediction)`, prediction: true, f: d.prediction });
  return rows;
}

function driftColumns(open: string | null, onFeature: (f: string | null) => void): Column<Row>[] {
  return [
    {
      id: 'feature',
      header: 'Feature',
      sortValue: (r) => r.label,
      cell: (r) => (
        <button type="button" className="link-button" aria-expanded={r.key === open} onClick={() => onFeature(r.key === open ? null : r.key)}>
          {r.label}
        </button>
      ),
    },
    {
      id: 'drifted',
      header: 'Drifted',
      sortValue: (r) => (r.f.drifted === null ? null : r.f.drifted ? 1 : 0),
      cell: (r) => <DriftBadge drifted={r.f.drifted} />,
    },
    { id: 'statistic', header: 'Statistic', align: 'right', sortValue: (r) => r.f.statistic, cell: (r) => formatNumber(r.f.statistic ?? null) },
    { id: 'threshold', header: 'Threshold', align: 'right', sortValue: (r) => r.f.threshold, cell: (r) => formatNumber(r.f.threshold ?? null) },
    { id: 'method', header: 'Method', sortValue: (r) => r.f.method, cell: (r) => r.f.method ?? '' },
    { id: 'kind', header: 'Kind', sortValue: (r) => r.f.kind, cell: (r) => r.f.kind ?? '' },
    { id: 'p', header: 'p-value', align: 'right', sortValue: (r) => r.f.p_value, cell: (r) => formatNumber(r.f.p_value ?? null) },
    {
      id: 'basis',
      header: 'Basis',
      title: 'exact, sample or sketch: how the statistic was computed',
      sortValue: (r) => r.f.basis,
      cell: (r) => <span title={r.f.note}>{r.f.basis ?? ''}</span>,
    },
  ];
}
