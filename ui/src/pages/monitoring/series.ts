/**
 * Monitoring answers shaped into chart series (pure): x is the window start in epoch seconds. Per-feature
 * charts draw a few features, not a hundred: the ones that drifted most often (then by their largest
 * score), or with the highest missing rates, plus any the user picked.
 */
import type { PerformanceMetrics, PerformanceReport } from '../../../../src/sdk/index.js';
import type { ChartSeries } from '../../components/chart-data.js';
import type { DriftWindow, QualityWindow } from './monitoring-data.js';

export const FEATURE_SERIES_LIMIT = 8;

const seconds = (iso: string) => Date.parse(iso) / 1000;
const finite = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/**
 * The series with blank points at both ends of the time range added to the first one, so the x axis spans the
 * chosen range (one window of data would otherwise be drawn on an axis of years).
 */
export function withSpan(series: readonly ChartSeries[], span: { from: number; to: number }): ChartSeries[] {
  if (series.length === 0) return [];
  // Data that starts late in the range (a new deployment, a demo's few minutes in 24 h) would be a sliver at the
  // right edge: the axis then starts a little before the first point (10% of what is left, at least a minute).
  const xs = series.flatMap((s) => s.points.map((p) => p.x));
  const firstX = xs.length ? Math.min(...xs) : span.from;
  const from = Math.max(span.from, firstX - Math.max(60, (span.to - firstX) * 0.1));
  const [first, ...rest] = series;
  return [{ ...first!, points: [{ x: from, y: null }, ...first!.points, { x: span.to, y: null }] }, ...rest];
}

export function driftShareSeries(windows: readonly DriftWindow[]): ChartSeries[] {
  return [{ label: 'share of drifted features', points: windows.map((w) => ({ x: seconds(w.start), y: finite(w.share_drifted) })) }];
}

export function predictionDriftSeries(windows: readonly DriftWindow[]): ChartSeries[] {
  if (!windows.some((w) => w.prediction)) return [];
  return [{ label: 'prediction drift score', points: windows.map((w) => ({ x: seconds(w.start), y: finite(w.prediction?.statistic) })) }];
}

/** Features ordered by how many windows they drifted in, then by their largest score; `pinned` first. */
export function rankDriftFeatures(windows: readonly DriftWindow[], limit = FEATURE_SERIES_LIMIT, pinned: readonly string[] = []): string[] {
  const stats = new Map<string, { drifted: number; max: number }>();
  for (const w of windows) {
    for (const f of w.features) {
      const s = stats.get(f.name) ?? { drifted: 0, max: -Infinity };
      if (f.drifted) s.drifted++;
      const v = finite(f.statistic);
      if (v !== null && v > s.max) s.max = v;
      stats.set(f.name, s);
    }
  }
  const ranked = [...stats.entries()].sort((a, b) => b[1].drifted - a[1].drifted || b[1].max - a[1].max || a[0].localeCompare(b[0])).map(([k]) => k);
  return withPinned(ranked, limit, pinned);
}

export function featureDriftSeries(windows: readonly DriftWindow[], names: readonly string[]): ChartSeries[] {
  return names.map((name) => ({
    label: name,
    points: windows.map((w) => ({ x: seconds(w.start), y: finite(w.features.find((f) => f.name === name)?.statistic) })),
  }));
}

/** Features with the highest missing-value rate in any window (features never missing are left out). */
export function rankNullFeatures(windows: readonly QualityWindow[], limit = FEATURE_SERIES_LIMIT, pinned: readonly string[] = []): string[] {
  const max = new Map<string, number>();
  for (const w of windows) for (const f of w.features) max.set(f.name, Math.max(max.get(f.name) ?? 0, finite(f.null_rate) ?? 0));
  const ranked = [...max.entries()]
    .filter(([, v]) => v > 0)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([k]) => k);
  return withPinned(
    ranked,
    limit,
    pinned.filter((p) => max.has(p)),
  );
}

export function nullRateSeries(windows: readonly QualityWindow[], names: readonly string[]): ChartSeries[] {
  return names.map((name) => ({
    label: name,
    points: windows.map((w) => ({ x: seconds(w.start), y: finite(w.features.find((f) => f.name === name)?.null_rate) })),
  }));
}

function withPinned(ranked: readonly string[], limit: number, pinned: readonly string[]): string[] {
  const out = pinned.filter((p, i) => pinned.indexOf(p) === i);
  for (const name of ranked) {
    if (out.length >= Math.max(limit, pinned.length)) break;
    if (!out.includes(name)) out.push(name);
  }
  return out;
}

/** Metrics worth a chart, in this order; each shown when some window has a number for it. */
export const PERFORMANCE_METRICS = ['accuracy', 'roc_auc', 'f1', 'precision', 'recall', 'log_loss', 'mae', 'rmse', 'r2', 'mape', 'max_error'] as const;

/** True when the metric is better when smaller (so charts and tables can say so). */
export function lowerIsBetter(metric: string): boolean {
  return ['log_loss', 'mae', 'mse', 'rmse', 'mape', 'max_error'].includes(metric);
}

export function metricValue(m: PerformanceMetrics | null | undefined, metric: string): number | null {
  // Classification and regression reports carry different metrics: read the one asked for, if present.
  return m ? finite(Object.entries(m).find(([k]) => k === metric)?.[1]) : null;
}

export function performanceMetricKeys(report: PerformanceReport): string[] {
  const groups = [...report.versions, ...report.windows.flatMap((w) => w.versions)];
  return PERFORMANCE_METRICS.filter((k) => groups.some((g) => metricValue(g, k) !== null));
}

/** Model versions seen in the report, in numeric order. */
export function performanceVersions(report: PerformanceReport): string[] {
  const seen = new Set<string>();
  for (const v of report.versions) seen.add(v.model_version);
  for (const w of report.windows) for (const v of w.versions) seen.add(v.model_version);
  return [...seen].sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
}

/** One series per model version: the metric per window (null where that version had no feedback). */
export function performanceSeries(report: PerformanceReport, metric: string): ChartSeries[] {
  return performanceVersions(report).map((version) => ({
    label: `v${version}`,
    points: report.windows.map((w) => ({
      x: seconds(w.start),
      y: metricValue(
        w.versions.find((v) => v.model_version === version),
        metric,
      ),
    })),
  }));
}
