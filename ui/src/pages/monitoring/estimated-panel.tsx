/**
 * Estimated performance without labels (CBPE, binary classifiers) beside realized performance: per window the
 * estimate of the chosen metric with its ±3·SE band, the realized value once labels join, and the label coverage.
 * The estimator is fitted on a labelled reference (default: the serving version's training data, from lineage);
 * the form names another. Fitted on request (it scores the reference) and remembered for the tab. A model CBPE
 * cannot estimate (not a binary classifier, no probabilities) is refused by the server with the reason, shown as
 * it comes.
 */
import { useState } from 'react';
import type { EstimatedMetricName, EstimatedPerformance, EstimatedPerformanceQuery, EstimatedPerformanceWindow } from '../../../../src/sdk/index.js';
import { ESTIMATED_METRICS } from '../../../../src/sdk/index.js';
import { useApi } from '../../api.js';
import { Chart } from '../../components/chart.js';
import { type Column, DataTable } from '../../components/data-table.js';
import { ErrorBanner } from '../../components/error-banner.js';
import { Loading } from '../../components/loading.js';
import { formatNumber, formatTime } from '../../format.js';
import { useRemembered } from '../explain/remembered.js';
import { estimatedSeries, estimatedWindow } from './estimated-series.js';
import { rangeSpan, type Range } from './monitoring-data.js';
import { withSpan } from './series.js';
import './estimated.css';

/** The band between the series estimatedSeries puts second (lower) and third (upper). */
const BANDS = [{ upper: 2, lower: 1, fill: 'rgba(147, 197, 253, 0.25)' }];
const num = (v: number | null | undefined) => (v === null || v === undefined ? <span className="muted">—</span> : formatNumber(v));

export function EstimatedPanel({ name, range }: { name: string; range: Range }) {
  // Fitting the estimator scores the whole reference: it runs when asked, and the choice is remembered for the tab.
  const [applied, setApplied] = useRemembered<Pick<EstimatedPerformanceQuery, 'dataset' | 'label'>>(`cbpe.${name}`);
  const [dataset, setDataset] = useState(applied?.dataset ?? '');
  const [label, setLabel] = useState(applied?.label ?? '');
  const [metric, setMetric] = useState<EstimatedMetricName>('accuracy');
  const apply = () => setApplied({ ...(dataset.trim() ? { dataset: dataset.trim() } : {}), ...(label.trim() ? { label: label.trim() } : {}) });

  return (
    <section className="estimated-panel" data-testid="estimated-performance">
      <h2>Estimated performance (CBPE)</h2>
      <p className="muted">
        For a binary classifier, CBPE estimates accuracy, ROC AUC and the rest per window from the model&apos;s own probabilities, before labels come,
        calibrated on a labelled reference.
      </p>
      <div className="toolbar">
        <label>
          Labelled reference{' '}
          <input
            aria-label="CBPE reference"
            placeholder="dataset@version (default: training data)"
            value={dataset}
            onChange={(e) => setDataset(e.target.value)}
            onKeyDown={(e) => e.key === 'Enter' && apply()}
          />
        </label>
        <label>
          Label column{' '}
          <input aria-label="CBPE label column" placeholder="default: the non-input column" value={label} onChange={(e) => setLabel(e.target.value)} />
        </label>
        <button type="button" onClick={apply}>
          Estimate
        </button>
      </div>
      {applied ? (
        <EstimatedResult key={`${range}\u0000${JSON.stringify(applied)}`} name={name} range={range} query={applied} metric={metric} onMetric={setMetric} />
      ) : null}
    </section>
  );
}

