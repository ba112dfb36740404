/**
 * Estimated performance for alert rules, weeks before labels come: `estimated_<metric>` (roc_auc, f1, precision,
 * recall, specificity, accuracy, average_precision) is CBPE's estimate over the rule's window of the serving model
 * version's predictions. The reference is the training data of that version (lineage) with its one non-input column
 * as the label; `estimated_f1:<label>` names the label column, `estimated_f1:<label>@<dataset>@<version>` the dataset
 * too. No predictions in the window, or no usable reference, is null (no data: the rule's condition is false).
 * Every other metric goes to the source it wraps.
 */
import type { AlertMetricSource } from '../alerts/index.js';
import { ESTIMATED_ALERT_METRICS } from '../contract/estimated-performance.js';
import { isFerryError } from '../errors.js';
import { type CbpeMetric, cbpeEstimate } from '../stats/index.js';
import type { EstimatedPerformanceService, ReferenceOptions } from './estimated-performance-service.js';

/** `label` or `label@dataset@version` after the colon (the first '@' splits: a label with '@' cannot be named here). */
export function referenceOfArgument(arg: string): ReferenceOptions {
  if (arg === '') return {};
  const at = arg.indexOf('@');
  if (at < 0) return { label: arg };
  return { label: arg.slice(0, at), dataset: arg.slice(at + 1) };
}

export class EstimatedPerformanceAlertMetrics implements AlertMetricSource {
  private memo = new Map<string, Promise<Record<CbpeMetric, number | null> | null>>();
  private memoAt = 0;

  constructor(
    private readonly inner: AlertMetricSource,
    private readonly svc: Pick<EstimatedPerformanceService, 'reference' | 'rows'>,
  ) {}

  /** Every estimate of the window, once per (deployment, reference, window) per evaluation instant. */
  private estimates(deployment: string, arg: string, from: number, now: number) {
    if (now !== this.memoAt) {
      this.memo.clear();
      this.memoAt = now;
    }
    const key = `${deployment}\0${arg}\0${from}`;
    let p = this.memo.get(key);
    if (!p) {
      p = (async () => {
        const { model, ref } = await this.svc.reference(deployment, referenceOfArgument(arg));
        const { rows } = await this.svc.rows(deployment, model, ref, from, now, false);
        if (rows.length === 0) return null;
        const e = cbpeEstimate(ref.fitted, { yProba: rows.map((r) => r.proba), yPred: rows.map((r) => r.pred) });
        return Object.fromEntries(Object.entries(e.metrics).map(([m, x]) => [m, x.value])) as Record<CbpeMetric, number | null>;
      })().catch((err: unknown) => {
        // No such deployment (yet), not serving (or still loading), or no usable reference: no data, not an error.
        if (isFerryError(err) && (err.status < 500 || err.code === 'OVERLOADED')) return null;
        throw err;
      });
      this.memo.set(key, p);
    }
    return p;
  }

  async value(deployment: string, metric: string, windowMs: number, now: number): Promise<number | null> {
    const colon = metric.indexOf(':');
    const name = colon < 0 ? metric : metric.slice(0, colon);
    if (!(ESTIMATED_ALERT_METRICS as readonly string[]).includes(name)) return this.inner.value(deployment, metric, windowMs, now);
    const values = await this.estimates(deployment, colon < 0 ? '' : metric.slice(colon + 1), now - windowMs, now);
    return values?.[name.slice('estimated_'.length) as CbpeMetric] ?? null;
  }
}
