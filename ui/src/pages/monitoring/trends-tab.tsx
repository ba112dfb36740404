/**
 * Drift and data quality over time, one point per profile window: the share of drifted features, the
 * prediction's drift score, per-feature drift scores and missing-value rates (a few features: the worst,
 * plus the open one), and the attached suites' results per window. Two requests, whatever the feature count.
 */
import { useMemo } from 'react';
import { useApi } from '../../api.js';
import { Chart } from '../../components/chart.js';
import type { ChartSeries } from '../../components/chart-data.js';
import { ErrorBanner } from '../../components/error-banner.js';
import { Loading } from '../../components/loading.js';
import { driftWindows, qualityReport, type Range, rangeSpan } from './monitoring-data.js';
import {
  driftShareSeries,
  FEATURE_SERIES_LIMIT,
  featureDriftSeries,
  nullRateSeries,
  predictionDriftSeries,
  rankDriftFeatures,
  rankNullFeatures,
  withSpan,
} from './series.js';
import { ValidationWindows } from './validation-windows.js';

export function TrendsTab({ name, range, feature }: { name: string; range: Range; feature: string | null }) {
  const drift = useApi(async (c) => ({ ...(await driftWindows(c, name, range)), span: rangeSpan(range, Date.now()) }), [name, range]);
  const quality = useApi((c) => qualityReport(c, name, range), [name, range]);
  const pinned = feature ? [feature] : [];

  const driftCharts = useMemo(() => {
    const w = drift.data?.windows;
    if (!w) return null;
    const features = rankDriftFeatures(
      w,
      FEATURE_SERIES_LIMIT,
      pinned.filter((p) => w.some((x) => x.features.some((f) => f.name === p))),
    );
    const total = new Set(w.flatMap((x) => x.features.map((f) => f.name))).size;
    const span = drift.data!.span;
    return {
      windows: w.length,
      share: withSpan(driftShareSeries(w), span),
      prediction: withSpan(predictionDriftSeries(w), span),
      features: withSpan(featureDriftSeries(w, features), span),
      total,
    };
    // `pinned` is derived from `feature`.
  }, [drift.data, feature]);

  const qualityCharts = useMemo(() => {
    const q = quality.data;
    if (!q) return null;
    const span = { from: Date.parse(q.from) / 1000, to: Date.parse(q.to) / 1000 };
    return { windows: q.windows, nulls: withSpan(nullRateSeries(q.windows, rankNullFeatures(q.windows, FEATURE_SERIES_LIMIT, pinned)), span) };
  }, [quality.data, feature]);

  return (
    <div>
      <h2>Drift over time</h2>
      <ErrorBanner error={drift.error} onRetry={drift.reload} />
      {drift.loading && !driftCharts ? <Loading label="Loading drift per window…" /> : null}
      {driftCharts && driftCharts.windows === 0 ? <p className="muted">No traffic windows in this time range.</p> : null}
      {driftCharts && driftCharts.windows > 0 ? (
        <div className="grid-2">
          <ChartCard title="Share of drifted features" series={driftCharts.share} />
          {driftCharts.prediction.length > 0 ? <ChartCard title="Prediction drift score" series={driftCharts.prediction} /> : null}
          <ChartCard
            title="Drift score per feature"
            series={driftCharts.features}
            note={
              driftCharts.total > driftCharts.features.length
                ? `${driftCharts.features.length} of ${driftCharts.total} features: those that drifted most (open a feature on the Drift tab to add it).`
                : undefined
            }
          />
        </div>
      ) : null}

      <h2>Data quality over time</h2>
      <ErrorBanner error={quality.error} onRetry={quality.reload} />
      {quality.loading && !qualityCharts ? <Loading label="Loading data quality…" /> : null}
      {qualityCharts && qualityCharts.windows.length === 0 ? <p className="muted">No traffic windows in this time range.</p> : null}
      {qualityCharts && qualityCharts.windows.length > 0 ? (
        <>
          <div className="grid-2">
            {qualityCharts.nulls.length > 0 ? (
              <ChartCard title="Missing-value rate per feature" series={qualityCharts.nulls} />
            ) : (
              <p className="muted">No missing values in any window.</p>
            )}
          </div>
          <ValidationWindows windows={qualityCharts.windows} />
        </>
      ) : null}
    </div>
  );
}

function ChartCard({ title, series, note }: { title: string; series: ChartSeries[]; note?: string | undefined }) {
  return (
    <div className="chart-card" data-chart={title}>
      <h3>{title}</h3>
      <Chart series={series} xKind="time" height={220} />
      {note ? <p className="muted">{note}</p> : null}
    </div>
  );
}