function EstimatedResult({
  name,
  range,
  query,
  metric,
  onMetric,
}: {
  name: string;
  range: Range;
  query: Pick<EstimatedPerformanceQuery, 'dataset' | 'label'>;
  metric: EstimatedMetricName;
  onMetric: (m: EstimatedMetricName) => void;
}) {
  const est = useApi((c) => c.monitoring.estimated(name, { from: range, window: estimatedWindow(range), ...query }), [name, range]);
  return (
    <>
      <ErrorBanner error={est.error} onRetry={est.reload} />
      {est.error ? (
        <p className="muted" data-testid="estimated-refused">
          CBPE estimates binary classifiers that answer class probabilities, from a labelled reference: the serving version&apos;s training data when its run
          logged one, or a dataset version named above.
        </p>
      ) : null}
      {est.loading && !est.data ? <Loading label="Fitting the estimator on the reference…" /> : null}
      {est.data && !est.error ? <EstimatedView p={est.data} range={range} metric={metric} onMetric={onMetric} /> : null}
    </>
  );
}

function EstimatedView({
  p,
  range,
  metric,
  onMetric,
}: {
  p: EstimatedPerformance;
  range: Range;
  metric: EstimatedMetricName;
  onMetric: (m: EstimatedMetricName) => void;
}) {
  const ref = p.reference;
  const windows = p.windows.filter((w) => w.rows > 0);
  const columns: Column<EstimatedPerformanceWindow>[] = [
    { id: 'start', header: 'Window', sortValue: (w) => w.start, cell: (w) => formatTime(Date.parse(w.start)) },
    { id: 'rows', header: 'Rows', align: 'right', sortValue: (w) => w.rows, cell: (w) => formatNumber(w.rows) },
    { id: 'coverage', header: 'Label coverage', align: 'right', sortValue: (w) => w.label_coverage, cell: (w) => num(w.label_coverage) },
    { id: 'est', header: `Estimated ${metric}`, align: 'right', cell: (w) => num(w.metrics?.[metric].estimated) },
    {
      id: 'band',
      header: 'Band (±3·SE)',
      align: 'right',
      cell: (w) => (w.metrics ? `${formatNumber(w.metrics[metric].lower)} – ${formatNumber(w.metrics[metric].upper)}` : ''),
    },
    { id: 'realized', header: `Realized ${metric}`, align: 'right', cell: (w) => num(w.metrics?.[metric].realized) },
    {
      id: 'outside',
      header: '',
      cell: (w) => (w.metrics?.[metric].realized_outside_band ? <span className="badge outside-band">outside the band</span> : null),
    },
  ];
  return (
    <div>
      <p className="muted">
        {p.model.name} v{p.model.version} · reference <strong>{ref.dataset}</strong>
        {ref.training_data_of ? ` (training data of ${ref.training_data_of})` : ''}, label <code>{ref.label}</code>, {formatNumber(ref.rows)} rows · probability
        from <code>{ref.probability_output}</code> · calibration <code>{ref.calibration.method}</code>: {ref.calibration.reason} ·{' '}
        {formatNumber(p.overall.rows)} predictions, {formatNumber(p.overall.labelled)} labelled
        {p.rows_other_versions > 0 ? ` · ${formatNumber(p.rows_other_versions)} by other versions not estimated` : ''}
      </p>
      <div className="segmented" role="group" aria-label="Estimated metric">
        {ESTIMATED_METRICS.map((m) => (
          <button key={m} type="button" aria-pressed={m === metric} className={m === metric ? 'active' : undefined} onClick={() => onMetric(m)}>
            {m}
          </button>
        ))}
      </div>
      <div className="chart-card" data-testid="estimated-chart" data-estimated-metric={metric}>
        <h3>
          {metric}: estimated with its band{windows.some((w) => w.labelled > 0) ? ', realized where labels joined' : ' (no labels yet)'}
        </h3>
        <Chart series={withSpan(estimatedSeries(p, metric), rangeSpan(range, Date.parse(p.to)))} xKind="time" height={240} bands={BANDS} />
      </div>
      <DataTable
        label="Estimated performance per window"
        columns={columns}
        rows={windows}
        rowKey={(w) => w.start}
        empty="No predictions by this version in the range."
      />
      {p.notes.length > 0 ? (
        <ul className="muted">
          {p.notes.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
