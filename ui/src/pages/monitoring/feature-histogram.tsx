/** The open feature's reference-vs-current histogram, with its drift test beside the bars. */
import type { FeatureDriftRow } from '../../../../src/sdk/index.js';
import { Histogram } from '../../components/histogram.js';
import { formatNumber } from '../../format.js';
import { driftHistogram } from './drift-histogram.js';

export function FeatureHistogram({ feature, title, onClose }: { feature: FeatureDriftRow; title?: string; onClose?: () => void }) {
  const data = driftHistogram(feature);
  const label = title ?? feature.name;
  return (
    <section className="chart-card feature-histogram" aria-label={`Histogram of ${label}`} data-feature={feature.name}>
      <div className="card-header">
        <h3>{label}</h3>
        <DriftBadge drifted={feature.drifted} />
        <span className="grow" />
        {onClose ? (
          <button type="button" className="link-button" onClick={onClose} aria-label="Close histogram">
            Close
          </button>
        ) : null}
      </div>
      <dl className="meta compact">
        <dt>Test</dt>
        <dd>
          {feature.method ?? '—'}
          {feature.basis ? <small> ({feature.basis})</small> : null}
        </dd>
        <dt>Statistic</dt>
        <dd>
          {formatNumber(feature.statistic ?? null) || '—'}
          {feature.threshold !== undefined ? <small> · threshold {formatNumber(feature.threshold)}</small> : null}
        </dd>
        {feature.p_value !== null && feature.p_value !== undefined ? (
          <>
            <dt>p-value</dt>
            <dd>{formatNumber(feature.p_value)}</dd>
          </>
        ) : null}
        <dt>Rows</dt>
        <dd>
          reference {formatNumber(feature.reference?.rows ?? null) || '—'} · current {formatNumber(feature.current?.rows ?? null) || '—'}
        </dd>
      </dl>
      {feature.note ? <p className="muted">{feature.note}</p> : null}
      {data ? (
        <Histogram bins={data.bins} series={data.series} normalize title={`${label}: share of rows per bin`} />
      ) : (
        <p className="muted">No bins to draw for this feature{feature.current?.rows === 0 ? ' (no current rows)' : ''}.</p>
      )}
    </section>
  );
}

export function DriftBadge({ drifted }: { drifted: boolean | null | undefined }) {
  if (drifted === null || drifted === undefined) return <span className="badge">no data</span>;
  return drifted ? <span className="badge drifted">drifted</span> : <span className="badge ok">no drift</span>;
}
