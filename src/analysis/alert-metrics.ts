/**
 * Monitoring's numbers for alert rules: traffic (request rate, error rate, p99 latency), data quality (null
 * rate per feature), drift (dataset, per feature) and live performance from feedback. No data → null, which
 * alert rules read as "condition false". Within one evaluation, each report is computed once per window.
 */
import { isFerryError } from '../errors.js';
import type { AlertMetricSource } from '../alerts/index.js';
import type { MonitoringState, WindowProfile } from '../prediction-log/index.js';
import type { MonitoringDataHooks } from './data-hooks.js';
import type { DriftService } from './drift-service.js';

/** Live performance of a window (accuracy, rmse, ...), when feedback exists; see performance-service. */
export type PerformanceSource = (deployment: string, from: number, to: number) => Promise<Record<string, number | null> | null>;

export class MonitoringMetricSource implements AlertMetricSource {
  private memo = new Map<string, Promise<unknown>>();
  private memoAt = 0;

  constructor(
    private readonly state: MonitoringState,
    private readonly drift: DriftService,
    private readonly performance?: PerformanceSource,
    private readonly data?: MonitoringDataHooks,
  ) {}

  /** One computation per (what, deployment, window) per evaluation instant. */
  private once<T>(key: string, now: number, compute: () => Promise<T>): Promise<T> {
    if (now !== this.memoAt) {
      this.memo.clear();
      this.memoAt = now;
    }
    let p = this.memo.get(key) as Promise<T> | undefined;
    if (!p) this.memo.set(key, (p = compute()));
    return p;
  }

  private async traffic(deployment: string, from: number, now: number): Promise<WindowProfile | null> {
    return this.once(`traffic|${deployment}|${from}`, now, async () => {
      const byVersion = [...(await this.state.profiles(deployment, from, now)).values()];
      return byVersion.length ? byVersion.reduce((a, b) => a.merge(b)) : null;
    });
  }

  private async driftReport(deployment: string, from: number, now: number) {
    return this.once(`drift|${deployment}|${from}`, now, () =>
      this.drift.drift(deployment, { from, to: now }).catch((err: unknown) => {
        // No reference yet, or no traffic in the window: no data, not an error.
        if (isFerryError(err) && err.status === 404) return null;
        throw err;
      }),
    );
  }

  async value(deployment: string, metric: string, windowMs: number, now: number): Promise<number | null> {
    const from = now - windowMs;
    const colon = metric.indexOf(':');
    const name = colon < 0 ? metric : metric.slice(0, colon);
    const arg = colon < 0 ? '' : metric.slice(colon + 1);
    switch (name) {
      case 'request_rate':
      case 'error_rate':
      case 'latency_p99':
      case 'null_rate': {
        const p = await this.traffic(deployment, from, now);
        if (!p || p.counts.requests === 0) return null;
        if (name === 'request_rate') return p.counts.requests / (windowMs / 1000);
        if (name === 'error_rate') return p.counts.error / p.counts.requests;
        if (name === 'latency_p99') return p.latency.n ? p.latency.quantile(0.99) : null;
        const col = p.inputs.columns.get(arg);
        return col && col.count ? col.nulls / col.count : null;
      }
      case 'validation_failures': {
        // Failed expectations of the deployment's attached suites on the window's traffic (null: no suites or no traffic).
        if (!this.data) return null;
        const p = await this.traffic(deployment, from, now);
        if (!p || p.inputs.rows === 0) return null;
        const results = await this.once(`validation|${deployment}|${from}`, now, () =>
          this.data!.validateTraffic(deployment, { start: from, end: now, complete: false }, p.inputs),
        );
        return results.length ? results.reduce((a, r) => a + r.failed, 0) : null;
      }
      case 'dataset_drift':
      case 'drift_share':
      case 'feature_drift':
      case 'drift_score': {
        const r = await this.driftReport(deployment, from, now);
        if (!r) return null;
        if (name === 'dataset_drift') return r.dataset_drift ? 1 : 0;
        if (name === 'drift_share') return r.share_drifted;
        const f = [...r.features, ...(r.prediction ? [r.prediction] : [])].find((x) => x.name === arg);
        if (!f || f.drifted === null) return null;
        return name === 'feature_drift' ? (f.drifted ? 1 : 0) : 'statistic' in f ? f.statistic : null;
      }
      default: {
        if (!this.performance) return null;
        // Whole profile windows, like every other monitoring number, so a rule sees the same span for all metrics.
        const start = this.state.windowStartOf(deployment, from);
        const perf = await this.once(`perf|${deployment}|${start}`, now, () => this.performance!(deployment, start, now));
        const v = perf?.[name];
        return typeof v === 'number' && Number.isFinite(v) ? v : null;
      }
    }
  }
}
