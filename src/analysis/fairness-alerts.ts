/**
 * Fairness numbers for alert rules, over the rule's window of live traffic: `demographic_parity_ratio:<feature>`,
 * `demographic_parity_difference:<feature>` (selection rates of every answered prediction), `equalized_odds_ratio:`,
 * `equalized_odds_difference:` and `equal_opportunity_ratio:<feature>` (TPR/FPR of the predictions whose labels
 * have joined), between groups, Fairlearn's conventions. What an alert decides on must not swing on a handful of
 * rows: groups with fewer than 30 rows (labelled rows, for the TPR/FPR metrics) are left out, and with fewer than
 * two groups left the value is null (no data: the rule's condition is false). Every other metric goes to the
 * source it wraps.
 */
import type { AlertMetricSource } from '../alerts/index.js';
import { FAIRNESS_ALERT_METRICS } from '../contract/fairness.js';
import { isFerryError } from '../errors.js';
import { DEFAULT_MIN_GROUP_SIZE, metricFrame } from '../stats/index.js';
import { nanMax2, nanMin2 } from './fairness-report.js';
import type { LiveFairnessService, LiveRow } from './fairness-live.js';

type FairnessAlertMetric = (typeof FAIRNESS_ALERT_METRICS)[number];

/** Rows of groups with at least `min` rows. */
function sufficient(rows: LiveRow[], min: number): LiveRow[] {
  const n = new Map<string, number>();
  const key = (r: LiveRow) => `${typeof r.group}:${String(r.group)}`;
  for (const r of rows) n.set(key(r), (n.get(key(r)) ?? 0) + 1);
  const kept = rows.filter((r) => n.get(key(r))! >= min);
  return new Set(kept.map(key)).size >= 2 ? kept : [];
}

/** The metric's value on live rows, insufficient groups left out; null without two sufficient groups. */
export function liveFairnessValue(metric: FairnessAlertMetric, rows: LiveRow[], feature: string, minGroupSize = DEFAULT_MIN_GROUP_SIZE): number | null {
  const value = (x: number) => (Number.isFinite(x) ? x : null);
  if (metric.startsWith('demographic_parity')) {
    const rs = sufficient(rows, minGroupSize);
    if (rs.length === 0) return null;
    const f = metricFrame({ metric: 'selection_rate', yPred: rs.map((r) => r.pred), sensitiveFeatures: [{ name: feature, values: rs.map((r) => r.group) }] });
    return value(metric === 'demographic_parity_ratio' ? f.ratio.between_groups : f.difference.between_groups);
  }
  const rs = sufficient(
    rows.filter((r) => r.truth !== undefined),
    minGroupSize,
  );
  if (rs.length === 0) return null;
  const input = { yTrue: rs.map((r) => r.truth!), yPred: rs.map((r) => r.pred), sensitiveFeatures: [{ name: feature, values: rs.map((r) => r.group) }] };
  try {
    const tpr = metricFrame({ ...input, metric: 'true_positive_rate' });
    if (metric === 'equal_opportunity_ratio') return value(tpr.ratio.between_groups);
    const fpr = metricFrame({ ...input, metric: 'false_positive_rate' });
    if (metric === 'equalized_odds_ratio') return value(nanMin2(tpr.ratio.between_groups, fpr.ratio.between_groups));
    return value(nanMax2(tpr.difference.between_groups, fpr.difference.between_groups));
  } catch (err) {
    // Labels that are not binary: the rates are not defined, so there is no value.
    if (isFerryError(err) && err.status === 400) return null;
    throw err;
  }
}

export class FairnessAlertMetrics implements AlertMetricSource {
  private memo = new Map<string, Promise<LiveRow[] | null>>();
  private memoAt = 0;

  constructor(
    private readonly inner: AlertMetricSource,
    private readonly live: Pick<LiveFairnessService, 'rows'>,
  ) {}

  /** The window's rows, read once per (deployment, feature, window) per evaluation instant; null when there are none to read. */
  private rows(deployment: string, feature: string, from: number, now: number): Promise<LiveRow[] | null> {
    if (now !== this.memoAt) {
      this.memo.clear();
      this.memoAt = now;
    }
    const key = `${deployment}\0${feature}\0${from}`;
    let p = this.memo.get(key);
    if (!p) {
      p = this.live.rows(deployment, feature, from, now, undefined).then(
        (r) => r.rows,
        (err: unknown) => {
          // No such deployment (yet), or the feature is not logged: no data, not an error.
          if (isFerryError(err) && err.status < 500) return null;
          throw err;
        },
      );
      this.memo.set(key, p);
    }
    return p;
  }

  async value(deployment: string, metric: string, windowMs: number, now: number): Promise<number | null> {
    const colon = metric.indexOf(':');
    const name = colon < 0 ? metric : metric.slice(0, colon);
    if (!(FAIRNESS_ALERT_METRICS as readonly string[]).includes(name)) return this.inner.value(deployment, metric, windowMs, now);
    const feature = metric.slice(colon + 1);
    if (colon < 0 || feature === '') return null;
    const rows = await this.rows(deployment, feature, now - windowMs, now);
    return rows ? liveFairnessValue(name as FairnessAlertMetric, rows, feature) : null;
  }
}
